"""Query latency alone, on indexes kept between runs: gongbao's full search beside plain+page.

    .venv/bin/python bench/search_latency.py --docs 200000 --text real \\
        --cache /tmp/c200000.pkl --keep /tmp/search-indexes

bench/search.py builds four indexes each run (at 200,000 documents, most of an
hour on two cores); this builds gongbao's and plain+page once into ``--keep``
(rebuilding gongbao's when its schema changed) and measures the same queries as
bench/search.py (same seed), interleaved: wall and CPU time (all threads, the
best of ``--repeat`` runs of each query), p50 and p99, by kind. It does not check
the counts against the substring scan: bench/search.py does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import tantivy
from search import (
    ROOT,
    TEXTS,
    WORKERS,
    build_gongbao,
    build_plain,
    machine,
    make_queries,
    pct,
    phrase_shares,
    plain_page,
    scale_corpus,
    spread,
    with_real_text,
)


def best_of(fn: Any, q: str, repeat: int) -> tuple[float, float]:
    """The least wall and CPU milliseconds of repeat runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(q)
        wall = min(wall, (time.perf_counter() - t0) * 1000)
        cpu = min(cpu, (time.process_time() - c0) * 1000)
    return wall, cpu


def indexes(docs: list[dict], keep: Path) -> tuple[Any, tantivy.Index]:
    from gongbao.site.search.engine import SchemaMismatchError, SearchIndex

    g_path, p_path = keep / "gongbao", keep / "plain_full"
    try:
        g_index = SearchIndex.open(g_path) if (g_path / "tantivy").exists() else None
    except SchemaMismatchError:
        g_index = None
    if g_index is not None and g_index.count() != len(docs):
        g_index.close()
        g_index = None
    if g_index is None:
        WORKERS[0] = 0  # in the main thread, as the plain build
        g_index, _ = build_gongbao(docs, g_path)  # create() clears the folder
    if not p_path.exists():
        build_plain(docs, p_path, full=True)
    return g_index, tantivy.Index.open(str(p_path))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--text", choices=sorted(TEXTS), default="generated")
    ap.add_argument("--cache", type=Path, help="pickle of the generated corpus, read or written")
    ap.add_argument("--keep", type=Path, required=True, help="folder the indexes stay in")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each query; the best counts")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    docs = scale_corpus(args.docs, args.cache)
    if args.text == "real":
        docs = with_real_text(docs, args.seed)
    args.keep.mkdir(parents=True, exist_ok=True)
    g_index, p_index = indexes(docs, args.keep)
    queries = make_queries(docs, args.queries, args.seed)
    for q in queries[:20]:  # warm both
        g_index.search(q["q"]), plain_page(p_index, q["q"])
    rows = []
    for q in queries:  # interleaved, so load on the machine hits both alike
        g = best_of(lambda s: g_index.search(s, per_page=10), q["q"], args.repeat)
        p = best_of(lambda s: plain_page(p_index, s), q["q"], args.repeat)
        rows.append((q["kind"], q["q"], g, p))
    print(f"bench/search_latency.py, {machine()}")
    print(f"{len(docs)} documents, {TEXTS[args.text]}; best of {args.repeat} runs a query")
    print("documents holding a phrase query: " + spread(phrase_shares(docs, queries)))
    print("| queries | plain+page p50 / p99 | gongbao p50 / p99 | p99 ratio |")
    print("|---|---|---|---|")
    for kind in [None, *dict.fromkeys(k for k, *_ in rows)]:
        picked = [r for r in rows if kind is None or r[0] == kind]
        for i, unit in ((0, "wall ms"), (1, "CPU ms")):
            g, p = [r[2][i] for r in picked], [r[3][i] for r in picked]
            print(
                f"| {len(picked)} {kind or 'all'}, {unit} | {pct(p, 50):.1f} / {pct(p, 99):.1f}"
                f" | {pct(g, 50):.1f} / {pct(g, 99):.1f} | {pct(g, 99) / pct(p, 99):.2f} |"
            )
    slowest = sorted(rows, key=lambda r: -r[2][1])[:8]
    print("slowest (CPU ms): " + "; ".join(f"`{q}` {g[1]:.0f}" for _, q, g, _ in slowest))
    g_index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
