"""``gongbao reindex`` from the database: real-length documents, one core (issue 17, item 1).

    taskset -c 1 .venv/bin/python bench/reindex.py                  # 20,000 documents, SQLite
    taskset -c 1 .venv/bin/python bench/reindex.py --docs 200000 --keep /tmp/rx200k
    .venv/bin/python bench/reindex.py --database-url postgres://postgres@127.0.0.1:5432/gongbao_reindex

Three steps, each in its own process with the project's normal settings
(``GONGBAO_HOME`` = a fresh folder, SQLite there unless ``--database-url``):

* **Fill.** Generated issues (``gongbao.testing.generate``, 24 paragraphs a
  document as bench/search.py: mean over 2,000 characters, never cut), parsed with
  ``parse_text`` and stored as the import stores them: the issue filled by
  ``services._fill_issue``, document rows by ``services._document_row``, body rows by
  ``services._body_nodes``, a 主动公开 ``DisclosureRecord`` per document (what
  publishing makes), every issue published, ``ArchiveState`` at generation 1; no
  ``IssueVersion`` (source text and parse: the rebuild never reads them). Written
  with ``bulk_create`` (set-up, not measured against the target). ``--cache FILE``
  keeps the parsed issues for the next run (generating and parsing cost more than
  writing). ``--keep DIR`` keeps the archive; a kept archive with the documents
  already in it is reused as it is.
* **Reindex.** ``gongbao reindex`` as a user runs it: the CLI in a subprocess under
  ``taskset -c 1`` (default workers: one per usable CPU but one, so none on one
  core), wall time and the CPU time of the command and any workers (``os.wait4``).
* **Read.** ``sync._payloads(access.public_documents())`` alone over the same
  archive, in a subprocess on the same core: what the rebuild spends reading the
  database and building payloads; unless ``--quick-read``, also the former read (a
  body-row query per document, the whole stored body tree) and its parts: the
  document query, the body rows, ``access.public_nodes``.

Progress goes to stderr, a Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPHS_PER_DOC = 24  # as bench/search.py: about 2,500 characters a document
BATCH_ISSUES = 100  # issues per write transaction while filling
CORE = "1"  # the core every measured process is pinned to


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


# -- fill ---------------------------------------------------------------------------


def _specs() -> Iterator[tuple[int, str, int, int]]:
    """(seed, gazette, year, number) of every generated issue, as bench/search.py walks them."""
    from gongbao.testing.generate import COUNTIES

    for seed in itertools.count(1):
        for year in range(2008, 2026):
            for number in range(1, 13):
                for county in COUNTIES:
                    yield (seed, f"{county}人民政府公报", year, number)


def _parsed_issue(spec: tuple[int, str, int, int]) -> tuple[int, str, Any, list]:
    """One generated issue parsed: (seed, digest, ParseResult, [(document, stored data)])."""
    from gongbao.core import parse_text
    from gongbao.core.export.json import to_dict
    from gongbao.testing.generate import generate_issue, issue_filename

    seed, gazette, year, number = spec
    text = generate_issue(
        seed, year=year, number=number, gazette=gazette, issues_per_year=12,
        paragraphs_per_doc=PARAGRAPHS_PER_DOC,
    )  # fmt: skip
    result = parse_text(text, source=issue_filename(gazette, year, number))
    pairs = list(zip(result.documents, to_dict(result)["documents"], strict=True))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return seed, digest, result, pairs


def _parsed_issues(count: int, cache: Path | None) -> Iterator[tuple[int, str, Any, list]]:
    """Parsed issues until ``count`` documents: from the cache where it holds enough."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            issues = pickle.load(f)
        if sum(len(i[3]) for i in issues) >= count:
            log(f"fill: {len(issues)} parsed issues from {cache}")
            yield from issues
            return
    kept: list[tuple[int, str, Any, list]] = []
    docs = 0
    for spec in _specs():
        issue = _parsed_issue(spec)
        if cache is not None:
            kept.append(issue)
        docs += len(issue[3])
        if docs >= count and cache is not None:  # before the last yield: the caller stops there
            with cache.open("wb") as f:
                pickle.dump(kept, f, protocol=pickle.HIGHEST_PROTOCOL)
        yield issue
        if docs >= count:
            return


def phase_fill(args: argparse.Namespace) -> int:
    """Write ``args.docs`` published documents into the archive (this process's settings)."""
    from gongbao.site import setup

    setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from gongbao.core.ids import gazette_slug
    from gongbao.site.archive.models import ArchiveState, BodyNode, Document, Gazette, Issue
    from gongbao.site.archive.services import _body_nodes, _document_row, _fill_issue
    from gongbao.site.disclosure.models import DisclosureRecord

    have = Document.objects.count()
    if have >= args.docs:
        log(f"fill: the archive already holds {have} documents; reused")
        print(json.dumps({"reused": True, "docs": have}))
        return 0
    if have:
        raise SystemExit(f"the archive holds {have} documents, fewer than {args.docs}: remove it")
    gazettes: dict[str, Gazette] = {}
    taken: dict[int, set[str]] = {}
    now = timezone.now()
    written = nodes = 0
    parse_s = write_s = 0.0
    batch: list[tuple[Issue, list]] = []

    def flush() -> None:
        nonlocal nodes, write_s
        t0 = time.perf_counter()
        with transaction.atomic():
            Issue.objects.bulk_create([issue for issue, _ in batch])
            rows = []
            for issue, pairs in batch:
                seen = taken.setdefault(issue.gazette_id, set())
                for doc, data in pairs:
                    ident, n = doc.ident, 1
                    while ident in seen:  # a reprint's 文号 again: the import's _free_ident
                        n += 1
                        ident = f"{doc.ident}-{n}"
                    seen.add(ident)
                    data["id"] = ident
                    rows.append(_document_row(issue, doc, data, ident))
            Document.objects.bulk_create(rows, batch_size=500)
            body = [node for row in rows for node in _body_nodes(row)]
            BodyNode.objects.bulk_create(body, batch_size=2000)
            DisclosureRecord.objects.bulk_create(
                [DisclosureRecord(gazette_id=r.gazette_id, ident=r.ident) for r in rows],
                batch_size=2000,
            )
        nodes += len(body)
        batch.clear()
        write_s += time.perf_counter() - t0

    t_parse = time.perf_counter()
    for seed, digest, result, pairs in _parsed_issues(args.docs, args.cache):
        parse_s += time.perf_counter() - t_parse
        pairs = pairs[: args.docs - written]
        slug = gazette_slug(result.issue) + (f"-s{seed}" if seed > 1 else "")
        if slug not in gazettes:
            gazettes[slug], _ = Gazette.objects.get_or_create(
                slug=slug, defaults={"name": result.issue.gazette or slug}
            )
        issue = Issue(
            gazette=gazettes[slug],
            year=result.issue.year,
            number=result.issue.number,
            status=Issue.PUBLISHED,
            published_at=now,
        )
        _fill_issue(issue, result, digest)
        issue.ident += f"-s{seed}" if seed > 1 else ""
        batch.append((issue, pairs))
        written += len(pairs)
        if len(batch) >= BATCH_ISSUES or written >= args.docs:
            flush()
            log(f"fill: {written} documents, {nodes} body rows")
        if written >= args.docs:
            break
        t_parse = time.perf_counter()
    if batch:
        flush()
    ArchiveState.objects.update_or_create(pk=1, defaults={"generation": 1})
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE")
            cur.execute("select pg_database_size(current_database())")
            db_mb = cur.fetchone()[0] / 1e6
        else:
            cur.execute("ANALYZE")
            db_mb = Path(connection.settings_dict["NAME"]).stat().st_size / 1e6
    chars = _mean_chars()
    print(
        json.dumps(
            {
                "reused": False,
                "docs": Document.objects.count(),
                "issues": Issue.objects.count(),
                "nodes": nodes,
                "parse_s": parse_s,
                "write_s": write_s,
                "db_mb": db_mb,
                "vendor": connection.vendor,
                **chars,
            }
        )
    )
    return 0


def _mean_chars() -> dict[str, float]:
    """Characters of body text per document, mean and median (what the index takes)."""
    from django.db.models import Count, IntegerField, Sum
    from django.db.models.functions import Length

    from gongbao.site.archive.models import BodyNode

    per_doc = (
        BodyNode.objects.values("document_id")
        .annotate(n=Sum(Length("text", output_field=IntegerField())) + Sum(Length("heading")))
        .values_list("n", flat=True)
    )
    sizes = sorted(per_doc)
    nodes = BodyNode.objects.aggregate(n=Count("id"))["n"]
    return {
        "mean_chars": sum(sizes) / max(1, len(sizes)),
        "median_chars": sizes[len(sizes) // 2] if sizes else 0,
        "min_chars": sizes[0] if sizes else 0,
        "body_rows": nodes,
    }


# -- read ---------------------------------------------------------------------------


def phase_read(args: argparse.Namespace) -> int:
    """Time ``sync._payloads`` over the archive, whole and piece by piece (wall and CPU)."""
    from gongbao.site import setup

    setup(migrate=False)
    from gongbao.site import access
    from gongbao.site.search import sync

    out: dict[str, Any] = {}

    def timed(name: str, fn) -> None:
        w0, c0 = time.perf_counter(), time.process_time()
        n = fn()
        out[name] = {"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0, "n": n}
        log(f"read: {name}: {n} in {out[name]['wall']:.1f} s")

    def docs_only() -> int:
        qs = access.public_documents().select_related("gazette", "issue").order_by("pk")
        return sum(1 for _ in qs.iterator(chunk_size=500))

    def with_nodes() -> int:
        qs = access.public_documents().select_related("gazette", "issue").order_by("pk")
        return sum(
            len(list(d.nodes.all().order_by("position"))) for d in qs.iterator(chunk_size=500)
        )

    def with_public_nodes() -> int:
        qs = access.public_documents().select_related("gazette", "issue").order_by("pk")
        return sum(
            len(access.public_nodes(d, d.nodes.all().order_by("position")))
            for d in qs.iterator(chunk_size=500)
        )

    def payloads() -> int:
        return sum(1 for _ in sync._payloads(access.public_documents()))

    def per_document() -> int:  # sync._payloads before the chunked read: a query per document
        qs = access.public_documents().select_related("gazette", "issue").order_by("pk")
        return sum(
            1
            for d in qs.iterator(chunk_size=500)
            if sync.payload(d, access.public_nodes(d, d.nodes.all().order_by("position")))
        )

    timed("payloads", payloads)  # first: what the rebuild runs
    if not args.quick_read:
        timed("per-document payloads (before)", per_document)
        timed("documents", docs_only)
        timed("documents+nodes", with_nodes)
        timed("documents+nodes+public_nodes", with_public_nodes)
    print(json.dumps(out))
    return 0


# -- driver ---------------------------------------------------------------------------


def _env(home: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGBAO_INDEX_DIR")}
    env.update(GONGBAO_HOME=str(home), DJANGO_SETTINGS_MODULE="gongbao.site.settings")
    env["GONGBAO_BULK_ON_PUBLISH"] = "0"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _pinned(cmd: list[str]) -> list[str]:
    return ["taskset", "-c", CORE, *cmd] if shutil.which("taskset") else cmd


def _run_timed(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a command; wall time, and the CPU time of it and its reaped children (wait4)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return {
        "wall": wall,
        "user": usage.ru_utime,
        "sys": usage.ru_stime,
        "maxrss_mb": usage.ru_maxrss / 1024,
        "stdout": out.decode("utf-8", "replace"),
    }


def _phase(name: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", name]
    cmd += ["--docs", str(args.docs)]
    if args.cache:
        cmd += ["--cache", str(args.cache)]
    if args.quick_read:
        cmd += ["--quick-read"]
    run = _run_timed(_pinned(cmd), env)
    result = json.loads(run["stdout"].strip().splitlines()[-1])
    result["process"] = {k: v for k, v in run.items() if k != "stdout"}
    return result


def _prepare_postgres(url: str, keep: bool) -> None:
    """A fresh database for the run (dropped and made again unless kept and filled)."""
    name = url.rsplit("/", 1)[-1]
    base = ["-h", "127.0.0.1", "-U", "postgres"]
    exists = subprocess.run(
        ["psql", *base, "-tAc", f"select 1 from pg_database where datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and keep:
        return
    if exists:
        subprocess.run(["dropdb", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)


def _drop_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False
    )


def machine() -> str:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except FileNotFoundError:
        pass
    load = os.getloadavg()
    return (
        f"{model or platform.processor()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}"
    )


def report(fill: dict, reindex: dict, read: dict, args: argparse.Namespace, db: str) -> str:
    docs = fill["docs"]
    cpu = reindex["user"] + reindex["sys"]
    rd = read["payloads"]
    lines = [
        f"`gongbao reindex` from the database: {docs} documents, {db}, pinned to core {CORE} "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine()})",
        "",
        "| step | wall | CPU | documents/s |",
        "|---|---|---|---|",
    ]
    if not fill.get("reused"):
        proc = fill["process"]
        lines.append(
            f"| fill (generate + parse {fill['parse_s']:.0f} s, write {fill['write_s']:.0f} s; "
            f"{fill['issues']} issues, {fill['nodes']} body rows, DB {fill['db_mb']:.0f} MB) "
            f"| {proc['wall']:.0f} s | {proc['user'] + proc['sys']:.0f} s "
            f"| {docs / proc['wall']:.0f} |"
        )
    lines.append(
        f"| **`gongbao reindex`** (CLI, default workers, max RSS {reindex['maxrss_mb']:.0f} MB) "
        f"| **{reindex['wall']:.1f} s** | {cpu:.1f} s (user {reindex['user']:.1f}, "
        f"sys {reindex['sys']:.1f}) | **{docs / reindex['wall']:.0f}** |"
    )
    lines.append(
        f"| read alone: `sync._payloads(access.public_documents())` "
        f"| {rd['wall']:.1f} s | {rd['cpu']:.1f} s | {rd['n'] / rd['wall']:.0f} |"
    )
    labels = {
        "per-document payloads (before)": "the same, one body-row query per document (before)",
        "documents": "… the document query alone",
        "documents+nodes": "… and the body rows, a query per document",
        "documents+nodes+public_nodes": "… and `access.public_nodes`",
    }
    for name, label in labels.items():
        if name in read:
            r = read[name]
            lines.append(f"| {label} | {r['wall']:.1f} s | {r['cpu']:.1f} s | |")
    lines.append(
        f"| rest: indexing (analysis, tantivy, commit) and start-up, by difference "
        f"| {reindex['wall'] - rd['wall']:.1f} s | {cpu - rd['cpu']:.1f} s | |"
    )
    if "mean_chars" in fill:
        lines += [
            "",
            f"Body text per document: mean {fill['mean_chars']:.0f}, median "
            f"{fill['median_chars']}, min {fill['min_chars']} characters (headings + text "
            f"of the body rows, not cut); {fill['body_rows']} body rows.",
        ]
    if db == "PostgreSQL":
        lines.append(
            "CPU: the bench's processes only; the PostgreSQL server's is not counted "
            "(wall minus CPU is mostly the server and the round trips)."
        )
    target = 600.0 * docs / 200_000
    lines.append(
        f"Target (issue 17): 200,000 in 10 min, i.e. {target:.0f} s for {docs}; "
        f"{docs} at the measured rate → 200,000 in about {reindex['wall'] * 200_000 / docs / 60:.1f} min."
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--cache", type=Path, help="pickle of the parsed issues (kept for reruns)")
    ap.add_argument("--keep", type=Path, help="the archive's folder, kept (reused when filled)")
    ap.add_argument("--database-url", help="PostgreSQL instead of SQLite")
    ap.add_argument("--quick-read", action="store_true", help="time _payloads only")
    ap.add_argument("--phase", choices=["fill", "read"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase == "fill":
        return phase_fill(args)
    if args.phase == "read":
        return phase_read(args)
    home = args.keep or Path(tempfile.mkdtemp(prefix="gongbao-reindex-"))
    home.mkdir(parents=True, exist_ok=True)
    if args.database_url:
        _prepare_postgres(args.database_url, keep=bool(args.keep))
    env = _env(home, args.database_url)
    try:
        log(f"fill: {args.docs} documents into {args.database_url or home}")
        fill = _phase("fill", args, env)
        log("reindex: gongbao reindex")
        gongbao = str(Path(sys.executable).with_name("gongbao"))
        shutil.rmtree(home / "index", ignore_errors=True)
        reindex = _run_timed(_pinned([gongbao, "reindex"]), env)
        log(f"reindex: {reindex['stdout'].strip()} in {reindex['wall']:.1f} s")
        read = _phase("read", args, env)
        db = "PostgreSQL" if args.database_url else "SQLite"
        print(report(fill, reindex, read, args, db))
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
            if args.database_url:
                _drop_postgres(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
