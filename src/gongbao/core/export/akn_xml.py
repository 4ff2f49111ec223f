"""Akoma Ntoso XML building blocks: namespaces, element and text helpers, and validation
against the vendored OASIS schema (used by every ``akn_*`` module).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: Our extension namespace: attributes and proprietary metadata AKN has no element for.
GB_NS = "urn:x-gongbao:akn:1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Any: lxml-stubs want str keys, but the default namespace is lxml's None key
NSMAP: dict[Any, str] = {None: AKN_NS, "gb": GB_NS}
LANGUAGE = "zho"  # ISO 639-2 alpha-3, as FRBRlanguage wants
XML_LANG = "zh-Hans"  # BCP 47, as xml:lang wants

#: Section numbering styles that have an AKN element of their own; the rest are
#: ``hcontainer name="{style}"``.
STYLE_ELEMENTS = {"part": "part", "chapter": "chapter", "section": "section", "article": "article"}
#: Short eId names (cobalt's habit: ``chp_1``, ``sec_2``, ``para_3``).
EID_NAMES = {
    "part": "part",
    "chapter": "chp",
    "section": "sec",
    "article": "art",
    "hcontainer": "hcontainer",
    "paragraph": "para",
}
UNNUMBERED = "unnumbered"  # hcontainer@name of a section without a numbering style
CROSSHEADING = "crossheading"  # hcontainer@name of a ``heading`` node
NONE_SECTION = "-"  # gb:section value meaning "section is None" where "" would be ambiguous

# Characters XML 1.0 cannot carry at all; lxml refuses them. They only come
# from broken conversions, so they are replaced rather than encoded.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def A(tag: str) -> str:
    """Clark name of an AKN element."""
    return f"{{{AKN_NS}}}{tag}"


def G(name: str) -> str:
    """Clark name of a gongbao extension attribute or element."""
    return f"{{{GB_NS}}}{name}"


def _clean(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _el(
    parent: etree._Element | None, tag: str, text: str | None = None, **attrib: Any
) -> etree._Element:
    """Make an AKN element (appended to ``parent`` when given); None-valued attributes are left out."""
    attrs = {_attr_name(k): _clean(str(v)) for k, v in attrib.items() if v is not None}
    if parent is None:
        el = etree.Element(A(tag), attrs, nsmap=NSMAP)
    else:
        el = etree.SubElement(parent, A(tag), attrs)
    if text:
        el.text = _clean(text)
    return el


def _lang(el: etree._Element) -> etree._Element:
    """Mark the language: AKN allows ``xml:lang`` on content containers, not on ``doc``."""
    el.set(f"{{{XML_NS}}}lang", XML_LANG)
    return el


def _attr_name(key: str) -> str:
    # gb_style → {GB_NS}style; class_ → class (a Python keyword)
    if key.startswith("gb_"):
        return G(key[3:])
    return key.rstrip("_")


def _set_text_lines(el: etree._Element, text: str) -> None:
    """Append ``text`` to ``el``; a line break becomes ``<br/>`` (hard breaks are content)."""
    parts = _clean(text).split("\n")
    _append_text(el, parts[0])
    for part in parts[1:]:
        br = etree.SubElement(el, A("br"))
        br.tail = part or None


def _append_text(el: etree._Element, text: str) -> None:
    if not text:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def schema_path() -> Any:
    """The vendored ``akomantoso30.xsd`` (``xml.xsd`` sits beside it; see docs/akn.md)."""
    return resources.files("gongbao").joinpath("schema/akn/akomantoso30.xsd")


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The AKN 3.0 schema, parsed once, from its file path so ``./xml.xsd`` resolves offline."""
    with resources.as_file(schema_path()) as path:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(path), parser))


def validate(element: etree._Element | etree._ElementTree) -> list[str]:
    """Schema errors as ``line: message``; an empty list means valid."""
    xsd = schema()
    if xsd.validate(element):
        return []
    return [f"{e.line}: {e.message}" for e in xsd.error_log]  # type: ignore[attr-defined]
