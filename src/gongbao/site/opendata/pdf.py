"""Print-ready, signed PDFs of documents, and the print edition of an issue.

The PDF is made from the structured text the site shows (never from the source
file): an HTML page laid out after GB/T 9704-2012 (A4, 版心 156 mm × 225 mm,
发文机关标志 in red, red separator, 2号 title, 3号 body of 22 lines × 28
characters, 层次序数 一、 in 黑体, （一） in 楷体, 1. in 仿宋, signature and
date at the right, 版记), printed by headless Chromium (``site/printing.py``)
with the Noto CJK fonts embedded. The body is the site's own rendering
(``site.render``), so the text a reader copies from the PDF is the site's text.

The issue's print edition (``print_edition``) adds a cover (name, year and
number, 总第, 主办/编辑出版 when the issue's data has them, publication date), a
目录 whose page numbers are real, running heads and — N — folios on every page
but the cover (CSS ``@page`` margin boxes), bookmarks for every document and
the document metadata. The 目录 links to each document (``#doc-SEQ``), so
Chromium writes a named destination per document: the first rendering tells
on which page each document starts, the second prints those numbers in the
目录 (whose layout does not depend on them: the number sits in a fixed box);
it renders again until the numbers hold.

Every page carries a 电子水印 (the publisher and the content's SHA-256) as an
image, so text extraction never returns it. The file is then signed (PAdES
B-B, pyHanko) with the publisher's certificate, after the bookmarks.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from gongbao.site import printing
from gongbao.site.opendata.editions import edition_path, pdf_folder
from gongbao.site.render import render_document

#: The print edition's 目录 is rendered again until its page numbers hold; one
#: more pass than two has never been needed (the numbers sit in a fixed box).
MAX_PASSES = 4
TIMEOUT = 180  # seconds per rendering: a 200-page issue takes well under a minute


@dataclass
class PrintEdition:
    """An issue's print edition: the (signed) PDF and where each document starts."""

    pdf: bytes
    pages: dict[str, int] = field(default_factory=dict)  # document id → first page (1 = cover)
    page_count: int = 0

    def page_list(self) -> list[tuple[str, int]]:
        return sorted(self.pages.items(), key=lambda kv: kv[1])


def chinese_date(value: str | date | None) -> str:
    """2018-08-01 → 2018年8月1日 (GB/T 9704: 成文日期 in Arabic numerals, no leading zeros)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"


# -- HTML ---------------------------------------------------------------------------


def _head(data: dict[str, Any], *roles: str) -> list[str]:
    return [h.get("text") or "" for h in data.get("head") or [] if h.get("role") in roles]


def _doc_context(data: dict[str, Any], seq: int) -> dict[str, Any]:
    rendered = render_document(data)
    return {
        "seq": seq,
        "id": data.get("id") or "",
        "masthead": "\n".join(_head(data, "masthead")),
        "doc_number": data.get("doc_number") or "",
        "title": data.get("title") or data.get("toc_title") or "",
        "date_note": rendered.date_note,
        "body": mark_safe(rendered.html),  # every piece escaped by site.render
        "colophon": _head(data, "note", "copy_to", "printed_by"),
    }


def _watermark(lines: list[str]) -> str:
    """The 电子水印 as a PNG data: URL (an image: no characters for text extraction)."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:  # pragma: no cover - Pillow comes with pyHanko's extras
        return ""
    font = _font(ImageFont, 34)
    width, height = 1240, 560
    img = Image.new("LA", (width, height), (0, 0))
    draw = ImageDraw.Draw(img)
    y = 40
    for line in lines:
        box = draw.textbbox((0, 0), line, font=font)
        draw.text(((width - (box[2] - box[0])) / 2, y), line, fill=(90, 255), font=font)
        y += 60
    img = img.rotate(25, expand=False, resample=Image.Resampling.BICUBIC)
    out = io.BytesIO()
    img.convert("RGBA").save(out, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _font(image_font, size: int):
    for path in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        _fc_match("Noto Sans CJK SC"),
    ):
        if path and Path(path).is_file():
            try:
                return image_font.truetype(path, size, index=2 if path.endswith(".ttc") else 0)
            except OSError:
                continue
    return image_font.load_default(size)


def _fc_match(family: str) -> str:
    exe = shutil.which("fc-match")
    if not exe:
        return ""
    try:
        run = subprocess.run(
            [exe, "-f", "%{file}", family], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return run.stdout.strip()


def _watermark_lines(publisher: str, gazette: str, issue_label: str, digest: str) -> list[str]:
    return [
        f"电子水印 · {publisher}",
        f"{gazette} {issue_label} 电子版",
        f"SHA-256 {digest[:32]}",
        digest[32:],
    ]


def _running_head(gazette: str, issue_label: str) -> str:
    """冠县人民政府公报　2018年第3期 (a label that already names the gazette is kept as it is)."""
    label = issue_label.strip()
    if label.startswith(gazette):
        label = label[len(gazette) :].strip()
    return f"{gazette}　{label}" if label else gazette


def document_html(
    data: dict[str, Any], *, gazette: str, issue_label: str, digest: str, publisher: str
) -> str:
    """One document, GB/T 9704 layout; running head and folios, no cover or 目录."""
    return render_to_string(
        "opendata/print.html",
        {
            "docs": [_doc_context(data, data.get("seq") or 1)],
            "gazette": gazette,
            "issue_label": issue_label,
            "running_head": _running_head(gazette, issue_label),
            "digest": digest,
            "publisher": publisher,
            "watermark": _watermark(_watermark_lines(publisher, gazette, issue_label, digest)),
        },
    )


def _toc(issue: dict[str, Any], datas: list[dict[str, Any]], pages: dict[str, int]):
    groups: dict[str, list[dict[str, Any]]] = {}
    for seq, data in enumerate(datas, start=1):
        groups.setdefault(data.get("section") or "", []).append(
            {
                "seq": seq,
                "title": data.get("toc_title") or data.get("title") or "",
                "doc_number": data.get("doc_number") or "",
                "page": pages.get(data.get("id") or "", ""),
            }
        )
    order = [s for s in issue.get("sections") or [] if s in groups]
    order += [s for s in groups if s not in order]
    return [{"name": name, "entries": groups[name]} for name in order]


def _cover(issue: dict[str, Any], issue_label: str, published: date | None) -> dict[str, Any]:
    credits = [
        (label, issue.get(key))
        for label, key in (("主管", "supervisor"), ("主办", "sponsor"), ("编辑出版", "editor"))
        if issue.get(key)
    ]
    total = issue.get("cumulative_number")
    return {
        "latin": issue.get("gazette_latin") or "",
        "number": issue_label,
        "total": f"总第{total}期" if total else "",
        "date": f"{chinese_date(published)}出版" if published else "",
        "slogan": issue.get("slogan") or "",
        "credits": credits,
    }


def issue_label_of(issue: dict[str, Any]) -> str:
    number = issue.get("number")
    end = issue.get("number_end")
    label = f"{number}、{end}" if end else f"{number}"
    return f"{issue.get('year')}年第{label}期"


def issue_html(
    datas: list[dict[str, Any]],
    *,
    gazette: str,
    issue_label: str,
    digest: str,
    publisher: str,
    issue: dict[str, Any] | None = None,
    published: date | None = None,
    pages: dict[str, int] | None = None,
) -> str:
    """The issue's print edition as HTML: cover, 目录 (``pages``: id → page), documents."""
    issue = issue or {}
    return render_to_string(
        "opendata/print.html",
        {
            "docs": [_doc_context(d, seq) for seq, d in enumerate(datas, start=1)],
            "gazette": gazette,
            "issue_label": issue_label,
            "running_head": _running_head(gazette, issue_label),
            "digest": digest,
            "publisher": publisher,
            "cover": _cover(issue, issue_label, published),
            "leader": "…" * 30,
            "toc": _toc(issue, datas, pages or {}),
            "watermark": _watermark(_watermark_lines(publisher, gazette, issue_label, digest)),
        },
    )


# -- rendering ------------------------------------------------------------------------


def render_pdf(html: str) -> bytes:
    return printing.html_to_pdf(html, timeout=TIMEOUT)


def start_pages(pdf: bytes, datas: list[dict[str, Any]]) -> dict[str, int]:
    """Document id → the page (from 1) its named destination ``doc-SEQ`` points to."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(pdf)
    try:
        found: dict[str, int] = {}
        for seq, data in enumerate(datas, start=1):
            dest = raw.FPDF_GetNamedDestByName(doc.raw, f"doc-{seq}".encode())
            if dest:
                index = raw.FPDFDest_GetDestPageIndex(doc.raw, dest)
                if index >= 0:
                    found[data.get("id") or f"doc-{seq}"] = index + 1
        return found
    finally:
        doc.close()


def _page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def finish(
    pdf: bytes,
    *,
    title: str,
    author: str,
    subject: str = "",
    outline: list[tuple[str, int, list[tuple[str, int]]]] = (),
) -> bytes:
    """Bookmarks (``outline``: (section, page, [(title, page)]) with pages from 1) and metadata."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for section, page, children in outline:
        parent = writer.add_outline_item(title=section, page_number=page - 1)
        for child, child_page in children:
            writer.add_outline_item(title=child, page_number=child_page - 1, parent=parent)
    meta = {"/Title": title, "/Author": author, "/Creator": "gongbao", "/Producer": "gongbao"}
    if subject:
        meta["/Subject"] = subject
    writer.add_metadata(meta)
    if outline:
        writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    writer.create_viewer_preferences().display_doctitle = True
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_edition(
    issue: dict[str, Any],
    datas: list[dict[str, Any]],
    *,
    gazette: str,
    digest: str,
    publisher: str,
    published: date | None = None,
) -> PrintEdition:
    """The unsigned print edition: two (or more) renderings until the 目录's numbers hold."""
    label = issue_label_of(issue)
    pages: dict[str, int] = {}
    raw_pdf = b""
    for _ in range(MAX_PASSES):
        html = issue_html(
            datas, gazette=gazette, issue_label=label, digest=digest, publisher=publisher,
            issue=issue, published=published, pages=pages,
        )  # fmt: skip
        raw_pdf = render_pdf(html)
        found = start_pages(raw_pdf, datas)
        if found == pages:
            break
        pages = found
    else:
        raise printing.PdfUnavailable("目录页码在多次排版后仍不稳定，无法生成印刷版 PDF。")
    outline: list[tuple[str, int, list[tuple[str, int]]]] = [("封面", 1, []), ("目录", 2, [])]
    for section in _toc(issue, datas, pages):
        entries = [(e["title"], int(e["page"])) for e in section["entries"] if e["page"]]
        if not entries:
            continue
        if section["name"]:
            outline.append((section["name"], entries[0][1], entries))
        else:
            outline.extend((t, p, []) for t, p in entries)
    total = issue.get("cumulative_number")
    title = f"{gazette} {label}" + (f"（总第{total}期）" if total else "")
    finished = finish(
        raw_pdf, title=title, author=publisher, subject=f"SHA-256 {digest}", outline=outline
    )
    return PrintEdition(finished, pages, _page_count(finished))


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


def pages_json(edition: PrintEdition) -> str:
    return json.dumps(
        {"pages": edition.pages, "page_count": edition.page_count}, ensure_ascii=False
    )


# -- the site: what the issue page, the PDF URL and publishing call ---------------------


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def sign_with_site_key(raw_pdf: bytes, reason: str) -> bytes:
    from gongbao.site.opendata import keys

    keys.ensure()
    folder = keys.keys_dir()
    return sign_pdf(
        raw_pdf,
        key_path=folder / keys.PDF_KEY,
        cert_path=folder / keys.PDF_CERT,
        publisher=keys.publisher_name(),
        reason=reason,
    )


def _key_id() -> str:
    from gongbao.site.opendata import keys

    keys.ensure()
    return (keys.current() or {}).get("key_id", "")


def issue_digest(issue) -> tuple[str, list[dict[str, Any]] | None]:
    """The issue's content hash: its latest manifest's, else the hash of its public JSON."""
    from gongbao.core import integrity
    from gongbao.site.opendata import services

    manifest = services.latest_manifest(issue.ident)
    if manifest is not None:
        return manifest.sha256, None
    datas = _issue_datas(issue)
    return integrity.sha256_hex(integrity.canonical_json(datas)), datas


def _issue_datas(issue) -> list[dict[str, Any]]:
    from gongbao.site.opendata import public

    return [public.document_data(d) for d in public.documents().filter(issue=issue).order_by("seq")]


def _pages_path(issue) -> Path:
    """The page map is keyed by the issue's content hash: read without a database query."""
    return pdf_folder() / f"issue-{issue.ident}-{(issue.content_hash or '')[:16]}.pages.json"


def keep_edition(issue, signed: bytes, edition: PrintEdition) -> Path:
    """Keep the signed print edition of 出刊 as the issue's PDF, with its page map.

    ``issue.content_hash`` must already be the published content's: the file is the
    one ``issue_print`` serves and the one whose SHA-256 the issue's manifest signs.
    """
    path = edition_path(issue)
    _write(path, signed)
    remember_pages(issue, edition)
    return path


def issue_print(issue) -> PrintEdition:
    """The issue's signed print edition and its page map (document id → first page).

    The edition kept at 出刊 where there is one (``keep_edition``); otherwise made once
    per content hash and signing key, and later calls read the files
    (``issue-HASH-KEY.pdf`` and ``issue-IDENT-CONTENTHASH.pages.json`` in ``pdf_folder()``).
    Raises ``printing.PdfUnavailable`` (a Chinese message) when it cannot be printed.
    """
    from gongbao.site.opendata import keys, public

    pages_path = _pages_path(issue)
    kept = _stored(edition_path(issue), pages_path) if issue.content_hash else None
    if kept is not None:
        return kept
    digest, datas = issue_digest(issue)
    path = pdf_folder() / f"issue-{digest[:32]}-{_key_id()}.pdf"
    made = _stored(path, pages_path)
    if made is not None:
        return made
    if datas is None:
        datas = _issue_datas(issue)
    edition = print_edition(
        public.issue_dict(issue),
        datas,
        gazette=issue.gazette.name,
        digest=digest,
        publisher=keys.publisher_name(),
        published=public.issue_date(issue),
    )
    signed = sign_with_site_key(edition.pdf, f"{issue} 电子版，清单 SHA-256 {digest}")
    edition = PrintEdition(signed, edition.pages, edition.page_count)
    _write(path, signed)
    remember_pages(issue, edition)
    return edition


def _stored(pdf_path: Path, pages_path: Path) -> PrintEdition | None:
    """A signed PDF made earlier with its page map, None unless both files are there."""
    if not (pdf_path.is_file() and pages_path.is_file()):
        return None
    stored = json.loads(pages_path.read_text("utf-8"))
    return PrintEdition(pdf_path.read_bytes(), stored["pages"], stored.get("page_count", 0))


def remember_pages(issue, edition: PrintEdition) -> None:
    """Keep ``edition``'s page map where the issue page reads it (``cached_pages``).

    For callers that print the edition themselves (``print_edition``, e.g. at 出刊).
    """
    _write(_pages_path(issue), pages_json(edition).encode("utf-8"))


def cached_pages(issue) -> dict[str, int]:
    """The page map of the issue's print edition if it has been made (never renders, no query)."""
    path = _pages_path(issue)
    if not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text("utf-8")).get("pages") or {})
    except (OSError, ValueError):
        return {}
