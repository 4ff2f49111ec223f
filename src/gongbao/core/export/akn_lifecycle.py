"""A document's life in Akoma Ntoso: lifecycle events and passive modifications.

Reads a ``document_to_akn`` root, the document's ``Lifecycle`` (its 成文, 施行
and 有效期) and the confirmed changes later documents made to it (``Change``,
with the changing document's work IRI and title). Writes into the document's
``meta``: ``lifecycle`` (one ``eventRef`` per event: generation, entry into
force, each amendment, extension and repeal, the end of its 有效期),
``analysis/passiveModifications`` (``textualMod`` repeal or substitution,
``forceMod`` prorogationOfForce for an extension) and the ``original``,
``passiveRef`` and ``TLCEvent`` references these point at. The result stays
valid against the vendored AKN 3.0 schema (``akn.validate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from lxml import etree

from gongbao.core.export.akn_xml import A
from gongbao.core.lifecycle import Change, Lifecycle

#: TLCEvent eId → how it is shown.
EVENTS = {
    "generation": "成文",
    "entryIntoForce": "施行",
    "amendment": "修改",
    "prorogation": "延长有效期",
    "repeal": "废止",
    "expiry": "有效期届满",
}
_CHANGE_EVENTS = {
    "amends": ("amendment", "amendment"),
    "extends": ("prorogation", "amendment"),
    "repeals": ("repeal", "repeal"),
    "replaces": ("repeal", "repeal"),
}
# Elements that follow these in ``meta`` (AKN 3.0 order).
_AFTER_LIFECYCLE = ("workflow", "analysis", "temporalData", "references", "notes", "proprietary")
_AFTER_ANALYSIS = ("temporalData", "references", "notes", "proprietary", "presentation")


@dataclass(frozen=True)
class ChangeRef:
    """A confirmed change with the changing document's work IRI and title (for ``passiveRef``)."""

    change: Change
    href: str
    title: str


def add_lifecycle(
    root: etree._Element, life: Lifecycle, changes: Sequence[ChangeRef] = ()
) -> etree._Element:
    """``root`` (one ``akomaNtoso/doc``) with its lifecycle and passive modifications added."""
    meta = cast(etree._Element, root[0].find(A("meta")))
    work = meta.findtext(f"{A('identification')}/{A('FRBRWork')}/{A('FRBRthis')}") or ""
    refs = meta.find(A("references"))
    if refs is None:
        refs = _insert(meta, etree.Element(A("references"), source="#gongbao"), ("notes",))
    title = root[0].findtext(f".//{A('docTitle')}") or ""
    _ref(refs, "original", "ro_1", work.split("/!")[0] + f"/{_language(meta)}@", title)
    events = _events(life, changes)
    if not events:
        return root
    lifecycle = etree.Element(A("lifecycle"), source="#gongbao")
    for n, (day, concept, kind, source) in enumerate(events, start=1):
        etree.SubElement(
            lifecycle,
            A("eventRef"),
            eId=f"evt_{n}",
            date=day.isoformat(),
            source=source,
            type=kind,
            refersTo=f"#{concept}",
        )
    _insert(meta, lifecycle, _AFTER_LIFECYCLE)
    for n, ref in enumerate(changes, start=1):
        _ref(refs, "passiveRef", f"rp_{n}", ref.href, ref.title or ref.change.by)
    if changes:
        _insert(meta, _analysis(changes, work), _AFTER_ANALYSIS)
    for concept in dict.fromkeys(c for _, c, _, _ in events):
        etree.SubElement(
            refs,
            A("TLCEvent"),
            eId=concept,
            href=f"/akn/ontology/events/{concept}",
            showAs=EVENTS[concept],
        )
    return root


def _language(meta: etree._Element) -> str:
    el = meta.find(f"{A('identification')}/{A('FRBRExpression')}/{A('FRBRlanguage')}")
    return el.get("language", "zho") if el is not None else "zho"


def _events(life: Lifecycle, changes: Sequence[ChangeRef]) -> list[tuple[date, str, str, str]]:
    """(day, TLCEvent, eventRef type, source) in date order."""
    events: list[tuple[date, str, str, str]] = []
    if life.issued:
        events.append((life.issued, "generation", "generation", "#ro_1"))
    if life.effective_date and life.effective_date != life.issued:
        events.append((life.effective_date, "entryIntoForce", "generation", "#ro_1"))
    end = life.expires
    for n, ref in enumerate(changes, start=1):
        concept, kind = _CHANGE_EVENTS[ref.change.kind]
        events.append((ref.change.on, concept, kind, f"#rp_{n}"))
        if ref.change.kind == "extends" and ref.change.until:
            end = ref.change.until
    if end is not None and not any(c.change.kind in ("repeals", "replaces") for c in changes):
        events.append((end, "expiry", "repeal", "#ro_1"))
    return sorted(events, key=lambda e: e[0])


def _analysis(changes: Sequence[ChangeRef], work: str) -> etree._Element:
    analysis = etree.Element(A("analysis"), source="#gongbao")
    passive = etree.SubElement(analysis, A("passiveModifications"))
    for n, ref in enumerate(changes, start=1):
        kind = ref.change.kind
        if kind == "extends":
            mod = etree.SubElement(
                passive, A("forceMod"), eId=f"pmod_{n}", type="prorogationOfForce"
            )
        else:
            mod_type = "substitution" if kind == "amends" else "repeal"
            mod = etree.SubElement(passive, A("textualMod"), eId=f"pmod_{n}", type=mod_type)
        etree.SubElement(mod, A("source"), href=f"#rp_{n}")
        etree.SubElement(mod, A("destination"), href=work)
    return analysis


def _ref(refs: etree._Element, tag: str, eid: str, href: str, show: str) -> None:
    # Document references come before the TLCs, as the schema's examples print them.
    el = etree.Element(A(tag), eId=eid, href=href, showAs=show or eid)
    refs.insert(sum(1 for c in refs if etree.QName(c).localname in ("original", "passiveRef")), el)


def _insert(meta: etree._Element, el: etree._Element, before: tuple[str, ...]) -> etree._Element:
    """Put ``el`` into ``meta`` ahead of the first child named in ``before``."""
    for i, child in enumerate(meta):
        if etree.QName(child).localname in before:
            meta.insert(i, el)
            return el
    meta.append(el)
    return el
