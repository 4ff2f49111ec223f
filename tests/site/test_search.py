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
