"""Query latency alone, on indexes kept between runs: gongbao's full search beside plain+page.

    .venv/bin/python bench/search_latency.py --docs 200000 --text real \\
        --cache /tmp/c200000.pkl --keep /tmp/search-indexes

bench/search.py builds four indexes each run (at 200,000 documents, most of an
hour on two cores); this builds gongbao's and plain+page once into ``--keep``
(rebuilding gongbao's when its schema changed) and measures the same queries as
bench/search.py (same seed), interleaved: wall and CPU time (all threads, the
best of ``--repeat`` runs of each query), p50 and p99, by kind. It does not check
the counts against the substring scan: bench/search.py does.

Beside them it times each query's exact count alone (exact_counter): the least that
any search showing that count spends, so its p99 bounds the full search's from below.
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


def exact_counter(g_index: Any) -> Any:
    """The exact count alone: the strict query (every word exactly), counted in date
    order so that nothing is scored and tantivy stops at a phrase's first match in a
    document. Any search that shows the exact count spends at least this."""
    from gongbao.core.analyzer import parse_query

    searcher = g_index._index.searcher()
    queries = g_index._queries.reading(searcher)

    def exact_count(q: str) -> int:
        strict = queries.build(parse_query(q), {}, [])
        return searcher.search(strict, 1, order_by_field="date").count

    return exact_count


def floor_report(rows: list[tuple], exact_count: Any, slowest: int) -> list[str]:
    """The exact count's own p99 beside plain+page's, and the queries it costs most.
    Each query's full search spends at least its count, so the full search's p99 is at
    least the count's: where that is above 1.5x plain+page's, item 2 cannot be met by
    any search that shows the exact count."""
    lines = ["| | plain+page p99 | 1.5x that | exact count alone p99 |", "|---|---|---|---|"]
    for i, unit in ((0, "wall ms"), (1, "CPU ms")):
        p, c = pct([r[3][i] for r in rows], 99), pct([r[4][i] for r in rows], 99)
        lines.append(f"| {unit} | {p:.1f} | {1.5 * p:.1f} | {c:.1f} |")
    lines += [
        "",
        "| query | documents holding it exactly | CPU ms: exact count alone | gongbao | plain+page |",
        "|---|---|---|---|---|",
    ]
    for _, q, g, p, c in sorted(rows, key=lambda r: -r[4][1])[:slowest]:
        lines.append(f"| `{q}` | {exact_count(q):,} | {c[1]:.1f} | {g[1]:.1f} | {p[1]:.1f} |")
    return lines


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
    ap.add_argument(
        "--slowest", type=int, default=8, help="queries listed by the cost of their exact count"
    )
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
    exact_count = exact_counter(g_index)
    rows = []
    for q in queries:  # interleaved, so load on the machine hits both alike
        g = best_of(lambda s: g_index.search(s, per_page=10), q["q"], args.repeat)
        p = best_of(lambda s: plain_page(p_index, s), q["q"], args.repeat)
        c = best_of(exact_count, q["q"], args.repeat)
        rows.append((q["kind"], q["q"], g, p, c))
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
    print("slowest (CPU ms): " + "; ".join(f"`{q}` {g[1]:.0f}" for _, q, g, *_ in slowest))
    print("\n".join(["", *floor_report(rows, exact_count, args.slowest)]))
    g_index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
