"""The document library (文件库): single documents, and how issues meet them.

A file without a gazette frame (no year and number on a cover) is a library
entry: an ``Issue`` of kind library holding the file's document(s), with the
versions, draft/published state and findings of any issue. Its documents get
stable identifiers (the 文号's, else issuer, date and title) that never change
when an issue later prints them. ``services`` writes; this module decides
(which gazette, which identifiers, whether two texts are the same document).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone

from gongbao.core.dates import parse_date
from gongbao.core.docnumber import normalize_doc_number
from gongbao.core.ids import slugify
from gongbao.core.model import ParseResult
from gongbao.site.archive import signals
from gongbao.site.archive.models import Gazette, Issue

LIBRARY_GAZETTE = ("wenjianku", "文件库")  # an archive without any gazette yet
DIFF_LINES = 40  # a finding's diff is for reading, not for the whole document
# Under one 文号, another title and fewer sentences in common than this: another document.
SAME_DOCUMENT_RATIO = 0.5
# Compared sentence by sentence: the same text cut from an issue or saved alone may
# break its paragraphs and name lists differently.
_SENTENCE_END_RE = re.compile(r"(?<=[。；！？])")


class LibraryError(Exception):
    """A single document cannot go into the library; the message is for the user."""


@dataclass
class SavedFile:
    """A file a saved page links to, read from beside the page."""

    name: str
    label: str
    data: bytes


def is_single(result: ParseResult) -> bool:
    """No gazette frame: neither year nor number printed on a cover."""
    return result.issue.year is None and result.issue.number is None


def library_gazette() -> Gazette:
    """The gazette whose library receives single documents.

    The gazette named by ``GONGBAO_DEFAULT_GAZETTE`` (made if new), else the only
    one in the archive, else a new 文件库 gazette; with several and no default the
    user must choose, since a document filed under the wrong gazette would match
    none of its issues.
    """
    slug = settings.DEFAULT_GAZETTE
    if slug:
        gazette, _ = Gazette.objects.get_or_create(slug=slug, defaults={"name": slug})
        return gazette
    gazettes = list(Gazette.objects.all()[:2])
    if len(gazettes) == 1:
        return gazettes[0]
    if gazettes:
        raise LibraryError(
            "档案库中有多个公报，无法确定单篇文件归入哪个公报的文件库："
            "请设置环境变量 GONGBAO_DEFAULT_GAZETTE（可选："
            + "、".join(g.slug for g in gazettes)
            + "）后重新导入"
        )
    gazette, _ = Gazette.objects.get_or_create(
        slug=LIBRARY_GAZETTE[0], defaults={"name": LIBRARY_GAZETTE[1]}
    )
    return gazette


def assign_library_idents(result: ParseResult, digest: str) -> None:
    """Stable identifiers for single documents: the 文号's (as for issues), else
    issuer + date + title, so that the same document imported again, or printed
    later in an issue, keeps its URL. ``digest`` names a document with none of them."""
    seen: dict[str, int] = {}
    for doc in result.documents:
        base = doc.ident if doc.doc_number is not None else _plain_ident(doc, digest)
        seen[base] = seen.get(base, 0) + 1
        doc.ident = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if doc.promulgates is not None:
            doc.promulgates.ident = f"{doc.ident}-text"


def _plain_ident(doc, digest: str) -> str:
    parts = [
        slugify(doc.issuer or "")[:40].strip("-"),
        doc.date.isoformat() if doc.date else "",
        slugify(doc.title or "")[:60].strip("-"),
    ]
    if not parts[0] and not parts[2]:
        return f"wenjian-{digest[:12]}"
    return "-".join(p for p in parts if p)


def entry_year(result: ParseResult) -> int:
    """The year a library entry is listed under: its first dated document's, else its
    文号's, else the year the archive received it (an undated text still needs a year
    for its 索引号 and the year lists)."""
    for doc in result.documents:
        if doc.date is not None:
            return doc.date.year
    for doc in result.documents:
        if doc.doc_number is not None and doc.doc_number.year:
            return doc.doc_number.year
    return timezone.localdate().year


def entry_ident(gazette: Gazette, first_doc_ident: str) -> str:
    """A library entry's identifier: its gazette's and its first document's (unique)."""
    base = f"{gazette.slug}-wj-{first_doc_ident}"[:110]
    candidate, n = base, 1
    while Issue.objects.filter(ident=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def text_lines(data: dict) -> list[str]:
    """A document's wording, line by line: title, body, attachments and enclosed plan.

    The head's layout (masthead, line numbers, page, TOC title) is left out: the
    same document cut from an issue or saved from a web page reads the same.
    """
    lines = [data.get("title") or ""]
    _collect(data.get("body", []), lines)
    for att in data.get("attachments", []):
        lines.append(att.get("title") or "")
        _collect(att.get("body", []), lines)
    plan = data.get("promulgated_document")
    if isinstance(plan, dict):
        lines.extend(text_lines(plan))
    return ["".join(line.split()) for line in lines if line and line.strip()]


def _collect(nodes: list[dict], out: list[str]) -> None:
    for node in nodes:
        if node.get("type") == "table":
            out.extend("".join(row) for row in node.get("rows", []))
        elif node.get("text"):
            out.append(node["text"])
        _collect(node.get("children", []), out)


def text_key(data: dict) -> str:
    """The same key for the same wording, however it is broken into paragraphs."""
    return hashlib.sha256("".join(text_lines(data)).encode()).hexdigest()


def _sentences(data: dict) -> list[str]:
    return [s for s in _SENTENCE_END_RE.split("".join(text_lines(data))) if s]


def text_diff(old: dict, new: dict, old_name: str, new_name: str) -> str:
    """The changed sentences of two texts (unified diff), cut to what an editor reads at once."""
    diff = list(
        difflib.unified_diff(_sentences(old), _sentences(new), old_name, new_name, n=0, lineterm="")
    )
    if len(diff) > DIFF_LINES:
        diff = [*diff[:DIFF_LINES], f"……（另有 {len(diff) - DIFF_LINES} 行差异）"]
    return "\n".join(diff)


def metadata_differences(metadata: dict[str, str], doc) -> list[str]:
    """Where a web page's metadata table and the document's text disagree (the text wins).

    ``doc`` is the parsed document; only the fields both print are compared.
    """
    out = []
    number = metadata.get("文号") or metadata.get("发文字号")
    printed = doc.doc_number.text if doc.doc_number is not None else ""
    if number and printed and normalize_doc_number(number) != normalize_doc_number(printed):
        out.append(f"文号：网页信息表为“{number}”，正文为“{printed}”")
    issuer = metadata.get("发文机关")
    if issuer and (doc.issuers or doc.issuer):
        names = {"".join(n.split()) for n in (doc.issuers or [doc.issuer])}
        if "".join(issuer.split()) not in names:
            out.append(f"发文机关：网页信息表为“{issuer}”，正文为“{'、'.join(sorted(names))}”")
    written = metadata.get("成文日期")
    if written and doc.date is not None:
        value = _metadata_date(written)
        if value is not None and value != doc.date:
            out.append(f"成文日期：网页信息表为“{written}”，正文为“{doc.date.isoformat()}”")
    return out


def _metadata_date(text: str) -> date | None:
    parsed = parse_date(text)
    if parsed is not None:
        return parsed.value
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None


def number_taken(entry: Issue | None, result: ParseResult) -> str:
    """A single document whose 文号 names a different document in the library entry
    (another title and another text): not that document's new version. Says so; ""
    when none clashes.

    The same 文号 with the same title, or with mostly the same sentences (a corrected
    title), is the document again and a new wording its new version; with another
    title and text, storing it would overwrite a different document.
    """
    from gongbao.core.export.json import document_dict
    from gongbao.site.archive.models import Document

    if entry is None:
        return ""
    held = {d.ident: d for d in Document.objects.filter(library=entry)}
    clashes = []
    for doc in result.documents:
        row = held.get(doc.ident)
        if doc.doc_number is None or row is None or not row.title or not doc.title:
            continue
        if "".join(row.title.split()) == "".join(doc.title.split())[:500]:
            continue
        same = difflib.SequenceMatcher(
            None, _sentences(row.data), _sentences(document_dict(doc)), autojunk=False
        )
        if same.ratio() < SAME_DOCUMENT_RATIO:
            clashes.append(
                f"文号“{doc.doc_number.text}”已由文件库中的《{row.title}》使用，"
                f"本文件标题为《{doc.title}》"
            )
    if not clashes:
        return ""
    return (
        "未导入：" + "；".join(clashes) + "。不是同一文件时请核对文号；"
        "确为该文件的更正（标题有改动）时，请加 --allow-removals 重新导入"
    )


def metadata_note(metadata: dict[str, str] | None, result: ParseResult) -> str:
    """The import summary's line for a page whose metadata table contradicts its text."""
    if not metadata or len(result.documents) != 1:
        return ""
    differences = metadata_differences(metadata, result.documents[0])
    if not differences:
        return ""
    return "网页信息表与正文不一致，以正文为准：" + "；".join(differences)


def saved_attachments(path: Path) -> tuple[list, list[str]]:
    """The files a saved page links to, read from where a browser saves them: the link's
    own relative path, ``<name>_files/`` (or ``<name>.files/``) or beside the page. Nothing
    is fetched; a link with no saved file is named in the second list."""
    from gongbao.core.readers.html import attachment_links

    folder = path.parent.resolve()
    files, missing, seen = [], [], set()
    for href, label in attachment_links(path.read_bytes(), path.name):
        parts = urlsplit(href)
        base = unquote(parts.path).replace("\\", "/").rsplit("/", 1)[-1]
        candidates = []
        if not parts.scheme and not parts.netloc:
            candidates.append(folder / unquote(parts.path).lstrip("/"))
        candidates += [folder / f"{path.stem}{s}" / base for s in ("_files", ".files")]
        candidates.append(folder / base)
        found = next((c.resolve() for c in candidates if _inside(c, folder) and c.is_file()), None)
        if found is None:
            missing.append(base or href)
        elif found not in seen:
            seen.add(found)
            files.append(SavedFile(found.name, label, found.read_bytes()))
    return files, missing


def _inside(candidate: Path, folder: Path) -> bool:
    """A link may name a file in the page's folder or below it, nothing else on the disk."""
    try:
        candidate.resolve().relative_to(folder)
    except ValueError:
        return False
    return True


def record_portal(issue: Issue, idents: list[str], path: Path, metadata: dict | None) -> str:
    """A saved page's metadata table and attachments, recorded for its one document by
    ``portal`` (the archive's import calls this for a new version, in its transaction);
    the summary's note, "" if none."""
    if len(idents) != 1 or path.suffix.lower() not in (".html", ".htm") or not path.is_file():
        return ""
    files, missing = saved_attachments(path)
    signals.saved_page_imported.send(
        sender=Issue, issue=issue, ident=idents[0], source=path.name, metadata=metadata or {},
        files=files,
    )  # fmt: skip
    notes = []
    if files:
        notes.append(f"网页附件 {len(files)} 个已存入：" + "、".join(f.name for f in files))
    if missing:
        notes.append("网页链接的附件未随网页保存，未导入：" + "、".join(missing))
    return "；".join(notes)
