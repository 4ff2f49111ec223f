"""Print-ready, signed PDFs of documents and issues.

The PDF is made from the structured text (never from the source file): an HTML
page laid out after GB/T 9704-2012 (A4, 版心 156 mm × 225 mm, 发文机关标志 in red,
red separator, 2号 title, 3号 body of 22 lines × 28 characters, signature and
date at the right, 版记), printed by headless Chromium with the Noto CJK fonts
embedded. Every page carries a visible 电子水印: the publisher and the
document's SHA-256. The file is then signed (PAdES B-B, pyHanko) with the
publisher's certificate, so PDF readers show whether it changed after signing.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from gongbao.core.export.json import SECTION_TYPES


def document_html(
    data: dict[str, Any], *, gazette: str, issue_label: str, digest: str, publisher: str
) -> str:
    return render_to_string(
        "opendata/print.html",
        {
            "docs": [_doc_context(data)],
            "gazette": gazette,
            "issue_label": issue_label,
            "digest": digest,
            "publisher": publisher,
        },
    )


def issue_html(
    datas: list[dict[str, Any]], *, gazette: str, issue_label: str, digest: str, publisher: str
) -> str:
    return render_to_string(
        "opendata/print.html",
        {
            "docs": [_doc_context(d) for d in datas],
            "gazette": gazette,
            "issue_label": issue_label,
            "digest": digest,
            "publisher": publisher,
            "cover": True,
        },
    )


def _flatten(nodes: list[dict[str, Any]], out: list[dict[str, Any]]) -> None:
    for n in nodes:
        kind = n.get("type")
        if kind in SECTION_TYPES:
            out.append(
                {
                    "kind": "heading",
                    "level": min(4, n.get("level") or 1),
                    "text": n.get("text") or "",
                }
            )
            _flatten(n.get("children") or [], out)
        elif kind == "table":
            out.append({"kind": "table", "rows": n.get("rows") or []})
        else:
            text = n.get("text") or ""
            label = n.get("label") or ""
            if label and not text.startswith(label):
                text = label + text
            out.append({"kind": "lines" if kind == "lines" else "p", "text": text})


def _doc_context(data: dict[str, Any]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    _flatten(data.get("body") or [], blocks)
    atts = []
    for att in data.get("attachments") or []:
        body: list[dict[str, Any]] = []
        _flatten(att.get("body") or [], body)
        atts.append({"number": att.get("number"), "title": att.get("title"), "blocks": body})
    plan = data.get("promulgated_document")
    head = {h.get("role"): h.get("text") for h in data.get("head") or []}
    return {
        "data": data,
        "blocks": blocks,
        "attachments": atts,
        "plan": _doc_context(plan) if plan else None,
        "masthead": head.get("masthead"),
        "colophon": [
            h.get("text")
            for h in data.get("head") or []
            if h.get("role") in ("note", "copy_to", "printed_by")
        ],
    }


def render_pdf(html: str) -> bytes:
    from gongbao.site.tracker.pdf import html_to_pdf

    return html_to_pdf(html, timeout=120)


def sign_pdf(pdf: bytes, *, key_path, cert_path, publisher: str, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="GongbaoSignature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location="中国",
        name=publisher,
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()
