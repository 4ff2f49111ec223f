"""After every change to published content: citations, a signed manifest, the bulk files.

``opendata.changes.after_commit`` calls ``refresh`` once the archive's
transaction has committed (the archive's ``content_committed`` signal);
``gongbao bulk`` (and ``gongbao keys``) repair by hand.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongbao.core import integrity
from gongbao.core.citations import extract_citations, link_citations, title_key
from gongbao.core.docnumber import normalize_doc_number
from gongbao.core.export.json_read import document_from_dict
from gongbao.site import access
from gongbao.site.archive.models import ArchiveState, Document, Gazette, Issue
from gongbao.site.opendata import keys, public
from gongbao.site.opendata.editions import edition_sha256
from gongbao.site.opendata.models import CitationLink, Manifest

log = logging.getLogger("gongbao.opendata")


def refresh(issue: Issue) -> None:
    refresh_citations(issue)
    if issue.is_published:
        record_manifest(issue)
    else:
        Manifest.objects.filter(issue_ident=issue.ident).update(withdrawn=True)


# -- manifests -------------------------------------------------------------------


def _hashes(manifest: Manifest) -> list[tuple[str, str]]:
    return [(d["id"], integrity.document_hash(d)) for d in manifest.documents]


def record_manifest(issue: Issue) -> Manifest:
    """Sign a manifest for the issue's public documents unless the last one says the same.

    Every manifest gets fresh salts: entries of an unchanged document differ from
    one manifest to the next, so not even "which entry went" shows after a withholding.
    """
    rows = list(public.documents().filter(issue=issue).select_related("gazette").order_by("seq"))
    datas = [public.document_data(d) for d in rows]
    hashes = [(d["id"], integrity.document_hash(d)) for d in datas]
    header = public.issue_dict(issue)
    version = public.latest_version(issue)
    print_sha = edition_sha256(issue)
    with transaction.atomic():
        # One chain for the whole archive: writers queue on the archive state row.
        ArchiveState.objects.get_or_create(pk=1)
        ArchiveState.objects.select_for_update().get(pk=1)
        last = Manifest.objects.filter(issue_ident=issue.ident).order_by("-pk").first()
        if (
            last is not None
            and _hashes(last) == hashes
            and last.signed["manifest"]["issue_sha256"]
            == integrity.sha256_hex(integrity.canonical_json(header))
            and last.signed["manifest"].get("print_edition_sha256") == print_sha
        ):
            if last.withdrawn:
                Manifest.objects.filter(issue_ident=issue.ident).update(withdrawn=False)
            return last
        keys.ensure()
        previous = Manifest.objects.order_by("-pk").first()
        now = timezone.now()
        if previous is not None and previous.published_at > now:
            now = previous.published_at
        salts = {ident: integrity.new_salt() for ident, _ in hashes}
        manifest = integrity.build_manifest(
            header, hashes, now, previous.sha256 if previous else None, salts, print_sha
        )
        signed = integrity.sign_manifest(manifest, keys.private_key(), keys.sm2_private_key())
        return Manifest.objects.create(
            gazette_slug=issue.gazette.slug,
            issue=issue,
            issue_ident=issue.ident,
            version=version.number if version else 1,
            signed=signed,
            sha256=integrity.manifest_hash(signed),
            previous=previous.sha256 if previous else "",
            key_id=signed["signature"]["key_id"],
            documents=datas,
            salts=salts,
            published_at=now,
        )


def servable(manifest: Manifest, withheld: set[str] | None = None) -> bool:
    """May the public fetch this manifest? A commitment manifest always: it names nothing.

    A legacy manifest (ids and hashes in the clear) only while none of the
    documents it lists has been withheld since.
    """
    if manifest.signed["manifest"].get("format") != integrity.LEGACY_MANIFEST_FORMAT:
        return True
    if withheld is None:
        withheld = access.withheld_idents(manifest.gazette_slug)
    return not any(d.get("id") in withheld for d in manifest.documents)


def manifests_of(issue_ident: str) -> list[Manifest]:
    """The issue's manifests the public may fetch, oldest first, while it is published."""
    found = list(Manifest.objects.filter(issue_ident=issue_ident, withdrawn=False).order_by("pk"))
    if not found:
        return []
    withheld = access.withheld_idents(found[0].gazette_slug)
    return [m for m in found if servable(m, withheld)]


def latest_manifest(issue_ident: str) -> Manifest | None:
    found = manifests_of(issue_ident)
    return found[-1] if found else None


def chain_to(manifest: Manifest) -> list[dict[str, Any]]:
    """The manifests from the first one up to ``manifest``: a contiguous, checkable chain."""
    return [m.signed for m in Manifest.objects.filter(pk__lte=manifest.pk).order_by("pk")]


def bundle_for(manifest: Manifest, ident: str | None = None) -> bytes:
    """A verification bundle: one document (or the whole version) with its signed manifest.

    Only documents public now, and only their salts: a withheld document's text
    and salt never leave the archive again.
    """
    withheld = access.withheld_idents(manifest.gazette_slug)
    docs = [
        d
        for d in manifest.documents
        if d.get("id") not in withheld and (ident is None or d.get("id") == ident)
    ]
    return integrity.make_bundle(docs, manifest.signed, keys.public_keys(), manifest.salts)


# -- citations ---------------------------------------------------------------------


def _known() -> dict[str, str]:
    """文号 and titles of every public document → ``slug/ident`` (issuer + title too)."""
    known: dict[str, str] = {}
    rows = public.documents().values_list("gazette__slug", "ident", "doc_number", "title", "issuer")
    for slug, ident, number, title, issuer in rows.order_by("pk").iterator(chunk_size=2000):
        target = f"{slug}/{ident}"
        if number:
            canonical = normalize_doc_number(number)
            if canonical:
                known.setdefault(canonical, target)
        if title:
            known.setdefault(title, target)
            if issuer:
                known.setdefault(issuer + title, target)
    return known


def refresh_citations(issue: Issue) -> int:
    """Extract and link the citations of the issue's public documents; relink older ones."""
    CitationLink.objects.filter(source__issue=issue).delete()
    if not issue.is_published:
        return 0
    known = _known()
    rows: list[CitationLink] = []
    docs = list(public.documents().filter(issue=issue).select_related("gazette"))
    for doc in docs:
        model = document_from_dict(public.document_data(doc))
        own = f"{doc.gazette.slug}/{doc.ident}"
        for n, c in enumerate(link_citations(extract_citations(model), known)):
            slug, _, ident = (c.target or "").partition("/")
            if c.target == own:
                slug = ident = ""
            rows.append(
                CitationLink(
                    source=doc,
                    position=n,
                    kind=c.kind,
                    anchor=c.anchor[:60],
                    printed=c.printed[:500],
                    snippet=c.snippet,
                    doc_number=c.doc_number or "",
                    title=(c.title or "")[:500],
                    target_gazette=slug,
                    target_ident=ident,
                )
            )
    CitationLink.objects.bulk_create(rows)
    _relink(docs)
    return len(rows)


def _relink(docs: list[Document]) -> None:
    """Citations elsewhere that named one of these documents before it was public."""
    numbers: dict[str, str] = {}
    titles: dict[str, str] = {}
    for doc in docs:
        target = f"{doc.gazette.slug}/{doc.ident}"
        if doc.doc_number and (canonical := normalize_doc_number(doc.doc_number)):
            numbers.setdefault(canonical, target)
        titles.setdefault(title_key(doc.title), target)
        if doc.issuer:
            titles.setdefault(title_key(doc.issuer + doc.title), target)
    pending = CitationLink.objects.filter(target_ident="").exclude(source__in=docs)
    for link in pending.iterator(chunk_size=2000):
        found = numbers.get(link.doc_number) if link.doc_number else None
        if found is None and link.title:
            found = titles.get(title_key(link.title))
        if found:
            slug, _, ident = found.partition("/")
            CitationLink.objects.filter(pk=link.pk).update(target_gazette=slug, target_ident=ident)


def _public_targets(targets: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (gazette slug, ident) are public documents, by the (gazette, ident) key."""
    targets = {(s, i) for s, i in targets if s and i}
    if not targets:
        return set()
    ids = dict(Gazette.objects.filter(slug__in={s for s, _ in targets}).values_list("slug", "pk"))
    wanted = Q()
    for slug, ident in targets:
        if slug in ids:
            wanted |= Q(gazette_id=ids[slug], ident=ident)
    if not wanted:
        return set()
    return set(public.documents().filter(wanted).values_list("gazette__slug", "ident"))


def citations(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """``cites`` (in text order, linked where the target is public) and ``cited_by``."""
    links = list(CitationLink.objects.filter(source=doc).order_by("position"))
    public_targets = _public_targets({(c.target_gazette, c.target_ident) for c in links})
    # Only what the public text still prints (a later de-identification may have removed it).
    text = json.dumps(public.document_data(doc), ensure_ascii=False)
    cites = []
    for link in links:
        if link.printed not in text:
            continue
        linked = (link.target_gazette, link.target_ident) in public_targets
        cites.append(
            {
                "kind": link.kind,
                "printed": link.printed,
                "doc_number": link.doc_number or None,
                "title": link.title or None,
                "anchor": link.anchor,
                "target": (f"{link.target_gazette}/{link.target_ident}" if linked else None),
                "url": public.doc_path(link.target_gazette, link.target_ident) if linked else None,
            }
        )
    sources = (
        public.documents()
        .filter(
            citation_links__target_gazette=doc.gazette.slug, citation_links__target_ident=doc.ident
        )
        .select_related("gazette", "issue")
        .distinct()
        .order_by("-issue__year", "-issue__number", "seq")
    )
    cited_by = [
        {
            "target": f"{d.gazette.slug}/{d.ident}",
            "title": d.title,
            "doc_number": d.doc_number or None,
            "issue": d.issue.ident,
            "url": public.doc_path(d.gazette.slug, d.ident),
        }
        for d in sources
    ]
    return {"cites": cites, "cited_by": cited_by}
