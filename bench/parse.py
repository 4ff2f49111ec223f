"""Parse benchmark: throughput and peak memory of ``gongbao.core.parse_text``.

Run from the repository root::

    .venv/bin/python bench/parse.py            # real sample + 50 MB generated corpus
    .venv/bin/python bench/parse.py --quick    # 5 MB corpus
    .venv/bin/python bench/parse.py --mb 200

What it measures (on one core; the process is pinned to one CPU where the OS allows):

* the real sample issue (``../shared/corpus/guanxian-2018-03.md``) parsed ``--repeat`` times;
* a synthetic corpus of at least ``--mb`` MB (``gongbao.testing.generate``), written to a
  temporary directory first and then parsed issue by issue (generation is not timed);
* beside each, a baseline over the very same text: one ``str.splitlines`` pass plus one
  compiled regex searched on every line. The parser/baseline time ratio says how much
  work the parser does beyond merely touching every line;
* peak memory: ``tracemalloc`` peak while parsing a single issue, divided by that
  issue's UTF-8 size (max over the sample and up to ``--mem-issues`` corpus issues, in a
  separate pass because tracing slows parsing down), and the process's max RSS.

Throughput is in MB/s of UTF-8 input (1 MB = 10^6 bytes). Targets: >= 2 MB/s per core,
peak memory <= 10x input. The script ends with a Markdown table for bench/RESULTS.md.
This is not a test: it never fails on a missed target (exit status 0), only when the
parser cannot be imported (2).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import os
import platform
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "corpus" / "guanxian-2018-03.md"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

TARGET_MBPS = 2.0
TARGET_MEM_RATIO = 10.0

BASELINE_RE = re.compile(r"^(#+)\s|〔\d{4}〕|\d+\.")


def baseline(text: str, source: str = "") -> int:
    """The reference cost: split into lines once and search one compiled regex per line."""
    search = BASELINE_RE.search
    hits = 0
    for line in text.splitlines():
        if search(line):
            hits += 1
    return hits


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        try:
            cpu = min(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpu})
            return f"pinned to CPU {cpu}"
        except OSError as exc:  # pragma: no cover - depends on the OS
            return f"not pinned ({exc})"
    return "not pinned (no sched_setaffinity)"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu n/a"


def _max_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes
    return rss / 1e6 if sys.platform == "darwin" else rss * 1024 / 1e6


def _timed(fn: Callable[[str, str], object], text: str, source: str) -> float:
    t0 = time.perf_counter()
    result = fn(text, source)
    elapsed = time.perf_counter() - t0
    del result
    return elapsed


def _mem_ratio(fn: Callable[[str, str], object], text: str, source: str) -> float:
    """tracemalloc peak while ``fn`` runs on ``text``, over the text's UTF-8 size."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = fn(text, source)
        peak = tracemalloc.get_traced_memory()[1] - before
        del result
    finally:
        tracemalloc.stop()
    return peak / max(1, len(text.encode("utf-8")))


def _generate(target_mb: float, seed: int, out: Path) -> tuple[list[Path], float]:
    from gongbao.testing.generate import generate_bytes

    t0 = time.perf_counter()
    paths = []
    for i, text in enumerate(generate_bytes(int(target_mb * 1e6), seed=seed)):
        path = out / f"issue-{i:05d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths, time.perf_counter() - t0


def _fmt_rate(nbytes: int, seconds: float) -> str:
    return f"{nbytes / 1e6 / seconds:.2f} MB/s" if seconds > 0 else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50.0, help="generated corpus size in MB")
    ap.add_argument("--quick", action="store_true", help="5 MB corpus (overrides --mb)")
    ap.add_argument("--repeat", type=int, default=5, help="passes over the real sample")
    ap.add_argument("--seed", type=int, default=0, help="generator seed")
    ap.add_argument(
        "--mem-issues", type=int, default=40, help="corpus issues traced for peak memory"
    )
    args = ap.parse_args(argv)
    target_mb = 5.0 if args.quick else args.mb

    try:
        from gongbao.core import parse_text
    except ImportError as exc:
        print(f"cannot import gongbao.core.parse_text: {exc}", file=sys.stderr)
        return 2

    def parser(text: str, source: str) -> object:
        return parse_text(text, source=source)

    pinned = _pin_one_core()
    print(f"# parse benchmark ({pinned})")

    failures: list[str] = []

    def guarded(fn: Callable[[str, str], object]) -> Callable[[str, str], object]:
        def run(text: str, source: str) -> object:
            try:
                return fn(text, source)
            except Exception as exc:  # report and go on: this is a benchmark, not a test
                failures.append(f"{source}: {type(exc).__name__}: {exc}")
                return None

        return run

    safe_parser = guarded(parser)

    # ---- real sample -------------------------------------------------------
    sample_bytes = 0
    sample_parse = sample_base = 0.0
    sample_mem = None
    if SAMPLE.is_file():
        text = SAMPLE.read_text(encoding="utf-8")
        size = len(text.encode("utf-8"))
        safe_parser(text, SAMPLE.name)  # warm-up (imports, regex compilation)
        for _ in range(max(1, args.repeat)):
            sample_parse += _timed(safe_parser, text, SAMPLE.name)
            sample_base += _timed(baseline, text, SAMPLE.name)
            sample_bytes += size
        sample_mem = _mem_ratio(safe_parser, text, SAMPLE.name)
        print(
            f"sample  {SAMPLE.name}: {size / 1e3:.0f} KB x {args.repeat}  "
            f"parser {_fmt_rate(sample_bytes, sample_parse)}  "
            f"baseline {_fmt_rate(sample_bytes, sample_base)}  "
            f"peak {sample_mem:.1f}x input"
        )
    else:
        print(f"sample  not found: {SAMPLE} (skipped)")

    # ---- generated corpus --------------------------------------------------
    rss_before = _max_rss_mb()
    with tempfile.TemporaryDirectory(prefix="gongbao-bench-") as tmp:
        paths, gen_s = _generate(target_mb, args.seed, Path(tmp))
        total = sum(p.stat().st_size for p in paths)
        print(f"corpus  {len(paths)} issues, {total / 1e6:.1f} MB generated in {gen_s:.1f} s")
        corpus_parse = corpus_base = 0.0
        corpus_bytes = 0
        slowest = (0.0, "")
        for i, path in enumerate(paths):
            text = path.read_text(encoding="utf-8")
            size = len(text.encode("utf-8"))
            tp = _timed(safe_parser, text, path.name)
            corpus_parse += tp
            corpus_base += _timed(baseline, text, path.name)
            corpus_bytes += size
            rate = size / 1e6 / tp if tp > 0 else float("inf")
            if not slowest[1] or rate < slowest[0]:
                slowest = (rate, path.name)
            if (i + 1) % 50 == 0:
                print(f"  ... {i + 1}/{len(paths)} issues", flush=True)
        rss_after = _max_rss_mb()

        # peak memory, in a separate pass (tracing slows parsing down)
        step = max(1, len(paths) // max(1, args.mem_issues))
        traced = paths[::step][: max(1, args.mem_issues)]
        mem_max, mem_at = 0.0, ""
        for path in traced:
            ratio = _mem_ratio(safe_parser, path.read_text(encoding="utf-8"), path.name)
            if ratio > mem_max:
                mem_max, mem_at = ratio, path.name
        base_mem = max(_mem_ratio(baseline, p.read_text(encoding="utf-8"), "") for p in traced)
    if sample_mem is not None and sample_mem > mem_max:
        mem_max, mem_at = sample_mem, SAMPLE.name

    all_bytes = corpus_bytes + sample_bytes
    all_parse = corpus_parse + sample_parse
    all_base = corpus_base + sample_base
    corpus_rate = corpus_bytes / 1e6 / corpus_parse if corpus_parse else 0.0
    time_ratio = all_parse / all_base if all_base else float("nan")
    ok_speed = corpus_rate >= TARGET_MBPS
    ok_mem = mem_max <= TARGET_MEM_RATIO

    print()
    print(
        f"parser    {_fmt_rate(corpus_bytes, corpus_parse)} on the corpus "
        f"({corpus_parse:.2f} s), {_fmt_rate(all_bytes, all_parse)} overall   "
        f"target >= {TARGET_MBPS:g} MB/s per core: {'met' if ok_speed else 'MISSED'}"
    )
    print(f"          slowest issue {slowest[1]}: {slowest[0]:.2f} MB/s")
    print(
        f"baseline  {_fmt_rate(corpus_bytes, corpus_base)} on the corpus "
        f"(splitlines + 1 regex per line)"
    )
    print(f"ratio     parser time / baseline time = {time_ratio:.1f}x")
    print(
        f"memory    tracemalloc peak per issue <= {mem_max:.1f}x input (max over "
        f"{len(traced) + (sample_mem is not None)} issues, at {mem_at}); baseline "
        f"{base_mem:.1f}x   target <= {TARGET_MEM_RATIO:g}x: {'met' if ok_mem else 'MISSED'}"
    )
    print(
        f"          process max RSS {rss_after:.0f} MB "
        f"({rss_before:.0f} MB before parsing the corpus)"
    )
    if failures:
        print(f"FAILURES  parse_text raised on {len(failures)} inputs; first: {failures[0]}")

    today = _dt.date.today().isoformat()
    machine = (
        f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs "
        f"({pinned}); {_cpu_model()}"
    )
    sample_cell = (
        f"{_fmt_rate(sample_bytes, sample_parse)} (baseline {_fmt_rate(sample_bytes, sample_base)})"
        if sample_bytes
        else "n/a"
    )
    rows = [
        ("date", today, ""),
        ("machine", machine, ""),
        ("python", f"{platform.python_implementation()} {platform.python_version()}", ""),
        (
            "input",
            f"real sample x{args.repeat} ({sample_bytes / 1e6:.2f} MB); generated corpus "
            f"{corpus_bytes / 1e6:.1f} MB, {len(paths)} issues, seed {args.seed}",
            "",
        ),
        ("parser throughput, sample", sample_cell, f">= {TARGET_MBPS:g} MB/s"),
        (
            "parser throughput, corpus",
            f"{corpus_rate:.2f} MB/s",
            f">= {TARGET_MBPS:g} MB/s {'✓' if ok_speed else '✗'}",
        ),
        ("baseline throughput, corpus", _fmt_rate(corpus_bytes, corpus_base), ""),
        ("parser / baseline time", f"{time_ratio:.1f}x", ""),
        (
            "tracemalloc peak / issue size (max)",
            f"{mem_max:.1f}x ({mem_at})",
            f"<= {TARGET_MEM_RATIO:g}x {'✓' if ok_mem else '✗'}",
        ),
        ("process max RSS", f"{rss_after:.0f} MB", ""),
        ("parse failures", str(len(failures)), "0"),
    ]
    print()
    print(f"### Parse benchmark, {today}")
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
