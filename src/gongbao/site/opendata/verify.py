"""Offline verification of anything downloaded from the site, for ``gongbao verify`` and /verify/.

What a file is, is told from its content: a verification bundle (JSON), a
signed manifest or bulk checksum file (JSON), a JSON Lines bulk file, a signed
PDF, an Akoma Ntoso XML file, or a bulk file listed in a signed checksum file.

Trust comes only from the publisher's keys given by the caller (``/keys.json``,
``--keys``, the site's own): never from keys inside the file being checked.
Without them every signed format fails with 未核对发布者. Bulk files (JSONL,
CSV, AKN zip) are always checked against their signed ``.sums.json``, found in
``folders`` by content hash first, so a renamed download ("x (1).csv") is still
recognised, and by name second, to say what differs. No Django here.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongbao.core import integrity

SUMS_FORMAT = "gongbao-bulk/1"
BULK_SUFFIXES = (".jsonl", ".csv", ".akn.zip")
UNTRUSTED = f"未核对发布者：{integrity.NO_TRUSTED_KEYS}"
#: What browsers and download managers append to a file saved twice: "x (1).csv", "x(2).csv".
_COPY_MARK = re.compile(r"\s*[(（]\d+[)）](?=\.[^.]+(\.zip)?$)")


@dataclass
class Report:
    kind: str
    ok: bool
    reasons: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, kind: str, result: integrity.VerifyResult, notes: list[str] | None = None):
        return cls(kind, result.ok, result.reasons, result.checked, notes or [])

    def merge(self, other: Report) -> None:
        self.ok = self.ok and other.ok
        self.reasons += other.reasons
        self.checked += other.checked
        self.notes += other.notes


def _fail(kind: str, reason: str) -> Report:
    return Report(kind, False, [reason])


def verify_bytes(
    data: bytes,
    *,
    name: str = "",
    keys: Sequence[Mapping[str, Any]] | None = None,
    certificate: bytes | None = None,
    folders: Sequence[Path] = (),
    manifest: Mapping[str, Any] | None = None,
) -> Report:
    """Verify one downloaded file. ``folders``: where to look for signed checksum files;
    ``manifest``: a signed issue manifest that a PDF must be the print edition of."""
    if data.startswith(b"%PDF"):
        report = verify_pdf(data, certificate)
        if manifest is not None:
            report.merge(verify_edition(data, manifest, keys))
        return report
    stripped = data.lstrip()
    if stripped.startswith(b"<"):
        return verify_akn(data)
    if name.endswith(".jsonl") or (stripped.startswith(b"{") and b"\n{" in stripped.rstrip()):
        return verify_jsonl(data, name=name, keys=keys, folders=folders)
    if stripped.startswith(b"{"):
        try:
            obj = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _fail("json", "文件不完整：不是完整的 JSON（可能下载中断或被截断）")
        if isinstance(obj, dict) and obj.get("format") == integrity.BUNDLE_FORMAT:
            return Report.of("bundle", integrity.verify_bundle(data, keys))
        if isinstance(obj, dict) and "manifest" in obj:
            return verify_signed(obj, keys, folders[0] if folders else None)
        return _fail("json", "格式错误：不是公报的校验包或签名清单")
    if folders:
        return verify_listed(data, name, folders, keys)
    return _fail("unknown", "无法识别的文件：请上传校验包（.json）、签名清单、批量文件或 PDF")


def verify_signed(obj: Mapping[str, Any], keys, folder: Path | None) -> Report:
    """A signed manifest, or a bulk checksum file (and the files it lists, when at hand)."""
    if "signature" not in obj:
        return _fail("manifest", "签名无效：清单没有签名")
    if keys is None:
        return _fail("manifest", UNTRUSTED)
    result = integrity.verify_manifest(obj, keys)
    body = obj["manifest"]
    if body.get("format") == SUMS_FORMAT:
        if folder is not None:
            for item in body.get("files", []):
                path = folder / item["name"]
                if path.is_file():
                    problem = _difference(path.read_bytes(), item, item["name"])
                    if problem:
                        result.add(*problem)
                    else:
                        result.checked.append(f"哈希 {item['name']}")
        return Report.of("bulk-sums", result)
    return Report.of("manifest", result)


def verify_edition(data: bytes, manifest: Mapping[str, Any], keys) -> Report:
    """The PDF is the print edition whose SHA-256 the (valid) signed issue manifest lists."""
    report = verify_signed(manifest, keys, None)
    body = manifest.get("manifest") or {}
    want, got = body.get("print_edition_sha256"), integrity.sha256_hex(data)
    issue = (body.get("issue") or {}).get("id") or "该期"
    if not want:
        report.ok = False
        report.reasons.append(f"印刷版不符：{issue} 的签名清单没有列出印刷版 PDF")
    elif want != got:
        report.ok = False
        report.reasons.append(
            f"印刷版不符：{issue} 的签名清单所列印刷版 SHA-256 为 {want[:16]}…，此文件为 {got[:16]}…"
        )
    else:
        report.checked.append(f"印刷版 {issue}：与签名清单所列 SHA-256 一致")
    return report


def _difference(data: bytes, item: Mapping[str, Any], name: str) -> tuple[str, str] | None:
    """(code, subject) saying how ``data`` differs from a checksum entry, or None when equal."""
    digest = integrity.sha256_hex(data)
    if digest == item["sha256"]:
        return None
    size, actual = int(item["size"]), len(data)
    if actual != size:
        code = "incomplete" if actual < size else "hash_mismatch"
        return code, f"{name}（应为 {size} 字节，实为 {actual} 字节）"
    return (
        "hash_mismatch",
        f"{name}（大小相同，均为 {size} 字节，但内容不同："
        f"SHA-256 应为 {item['sha256'][:16]}…，实为 {digest[:16]}…）",
    )


def _sums_files(folders: Sequence[Path]) -> Iterator[tuple[Path, dict[str, Any]]]:
    for folder in folders:
        for path in sorted(folder.glob("*.sums.json")):
            try:
                yield path, json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                continue


def _listed(obj: Mapping[str, Any]) -> list[dict[str, Any]]:
    files = (obj.get("manifest") or {}).get("files") or []
    return [f for f in files if isinstance(f, dict) and "sha256" in f and "name" in f]


def original_name(name: str) -> str:
    """The name the site gave a file that a browser saved as "x (1).csv"."""
    return _COPY_MARK.sub("", Path(name).name)


def find_listing(data: bytes, name: str, folders: Sequence[Path]):
    """(sums path, signed sums, entry, matched by hash) for this bulk file, or None.

    By content hash first, so that any name works; else by the site's name for
    the file, so that the report can say how the content differs.
    """
    digest = integrity.sha256_hex(data)
    sums = list(_sums_files(folders))
    for path, obj in sums:
        for item in _listed(obj):
            if item["sha256"] == digest:
                return path, obj, item, True
    wanted = original_name(name)
    for path, obj in sums:
        for item in _listed(obj):
            if item["name"] == wanted:
                return path, obj, item, False
    return None


def verify_listed(data: bytes, name: str, folders: Sequence[Path], keys) -> Report:
    """A bulk file against the signed checksum file that lists it."""
    found = find_listing(data, name, folders)
    if found is None:
        return _fail(
            "bulk", f"清单中无此文件：找不到列出 {name or '此文件'} 的签名校验和文件（.sums.json）"
        )
    _, obj, item, by_hash = found
    report = verify_signed(obj, keys, None)
    report.kind = "bulk"
    problem = None if by_hash else _difference(data, item, item["name"])
    if problem:
        report.ok = False
        report.reasons.append(integrity.Problem(*problem).message)
    else:
        report.checked.append(f"哈希 {item['name']}")
        if name and Path(name).name != item["name"]:
            report.notes.append(f"文件名与清单不同：按内容认出是 {item['name']}")
    return report


def verify_jsonl(data: bytes, *, name: str, keys, folders: Sequence[Path]) -> Report:
    """Every line's document against its ``sha256``, and the whole file against its signed sums.

    The line hashes alone prove nothing: whoever edits a line can recompute its hash.
    """
    result = integrity.VerifyResult()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    else:
        result.add("incomplete", "最后一行没有换行符")
    for n, line in enumerate(lines, 1):
        try:
            row = json.loads(line)
            doc, digest = row["document"], row["sha256"]
        except (ValueError, KeyError, TypeError):
            result.add("incomplete" if n == len(lines) else "malformed", f"第{n}行")
            continue
        if integrity.document_hash(doc) != digest:
            result.add("hash_mismatch", f"第{n}行 {doc.get('id', '')}")
    if result.ok:
        result.checked.append(f"每行哈希 {len(lines)} 行")
    report = Report.of("jsonl", result)
    report.merge(verify_listed(data, name, folders, keys))
    return report


def verify_akn(data: bytes) -> Report:
    from lxml import etree

    from gongbao.core.export import akn

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return _fail("akn", f"文件不完整：XML 无法解析（{exc}）")
    errors = akn.validate(root)
    if errors:
        return Report("akn", False, [f"格式错误：{e}" for e in errors[:5]])
    return Report(
        "akn",
        True,
        checked=["Akoma Ntoso 3.0 模式校验"],
        notes=["XML 只核对了格式；核对签名请用校验包（.json）"],
    )


def verify_pdf(data: bytes, certificate: bytes | None) -> Report:
    return verify_pdf_signature(data, certificate)


@contextlib.contextmanager
def _quiet_validation() -> Iterator[None]:
    """pyHanko logs every failed certificate path with a traceback; the report says it once."""
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for log, level in zip(loggers, levels, strict=True):
            log.setLevel(level)


def verify_pdf_signature(data: bytes, certificate: bytes | None) -> Report:
    """The PAdES signature: intact, covering the whole file, by the publisher's certificate."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        return Report("pdf", False, [f"文件不完整：PDF 无法读取（{exc}）"])
    if not sigs:
        return Report("pdf", False, ["签名无效：PDF 没有电子签名"])
    roots = []
    if certificate:
        der = pem.unarmor(certificate)[2] if pem.detect(certificate) else certificate
        roots.append(x509.Certificate.load(der))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    reasons, checked = [], []
    for sig in sigs:
        try:
            with _quiet_validation():
                status = validate_pdf_signature(sig, context)
        except Exception as exc:  # pyHanko raises many kinds on broken input
            return Report("pdf", False, [f"签名无效：{exc}"])
        if not status.intact or not status.valid:
            reasons.append("哈希不符：签名后内容被修改")
        elif status.coverage is None or status.coverage.name != "ENTIRE_FILE":
            reasons.append("文件不完整：签名后追加了未签名的内容")
        elif not certificate:
            reasons.append(
                "未核对发布者：没有发布者证书（网站 /keys/publisher.pem，命令行用 --cert 指定）"
            )
        elif not status.trusted:
            reasons.append("未知密钥：签名证书不是发布者的证书")
        else:
            checked.append(f"PDF 签名 {status.signing_cert.subject.human_friendly}")
    return Report("pdf", not reasons, reasons, checked)
