"""Task extraction benchmark: precision and recall of units and deadlines on the real issue.

Run from the repository root::

    .venv/bin/python bench/tasks.py            # P/R table (Markdown) for bench/RESULTS.md
    .venv/bin/python bench/tasks.py --diff     # also every disagreement with the labels

Compares ``gongbao.core.tasks.extract_tasks`` on ``../shared/corpus/guanxian-2018-03.md``
with the hand-labelled truth in ``tests/data/tasks/guanxian_2018_03.py`` (the 政务公开
plan, the water plan and the food-safety notice). Facts compared: (document, task, unit)
per role, (document, task, role:unit) over all roles, and (document, task, date) for
dated deadlines. Target: >= 0.95 precision and recall for units and deadlines.
Not a test: exits 0 whatever the scores, 2 when the sample is missing.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "corpus" / "guanxian-2018-03.md"
LABELS = ROOT / "tests" / "data" / "tasks" / "guanxian_2018_03.py"
TARGET = 0.95


def load_labels() -> dict:
    spec = importlib.util.spec_from_file_location("guanxian_2018_03_tasks", LABELS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EXPECTED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="store_true", help="print every disagreement")
    args = parser.parse_args(argv)
    if not SAMPLE.is_file():
        print(f"样本缺失：{SAMPLE}", file=sys.stderr)
        return 2
    from gongbao.core import parse_file
    from gongbao.core.tasks import FIELDS, extract_tasks, score, task_facts
    from gongbao.core.units import Registry, load_profile

    expected = load_labels()
    result = parse_file(SAMPLE)
    # the sample county's unit names (the [units] of samples/guanxian.toml), as the demo loads them
    county = Registry(profile=load_profile(ROOT / "samples" / "guanxian.toml"))
    extracted = {d.ident: extract_tasks(d, county) for d in result.documents if d.ident in expected}
    scores = score(expected, extracted)
    print(f"### Task extraction, {_dt.date.today().isoformat()}\n")
    print(f"Input: {SAMPLE.name}, documents {', '.join(expected)}; labels {LABELS.name}.\n")
    print("| field | expected | extracted | correct | precision | recall | target |")
    print("|---|---|---|---|---|---|---|")
    for f in ("tasks", *FIELDS):
        s = scores[f]
        ok = "✓" if min(s.precision, s.recall) >= TARGET else "✗"
        target = f">= {TARGET} {ok}" if f in ("units", "deadlines") else ""
        print(
            f"| {f} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {s.precision:.3f} | {s.recall:.3f} | {target} |"
        )
    for ident, tasks in extracted.items():
        print(f"\n{ident}: {len(tasks)} tasks extracted, {len(expected[ident])} labelled", end="")
    print()
    if args.diff:
        for ident, tasks in extracted.items():
            got = {t.key: task_facts(t) for t in tasks}
            for key, want in expected[ident].items():
                facts = got.get(key)
                if facts is None:
                    print(f"  {ident} {key}: not extracted")
                    continue
                for f in ("lead", "cooperate", "implement", "responsible", "deadlines"):
                    if set(want[f]) != facts[f]:
                        print(f"  {ident} {key} {f}: want {sorted(want[f])} got {sorted(facts[f])}")
            for key in set(got) - set(expected[ident]):
                print(f"  {ident} {key}: extracted, not labelled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
