"""The tantivy search engine: substring recall, 文号 variants, filters, facets, pages, safety."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tantivy

from gongbao.core.analyzer import normalize, parse_query, segments
from gongbao.site.search import engine, highlight
from gongbao.site.search.engine import PARALLEL_FROM, SearchIndex, SearchResults
from gongbao.site.search.query import QueryBuilder, phrase_tokens, with_rarest
from gongbao.site.search.schema import EXACT_BOOST, PHRASE_BOOST, build_schema


def _doc(doc_id: str, title: str, text: str, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": doc_id,
        "gazette": "guanxian",
        "year": 2018,
        "issue": "guanxian-2018-01",
        "section": "政府文件",
        "issuer": "县政府",
        "kind": "通知",
        "date": "2018-01-15",
        "title": title,
        "doc_number": None,
        "passages": [{"anchor": "s1", "heading": "", "text": text}],
    }
    doc.update(extra)
    return doc


SAMPLE = [
    _doc(
        "notice",
        "关于做好秸秆禁烧工作的通知",
        "县环保局牵头，各乡镇配合。",
        doc_number="冠政发〔2018〕64号",
        passages=[
            {
                "anchor": "s1",
                "heading": "一、普查目的",
                "text": "县环保局牵头，各乡镇配合。摸清全县污染源底数。",
            },
            {"anchor": "s2", "heading": "二、职责分工", "text": "县环保局负责秸秆禁烧督查。"},
            {"anchor": "s3", "heading": "三、纪律", "text": "<script>alert('x')</script> & 秸秆"},
        ],
    ),
    _doc(
        "poverty",
        "扶贫开发工作意见",
        "根据冠政发[2018]64号文件精神，做好精准扶贫。",
        year=2019,
        date="2019-03-02",
        section="部门文件",
        issuer="县扶贫办",
        kind="意见",
    ),
    _doc(
        "speech",
        "在全县经济工作会议上的讲话",
        "生态环境保护是大事，严禁焚烧。",
        year=2017,
        date="2017-12-30",
        kind="讲话",
    ),
]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    ix = SearchIndex.create(tmp_path / "idx")
    ix.add_documents(SAMPLE)
    ix.commit(generation=1)
    yield ix
    ix.close()


def _ids(results: SearchResults) -> set[str]:
    return {h.doc_id for h in results.hits}


@pytest.mark.parametrize(
    "q",
    [
        "冠政发〔2018〕64号",
        "冠政发[2018]64号",
        "冠政发(2018)64号",
        "冠政发（2018）64号",
        "冠政发2018 64",
    ],
)
def test_doc_number_variants_find_the_document_first(index: SearchIndex, q: str) -> None:
    results = index.search(q)
    assert results.hits[0].doc_id == "notice"
    assert _ids(results) == {"notice", "poverty"}  # poverty cites it


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("环保", {"notice"}),  # inside 县环保局, which jieba keeps whole
        ("秸秆", {"notice"}),
        ("秸秆禁烧", {"notice"}),
        ("精准扶贫", {"poverty"}),
        ("扶贫", {"poverty"}),
        ("焚", {"speech"}),
        ("县", {"notice", "speech", "poverty"}),  # poverty's issuer is 县扶贫办
        ("环保 秸秆", {"notice"}),
        ("环保 扶贫", set()),
        ("保护是", {"speech"}),
        ("局牵", {"notice"}),
        ("牵头各", set()),  # crosses the comma: no substring match
        ("目的摸清", set()),  # crosses heading and text
    ],
)
def test_substring_recall(index: SearchIndex, q: str, expected: set[str]) -> None:
    results = index.search(q, exact=True)
    assert _ids(results) == expected
    assert results.total == len(expected)
    # Ranked retrieval may list more, but always counts the exact set the same way.
    ranked = index.search(q)
    assert ranked.exact_total == len(expected)
    assert expected <= _ids(ranked)


def test_title_match_boosted(index: SearchIndex) -> None:
    results = index.search("扶贫")
    assert results.hits[0].title_highlighted == "<mark>扶贫</mark>开发工作意见"


# -- as readers type it: 文号 in part, head fields, operators, traditional text ---

READER_DOCS = [
    _doc(
        "census",
        "关于开展第四次全国经济普查的通知",
        "各乡镇人民政府：现将有关事项通知如下。",
        doc_number="冠政发〔2018〕64号",
        issuers=["冠县人民政府"],
        signature="冠县人民政府办公室",
        recipients="各乡镇人民政府，县政府各部门",
    ),
    _doc(
        "straw",
        "关于做好秸秆禁烧工作的通知",
        "全县范围内禁止露天焚烧秸秆。县人民政府统一部署。",
        doc_number="冠政办发[2018]62号",
        issuers=["冠县人民政府办公室"],
    ),
    _doc("fireworks", "烟花爆竹管理规定", "城区实行禁燃禁放。企业开办时间压缩至三个工作日。"),
    _doc("hant", "關於開展環境保護督查的通知", "縣環保局牽頭，各鄉鎮配合。"),
    _doc("cites", "转发通知", "根据冠政发﹝2018﹞64号文件，做好普查。"),
]


@pytest.fixture
def readers(tmp_path: Path) -> Iterator[SearchIndex]:
    ix = SearchIndex.create(tmp_path / "readers")
    ix.add_documents(READER_DOCS)
    ix.commit()
    yield ix
    ix.close()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("冠政发", {"census", "cites"}),  # the agency code alone
        ("冠政办发", {"straw"}),
        ("64号", {"census", "cites"}),
        ("〔2018〕64号", {"census", "cites"}),
        ("冠政发〔2018〕64", {"census", "cites"}),  # without 号
        ("冠政发﹝2018﹞64号", {"census", "cites"}),  # small-form brackets
        ("冠政发201864号", {"census", "cites"}),  # brackets lost in conversion
        ("冠政办发(2018)62号", {"straw"}),
    ],
)
def test_partial_and_variant_doc_numbers(readers: SearchIndex, q: str, expected: set[str]) -> None:
    results = readers.search(q)
    assert _ids(results) == expected
    assert results.exact_total == len(expected)


def test_own_doc_number_ranks_first(readers: SearchIndex) -> None:
    assert readers.search("〔2018〕64号").hits[0].doc_id == "census"


@pytest.mark.parametrize(
    ("q", "expected", "where"),
    [
        ("冠县人民政府办公室", {"census", "straw"}, {"落款", "发文机关"}),
        ("县政府各部门", {"census"}, {"主送机关"}),
    ],
)
def test_issuer_signature_and_recipients_are_searchable(
    readers: SearchIndex, q: str, expected: set[str], where: set[str]
) -> None:
    results = readers.search(q, exact=True)
    assert _ids(results) == expected
    assert where & {m for h in results.hits for m in h.matched}


def test_results_say_why_they_matched(readers: SearchIndex) -> None:
    by_id = {h.doc_id: h for h in readers.search("冠政发").hits}
    assert by_id["census"].matched == ["文号"]
    assert by_id["cites"].matched == ["正文"]
    assert readers.search("秸秆").hits[0].matched == ["标题", "正文"]


def test_exclusion_or_and_only_exclusions(readers: SearchIndex) -> None:
    assert _ids(readers.search("通知 -秸秆")) == {"census", "cites", "hant"}
    assert _ids(readers.search("秸秆 OR 普查")) == {"straw", "census", "cites"}
    everything_else = readers.search("-秸秆")
    assert _ids(everything_else) == {"census", "fireworks", "hant", "cites"}
    assert everything_else.query.notes


def test_simplified_finds_traditional_and_back(readers: SearchIndex) -> None:
    hit = readers.search("环境保护").hits[0]
    assert hit.doc_id == "hant"
    assert hit.title_highlighted == "關於開展<mark>環境保護</mark>督查的通知"  # printed as stored
    assert _ids(readers.search("縣環保局")) == {"hant"}


@pytest.mark.parametrize(
    ("q", "expected_first"),
    [
        ("企业开办要几天", "fireworks"),  # a question: no document holds it whole
        ("禁放烟花", "fireworks"),  # reworded
        ("县政府统一部署", "straw"),  # the text says 县人民政府
    ],
)
def test_ranked_retrieval_answers_questions(
    readers: SearchIndex, q: str, expected_first: str
) -> None:
    results = readers.search(q)
    assert results.ranked
    assert results.exact_total == 0
    assert results.hits[0].doc_id == expected_first
    assert "<mark>" in results.hits[0].title_highlighted + "".join(
        p.highlighted for p in results.hits[0].passages
    )
    assert readers.search(q, exact=True).total == 0


def test_exact_matches_rank_above_partial_ones(readers: SearchIndex) -> None:
    results = readers.search("秸秆禁烧")
    assert results.exact_total == 1
    assert results.hits[0].doc_id == "straw"


def test_quoted_phrase_stays_exact(readers: SearchIndex) -> None:
    results = readers.search('"企业开办要几天"')
    assert not results.ranked
    assert results.total == 0


# -- hit counts equal a brute-force substring scan ------------------------------

PHRASES = [
    "环境保护", "县环保局", "秸秆禁烧", "精准扶贫", "脱贫攻坚", "乡村振兴", "安全生产",
    "食品安全", "社会保障", "教育改革", "环保督查", "河长制", "大气污染", "防治", "工作",
    "通知", "意见", "农村", "城市", "管理", "服务", "保障", "政府", "县", "局",
]  # fmt: skip
SEPARATORS = ["", "", "", "，", "。", "、"]


def _sentence(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(PHRASES) + rng.choice(SEPARATORS) for _ in range(n))


def _generated_docs(rng: random.Random, count: int) -> list[dict[str, Any]]:
    docs = []
    for i in range(count):
        passages = [
            {"anchor": f"s{j}", "heading": _sentence(rng, 1), "text": _sentence(rng, 6)}
            for j in range(rng.randint(1, 3))
        ]
        docs.append(_doc(f"g{i}", _sentence(rng, 2), "", passages=passages, year=2015 + i % 5))
    return docs


def _pieces(doc: dict[str, Any]) -> list[str]:
    # The head fields (文号, issuer, signature, 主送) are searchable text too.
    pieces = [doc["title"], doc.get("doc_number") or "", doc["issuer"]]
    for p in doc["passages"]:
        pieces += [p["heading"], p["text"]]
    return [normalize(p) for p in pieces]


def _brute(docs: list[dict[str, Any]], q: str) -> set[str]:
    terms = [normalize(t) for t in q.split()]
    return {d["id"] for d in docs if all(any(t in p for p in _pieces(d)) for t in terms)}


def _queries(rng: random.Random, docs: list[dict[str, Any]]) -> list[str]:
    queries = ["环保", "秸秆", "保局", "扶贫", "县环保局", "环境保护", "县", "局", "污染防治"]
    while len(queries) < 30:
        seg = rng.choice(segments(rng.choice(docs)["passages"][0]["text"]))
        length = rng.randint(1, min(5, len(seg)))
        start = rng.randint(0, len(seg) - length)
        queries.append(seg[start : start + length])
    while len(queries) < 60:
        # across punctuation: must match only where the joined text occurs elsewhere
        text = rng.choice(docs)["passages"][0]["text"]
        segs = segments(text)
        if len(segs) < 2:
            continue
        i = rng.randrange(len(segs) - 1)
        cut = rng.randint(1, 3)
        queries.append(segs[i][-cut:] + segs[i + 1][: rng.randint(1, 6)])
    queries += ["环保 农村", "扶贫 政府 管理", "县 局"]
    return queries


def test_hit_counts_equal_brute_force_scan(tmp_path: Path) -> None:
    rng = random.Random(20180064)
    docs = _generated_docs(rng, 300)
    ix = SearchIndex.create(tmp_path / "gen")
    ix.add_documents(docs)
    ix.commit()
    for q in _queries(rng, docs):
        expected = _brute(docs, q)
        results = ix.search(q, per_page=100, exact=True)
        assert results.total == len(expected), q
        assert ix.search(q, per_page=100).exact_total == len(expected), q  # ranked
        assert ix.search(q, per_page=100, sort="date").total == len(expected), q
        found: set[str] = set()
        for page in range(1, 4):
            found |= _ids(ix.search(q, per_page=100, page=page, exact=True))
        assert found == expected, q
    ix.close()


def _one_ranked_query(ix: SearchIndex, q: str) -> tantivy.Query:
    """Ranked retrieval as the one query it stands for: the ranked set scored by its
    bigrams and by each word found whole, the exact set boosted (phrases as the search
    builds them on this searcher, its rarest bigrams included)."""
    parsed, qb = parse_query(q), ix._queries.reading(ix._index.searcher())
    loose = [t for t in parsed.terms if len(t) > 1]
    every = qb.build_ranked(parsed, {}).every
    whole = [tantivy.Query.boost_query(qb.text_clause(t), PHRASE_BOOST) for t in loose]
    exact = tantivy.Query.boost_query(qb.build(parsed, {}, []), EXACT_BOOST)
    clauses = [(tantivy.Occur.Must, every)]
    clauses += [(tantivy.Occur.Should, c) for c in [*whole, exact]]
    return tantivy.Query.boolean_query(clauses)


def test_ranked_pages_follow_the_one_ranked_query(tmp_path: Path) -> None:
    """The exact set and the others, searched apart, rank as the one query: merged by
    its score for one word; for several, the documents holding every word first
    (tiered), each part in the one query's order."""
    rng = random.Random(64)
    ix = SearchIndex.create(tmp_path / "ranked")
    ix.add_documents(_generated_docs(rng, 200))
    ix.commit()
    searcher = ix._index.searcher()
    exact_sizes = []
    for q in ["环保督查工作", "县环保局 农村", "乡村振兴战略", "大气污染 食品安全 服务"]:
        assert ix.search(q).ranked, q
        every = searcher.search(_one_ranked_query(ix, q), 1000).hits
        if len(q.split()) > 1:
            strict = ix._queries.build(parse_query(q), {}, [])
            exact = {_addr(a) for _, a in searcher.search(strict, 1000).hits}
            exact_sizes.append(len(exact))
            every.sort(key=lambda h: _addr(h[1]) not in exact)  # stable: scores within
        want = every[:30]
        got = [h for page in (1, 2, 3) for h in ix.search(q, per_page=10, page=page).hits]
        assert [h.score for h in got] == pytest.approx([s for s, _ in want], rel=1e-5), q
        ids = [searcher.doc(a).get_first("doc_id") for _, a in want]
        assert [h.doc_id for h in got] == ids, q
    # one query's pages lie within the exact set, the other's reach into the rest
    assert min(exact_sizes) < 30 <= max(exact_sizes), exact_sizes
    ix.close()


def _addr(addr: tantivy.DocAddress) -> tuple[int, int]:
    return addr.segment_ord, addr.doc


# Near misses: the phrase with one character changed, in the middle or at an end.
# A phrase query that drops a bigram no longer covers some character, so it counts
# the near miss changed there too (the random scan above rarely holds one).
NEAR_MISS_PHRASES = [
    "环境保护督查", "秸秆禁烧工作", "县环保局牵头", "农村饮水安全工程", "脱贫攻坚责任制",
    "大气污染防治", "食品安全监管", "乡村振兴战略规划",
]  # fmt: skip
STAND_IN = "某"


def _near_misses(phrase: str) -> list[str]:
    return [phrase[:i] + STAND_IN + phrase[i + 1 :] for i in range(len(phrase))]


def _near_miss_docs() -> list[dict[str, Any]]:
    docs = []
    for n, phrase in enumerate(NEAR_MISS_PHRASES):
        docs.append(_doc(f"p{n}", "通知", f"要求：{phrase}。", year=2018))
        for i, miss in enumerate(_near_misses(phrase)):
            docs.append(_doc(f"p{n}m{i}", "通知", f"要求：{miss}。", year=2018))
    return docs


def test_phrase_counts_leave_out_near_misses(tmp_path: Path) -> None:
    docs = _near_miss_docs()
    ix = SearchIndex.create(tmp_path / "near")
    ix.add_documents(docs)
    ix.commit()
    for n, phrase in enumerate(NEAR_MISS_PHRASES):
        for q in (phrase, f"“{phrase}”"):
            assert ix.search(q, per_page=100, exact=True).total == 1, q
            assert ix.search(q, per_page=100).exact_total == 1, q
            assert _ids(ix.search(q, per_page=100, exact=True)) == {f"p{n}"}, q
        for i, miss in enumerate(_near_misses(phrase)):
            assert _ids(ix.search(miss, per_page=100, exact=True)) == {f"p{n}m{i}"}, miss
        # The brute-force scan agrees on every one of them.
        assert len(_brute(docs, phrase)) == 1
    ix.close()


# -- filters, facets, pages, sorting -----------------------------------------


def test_filters(index: SearchIndex) -> None:
    assert _ids(index.search("", filters={"year": 2019})) == {"poverty"}
    assert _ids(index.search("", filters={"kind": ["讲话", "意见"]})) == {"speech", "poverty"}
    assert _ids(index.search("县", filters={"section": "政府文件"})) == {"notice", "speech"}
    dated = index.search("", filters={"date_from": "2018-01-01", "date_to": "2018-12-31"})
    assert _ids(dated) == {"notice"}
    assert _ids(index.search("", filters={"gazette": "other"})) == set()


def test_bad_filters_warn(index: SearchIndex) -> None:
    results = index.search("", filters={"date_from": "yesterday", "colour": "red", "year": "x"})
    assert results.total == 3
    assert len(results.warnings) == 3


def test_facets_cover_the_whole_result_set(index: SearchIndex) -> None:
    results = index.search("", per_page=1)
    assert len(results.hits) == 1
    assert results.facets["year"] == {2017: 1, 2018: 1, 2019: 1}
    assert results.facets["kind"] == {"通知": 1, "意见": 1, "讲话": 1}
    assert results.facets["section"] == {"政府文件": 2, "部门文件": 1}
    assert results.facets["gazette"] == {"guanxian": 3}
    narrowed = index.search("环保")
    assert narrowed.facets["issuer"] == {"县政府": 1}


def test_pagination_and_date_sort(tmp_path: Path) -> None:
    ix = SearchIndex.create(tmp_path / "pages")
    ix.add_documents(
        _doc(f"d{i:02d}", f"环保通知第{i}号", "县环保局", date=f"2018-01-{i + 1:02d}")
        for i in range(25)
    )
    ix.commit()
    first, second = ix.search("环保", page=1), ix.search("环保", page=2)
    assert first.total == second.total == 25
    assert len(first.hits) == len(second.hits) == 10
    assert not _ids(first) & _ids(second)
    assert len(ix.search("环保", page=3).hits) == 5
    assert ix.search("环保", page=9).hits == []
    by_date = ix.search("环保", sort="date")
    assert [h.date for h in by_date.hits][:2] == ["2018-01-25", "2018-01-24"]
    browse = ix.search("", filters={"year": 2018}, per_page=3)
    assert [h.doc_id for h in browse.hits] == ["d24", "d23", "d22"]
    ix.close()


# -- passages and highlighting -------------------------------------------------


def test_stored_text_matches_as_its_normalized_form_does() -> None:
    """Terms found in a text as stored (each character standing for its spellings) are
    where they are found in its normalized form; 😀 (plane 1) makes a text go that way."""
    rng = random.Random(5)
    chars = [
        *"约約定国國环境環境保护護2018年ＰＭ２．５pmPM，。、（）㈠①²ＡaA _-\n",
        "\u0301",
        "Σ",
        "ㅏ",
    ]
    terms = ["约定", "环境保护", "2018年", "pm2.5", "a", "国", "2 5", "a.a"]
    found = [m for t in terms if (m := highlight._term_matcher(t)) is not None]
    for _ in range(2000):
        texts = ["".join(rng.choices(chars, k=rng.randint(0, 12))) for _ in range(3)]
        normalized = [highlight.spans(f"{t}\n\U0001f600", found, set()) for t in texts]
        assert highlight.spans_each(texts, found, set()) == normalized, texts


def test_best_passages_and_escaping(index: SearchIndex) -> None:
    hit = index.search("秸秆").hits[0]
    anchors = [p.anchor for p in hit.passages]
    assert set(anchors) == {"s2", "s3"}
    s3 = next(p for p in hit.passages if p.anchor == "s3")
    assert "<script>" not in s3.highlighted
    assert (
        s3.highlighted
        == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; <mark>秸秆</mark>"
    )


def test_heading_match_counts_extra(index: SearchIndex) -> None:
    hit = index.search("普查").hits[0]
    assert hit.passages[0].anchor == "s1"
    assert hit.passages[0].heading_highlighted == "一、<mark>普查</mark>目的"


def test_highlight_full_width_source(tmp_path: Path) -> None:
    ix = SearchIndex.create(tmp_path / "fw")
    ix.add_documents([_doc("fw", "标题", "ＰＭ２．５浓度下降")])
    ix.commit()
    hit = ix.search("pm2.5").hits[0]
    assert hit.passages[0].highlighted == "<mark>ＰＭ２．５</mark>浓度下降"
    assert ix.search("pm2.5浓度").total == 1
    assert ix.search("2.5").total == 0  # letters and digits match as whole runs only
    ix.close()


# -- nasty queries -------------------------------------------------------------


@pytest.mark.parametrize(
    "q", ['"', "*", ":", "AND OR NOT", "((", "环保" * 5000, "", "，。！？", "环保)", "(环保"]
)
def test_nasty_queries_never_raise(index: SearchIndex, q: str) -> None:
    results = index.search(q)
    assert results.total >= 0
    assert results.hits or results.warnings or q == ""


def test_field_syntax_is_plain_text(index: SearchIndex) -> None:
    # No field syntax: "title:环保" is the words title and 环保, adjacent.
    assert index.search("title:环保").total == 0
    assert index.search("环保:").total == 1


# -- generation, delete, replace -----------------------------------------------


def test_generation_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "gen"
    ix = SearchIndex.create(path)
    assert ix.generation() == 0
    ix.add_documents(SAMPLE[:1])
    ix.commit(generation=7)
    ix.commit()  # a commit without a generation keeps the old one
    ix.close()
    reopened = SearchIndex.open(path)
    assert reopened.generation() == 7
    assert reopened.count() == 1


def test_delete_and_replace(index: SearchIndex) -> None:
    index.delete_document("speech")
    index.replace([_doc("notice", "新标题", "全新内容扶贫")])
    index.commit(generation=2)
    assert index.count() == 2
    assert index.search("焚").total == 0
    assert index.search("秸秆").total == 0
    assert _ids(index.search("扶贫")) == {"notice", "poverty"}
    assert index.generation() == 2


def test_damaged_and_order_numbers_are_found_by_the_numbers_they_stand_for(
    tmp_path: Path,
) -> None:
    """The parser reads 丹合管办发〔20178 as 丹合管办发〔2017〕8号: a reader typing the
    latter finds it, as one typing 令第45号 finds the 令."""
    ix = SearchIndex.create(tmp_path / "damaged")
    ix.add_documents(
        [
            _doc("damaged", "关于成立领导小组的通知", "为加强领导，决定成立领导小组。",
                 doc_number="丹合管办发〔20178", doc_number_parts=["丹合管办发", 2017, 8]),
            _doc("other", "关于成立工作专班的通知", "为推进工作，决定成立专班。",
                 doc_number="丹合管办发〔2017〕9号", doc_number_parts=["丹合管办发", 2017, 9]),
        ]
    )  # fmt: skip
    ix.commit(generation=1)
    try:
        assert _ids(ix.search("丹合管办发〔2017〕8号")) == {"damaged"}
        assert _ids(ix.search("〔2017〕8号")) == {"damaged"}
    finally:
        ix.close()


def test_order_numbers_are_found_however_they_are_typed(tmp_path: Path) -> None:
    ix = SearchIndex.create(tmp_path / "orders")
    ix.add_documents(
        [
            _doc("ling", "", "《老旧运输船舶管理规定》已经部务会议通过，现予公布。",
                 doc_number="中华人民共和国交通部令 2006 年第 8 号",
                 doc_number_parts=["中华人民共和国交通部令", 2006, 8]),
            _doc("ling9", "", "《某某规定》已经部务会议通过，现予公布。",
                 doc_number="中华人民共和国交通部令 2006 年第 9 号",
                 doc_number_parts=["中华人民共和国交通部令", 2006, 9]),
        ]
    )  # fmt: skip
    ix.commit(generation=1)
    try:
        for q in ("交通部令2006年第8号", "中华人民共和国交通部令 2006 年第 8 号"):
            assert _ids(ix.search(q)) == {"ling"}, q
    finally:
        ix.close()


# -- filters typed into the box, mixed and one-character terms over bigrams ------


def test_issuer_and_date_range_typed_in_the_box(readers: SearchIndex) -> None:
    results = readers.search("发文机关:冠县人民政府办公室")
    assert _ids(results) == {"straw"}
    assert "发文机关" in results.query.notes[0]
    # 冠县人民政府 is within both issuers' names; combined with words
    assert _ids(readers.search("发文机关：冠县人民政府 普查")) == {"census"}
    # a filter is exact: 县政府 is the others' issuer, not within 冠县人民政府
    assert _ids(readers.search("发文机关:县政府")) == {"fireworks", "hant", "cites"}
    assert readers.search("2018-01..2018-01").total == 5  # every sample is dated 2018-01-15
    assert readers.search("日期:2018-02-01..2018-06-30").total == 0
    assert readers.search("秸秆 2017..2018-01").exact_total == 1
    bad = readers.search("日期:2018-13..2019")
    assert bad.total == 0 and any("无法识别" in w for w in bad.warnings)


def test_typed_dates_narrow_the_form_dates(index: SearchIndex) -> None:
    # SAMPLE: notice 2018-01-15, poverty 2019-03-02, speech 2017-12-30
    assert _ids(index.search("2018..2019", filters={"date_from": "2019-01-01"})) == {"poverty"}
    assert _ids(index.search("..2018", filters={"date_to": "2017-12-31"})) == {"speech"}


@pytest.mark.parametrize(
    ("text", "q", "found"),
    [
        ("冠县2018年度工作计划", "2018年", True),
        ("冠县2018年度工作计划", "县2018年度", True),
        ("冠县2018 年度工作计划", "2018年", False),  # a space between: not the same text
        ("冠县2018年度工作计划", "018年", False),  # numbers match as whole runs
        ("按照第3条执行", "第3条执", True),
        ("按照第3条执行", "照第3条", True),
        ("按照第3条执行", "第3条例", False),
        ("2018年5月1日起施行", "年5月", True),
        ("2018年5月1日起施行", "2018年5月1日", True),
        ("2018年5月1日起施行", "2018年5月2日", False),
        ("按照第3条执行", "第3", True),  # a run and one character: the joins field
        ("按照第13条执行", "第3", False),
        ("按照第13条执行", "13条", True),
        ("印发x2018年计划", "2018年", False),
        ("计划2018 年", "划2018", True),
        ("计划2018x年", "划2018", False),
        ("2018年5月1日起施行", "5月", True),
        ("2018年5月1日起施行", "5日", False),
        ("县，县政府", "县", True),
        ("政府", "府", True),  # a lone character: the chars fields, wherever it stands
        ("政府", "乡", False),
        ("二〇一八年", "〇", True),
        ("\U00020001字", "\U00020001", True),  # Extension B
        ("國務院", "国", True),  # traditional folded, both ways
        ("国务院", "國", True),
        ("防治：县政府", "治：县", True),  # across punctuation: any separator matches
        ("防治：县政府", "治县", False),
    ],
)
def test_mixed_and_single_character_terms_match_as_substrings(
    tmp_path: Path, text: str, q: str, found: bool
) -> None:
    ix = SearchIndex.create(tmp_path / "mixed")
    ix.add_documents([_doc("d", "标题", text)])
    ix.commit()
    try:
        assert ix.search(q, exact=True).total == int(found), q
    finally:
        ix.close()


def test_traditional_doc_numbers_and_worded_years(tmp_path: Path) -> None:
    ix = SearchIndex.create(tmp_path / "trad")
    ix.add_documents(
        [
            _doc("qingyang", "關於同意甘肅省撤銷慶陽地區設立地級慶陽市的批覆", "國務院",
                 doc_number="國函〔2002〕55號"),
            _doc("holidays", "关于2017年部分节假日安排的通知", "元旦放假一天。"),
        ]
    )  # fmt: skip
    ix.commit()
    try:
        assert _ids(ix.search("国函〔2002〕55号")) == {"qingyang"}
        # a year with words, unspaced: ranked, so the notice is found, counted as not exact
        results = ix.search("2017年节假日放假安排")
        assert results.ranked and results.exact_total == 0
        assert results.hits[0].doc_id == "holidays"
        assert ix.search("2017年部分节假日安排").exact_total == 1
    finally:
        ix.close()


def test_analysis_in_worker_processes_builds_the_same_index(tmp_path: Path) -> None:
    docs = _generated_docs(random.Random(7), 40)
    indexes = []
    for workers in (0, 1):  # 1: a worker process analyses, as in a full reindex
        ix = SearchIndex.create(tmp_path / f"w{workers}")
        assert ix.add_documents(docs, workers=workers) == 40
        ix.commit()
        indexes.append(ix)
    try:
        for q in ("环保", "县", "精准扶贫 政府", "通知"):
            here, there = (ix.search(q, per_page=100) for ix in indexes)
            assert _ids(here) == _ids(there) and here.exact_total == there.exact_total, q
    finally:
        for ix in indexes:
            ix.close()


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux CPU affinity")
def test_a_process_pinned_to_one_cpu_analyses_in_itself() -> None:
    """Worker processes count the CPUs the process may use (taskset, a cpuset): on one,
    a worker would only add pickling to the same core."""
    code = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
        "from gongbao.site.search import engine;"
        "engine.ProcessPoolExecutor = None;"  # any use of a pool fails
        "doc = {'id': 'x', 'title': '关于环保的通知', 'passages': []};"
        "print(len(list(engine._analysed([doc] * 2 * engine.PARALLEL_FROM, None))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(2 * PARALLEL_FROM)


@pytest.mark.parametrize(("cpus", "threads"), [(1, 1), (2, 1), (3, 1), (4, 2), (16, 8), (64, 8)])
def test_the_writer_indexes_in_half_the_usable_cpus(
    monkeypatch: pytest.MonkeyPatch, cpus: int, threads: int
) -> None:
    """The analysis takes as much CPU as tantivy's side: one indexing thread per two
    usable CPUs, never none, never more than tantivy's own cap of 8."""
    monkeypatch.setattr(engine, "_usable_cpus", lambda: cpus)
    assert engine.indexing_threads() == threads


def test_gap_tokens_take_positions_but_are_not_indexed(tmp_path: Path) -> None:
    import tantivy

    from gongbao.site.search.indexing import SEGMENT_STEP, to_document
    from gongbao.site.search.schema import GAP_TOKEN, build_schema, register_analyzers

    index = tantivy.Index(build_schema(), path=str(tmp_path))
    register_analyzers(index)
    writer = index.writer(15_000_000, 1)
    writer.add_document(to_document({"id": "a", "title": "县环保，督查"}))
    writer.commit()
    index.reload()
    searcher, schema = index.searcher(), index.schema

    def count(words: list[tuple[int, str]]) -> int:
        return searcher.search(tantivy.Query.phrase_query(schema, "title_bigrams", words)).count

    assert count([(0, "环保"), (SEGMENT_STEP, "督查")]) == 1
    assert count([(0, "环保"), (1, "督查")]) == 0
    gap = tantivy.Query.term_query(schema, "title_bigrams", GAP_TOKEN)
    assert searcher.search(gap).count == 0


def test_phrases_take_their_rarest_bigram_and_stay_exact() -> None:
    freq = {"工作": 900, "作推": 3, "推进": 800, "全县": 50, "县累": 60, "累计": 70}.get
    tokens = phrase_tokens("工作推进", lambda b: freq(b) or 0)
    assert [(t, p) for t, p, _ in tokens] == [("工作", 0), ("作推", 1), ("推进", 2)]
    # not rarer than the covering ones: nothing added
    assert [t for t, _, _ in phrase_tokens("全县累计", lambda b: freq(b) or 0)] == ["全县", "累计"]
    assert with_rarest([("ab", 0)], [("ab", 0)], lambda b: 0) == [("ab", 0)]


def test_a_lone_character_is_one_term_in_each_field(tmp_path: Path) -> None:
    """A lone character is a term of each bigram field's chars field (not every bigram
    it starts), found in the title, the body and the head alike, the title weighing most."""
    assert "Regex" not in repr(QueryBuilder(build_schema()).text_clause("县"))
    ix = SearchIndex.create(tmp_path / "chars")
    ix.add_documents(
        [
            _doc("body", "关于开展检查的通知", "全市各区认真执行", issuer="市政府"),
            _doc("title", "关于冠县检查的通知", "会议研究了工作", issuer="市政府"),
            _doc("head", "关于开展检查的通知", "会议研究了工作", issuer="冠县人民政府"),
            _doc("none", "关于开展检查的通知", "会议研究了工作", issuer="市政府"),
        ]
    )
    ix.commit()
    try:
        assert _ids(ix.search("县")) == {"title", "head"}
        assert _ids(ix.search("区")) == {"body"}
        assert ix.search("县").hits[0].doc_id == "title"
    finally:
        ix.close()


def test_a_run_and_a_character_are_one_term_in_each_field(tmp_path: Path) -> None:
    """2018年 or 第3 is a term of the joins field (not a phrase over every bigram 年
    starts, which costs a walk over most documents), found in the title, the body and
    the head alike, the title weighing most."""
    qb = QueryBuilder(build_schema())
    assert "joins" not in repr(qb.text_clause("2018年度"))
    for term in ("2018年", "第3"):
        assert "Phrase" not in repr(qb.text_clause(term)), term
    ix = SearchIndex.create(tmp_path / "joins")
    ix.add_documents(
        [
            _doc("body", "关于开展检查的通知", "按照2018年计划和第3条执行"),
            _doc("title", "2018年第3次会议纪要", "会议研究了工作"),
            _doc("head", "关于开展检查的通知", "会议研究了工作", doc_number="冠政发〔2018〕第3号"),
            _doc("none", "关于开展检查的通知", "按照x2018年计划和第13条执行"),
        ]
    )
    ix.commit()
    try:
        for q, expected in (("2018年", ["title", "body"]), ("第3", ["title", "body", "head"])):
            results = ix.search(q, exact=True)
            assert results.total == len(expected), q
            assert results.hits[0].doc_id == "title", q
            assert {h.doc_id for h in results.hits} == set(expected), q
    finally:
        ix.close()
