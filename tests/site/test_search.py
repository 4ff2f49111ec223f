"""Chinese full-text search on the real issue, through the archive's index."""

from __future__ import annotations

import pytest

from gongbao.site.archive.models import BodyNode, Issue
from gongbao.site.search import sync

pytestmark = pytest.mark.django_db(transaction=True)


def first(q: str, **filters) -> str:
    results = sync.reader().search(q, filters=filters or None)
    assert results.hits, q
    return results.hits[0].doc_id


def test_straw_burning_plan_first_for_jiegan(sample_issue: Issue) -> None:
    assert first("秸秆") == "guanxian/guanzhengbanfa-2018-62"


def test_poverty_finds_task_4_as_top_passage(sample_issue: Issue) -> None:
    results = sync.reader().search("扶贫")
    hit = next(h for h in results.hits if h.doc_id == "guanxian/guanzhengbanfa-2018-41")
    task4 = BodyNode.objects.get(
        document__ident="guanzhengbanfa-2018-41", kind="section", heading__regex=r"^[（(]4[)）]"
    )
    assert hit.passages[0].anchor == task4.anchor
    assert "<mark>扶贫</mark>" in hit.passages[0].highlighted


@pytest.mark.parametrize(
    "query", ["冠政发〔2018〕64号", "冠政发[2018]64号", "冠政发(2018)64号", "冠政发2018 64"]
)
def test_doc_number_variants(sample_issue: Issue, query: str) -> None:
    assert first(query) == "guanxian/guanzhengfa-2018-64"


def test_economic_census_ranks_64_first(sample_issue: Issue) -> None:
    assert first("经济普查") == "guanxian/guanzhengfa-2018-64"


def test_short_word_inside_longer_one(sample_issue: Issue) -> None:
    """环保 inside 县环保局: bigrams find what word segmentation alone would miss."""
    results = sync.reader().search("环保")
    assert results.total >= 3
    assert any(
        "环保局" in p.highlighted.replace("<mark>", "").replace("</mark>", "")
        for h in results.hits
        for p in h.passages
    )


def test_filters_and_facets(sample_issue: Issue) -> None:
    everything = sync.reader().search("工作")
    news = sync.reader().search("工作", filters={"section": "其他"})
    assert 0 < news.total < everything.total
    assert everything.facets["section"]["其他"] == news.total
    assert all(h.doc_id.startswith("guanxian/guanxian-2018-03-") for h in news.hits)


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("冠政发", "guanxian/guanzhengfa-2018-64"),  # the agency code alone
        ("冠政发〔2018〕64", "guanxian/guanzhengfa-2018-64"),  # without 号
        ("冠政发﹝2018﹞64号", "guanxian/guanzhengfa-2018-64"),
        ("〔2018〕64号", "guanxian/guanzhengfa-2018-64"),
        ("冠政办发", "guanxian/guanzhengbanfa-2018-62"),
    ],
)
def test_partial_doc_numbers_on_the_real_issue(
    sample_issue: Issue, query: str, wanted: str
) -> None:
    results = sync.reader().search(query, per_page=100)
    assert wanted in {h.doc_id for h in results.hits}


def test_issuer_office_finds_its_documents(sample_issue: Issue) -> None:
    """冠县人民政府办公室 signs documents whose text never names it otherwise."""
    from gongbao.site.archive.models import Document

    signed = {
        f"guanxian/{d.ident}"
        for d in Document.objects.filter(issue=sample_issue)
        if "冠县人民政府办公室" in f"{d.issuer}{d.data.get('signature') or ''}"
        or "冠县人民政府办公室" in "".join(d.data.get("issuers") or [])
    }
    assert len(signed) >= 2
    results = sync.reader().search("冠县人民政府办公室", per_page=100, exact=True)
    assert signed <= {h.doc_id for h in results.hits}


def test_search_page_explains_ranking_and_operators(client, sample_issue: Issue) -> None:
    page = client.get("/search/", {"q": "秸秆 -禁烧 企业开办要几天"}).content.decode()
    assert "已排除含有“禁烧”的文件" in page
    assert "篇包含全部检索词" in page
    assert "匹配：" in page
    exact = client.get("/search/", {"q": "企业开办要几天", "exact": "1"}).content.decode()
    assert "只列出包含全部检索词的文件" in exact
