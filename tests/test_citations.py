"""Citations: 文号 and 《titles》 in the real issue, agency trimming, linking."""

from __future__ import annotations

import pytest

from gongbao.core import parse_file
from gongbao.core.citations import (
    extract_citations,
    find_numbers,
    known_keys,
    link_citations,
    trim_agency,
)
from gongbao.core.model import DocNumber, Document, Node, ParseResult
from tests.conftest import shared_path

# Read by hand from ../shared/corpus/guanxian-2018-03.md: the four documents
# that cite 文号, and the numbers they cite in order (seq 5 cites them in the
# plan it promulgates).
CITED_NUMBERS = {
    2: ["国发〔2017〕53号", "鲁政字〔2018〕97号", "聊政字〔2018〕66号"],
    5: [
        "国办发〔2018〕23号",
        "鲁政办发〔2018〕21号",
        "聊政办发〔2018〕16号",
        "国办发〔2017〕94号",
        "国发〔2016〕55号",
        "国办发〔2017〕47号",
        "冠发〔2018〕14号",
    ],
    6: ["中发〔2016〕32号", "聊政办字〔2018〕41号"],
    8: ["冠办发〔2018〕30号"],
}


@pytest.fixture(scope="module")
def real() -> ParseResult:
    return parse_file(shared_path("corpus", "guanxian-2018-03.md"))


def _doc(real: ParseResult, seq: int) -> Document:
    return real.documents[seq - 1]


def test_the_four_documents_that_cite_numbers(real: ParseResult) -> None:
    found = {}
    for doc in real.documents:
        numbers = [c.doc_number for c in extract_citations(doc) if c.doc_number]
        if numbers:
            found[doc.seq] = numbers
    assert found == CITED_NUMBERS


def test_title_and_number_in_brackets_are_one_citation(real: ParseResult) -> None:
    first = extract_citations(_doc(real, 2))[0]
    assert first.kind == "doc_number"
    assert first.title == "国务院关于开展第四次全国经济普查的通知"
    assert first.doc_number == "国发〔2017〕53号"
    assert (first.agency_code, first.year, first.serial) == ("国发", 2017, 53)
    assert first.printed == "《国务院关于开展第四次全国经济普查的通知》(国发〔2017〕53号)"
    assert first.anchor == "p1"
    assert first.printed in first.snippet


def test_citations_in_a_promulgated_plan_carry_its_anchors(real: ParseResult) -> None:
    cites = [c for c in extract_citations(_doc(real, 5)) if c.doc_number == "国办发〔2017〕47号"]
    assert [(c.anchor, c.title) for c in cites] == [("t-p123", "政府网站发展指引")]


def test_titles_without_a_number(real: ParseResult) -> None:
    titles = [c.title for c in extract_citations(_doc(real, 3)) if c.kind == "title"]
    assert titles == [
        "山东省扫黑除恶工作实施办法",
        "聊城市扫黑除恶专项斗争工作方案",
        "冠县扫黑除恶专项斗争工作方案",
    ]


def test_no_self_citation(real: ParseResult) -> None:
    for doc in real.documents:
        cites = extract_citations(doc)
        if doc.doc_number is not None:
            assert doc.doc_number.text not in {c.doc_number for c in cites}
        own = {doc.title} | ({doc.promulgates.title} if doc.promulgates else set())
        assert not own & {c.title for c in cites}, doc.seq
    # 印发《冠县2018年度水污染防治工作方案》: the notice's own plan is not a citation
    assert all(
        "冠县2018年度水污染防治" not in (c.title or "") for c in extract_citations(_doc(real, 7))
    )


def test_own_number_in_the_text_is_skipped() -> None:
    doc = Document(
        seq=1,
        kind="notice",
        title="关于某事的通知",
        doc_number=DocNumber("冠政发〔2018〕64号", "冠政发", 2018, 64),
        body=[
            Node(
                kind="paragraph",
                text="本通知（冠政发〔2018〕64号）依据冠政发〔2018〕12号。",
                anchor="p1",
            )
        ],
    )
    assert [c.doc_number for c in extract_citations(doc)] == ["冠政发〔2018〕12号"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依据冠政发〔2018〕64号", ["冠政发〔2018〕64号"]),
        ("根据国发〔2017〕53号和国办发〔2018〕23号", ["国发〔2017〕53号", "国办发〔2018〕23号"]),
        ("认真贯彻落实鲁政办字[2018]21号精神", ["鲁政办字〔2018〕21号"]),
        ("印发冠政办发（2018）第041号", ["冠政办发〔2018〕41号"]),
        ("共有〔2018〕3号楼", []),  # 有 is no code suffix
    ],
)
def test_agency_code_is_trimmed(text: str, expected: list[str]) -> None:
    assert [n.canonical for n in find_numbers(text)] == expected


def test_trim_agency_rule() -> None:
    assert trim_agency("依据冠政发") == "冠政发"
    assert trim_agency("要求各单位认真执行冠政办发") == "冠政办发"
    # no lead-in word: at most the last 8 characters are kept
    assert trim_agency("一二三四五六七八九冠政发") == "五六七八九冠政发"
    assert trim_agency("楼") is None


def test_link_citations(real: ParseResult) -> None:
    cites = extract_citations(_doc(real, 2))
    known = {
        "国发[2017]53号": "guofa-2017-53",
        "山东省人民政府关于开展第四次经济普查的通知": "luzhengzi-2018-97",
    }
    linked = link_citations(cites, known)
    assert [c.target for c in linked] == ["guofa-2017-53", "luzhengzi-2018-97", None]
    assert all(c.target is None for c in cites)  # the input is left as it was


def test_known_keys_from_the_archive_resolve_issuer_prefixed_titles(real: ParseResult) -> None:
    docs = [(d.ident, d) for d in real.documents]
    known = known_keys(docs)
    assert known["冠政发〔2018〕64号"] == "guanzhengfa-2018-64"
    assert known["冠县人民政府关于开展第四次经济普查的通知"] == "guanzhengfa-2018-64"
    citing = Document(
        seq=1,
        kind="notice",
        title="x",
        body=[
            Node(
                kind="paragraph",
                anchor="p1",
                text="按照《冠县人民政府关于开展第四次经济普查的通知》要求，落实冠政发〔2018〕80号。",
            )
        ],
    )
    linked = link_citations(extract_citations(citing), known)
    assert [c.target for c in linked] == ["guanzhengfa-2018-64", "guanzhengfa-2018-80"]
