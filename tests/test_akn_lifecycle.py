"""Akoma Ntoso lifecycle: events and passive modifications of a document, valid against AKN 3.0."""

from __future__ import annotations

from datetime import date

from lxml import etree

from gongbao.core import parse_file, parse_text
from gongbao.core.export import akn
from gongbao.core.export.akn_lifecycle import ChangeRef, add_lifecycle
from gongbao.core.export.akn_read import read_akn
from gongbao.core.lifecycle import Change, extract_lifecycle
from tests.conftest import shared_path
from tests.test_lifecycle import RULE

NS = {"a": akn.AKN_NS}
CHANGES = [
    ChangeRef(Change("amends", date(2017, 6, 1), "mou-amend"), "/akn/cn/doc/mou-amend", "修改决定"),
    ChangeRef(
        Change("extends", date(2020, 3, 15), "mou-extend", until=date(2023, 12, 31)),
        "/akn/cn/doc/mou-extend",
        "延长通知",
    ),
    ChangeRef(
        Change("repeals", date(2023, 7, 1), "mou-repeal"), "/akn/cn/doc/mou-repeal", "新办法"
    ),
]


def _rule_xml(changes: list[ChangeRef]) -> etree._Element:
    result = parse_text(RULE)
    doc = result.documents[0]
    return add_lifecycle(akn.document_to_akn(doc, result.issue), extract_lifecycle(doc), changes)


def test_generated_chain_is_valid_with_its_events_in_order() -> None:
    root = _rule_xml(CHANGES)
    assert akn.validate(root) == []
    events = root.xpath("//a:lifecycle/a:eventRef", namespaces=NS)
    assert [(e.get("date"), e.get("refersTo"), e.get("source")) for e in events] == [
        ("2015-03-10", "#generation", "#ro_1"),
        ("2015-04-01", "#entryIntoForce", "#ro_1"),
        ("2017-06-01", "#amendment", "#rp_1"),
        ("2020-03-15", "#prorogation", "#rp_2"),
        ("2023-07-01", "#repeal", "#rp_3"),
    ]
    mods = root.xpath("//a:passiveModifications/*", namespaces=NS)
    assert [(etree.QName(m).localname, m.get("type")) for m in mods] == [
        ("textualMod", "substitution"),
        ("forceMod", "prorogationOfForce"),
        ("textualMod", "repeal"),
    ]
    refs = root.xpath("//a:references/a:passiveRef/@href", namespaces=NS)
    assert refs == ["/akn/cn/doc/mou-amend", "/akn/cn/doc/mou-extend", "/akn/cn/doc/mou-repeal"]


def test_own_validity_ends_in_an_expiry_event() -> None:
    root = _rule_xml([])
    assert akn.validate(root) == []
    last = root.xpath("//a:lifecycle/a:eventRef", namespaces=NS)[-1]
    assert (last.get("date"), last.get("refersTo")) == ("2020-03-31", "#expiry")
    assert not root.xpath("//a:analysis", namespaces=NS)


def test_real_documents_stay_valid_and_read_back() -> None:
    for name in ("lawref-samr-ling45-2021", "lawref-laoshebu-2008-3", "guohan-2003-46-dingxi-trad"):
        result = parse_file(shared_path("corpus", "real", f"{name}.txt"))
        for doc in result.documents:
            root = add_lifecycle(akn.document_to_akn(doc, result.issue), extract_lifecycle(doc))
            assert akn.validate(root) == [], name
            assert read_akn(akn.to_bytes(root)).documents[0].title == doc.title
