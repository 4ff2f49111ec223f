"""Akoma Ntoso export: schema-valid, naming-convention IRIs, gazette-wide eIds, round trip."""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

import pytest
from lxml import etree

from gongbao.core import parse_file, parse_text
from gongbao.core.export import akn
from gongbao.core.export.akn_read import AknReadError, read_akn
from gongbao.core.export.json import to_dict
from gongbao.core.model import ParseResult
from gongbao.testing.generate import generate_issue
from tests.conftest import shared_path

NS = {"a": akn.AKN_NS, "gb": akn.GB_NS}
# What AKN does not carry: source positions and the proofreading of the source.
NOT_CARRIED = {"lines", "line", "report", "source", "encoding"}
GENERATED = [(seed, 2012 + seed, 1 + seed % 12) for seed in range(10)]


def normalise(value: Any) -> Any:
    """A ``to_dict`` result without the fields the AKN export does not carry."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if k not in NOT_CARRIED}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


@pytest.fixture(scope="module")
def real() -> ParseResult:
    return parse_file(shared_path("corpus", "guanxian-2018-03.md"))


@pytest.fixture(scope="module")
def real_xml(real: ParseResult) -> etree._Element:
    return akn.issue_to_akn(real)


def _component_doc(root: etree._Element, ident: str) -> etree._Element:
    for doc in root.iterfind("a:officialGazette/a:collectionBody/a:component/a:doc", NS):
        if doc.find("a:meta/a:proprietary/gb:document", NS).get("id") == ident:
            return doc
    raise AssertionError(ident)


# --- schema ---------------------------------------------------------------


def test_vendored_schema_is_byte_identical_to_the_oasis_copy() -> None:
    expected = {
        "akomantoso30.xsd": "6f61fe84cbb6f8cb0e8418cd67b74a63da9990e6573b5a3491f623184f45c4fd",
        "xml.xsd": "81aed1bb30c9d475f5b16b6bb92e6ede9879dcd7e146c0ed8df577b87b1d2815",
    }
    folder = akn.schema_path().parent
    for name, digest in expected.items():
        assert hashlib.sha256(folder.joinpath(name).read_bytes()).hexdigest() == digest


def test_real_issue_validates(real_xml: etree._Element) -> None:
    assert akn.validate(real_xml) == []


def test_each_real_document_validates_on_its_own(real: ParseResult) -> None:
    for doc in real.documents:
        assert akn.validate(akn.document_to_akn(doc, real.issue)) == [], doc.ident


@pytest.mark.parametrize(("seed", "year", "number"), GENERATED)
def test_generated_issue_validates_and_round_trips(seed: int, year: int, number: int) -> None:
    result = parse_text(generate_issue(seed, year=year, number=number))
    element = akn.issue_to_akn(result)
    assert akn.validate(element) == []
    back = read_akn(akn.to_bytes(element))
    assert normalise(to_dict(back)) == normalise(to_dict(result))


def test_validator_rejects_a_duplicate_eid(real_xml: etree._Element) -> None:
    broken = copy.deepcopy(real_xml)
    eids = broken.xpath("//*[@eId]")
    eids[-1].set("eId", eids[-2].get("eId"))
    assert akn.validate(broken)


# --- round trip -----------------------------------------------------------


def test_real_issue_round_trips(real: ParseResult, real_xml: etree._Element) -> None:
    back = read_akn(akn.to_bytes(real_xml))
    assert normalise(to_dict(back)) == normalise(to_dict(real))


def test_single_documents_round_trip(real: ParseResult) -> None:
    expected = normalise(to_dict(real))
    for doc in real.documents:
        back = read_akn(akn.to_bytes(akn.document_to_akn(doc, real.issue)))
        assert normalise(to_dict(back))["documents"] == [expected["documents"][doc.seq - 1]]
        assert back.issue.ident == real.issue.ident


def test_markup_characters_and_line_breaks_survive(real: ParseResult) -> None:
    result = copy.deepcopy(real)
    doc = result.documents[1]
    doc.title = "关于<b>&amp;“引号”的通知"
    doc.body[0].text = "第一行\n\n  第三行 <&> ]]>"
    element = akn.issue_to_akn(result)
    assert akn.validate(element) == []
    back = read_akn(akn.to_bytes(element))
    assert back.documents[1].title == doc.title
    assert back.documents[1].body[0].text == doc.body[0].text


def test_read_rejects_what_is_not_akn() -> None:
    with pytest.raises(AknReadError):
        read_akn(b"<html/>")
    with pytest.raises(AknReadError):
        read_akn(b"<akomaNtoso")


# --- naming convention ----------------------------------------------------


def test_frbr_iris_of_a_notice(real_xml: etree._Element) -> None:
    doc = _component_doc(real_xml, "guanzhengfa-2018-64")
    ident = doc.find("a:meta/a:identification", NS)
    work = "/akn/cn-guanxian/doc/notice/2018-08-01/guanzhengfa-2018-64"
    assert ident.find("a:FRBRWork/a:FRBRuri", NS).get("value") == work
    assert ident.find("a:FRBRWork/a:FRBRthis", NS).get("value") == work + "/!main"
    assert ident.find("a:FRBRExpression/a:FRBRuri", NS).get("value") == work + "/zho@"
    assert ident.find("a:FRBRManifestation/a:FRBRuri", NS).get("value") == work + "/zho@.xml"
    number = ident.find("a:FRBRWork/a:FRBRnumber", NS)
    assert (number.get("value"), number.get("showAs")) == (
        "guanzhengfa-2018-64",
        "冠政发〔2018〕64号",
    )
    assert ident.find("a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "zho"
    assert ident.find("a:FRBRWork/a:FRBRcountry", NS).get("value") == "cn"
    assert doc.find("a:preface/a:p/a:docNumber", NS).text == "冠政发〔2018〕64号"
    assert doc.find("a:preface/a:p/a:docDate", NS).get("date") == "2018-08-01"


def test_every_frbr_date_is_a_full_date(real_xml: etree._Element) -> None:
    dates = real_xml.xpath("//a:FRBRdate/@date | //a:publication/@date", namespaces=NS)
    assert dates and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)


def test_gazette_meta_and_publication(real_xml: etree._Element) -> None:
    gazette = real_xml.find("a:officialGazette", NS)
    assert gazette.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == (
        "/akn/cn-guanxian/officialGazette/2018/3"
    )
    publication = gazette.find("a:meta/a:publication", NS)
    assert publication.get("name") == "冠县人民政府公报"
    assert publication.get("number") == "3"
    assert publication.get("showAs") == "2018年第3期（总第27期）"
    # The issue date is the latest date printed in the issue (docs/akn.md).
    assert publication.get("date") == "2018-10-08"


def test_eids_are_unique_across_the_gazette_and_prefixed(real_xml: etree._Element) -> None:
    eids = real_xml.xpath("//@eId")
    assert len(eids) == len(set(eids))
    body = real_xml.xpath("//a:collectionBody//a:mainBody//*[@eId]", namespaces=NS)
    assert body and all(re.match(r"cmp_\d+__", el.get("eId")) for el in body)


def test_toc_items_point_at_components(real_xml: etree._Element) -> None:
    eids = set(real_xml.xpath("//a:component/@eId", namespaces=NS))
    items = real_xml.findall(".//a:coverPage/a:toc/a:tocItem", NS)
    assert len([i for i in items if i.get("class") == "tocEntry"]) == 18
    assert all(item.get("href")[1:] in eids for item in items)
    assert [i.text for i in items if i.get("level") == "1"] == [
        "领导讲话",
        "县政府文件",
        "县政府办公室文件",
        "其他",
    ]


def test_references_resolve(real_xml: etree._Element) -> None:
    refs = set(real_xml.xpath("//a:references/*/@eId", namespaces=NS))
    pointers = real_xml.xpath("//@refersTo | //a:FRBRauthor/@href | //@as", namespaces=NS)
    assert pointers and all(p[1:] in refs for p in pointers)


def test_speech_has_its_speaker(real_xml: etree._Element) -> None:
    doc = _component_doc(real_xml, "guanxian-2018-03-01")
    assert doc.get("name") == "speech"
    person = doc.find("a:preface/a:p/a:person", NS)
    assert person.text == "崔新乐"
    assert real_xml.xpath(
        f"//a:TLCPerson[@eId='{person.get('refersTo')[1:]}']/@showAs", namespaces=NS
    ) == ["崔新乐"]


def test_signature_and_date_in_conclusions(real_xml: etree._Element) -> None:
    doc = _component_doc(real_xml, "guanzhengbanfa-2018-41")
    box = doc.find("a:conclusions/a:blockContainer", NS)
    assert box.find("a:p/a:signature/a:organization", NS).text == "冠县人民政府办公室"
    assert box.find("a:p/a:date", NS).get("date") == "2018-08-09"


def test_promulgated_plan_is_an_attachment_with_its_own_meta(real_xml: etree._Element) -> None:
    doc = _component_doc(real_xml, "guanzhengbanfa-2018-41")
    plan = doc.find("a:attachments/a:attachment/a:doc", NS)
    assert plan.get("name") == "plan"
    this = plan.find("a:meta/a:identification/a:FRBRWork/a:FRBRthis", NS).get("value")
    assert this.endswith("/guanzhengbanfa-2018-41/!attachment_1")
    assert (
        plan.find("a:preface/a:longTitle/a:p/a:docTitle", NS).text
        == "冠县全面推进政务公开工作实施方案"
    )
    assert plan.find("a:meta/a:proprietary/gb:promulgated", NS).get("id") == (
        "guanzhengbanfa-2018-41-text"
    )


def test_body_maps_to_hierarchical_containers(real_xml: etree._Element) -> None:
    doc = _component_doc(real_xml, "guanzhengfa-2018-83")
    plan = doc.find("a:attachments/a:attachment/a:doc", NS)
    chapter = plan.find("a:mainBody/a:chapter", NS)
    assert chapter.find("a:num", NS).text == "第一章"
    assert chapter.find("a:heading", NS).text == "发展基础"
    assert chapter.find("a:section/a:num", NS).text == "第一节"
    label = real_xml.xpath("//a:b[@class='label']", namespaces=NS)[0]
    assert label.getparent().tag == akn.A("p")
    table = real_xml.find(".//a:table", NS)
    assert table.find("a:tr/a:td/a:p", NS).text == "指标"


def test_to_bytes_is_utf8_with_declaration(real_xml: etree._Element) -> None:
    data = akn.to_bytes(real_xml)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "冠县人民政府公报".encode() in data
    assert akn.to_bytes(akn.issue_to_akn(parse_text(generate_issue(1, year=2018, number=3)))) == (
        akn.to_bytes(akn.issue_to_akn(parse_text(generate_issue(1, year=2018, number=3))))
    )
