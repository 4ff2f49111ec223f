"""Search at a province's scale: gongbao's index beside a plain tantivy index of bigrams.

    .venv/bin/python bench/search.py                 # 5,000 documents, a few minutes
    .venv/bin/python bench/search.py --docs 20000    # the figures in bench/RESULTS.md
    .venv/bin/python bench/search.py --judged-only   # nDCG@10 on the judged set only

One run, one corpus, both indexes:

* **Scale corpus.** Generated issues (gongbao.testing.generate, parsed with
  parse_text, documents shaped as sync.payload makes them), real length and never
  cut: mean over 2,000 characters. ``--docs`` sets the count; ``--cache`` keeps the
  generated documents for the next run (generating is slower than indexing).
  The generator writes from a few sentence templates: a phrase drawn from one
  document stands in about a third of all of them, where in the real documents it
  stands in one or two in a hundred. ``--text real`` keeps the generated documents
  and refills each passage with real sentences drawn at random (the real corpus
  and the sample issue); the report gives the phrases' spread either way.
* **Plain index.** What a user would build by hand: title and body pre-split into
  character bigrams in Python (CJK runs; letter/digit runs whole), one
  whitespace-tokenized field, the id stored, one writer; BM25 over the query's
  bigrams, any of them (OR).
* **Build.** Wall time and disk size of each, including the Python-side splitting
  (the plain split is also given alone). gongbao's target: within 1.5x. Each build
  of the scale corpus runs in a fresh process of its own (see build_apart).
* **Latency.** The same queries (seeded mix of words, two-word queries, phrases,
  文号, single characters and 2018年-style terms drawn from the corpus) through
  gongbao's full search (page of hits with passages, exact count, facets) and the
  plain search (count, top 10, stored documents). Target: p99 within 1.5x.
* **Hit counts.** gongbao's exact count for every text query against a brute-force
  substring scan of the normalized texts: must be equal (文号 queries are keys, not
  substrings, and are left out of this check).
* **Ranking.** nDCG@10 of gongbao and of the plain index on the hand-judged
  queries of bench/search_judgements.json, over the judged corpus (the demo's sample
  issue, a few generated issues and ../shared/corpus/real/*.txt).
"""

from __future__ import annotations

import argparse
import html
import json
import math
import multiprocessing as mp
import os
import pickle
import platform
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy
from archive import passages_of  # bench/archive.py: passages as sync.passages builds them

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real"
SAMPLES = ROOT / "samples"
JUDGEMENTS = Path(__file__).resolve().parent / "search_judgements.json"
PARAGRAPHS_PER_DOC = 24  # the generator's knob: about 2,500 characters a document on average
JUDGED_GENERATED = [(7, "临河县人民政府公报", 2019, n) for n in (1, 2, 3)]

_CJK_RUN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9]+")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# -- documents as sync.payload makes them -------------------------------------------


def payloads(text: str, source: str, prefix: str) -> list[dict]:
    from gongbao.core import parse_text
    from gongbao.core.export.json import to_dict

    result = parse_text(text, source=source)
    data = to_dict(result)
    out = []
    for dd in data["documents"]:
        parts = dd.get("doc_number_parts")
        out.append(
            {
                "id": f"{prefix}/{dd['id']}",
                "gazette": prefix.split("-")[0],
                "year": result.issue.year,
                "issue": prefix,
                "section": dd.get("section") or "",
                "issuer": dd.get("issuer") or "",
                "issuers": list(dd.get("issuers") or []),
                "signature": dd.get("signature") or "",
                "recipients": dd.get("recipients") or "",
                "kind": dd.get("kind") or "",
                "date": dd.get("date"),
                "title": dd.get("title") or "",
                "doc_number": dd.get("doc_number") or None,
                "doc_number_parts": [
                    parts.get("agency_code"),
                    parts.get("year") or 0,
                    parts.get("serial"),
                ]
                if isinstance(parts, dict)
                and parts.get("agency_code")
                and parts.get("serial") is not None
                else (list(parts) if isinstance(parts, list) else None),
                "passages": passages_of(dd),
            }
        )
    return out


def _generated(spec: tuple[int, str, int, int]) -> list[dict]:
    from gongbao.testing.generate import generate_issue, issue_filename

    seed, gazette, year, number = spec
    text = generate_issue(
        seed, year=year, number=number, gazette=gazette, issues_per_year=12,
        paragraphs_per_doc=PARAGRAPHS_PER_DOC,
    )  # fmt: skip
    name = issue_filename(gazette, year, number)
    return payloads(text, name, f"s{seed}-{Path(name).stem}")


def _specs() -> Iterator[tuple[int, str, int, int]]:
    from gongbao.testing.generate import COUNTIES

    seed = 1
    while True:
        for year in range(2008, 2026):
            for number in range(1, 13):
                for county in COUNTIES:
                    yield (seed, f"{county}人民政府公报", year, number)
        seed += 1


def scale_corpus(count: int, cache: Path | None) -> list[dict]:
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            docs = pickle.load(f)
        if len(docs) >= count:
            return docs[:count]
    docs: list[dict] = []
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(os.cpu_count() or 2) as pool:
        for batch in pool.imap(_generated, _specs(), chunksize=4):
            docs.extend(batch)
            if len(docs) // 5000 != (len(docs) - len(batch)) // 5000:
                log(f"  generated {len(docs)} documents ({time.perf_counter() - t0:.0f} s)")
            if len(docs) >= count:
                pool.terminate()
                break
    docs = docs[:count]
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(docs, f, protocol=pickle.HIGHEST_PROTOCOL)
    return docs


_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def real_sentences() -> list[str]:
    """The sentences of the real documents and the sample issue, each once, in order."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*-*.md"))]
    if not REAL.is_dir():
        raise SystemExit(f"the real corpus is missing: {REAL}")
    texts += [path.read_text(encoding="utf-8") for path in sorted(REAL.glob("*.txt"))]
    found = (m.group().strip() for t in texts for m in _SENTENCE.finditer(t))
    return list(dict.fromkeys(s for s in found if len(_CJK_RUN.findall(s)) and len(s) >= 8))


def with_real_text(docs: list[dict], seed: int) -> list[dict]:
    """The generated documents with each passage's text replaced by real sentences drawn
    at random, to about the same length; titles, headings and head fields stay.

    The generator writes from a small set of sentence templates, so a phrase drawn
    from one document stands in a third of all documents (median; see phrase_shares),
    where in real documents it stands in under one in a hundred. Real sentences
    recombined bring the phrases' spread near the real one."""
    pool = real_sentences()
    rng = random.Random(f"gongbao-search-bench-text|{seed}")
    out = []
    for doc in docs:
        passages = []
        for p in doc["passages"]:
            text: list[str] = []
            while sum(map(len, text)) < len(p["text"]):
                text.append(rng.choice(pool))
            passages.append({**p, "text": "".join(text)})
        out.append({**doc, "passages": passages})
    return out


def phrase_shares(docs: list[dict], queries: list[dict], sample: int = 5000) -> list[float]:
    """Of each phrase query, the share of (a seeded sample of) the documents holding it."""
    from gongbao.core.analyzer import normalize

    picked = random.Random(0).sample(docs, min(sample, len(docs)))
    texts = ["\x00".join(normalize(x) for x in pieces(d)) for d in picked]
    phrases = [q["q"] for q in queries if q["kind"] == "phrase"]
    return sorted(sum(1 for t in texts if q in t) / len(texts) for q in phrases)


def judged_corpus() -> list[dict]:
    """The demo's sample issue, three generated issues and the real documents."""
    docs: list[dict] = []
    for path in sorted(SAMPLES.glob("*-*.md")):
        docs += payloads(path.read_text(encoding="utf-8"), path.name, path.stem)
    for spec in JUDGED_GENERATED:
        docs += _generated(spec)
    if not REAL.is_dir():
        raise SystemExit(f"the real corpus is missing: {REAL}")
    for path in sorted(REAL.glob("*.txt")):
        for i, doc in enumerate(payloads(path.read_text(encoding="utf-8"), path.name, "real")):
            doc["id"] = f"real/{path.stem}" + (f"#{i}" if i else "")
            docs.append(doc)
    return docs


# -- texts, the plain index, the substring scan ------------------------------------


def pieces(doc: dict) -> list[str]:
    """Everything gongbao searches, piece by piece."""
    out = [doc["title"]]
    for p in doc["passages"]:
        out += [p["heading"], p["text"]]
    out += [doc.get("doc_number") or "", *(doc.get("issuers") or [doc.get("issuer") or ""])]
    out += [doc.get("signature") or "", doc.get("recipients") or ""]
    return [s for s in out if s]


def plain_tokens(text: str) -> str:
    return " ".join(
        " ".join(map(str.__add__, r, r[1:])) if len(r) > 1 and r[0] > "\u3000" else r
        for r in _CJK_RUN.findall(text.lower())
    )


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


WORKERS: list[int | None] = [None]  # --workers for gongbao's build (None: its default)
CPU: dict[Path, float] = {}  # CPU seconds of each build, by its folder
MAIN: dict[Path, float] = {}  # of it, the main thread's: Python's part, tantivy's threads not

PLAIN_FACETS = ("year", "section", "issuer", "kind", "gazette")


def plain_schema(full: bool, vector: bool = False) -> tantivy.Schema:
    """Bigrams and the id; ``full`` adds what the same result page needs: the facet
    fields and the text, stored, for passages. ``vector``: the text is split by
    gongbao's own analysis (its gap tokens dropped by its analyzer)."""
    from gongbao.site.search.schema import BIGRAM_ANALYZER

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", tokenizer_name=BIGRAM_ANALYZER if vector else "whitespace")
    if full:
        for name in PLAIN_FACETS:
            if name == "year":
                sb.add_integer_field(name, fast=True, indexed=True)
            else:
                sb.add_text_field(name, fast=True, tokenizer_name="raw")
        sb.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
        sb.add_bytes_field("body", stored=True)
    return sb.build()


def build_plain(
    docs: list[dict], path: Path, *, full: bool, vector: bool = False
) -> tuple[tantivy.Index, float, float]:
    """The plain index; ``vector``: its one field split by gongbao's vectorized analysis
    (indexing.bigram_text) instead of the Python split a user would write."""
    from gongbao.site.search.indexing import bigram_text
    from gongbao.site.search.schema import register_analyzers

    schema = plain_schema(full, vector)
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path))
    register_analyzers(index)
    split_text = (
        (lambda d: bigram_text(pieces(d)))
        if vector
        else (lambda d: plain_tokens("\n".join(pieces(d))))
    )
    writer = index.writer(heap_size=256_000_000)
    split = 0.0
    t0, c0, m0 = time.perf_counter(), _cpu(), time.thread_time()
    for doc in docs:
        t1 = time.perf_counter()
        text = split_text(doc)
        split += time.perf_counter() - t1
        d = tantivy.Document()
        d.add_text("doc_id", doc["id"])
        d.add_text("text", text)
        if full:
            d.add_integer("year", int(doc.get("year") or 0))
            for name in PLAIN_FACETS[1:]:
                if doc.get(name):
                    d.add_text(name, str(doc[name]))
            d.add_text("title", doc["title"])
            body = "\n".join(x for p in doc["passages"] for x in (p["heading"], p["text"]) if x)
            d.add_bytes("body", body.encode("utf-8"))
        writer.add_document(d)
    writer.commit()
    writer.wait_merging_threads()
    CPU[path], MAIN[path] = _cpu() - c0, time.thread_time() - m0
    index.reload()
    return index, time.perf_counter() - t0, split


def plain_query(schema: tantivy.Schema, q: str) -> tantivy.Query:
    tokens = list(dict.fromkeys(plain_tokens(q).split()))
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "text", t)) for t in tokens]
    )


def plain_search(index: tantivy.Index, q: str, k: int = 10) -> tuple[list[str], int]:
    searcher = index.searcher()
    result = searcher.search(plain_query(index.schema, q), k)
    return [searcher.doc(a).get_first("doc_id") for _, a in result.hits], result.count


def plain_page(index: tantivy.Index, q: str) -> dict:
    """The same result page from the plain index: count, top 10, facets, a marked passage."""
    searcher = index.searcher()
    query = plain_query(index.schema, q)
    spec = {f: {"terms": {"field": f, "size": 100_000}} for f in PLAIN_FACETS}
    facets = searcher.aggregate(query, spec)
    result = searcher.search(query, 10)
    grams = [g for g in dict.fromkeys(plain_tokens(q).split()) if g]
    hits = []
    for _, addr in result.hits:
        doc = searcher.doc(addr)
        body = bytes(doc.get_first("body")).decode("utf-8")
        at = min((i for g in grams if (i := body.find(g)) >= 0), default=0)
        window = body[max(0, at - 60) : at + 180]
        for g in grams:
            window = window.replace(g, f"<mark>{g}</mark>")
        hits.append((doc.get_first("doc_id"), html.escape(doc.get_first("title")), window))
    return {"count": result.count, "hits": hits, "facets": facets}


def build_gongbao(docs: list[dict], path: Path) -> tuple[Any, float]:
    from gongbao.site.search.engine import SearchIndex

    t0, c0, m0 = time.perf_counter(), _cpu(), time.thread_time()
    index = SearchIndex.create(path)
    index.add_documents(docs, workers=WORKERS[0])
    index.commit(1)
    index.close()  # waits for merges
    CPU[path] = _cpu() - c0  # all threads, tantivy's too, and the analysis workers
    MAIN[path] = time.thread_time() - m0
    return SearchIndex.open(path), time.perf_counter() - t0


def _build_child(name: str, corpus: Path, path: Path, workers: int | None, out: Any) -> None:
    """One build in a process of its own: the corpus read back, then only the build."""
    sys.path.insert(0, str(ROOT / "src"))
    WORKERS[0] = workers
    docs = pickle.loads(corpus.read_bytes())
    if name == "gongbao":
        index, secs = build_gongbao(docs, path)
        index.close()
        split = 0.0
    else:
        _, secs, split = build_plain(
            docs, path, full=name == "plain_full", vector=name == "plain_vec"
        )
    out.send((secs, split, CPU[path], MAIN[path]))


def build_apart(name: str, corpus: Path, path: Path) -> tuple[float, float]:
    """Build one index of the scale run in a fresh process, as ``gongbao reindex`` runs.

    Built in the bench's own process, gongbao's build at 200,000 documents took a
    quarter more time than the same function in a fresh process (bench/RESULTS.md),
    and the plain builds did not; the cause was not found. A fresh process for every
    build, plain ones too, leaves none of them the state the others left behind.
    """
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_build_child, args=(name, corpus, path, WORKERS[0], send), daemon=True
    )
    child.start()
    send.close()
    try:
        secs, split, CPU[path], MAIN[path] = receive.recv()
    except EOFError:
        child.join()
        raise SystemExit(f"the {name} build failed (exit code {child.exitcode})") from None
    child.join()
    return secs, split


_WORDY = re.compile(r"[a-z0-9]")


def scan_pattern(term: str) -> re.Pattern[str]:
    """A term as the substring scan reads it: separators in it match any separators,
    letters and digits at its ends must be whole runs."""
    from gongbao.core.analyzer import segments

    segs = segments(term)
    body = r"(?:(?!\x00)[\W_])+".join(re.escape(s) for s in segs)  # never across pieces
    head = r"(?<![a-z0-9])" if _WORDY.match(segs[0][0]) else ""
    tail = r"(?![a-z0-9])" if _WORDY.match(segs[-1][-1]) else ""
    return re.compile(head + body + tail)


def scan_count(texts: list[str], terms: list[str]) -> int:
    """Documents (their pieces joined by NUL) holding every term."""
    patterns = [scan_pattern(t) for t in terms]
    return sum(1 for text in texts if all(p.search(text) for p in patterns))


# -- queries ----------------------------------------------------------------------


def make_queries(docs: list[dict], n: int, seed: int) -> list[dict]:
    """A seeded mix drawn from the corpus: words, two words, phrases, 文号, characters, 年."""
    import rjieba

    rng = random.Random(f"gongbao-search-bench|{seed}")
    runs_re = re.compile(r"[\u4e00-\u9fff]{6,}")

    def text() -> str:
        doc = rng.choice(docs)
        return rng.choice([doc["title"], *(p["text"] for p in doc["passages"] if p["text"])])

    def word() -> str:
        while True:
            words = [
                w
                for w in rjieba.cut(text())
                if 2 <= len(w) <= 4 and runs_re.pattern and re.fullmatch(r"[\u4e00-\u9fff]+", w)
            ]
            if words:
                return rng.choice(words)

    def phrase() -> str:
        while True:
            runs = runs_re.findall(text())
            if runs:
                run = rng.choice(runs)
                k = rng.randint(4, min(10, len(run)))
                s = rng.randrange(len(run) - k + 1)
                return run[s : s + k]

    numbers = [d["doc_number"] for d in docs if d.get("doc_number")]
    out: list[dict] = []
    for i in range(n):
        kind = [
            "word",
            "word",
            "word",
            "words",
            "words",
            "phrase",
            "phrase",
            "docnum",
            "char",
            "mixed",
        ][i % 10]
        if kind == "word":
            q = word()
        elif kind == "words":
            q = f"{word()} {word()}"
        elif kind == "phrase":
            q = phrase()
        elif kind == "docnum" and numbers:
            q = rng.choice(numbers)
        elif kind == "char":
            q = rng.choice(word())
        else:
            q = f"{rng.randint(2008, 2025)}年"
        out.append({"q": q, "kind": kind if kind != "docnum" or numbers else "word"})
    return out


# -- running ----------------------------------------------------------------------


def time_queries(fn: Any, queries: list[dict]) -> list[tuple[float, float]]:
    """Wall and CPU milliseconds of each query. CPU counts every thread of this process
    (gongbao's side threads too): on a shared machine it moves less with the load."""
    out = []
    for q in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(q["q"])
        out.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    return out


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    def dcg(gs: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gs[:10]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(d, 0) for d in ranked]) / ideal if ideal else 0.0


def run_judged(tmp: Path) -> dict[str, Any]:
    spec = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))
    docs = judged_corpus()
    ids = {d["id"] for d in docs}
    g_index, _ = build_gongbao(docs, tmp / "judged-gongbao")
    p_index, _, _ = build_plain(docs, tmp / "judged-plain", full=False)
    rows = []
    for item in spec["queries"]:
        grades = {d: int(g) for d, g in item["judgements"].items() if int(g) > 0}
        missing = set(grades) - ids
        if missing:
            raise SystemExit(f"judged documents not in the corpus: {sorted(missing)[:5]}")
        g_ids = [h.doc_id for h in g_index.search(item["q"], per_page=10).hits]
        p_ids, _ = plain_search(p_index, item["q"])
        rows.append(
            {
                "q": item["q"],
                "need": item.get("need", ""),
                "gongbao": ndcg_at_10(g_ids, grades),
                "plain": ndcg_at_10(p_ids, grades),
                "gongbao_empty": not g_ids,
                "plain_empty": not p_ids,
            }
        )
    g_index.close()
    n = len(rows)
    return {
        "docs": len(docs),
        "queries": n,
        "gongbao_ndcg": sum(r["gongbao"] for r in rows) / n,
        "plain_ndcg": sum(r["plain"] for r in rows) / n,
        "gongbao_empty": sum(r["gongbao_empty"] for r in rows),
        "plain_empty": sum(r["plain_empty"] for r in rows),
        "rows": rows,
    }


def run_scale(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from gongbao.core.analyzer import normalize, parse_query

    t0 = time.perf_counter()
    docs = scale_corpus(args.docs, args.cache)
    if args.text == "real":
        docs = with_real_text(docs, args.seed)
    gen_s = time.perf_counter() - t0
    lengths = [
        sum(len(x) for x in [d["title"], *(p["heading"] + p["text"] for p in d["passages"])])
        for d in docs
    ]
    log(
        f"corpus: {len(docs)} documents, mean {sum(lengths) / len(lengths):.0f} chars ({gen_s:.0f} s)"
    )
    # Each built --repeat times, alternating, best counts: the machine is shared.
    builds: dict[str, list[tuple[float, float, Path]]] = {
        "plain": [],
        "plain_vec": [],
        "plain_full": [],
        "gongbao": [],
    }
    corpus = tmp / "corpus.pickle"
    corpus.write_bytes(pickle.dumps(docs, protocol=pickle.HIGHEST_PROTOCOL))
    for r in range(args.repeat):
        # Every other repeat in reverse, each build after a sync: no index is always
        # built last, or while the one before it is still being written out.
        for name in list(builds)[:: -1 if r % 2 else 1]:
            path = tmp / f"{name}{r}"
            os.sync()
            secs, split = build_apart(name, corpus, path)
            builds[name].append((secs, split, path))
            log(f"  built {name}: {secs:.1f} s")
            if r:  # keep the disk free: only the best build of each stays
                worst = max(builds[name])
                builds[name].remove(worst)
                shutil.rmtree(worst[2], ignore_errors=True)
    best = {name: min(runs) for name, runs in builds.items()}
    from gongbao.site.search.engine import SearchIndex

    g_index = SearchIndex.open(best["gongbao"][2])
    # Publishing one issue into the full index: replace its documents, commit.
    issue = [d for d in docs if d["issue"] == docs[len(docs) // 2]["issue"]]
    t0 = time.perf_counter()
    g_index.replace(issue)
    g_index.commit(2)
    publish_s = time.perf_counter() - t0
    g_index.close()
    g_index = SearchIndex.open(best["gongbao"][2])
    p_index = tantivy.Index.open(str(best["plain_full"][2]))
    queries = make_queries(docs, args.queries, args.seed)
    shares = phrase_shares(docs, queries)
    log(f"{len(queries)} queries; phrases' median share {shares[len(shares) // 2]:.3f}")

    def g_search(q: str) -> Any:
        return g_index.search(q, per_page=10)

    def p_search(q: str) -> Any:
        return plain_page(p_index, q)

    for q in queries[:20]:  # warm both
        g_search(q["q"]), p_search(q["q"])
    g_times, p_times = [], []
    for q in queries:  # interleaved, so load on the machine hits both alike
        g_times += time_queries(g_search, [q])
        p_times += time_queries(p_search, [q])
    g_ms, g_cpu = [w for w, _ in g_times], [c for _, c in g_times]
    p_ms, p_cpu = [w for w, _ in p_times], [c for _, c in p_times]
    log("substring scan")
    texts = ["\x00".join(normalize(x) for x in pieces(d)) for d in docs]
    mismatches = []
    checked = 0
    for q in queries:
        if q["kind"] == "docnum":
            continue
        parsed = parse_query(q["q"])
        got = g_index.search(q["q"], per_page=1).exact_total
        want = scan_count(texts, parsed.terms + parsed.phrases)
        checked += 1
        q["exact_total"], q["scan"] = got, want
        if got != want:
            mismatches.append((q["q"], got, want))
    g_index.close()
    return {
        "docs": len(docs),
        "text": args.text,
        "phrase_shares": shares,
        "mean_chars": sum(lengths) / len(lengths),
        "median_chars": sorted(lengths)[len(lengths) // 2],
        "cpu_s": {
            name: min(
                c for p, c in CPU.items() if p.name in {f"{name}{r}" for r in range(args.repeat)}
            )
            for name in builds
        },
        "main_s": {  # of the build with the least CPU time
            name: min(
                (c, MAIN[p])
                for p, c in CPU.items()
                if p.name in {f"{name}{r}" for r in range(args.repeat)}
            )[1]
            for name in builds
        },
        "workers": WORKERS[0],
        "plain_build_s": best["plain"][0],
        "plain_split_s": best["plain"][1],
        "plain_vec_build_s": best["plain_vec"][0],
        "plain_vec_split_s": best["plain_vec"][1],
        "plain_vec_mb": du_mb(best["plain_vec"][2]),
        "plain_full_build_s": best["plain_full"][0],
        "gongbao_build_s": best["gongbao"][0],
        "plain_mb": du_mb(best["plain"][2]),
        "plain_full_mb": du_mb(best["plain_full"][2]),
        "gongbao_mb": du_mb(best["gongbao"][2] / "tantivy"),
        "gongbao_ms": g_ms,
        "plain_ms": p_ms,
        "gongbao_cpu_ms": g_cpu,
        "plain_cpu_ms": p_cpu,
        "queries": len(queries),
        "kinds": [q["kind"] for q in queries],
        "publish_s": publish_s,
        "publish_docs": len(issue),
        "checked": checked,
        "mismatches": mismatches,
        "slowest": sorted(zip(g_ms, (q["q"] for q in queries), strict=True), reverse=True)[:5],
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return f"{cpu}, {os.cpu_count()} CPUs, load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}"


TEXTS = {
    "generated": "the generator's text",
    "real": "passage texts of real sentences drawn at random (--text real)",
}


def spread(shares: list[float]) -> str:
    at = [shares[int(q * (len(shares) - 1))] for q in (0.5, 0.75, 0.9, 1.0)]
    return "median {:.1%}, p75 {:.1%}, p90 {:.1%}, max {:.1%}".format(*at)


def report(scale: dict | None, judged: dict | None) -> str:
    lines = [
        f"bench/search.py, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, tantivy {tantivy.__version__ if hasattr(tantivy, '__version__') else ''}".rstrip(
            ", "
        )
    ]
    if scale:
        s = scale
        ratio = s["gongbao_build_s"] / s["plain_build_s"]
        full = s["gongbao_build_s"] / s["plain_full_build_s"]
        lines += [
            "",
            f"corpus: {s['docs']} generated documents, {TEXTS[s['text']]}, {s['mean_chars']:.0f} chars mean, {s['median_chars']} median (not cut)",
            "documents holding a phrase query (share of 5,000): " + spread(s["phrase_shares"]),
            "plain = bigrams + id only; plain+page = also the facet fields and the stored text the same page needs",
            f"gongbao's analysis: {'its default' if s['workers'] is None else s['workers']} worker processes (0: in the main thread, as both plain builds)",
            "| | plain | plain+page | gongbao | gongbao / plain | gongbao / plain+page | target |",
            "|---|---|---|---|---|---|---|",
            f"| build (s) | {s['plain_build_s']:.1f} (Python split {s['plain_split_s']:.1f}) | {s['plain_full_build_s']:.1f} | {s['gongbao_build_s']:.1f} | {ratio:.2f} | {full:.2f} | <= 1.5 {'✓' if ratio <= 1.5 else '✗'} / {'✓' if full <= 1.5 else '✗'} |",
            f"| build, CPU s (all threads) | {s['cpu_s']['plain']:.1f} | {s['cpu_s']['plain_full']:.1f} | {s['cpu_s']['gongbao']:.1f} | {s['cpu_s']['gongbao'] / s['cpu_s']['plain']:.2f} | {s['cpu_s']['gongbao'] / s['cpu_s']['plain_full']:.2f} | <= 1.5 {'✓' if s['cpu_s']['gongbao'] <= 1.5 * s['cpu_s']['plain'] else '✗'} / {'✓' if s['cpu_s']['gongbao'] <= 1.5 * s['cpu_s']['plain_full'] else '✗'} |",
            f"| of it the main thread (Python; tantivy's threads not) | {s['main_s']['plain']:.1f} | {s['main_s']['plain_full']:.1f} | {s['main_s']['gongbao']:.1f} | {s['main_s']['gongbao'] / s['main_s']['plain']:.2f} | {s['main_s']['gongbao'] / s['main_s']['plain_full']:.2f} | |",
            f"| disk (MB) | {s['plain_mb']:.0f} | {s['plain_full_mb']:.0f} | {s['gongbao_mb']:.0f} | {s['gongbao_mb'] / s['plain_mb']:.2f} | {s['gongbao_mb'] / s['plain_full_mb']:.2f} | |",
            f"| against plain split as gongbao splits (vectorized, its analysis): build {s['plain_vec_build_s']:.1f} s (split {s['plain_vec_split_s']:.1f}), CPU {s['cpu_s']['plain_vec']:.1f} s, main thread {s['main_s']['plain_vec']:.1f} s, {s['plain_vec_mb']:.0f} MB | | | gongbao / it: wall {s['gongbao_build_s'] / s['plain_vec_build_s']:.2f}, CPU {s['cpu_s']['gongbao'] / s['cpu_s']['plain_vec']:.2f} | | | |",
            f"publishing one issue into it ({s['publish_docs']} documents replaced, commit): {s['publish_s']:.2f} s",
            "",
            "search: gongbao's full page (hits, passages, exact count, facets) beside plain+page (count, top 10, facets, a marked window)",
            "| | plain+page | gongbao | ratio | target |",
            "|---|---|---|---|---|",
        ]
        for p in (50, 95, 99):
            g, pl = pct(s["gongbao_ms"], p), pct(s["plain_ms"], p)
            target = f"<= 1.5 {'✓' if g / pl <= 1.5 else '✗'}" if p == 99 else ""
            lines.append(
                f"| p{p} ms ({s['queries']} queries) | {pl:.1f} | {g:.1f} | {g / pl:.2f} | {target} |"
            )
        for p in (50, 99):
            g, pl = pct(s["gongbao_cpu_ms"], p), pct(s["plain_cpu_ms"], p)
            lines.append(f"| p{p} CPU ms, all threads | {pl:.1f} | {g:.1f} | {g / pl:.2f} | |")
        for kind in dict.fromkeys(s["kinds"]):
            g = [ms for ms, k in zip(s["gongbao_ms"], s["kinds"], strict=True) if k == kind]
            pl = [ms for ms, k in zip(s["plain_ms"], s["kinds"], strict=True) if k == kind]
            lines.append(
                f"| p99 ms, {len(g)} {kind} queries | {pct(pl, 99):.1f} | {pct(g, 99):.1f} | {pct(g, 99) / pct(pl, 99):.2f} | |"
            )
        ok = "✓" if not s["mismatches"] else "✗"
        lines.append(
            f"| exact counts = substring scan | | {s['checked'] - len(s['mismatches'])}/{s['checked']} | | all {ok} |"
        )
        lines.append(
            "slowest gongbao queries: " + "; ".join(f"`{q}` {ms:.0f} ms" for ms, q in s["slowest"])
        )
        for q, got, want in s["mismatches"][:10]:
            lines.append(f"MISMATCH `{q}`: gongbao {got}, scan {want}")
    if judged:
        j = judged
        lines += [
            "",
            f"judged set: {j['queries']} queries over {j['docs']} documents (bench/search_judgements.json)",
            f"| nDCG@10 | plain BM25 over bigrams {j['plain_ndcg']:.3f} | gongbao {j['gongbao_ndcg']:.3f} | {'✓' if j['gongbao_ndcg'] >= j['plain_ndcg'] else '✗'} gongbao >= plain |",
            f"| queries with no result | plain {j['plain_empty']} | gongbao {j['gongbao_empty']} | |",
        ]
        worse = [r for r in j["rows"] if r["gongbao"] + 1e-9 < r["plain"]]
        if worse:
            lines.append(
                "gongbao below plain on: "
                + "; ".join(f"`{r['q']}` {r['gongbao']:.2f} < {r['plain']:.2f}" for r in worse)
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--docs", type=int, default=5000, help="documents in the scale corpus (default 5000)"
    )
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--text",
        choices=sorted(TEXTS),
        default="generated",
        help="passage texts: the generator's, or real sentences recombined (see with_real_text)",
    )
    ap.add_argument("--repeat", type=int, default=2, help="builds of each index; the best counts")
    ap.add_argument("--cache", type=Path, help="pickle of the generated corpus, read or written")
    ap.add_argument("--tmp", type=Path, help="where the indexes go (default: a temporary folder)")
    ap.add_argument("--judged-only", action="store_true")
    ap.add_argument(
        "--workers", type=int, help="analysis processes for gongbao's build (default: its own)"
    )
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args(argv)
    WORKERS[0] = args.workers
    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="gongbao-search-bench-", dir=args.tmp))
    try:
        judged = run_judged(tmp)
        log(f"judged: gongbao {judged['gongbao_ndcg']:.3f}, plain {judged['plain_ndcg']:.3f}")
        scale = None if args.judged_only else run_scale(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(report(scale, judged))
    if args.json:
        args.json.write_text(
            json.dumps({"scale": scale, "judged": judged}, ensure_ascii=False, default=str)
        )
    return 1 if scale and scale["mismatches"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
