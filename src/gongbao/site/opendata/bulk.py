"""Bulk files per gazette and year: JSON Lines, CSV (UTF-8 with BOM), Akoma Ntoso (zip).

``{slug}-{year}.jsonl``: one public document per line, its metadata and its JSON
(``document``), with ``sha256`` the hash of that JSON's canonical form;
``{slug}-{year}.csv``: the metadata columns (``public.FIELDS``) only;
``{slug}-{year}.akn.zip``: one ``officialGazette`` XML per issue;
``{slug}-{year}.sums.json``: size and SHA-256 of the three, signed with the
publisher key like a manifest, so that ``gongbao verify`` can check them offline.

Files are written beside the final name and renamed over it: a reader never
sees half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from gongbao.core import integrity
from gongbao.core.export import akn
from gongbao.site.archive.models import Document, Issue
from gongbao.site.opendata import keys, public

log = logging.getLogger("gongbao.opendata")
SUMS_FORMAT = "gongbao-bulk/1"
KINDS = ("jsonl", "csv", "akn.zip")


def utc_now() -> str:
    return timezone.now().astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def bulk_dir() -> Path:
    path = Path(getattr(settings, "GONGBAO_BULK_DIR", "") or Path(settings.HOME) / "bulk")
    path.mkdir(parents=True, exist_ok=True)
    return path


def name(slug: str, year: int, kind: str) -> str:
    return f"{slug}-{year}.{kind}"


class _Hashing:
    """A binary file that hashes what is written to it."""

    def __init__(self, path: Path) -> None:
        self.f = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.h = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.f.write(data)
        self.h.update(data)
        self.size += len(data)

    def close(self) -> dict[str, Any]:
        self.f.close()
        return {"sha256": self.h.hexdigest(), "size": self.size}


def write_jsonl_csv(
    docs: Iterable[Document], jsonl: Path, csv_path: Path
) -> tuple[dict, dict, int]:
    """Both files in one pass over the documents; returns their sums and the count."""
    out_j, out_c = _Hashing(jsonl), _Hashing(csv_path)
    out_c.write("\ufeff".encode())
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(public.FIELDS)
    count = 0
    for doc in docs:
        data = public.document_data(doc)
        row = public.record(doc, data)
        row["url"] = public.site_url(row["url"])
        line = {**row, "document": data}
        out_j.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
        writer.writerow(["" if row[f] is None else row[f] for f in public.FIELDS])
        count += 1
        if buf.tell() > 1 << 16:
            out_c.write(buf.getvalue().encode("utf-8"))
            buf.seek(0)
            buf.truncate()
    out_c.write(buf.getvalue().encode("utf-8"))
    return out_j.close(), out_c.close(), count


def issue_akn_bytes(issue: Issue) -> bytes:
    result = public.issue_result(issue)
    return akn.to_bytes(akn.issue_to_akn(result, generated=public.published_date(issue)))


def write_akn_zip(issues: Iterable[Issue], path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for issue in issues:
            z.writestr(f"{issue.ident}.akn.xml", issue_akn_bytes(issue))
    return {"sha256": integrity.sha256_hex(path.read_bytes()), "size": path.stat().st_size}


def regenerate_year(slug: str, year: int, out: Path | None = None, *, formats=KINDS) -> dict:
    """(Re)write the bulk files of one gazette's year; remove them when nothing is public."""
    out = out or bulk_dir()
    out.mkdir(parents=True, exist_ok=True)
    docs = public.documents().filter(gazette__slug=slug, issue__year=year)
    issues = public.issues().filter(gazette__slug=slug, year=year).select_related("gazette")
    if not docs.exists():
        for kind in (*KINDS, "sums.json"):
            (out / name(slug, year, kind)).unlink(missing_ok=True)
        return {}
    tmp = {kind: out / f".{name(slug, year, kind)}.tmp" for kind in KINDS}
    files: dict[str, dict[str, Any]] = {}
    count = docs.count()
    if "jsonl" in formats or "csv" in formats:
        j, c, count = write_jsonl_csv(public.iter_documents(docs), tmp["jsonl"], tmp["csv"])
        files[name(slug, year, "jsonl")] = j
        files[name(slug, year, "csv")] = c
    if "akn.zip" in formats:
        files[name(slug, year, "akn.zip")] = write_akn_zip(
            issues.order_by("number"), tmp["akn.zip"]
        )
    for kind in KINDS:
        if tmp[kind].exists():
            os.replace(tmp[kind], out / name(slug, year, kind))
    sums = {
        "format": SUMS_FORMAT,
        "issue": {"id": f"{slug}-{year}"},
        "gazette": slug,
        "year": year,
        "documents": count,
        "files": [{"name": n, **s} for n, s in sorted(files.items())],
        "published_at": utc_now(),
    }
    signed: dict[str, Any] = {"manifest": sums}
    try:
        keys.ensure()
        signed = integrity.sign_manifest(sums, keys.private_key(), keys.sm2_private_key())
    except (OSError, ValueError) as exc:  # unsigned sums still list the checksums
        log.warning("批量文件校验和未签名：%s", exc)
    path = out / name(slug, year, "sums.json")
    tmp_sums = path.with_name(f".{path.name}.tmp")
    tmp_sums.write_text(json.dumps(signed, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp_sums, path)
    return signed


def listing() -> list[dict[str, Any]]:
    """Every year's files for the data page: newest year first."""
    out = []
    for path in sorted(bulk_dir().glob("*.sums.json"), reverse=True):
        try:
            signed = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        body = signed.get("manifest", {})
        out.append({**body, "sums": path.name, "signed": "signature" in signed})
    return sorted(out, key=lambda s: (-int(s.get("year", 0)), s.get("gazette", "")))


def public_years() -> list[tuple[str, int]]:
    return sorted(
        set(public.issues().values_list("gazette__slug", "year")), key=lambda t: (t[0], -t[1])
    )


def regenerate_all() -> int:
    """Every year with public documents; stale years' files removed. Returns the file sets written."""
    wanted = set(public_years())
    for path in bulk_dir().glob("*.sums.json"):
        slug, _, year = path.name.removesuffix(".sums.json").rpartition("-")
        if year.isdigit() and (slug, int(year)) not in wanted:
            regenerate_year(slug, int(year))
    for slug, year in wanted:
        regenerate_year(slug, year)
    return len(wanted)
