"""Open-data benchmark: API throughput, bulk export of 200,000 documents, signing rates.

Run from the repository root::

    .venv/bin/python bench/api.py                   # 200,000 documents for the bulk export
    .venv/bin/python bench/api.py --bulk-docs 20000 --seconds 5

What it measures:

1. **API throughput**: ``gongbao serve`` (gunicorn, 2 workers x 4 threads) on an
   archive of the real sample plus 8 generated issues, driven by 50 concurrent
   keep-alive clients (the driver of ``bench/archive.py``) for ``--seconds`` per
   target: the static CSS (baseline, WhiteNoise, same server, same run), the
   document list, a full-text search and a document's detail. The rate limit is
   switched off for the run (``GONGBAO_API_RATE=0``).
2. **Bulk export**: ``--bulk-docs`` public documents (generated issues' small
   documents cloned by ``bulk_create`` into published issues of one year,
   SQLite) written as JSON Lines + CSV by ``opendata.bulk.write_jsonl_csv``, the
   code ``gongbao bulk`` and every publication run; documents/s and file sizes.
   AKN XML is timed on a sample of issues and extrapolated (marked as such).
3. **Signing and verification**: documents hashed (canonical JSON + SHA-256) per
   second, manifests signed and verified (Ed25519) per second, bundles verified.

Progress goes to stderr, a Markdown report to stdout. Not a test: the exit status is 0.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "corpus" / "guanxian-2018-03.md"
_spec = importlib.util.spec_from_file_location("bench_archive", ROOT / "bench" / "archive.py")
ba = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ba)
log = ba.log


def run_api(seconds: float, tmp: Path) -> dict:
    from gongbao.testing.generate import generate_corpus

    home, gen = tmp / "api-home", tmp / "api-corpus"
    generate_corpus(gen, count=8, seed=2018, start_year=2016, gazettes=1, issues_per_year=4)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGBAO_INDEX_DIR")}
    env.update(
        GONGBAO_HOME=str(home),
        GONGBAO_DEFAULT_GAZETTE="guanxian",
        GONGBAO_API_RATE="0",
        DJANGO_SETTINGS_MODULE="gongbao.site.settings",
    )
    gongbao = str(Path(sys.executable).with_name("gongbao"))
    log("api: importing the sample + 8 generated issues")
    subprocess.run(
        [gongbao, "import", str(SAMPLE), str(gen), "--publish", "-q"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = ba.free_port()
    server = subprocess.Popen(
        [gongbao, "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "server.log", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    out: dict = {}
    try:
        deadline = time.time() + 90
        while True:
            try:
                ba.http_get(port, "/static/gongbao/site.css")
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError("gongbao serve did not start") from None
                time.sleep(0.3)
        q = urllib.parse.quote
        targets = [
            ("static CSS (baseline)", ["/static/gongbao/site.css"]),
            ("API list /documents?limit=20", ["/api/v1/documents?limit=20"]),
            (
                "API search (4 queries)",
                [
                    f"/api/v1/documents?q={q(x)}&limit=20"
                    for x in ("扶贫", "秸秆综合利用", "冠政发〔2018〕64号", "安全生产 责任")
                ],
            ),
            ("API detail (short doc)", ["/api/v1/documents/guanxian/guanzhengbanfa-2018-46"]),
            ("API detail (big plan)", ["/api/v1/documents/guanxian/guanzhengbanfa-2018-41"]),
            ("API issue + TOC", ["/api/v1/issues/guanxian-2018-03"]),
        ]
        for name, paths in targets:
            status, size = ba.http_get(port, paths[0])
            log(f"api: {name}: HTTP {status}, {size} bytes; 50 clients x {seconds:.0f}s")
            r = asyncio.run(ba._drive(port, paths, seconds, min(2.0, seconds)))
            n = len(r["lat"])
            out[name] = {
                "bytes": size,
                "rps": n / r["seconds"],
                "lat": ba.stats_ms(r["lat"]),
                "status": dict(r["status"]),
                "errors": r["errors"],
            }
    finally:
        ba.stop_server(server)
    return out


def run_bulk(n_docs: int, tmp: Path, akn_issues: int) -> dict:
    os.environ["GONGBAO_HOME"] = str(tmp / "bulk-home")
    os.environ.pop("DATABASE_URL", None)
    os.environ["GONGBAO_BULK_ON_PUBLISH"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongbao.site.settings")
    from gongbao.site import setup

    setup()
    from django.db import transaction
    from django.utils import timezone

    from gongbao.site.archive.models import Document, Issue
    from gongbao.site.archive.services import import_file, publish_issue
    from gongbao.site.opendata import bulk, public
    from gongbao.testing.generate import generate_corpus

    files = generate_corpus(
        tmp / "bulk-corpus",
        count=2,
        seed=5,
        start_year=2019,
        gazettes=1,
        issues_per_year=2,
        paragraphs_per_doc=1,
    )
    template = publish_issue(Issue.objects.get(ident=import_file(files[0]).issue))
    docs = list(template.documents.all())
    per_issue = len(docs)
    n_issues = max(1, n_docs // per_issue)
    log(f"bulk: cloning {n_issues} issues x {per_issue} documents")
    t0 = time.perf_counter()
    now = timezone.now()
    for start in range(0, n_issues, 200):
        with transaction.atomic():
            issues = [
                Issue(
                    gazette=template.gazette,
                    ident=f"bench-{k}",
                    year=2030,
                    number=k + 1,
                    status=Issue.PUBLISHED,
                    published_at=now,
                    content_hash="x",
                )
                for k in range(start, min(n_issues, start + 200))
            ]
            Issue.objects.bulk_create(issues)
            rows = []
            for issue in issues:
                for d in docs:
                    data = {**d.data, "id": f"{d.ident}-{issue.number}"}
                    rows.append(
                        Document(
                            gazette=template.gazette,
                            issue=issue,
                            ident=data["id"],
                            seq=d.seq,
                            section=d.section,
                            page=d.page,
                            kind=d.kind,
                            title=d.title,
                            doc_number=d.doc_number,
                            issuer=d.issuer,
                            date=d.date,
                            data=data,
                        )
                    )
            Document.objects.bulk_create(rows, batch_size=2000)
    load = time.perf_counter() - t0
    total = public.documents().filter(issue__year=2030).count()
    log(f"bulk: {total} documents loaded in {load:.0f}s; exporting JSONL + CSV")
    out_dir = tmp / "bulk-out"
    out_dir.mkdir()
    t0 = time.perf_counter()
    docs_qs = public.documents().filter(issue__year=2030)
    j, c, count = bulk.write_jsonl_csv(
        public.iter_documents(docs_qs, chunk=2000), out_dir / "x.jsonl", out_dir / "x.csv"
    )
    export = time.perf_counter() - t0
    log(f"bulk: {count} documents in {export:.1f}s")
    sample = list(public.issues().filter(year=2030).order_by("number")[:akn_issues])
    t0 = time.perf_counter()
    for issue in sample:
        bulk.issue_akn_bytes(issue)
    akn_per_issue = (time.perf_counter() - t0) / max(1, len(sample))
    return {
        "docs": count,
        "load_s": load,
        "export_s": export,
        "rate": count / export,
        "jsonl_mb": j["size"] / 1e6,
        "csv_mb": c["size"] / 1e6,
        "akn_issue_s": akn_per_issue,
        "akn_est_s": akn_per_issue * n_issues,
        "per_issue": per_issue,
    }


def run_signing(seconds: float = 2.0) -> dict:
    from gongbao.core import integrity
    from gongbao.core.export.json import to_dict
    from gongbao.core.parse import parse_stream
    from gongbao.core.readers.text import read_bytes

    result = parse_stream(read_bytes(SAMPLE.read_bytes(), name=SAMPLE.name), source=SAMPLE.name)
    data = to_dict(result)
    docs = data["documents"]
    key = integrity.generate_key()
    out = {}

    def rate(fn) -> float:
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            fn()
            n += 1
        return n / (time.perf_counter() - t0)

    hashes = [(d["id"], integrity.document_hash(d)) for d in docs]
    manifest = integrity.build_manifest(data["issue"], hashes, datetime.now(UTC), None)
    signed = integrity.sign_manifest(manifest, key)
    keys = [integrity.public_key_info(key, datetime(2000, 1, 1, tzinfo=UTC))]
    bundle = integrity.make_bundle(docs[5:6], signed, keys)
    out["hash_docs_per_s"] = rate(lambda: [integrity.document_hash(d) for d in docs]) * len(docs)
    out["hash_mb_per_s"] = (
        out["hash_docs_per_s"]
        * sum(len(integrity.canonical_document(d)) for d in docs)
        / len(docs)
        / 1e6
    )
    out["sign_per_s"] = rate(lambda: integrity.sign_manifest(manifest, key))
    out["verify_per_s"] = rate(lambda: integrity.verify_manifest(signed, keys))
    out["bundle_verify_per_s"] = rate(lambda: integrity.verify_bundle(bundle, keys))
    out["bundle_bytes"] = len(bundle)
    return out


def report(api: dict | None, bulk_r: dict | None, sig: dict, args) -> str:
    lines = [f"### bench/api.py, {datetime.now(UTC):%Y-%m-%d}", ""]
    info = ba.machine_info()
    lines.append("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    lines.append("")
    if api:
        base = api["static CSS (baseline)"]["rps"]
        lines += [
            "| target (50 clients, keep-alive) | req/s | % of static | p50 ms | p99 ms | bytes | statuses |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, r in api.items():
            lines.append(
                f"| {name} | {r['rps']:.0f} | {100 * r['rps'] / base:.0f}% | "
                f"{r['lat']['p50']:.1f} | {r['lat']['p99']:.1f} | {r['bytes']} | {r['status']} |"
            )
        lines.append("")
    if bulk_r:
        lines += [
            "| bulk export | value |",
            "|---|---|",
            f"| documents | {bulk_r['docs']:,} ({bulk_r['per_issue']} per issue) |",
            f"| JSON Lines + CSV, one pass | {bulk_r['export_s']:.1f} s ({bulk_r['rate']:.0f} documents/s) |",
            f"| sizes | JSONL {bulk_r['jsonl_mb']:.0f} MB, CSV {bulk_r['csv_mb']:.0f} MB |",
            f"| AKN XML per issue (sampled) | {1000 * bulk_r['akn_issue_s']:.0f} ms → est. {bulk_r['akn_est_s']:.0f} s for all |",
            "",
        ]
    lines += [
        "| signing and verification | rate |",
        "|---|---|",
        f"| document hash (canonical JSON + SHA-256) | {sig['hash_docs_per_s']:.0f} documents/s ({sig['hash_mb_per_s']:.0f} MB/s) |",
        f"| manifest signing (Ed25519, 18 documents) | {sig['sign_per_s']:.0f} /s |",
        f"| manifest verification | {sig['verify_per_s']:.0f} /s |",
        f"| bundle verification (one document, {sig['bundle_bytes'] // 1024} KB) | {sig['bundle_verify_per_s']:.0f} /s |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--bulk-docs", type=int, default=200_000)
    p.add_argument("--akn-issues", type=int, default=20)
    p.add_argument("--skip-api", action="store_true")
    p.add_argument("--skip-bulk", action="store_true")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gongbao-bench-api-") as t:
        tmp = Path(t)
        api = None if args.skip_api else run_api(args.seconds, tmp)
        sig = run_signing()
        bulk_r = None if args.skip_bulk else run_bulk(args.bulk_docs, tmp, args.akn_issues)
        print(report(api, bulk_r, sig, args))
        json.dump({"api": api, "bulk": bulk_r, "signing": sig}, sys.stderr, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
