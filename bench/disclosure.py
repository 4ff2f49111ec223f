"""Disclosure benchmark: deadline computations per second and privacy-scan throughput.

Run from the repository root::

    .venv/bin/python bench/disclosure.py            # real issue + 50 MB generated corpus
    .venv/bin/python bench/disclosure.py --mb 5     # a quicker run

What it measures (one core; pinned where the OS allows):

* the deadline engine: ``reply_due`` (20 working days, chinesecalendar schedules) for
  random receipt days 2019–2025, plain and with a third-party pause and an extension;
* the privacy scanner (``gongbao.core.privacy.scan``) on the real issue
  (``../shared/corpus/guanxian-2018-03.md``), repeated, with its findings (the
  precision figure: every finding on the real issue would be a false positive);
* the scanner on a generated corpus of at least ``--mb`` MB: generated gazette issues
  (``gongbao.testing.generate``) with one generated 低保 publicity list per ten issues
  (``tests/data/disclosure/dibao.py``), scanned issue by issue; recall and precision
  on the planted personal data.

Throughput is MB/s of UTF-8 input (1 MB = 10^6 bytes). Ends with a Markdown table for
bench/RESULTS.md. Not a test: exits 0 whatever the figures, 2 when imports fail.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "corpus" / "guanxian-2018-03.md"
for p in (ROOT / "src", ROOT):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def _pin() -> str:
    if hasattr(os, "sched_setaffinity"):
        try:
            cpu = min(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpu})
            return f"pinned to CPU {cpu}"
        except OSError as exc:  # pragma: no cover
            return f"not pinned ({exc})"
    return "not pinned"


def bench_deadlines(n: int) -> dict[str, float]:
    from gongbao.site.disclosure.deadlines import reply_due

    rng = random.Random(0)
    days = [date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365 + 200)) for _ in range(n)]
    t0 = time.perf_counter()
    for d in days:
        reply_due(d)
    plain = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for d in days:
        reply_due(d, extension_days=20, pauses=[(d + timedelta(days=3), d + timedelta(days=12))])
    paused = n / (time.perf_counter() - t0)
    return {"plain": plain, "paused": paused}


def bench_sample(repeat: int) -> tuple[float, int, float]:
    from gongbao.core.privacy import _scan

    scan = _scan.__wrapped__  # the scanner itself: scan() keeps recent results

    text = SAMPLE.read_text("utf-8")
    size = len(text.encode("utf-8")) * repeat
    t0 = time.perf_counter()
    for _ in range(repeat):
        findings = scan(text)
    return size / 1e6 / (time.perf_counter() - t0), len(findings), size / 1e6


def bench_corpus(mb: float) -> dict[str, float]:
    from gongbao.core.privacy import scan
    from gongbao.testing.generate import generate_bytes
    from tests.data.disclosure.dibao import dibao_list

    texts, truth = [], set()
    for i, text in enumerate(generate_bytes(int(mb * 1e6), seed=0)):
        if i % 10 == 0:
            lst, planted = dibao_list(seed=i, rows=40)
            text += "\n" + lst
            truth |= {(i, k, v) for k, v in planted}
        texts.append(text)
    size = sum(len(t.encode("utf-8")) for t in texts)
    found = set()
    t0 = time.perf_counter()
    for i, text in enumerate(texts):
        found |= {(i, f.kind, f.text) for f in scan(text)}
    elapsed = time.perf_counter() - t0
    tp = len(found & truth)
    return {
        "mb": size / 1e6,
        "issues": len(texts),
        "mbps": size / 1e6 / elapsed,
        "planted": len(truth),
        "found": len(found),
        "precision": tp / len(found) if found else 1.0,
        "recall": tp / len(truth) if truth else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--deadlines", type=int, default=5000)
    args = parser.parse_args(argv)
    pinned = _pin()
    try:
        dl = bench_deadlines(args.deadlines)
        sample = bench_sample(args.repeat) if SAMPLE.is_file() else None
        corpus = bench_corpus(args.mb)
    except ImportError as exc:
        print(f"无法导入：{exc}", file=sys.stderr)
        return 2
    rows = [
        ("date", _dt.date.today().isoformat(), ""),
        ("machine", f"{platform.platform()}, {os.cpu_count()} CPUs ({pinned})", ""),
        ("python", f"{platform.python_implementation()} {platform.python_version()}", ""),
        ("deadline computations (20 WD)", f"{dl['plain']:,.0f} /s", ""),
        ("deadline computations (40 WD, with a pause)", f"{dl['paused']:,.0f} /s", ""),
    ]
    if sample:
        rows += [
            ("privacy scan, real issue", f"{sample[0]:.2f} MB/s ({sample[2]:.2f} MB scanned)", ""),
            ("findings on the real issue (all would be false positives)", str(sample[1]), "0"),
        ]
    rows += [
        ("privacy scan, generated corpus", f"{corpus['mbps']:.2f} MB/s ({corpus['mb']:.1f} MB, {corpus['issues']} issues)", ""),
        ("planted personal data / found", f"{corpus['planted']} / {corpus['found']}", ""),
        ("precision / recall on the corpus", f"{corpus['precision']:.3f} / {corpus['recall']:.3f}", ""),
    ]  # fmt: skip
    print(f"### Disclosure benchmark, {_dt.date.today().isoformat()}\n")
    print("| measure | value | target |\n|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
