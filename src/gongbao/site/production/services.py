"""Production services: the only code that writes the production tables.

收稿: a department's file is read and parsed by the archive's own import (a
library entry of the 文件库, proofread on arrival), under its submitting unit;
the office returns it with a note (退改) and the department uploads a revised
version (the library keeps every version).
编排: an editor creates an issue and places library documents into its sections.
校对: ``report`` adds the issue-level checks to each document's own findings.
签发: a reviewer who did not edit the issue signs off its content hash; any later
change voids the sign-off. 出刊: ``publish`` writes the signed-off issue into the
archive and publishes it (pages, search, API, feeds, bulk files and the signed
manifest follow the archive's commit) with its print PDF, all from one content
hash. 勘误: a reviewer-approved correction of a published document.

Every refusal is a ``ProductionError`` with a Chinese message; every step is in
the audit log (subject ``issue:<ident>`` or ``submission:<id>``).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from gongbao.core import integrity
from gongbao.core.docnumber import normalize_doc_number
from gongbao.core.export.json import to_dict
from gongbao.core.model import DocNumber, ParseResult
from gongbao.core.model import Document as ParsedDocument
from gongbao.core.parse import parse_stream
from gongbao.core.readers import ReadError
from gongbao.core.readers.detect import read_source
from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive import library
from gongbao.site.archive.models import BodyNode, Document, Finding, Gazette, Issue, IssueVersion
from gongbao.site.production.guard import publishing
from gongbao.site.production.models import (
    Composition,
    Correction,
    DepartmentAccount,
    Edition,
    NewsItem,
    Placement,
    SignOff,
    Submission,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from gongbao.site.opendata.pdf import PrintEdition

log = logging.getLogger("gongbao.production")

#: Sections by 文种 and issuer level, for a gazette without a profile of its own.
DEFAULT_SECTIONS = ["政府令", "政府文件", "政府办公室文件", "部门文件", "人事任免", "政务信息"]
NEWS_SECTION = "政务信息"
CORRECTION_SECTION = "勘误"
ACCEPTED_SUFFIXES = (".docx", ".pdf", ".txt", ".html", ".htm", ".md")


class ProductionError(Exception):
    """A refused step; the message is for the user (Chinese)."""


def _audit(subject: str, action: str, actor: Actor = None, after: str = "", note: str = "") -> None:
    from gongbao.site.disclosure.services import audit

    audit(subject, action, staff_member(actor), after=after, note=note)


def _require(user: Actor, perm: str, message: str) -> None:
    user = staff_member(user)
    if user is not None and not user.has_perm(f"production.{perm}"):
        raise ProductionError(message)


# -- 收稿 ----------------------------------------------------------------------------------


def set_unit(user: AbstractUser, unit: str) -> DepartmentAccount:
    unit = unit.strip()
    if not unit:
        raise ProductionError("报送单位不能为空")
    row, _ = DepartmentAccount.objects.update_or_create(user=user, defaults={"unit": unit[:200]})
    _audit(f"staff:{user.get_username()}", "production.unit", after=unit)
    return row


def unit_of(user: Actor) -> str:
    account = (
        DepartmentAccount.objects.filter(user=staff_member(user)).first()
        if staff_member(user)
        else None
    )
    return account.unit if account else ""


def _parse(data: bytes, name: str) -> ParseResult:
    """Read and parse with the archive's readers and parser (no parser of our own)."""
    if not data.strip():
        raise ProductionError(f"{name}：文件是空的")
    try:
        return parse_stream(read_source(data, name=name), source=name)
    except ReadError as exc:
        raise ProductionError(f"{name}：{exc}") from None
    except Exception as exc:  # the import records a parser bug the same way
        log.exception("解析 %s 时程序出错", name)
        raise ProductionError(f"{name}：读取或解析时程序出错（{type(exc).__name__}）") from None


def _check_official(result: ParseResult, name: str) -> ParsedDocument:
    """The first document of a single-document file, or why the file is not one."""
    if not library.is_single(result):
        raise ProductionError(
            f"{name} 是一期公报（封面有年份和期号），不是单篇公文；整期公报请用 gongbao import 导入"
        )
    docs = result.documents
    if not docs or not (docs[0].doc_number or docs[0].issuer or docs[0].date):
        raise ProductionError(
            f"{name} 不是公文：没有识别出文号、发文机关或成文日期（公文应有版头、文号、标题、署名和成文日期）"
        )
    return docs[0]


def _number_key(doc: ParsedDocument) -> str:
    return normalize_doc_number(doc.doc_number.text) or "" if doc.doc_number else ""


def submit(
    data: bytes,
    name: str,
    user: Actor = None,
    *,
    unit: str = "",
    revising: Submission | None = None,
) -> Submission:
    """A department's file into the 文件库 as a submission (or a returned one's revision)."""
    _require(user, "submit_document", "只有部门账号可以报送文件")
    unit = (unit or unit_of(user) or (revising.unit if revising else "")).strip()
    if not unit:
        raise ProductionError(
            "没有报送单位：请由管理员为账号设置报送单位（gongbao production unit）"
        )
    name = Path(name).name or "报送文件.txt"
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise ProductionError(f"{name}：只接收 Word（.docx）、PDF、文本（.txt）或网页（.html）文件")
    result = _parse(data, name)
    doc = _check_official(result, name)
    key = _number_key(doc)
    if revising is not None:
        _check_revision(revising, doc, key)
    elif key and doc.doc_number is not None:
        _refuse_same_number(key, doc.doc_number)
    entry = _into_library(data, name, revising)
    return _record_submission(entry, doc, key, name, unit, user, revising)


def _check_revision(revising: Submission, doc: ParsedDocument, key: str) -> None:
    """Only a returned submission is revised, and under the same 文号."""
    if revising.status != Submission.RETURNED:
        raise ProductionError("只有已退改的文件可以上传修改稿")
    if revising.number_key and key != revising.number_key:
        raise ProductionError(
            f"修改稿的文号（{doc.doc_number.text if doc.doc_number else '无'}）"
            f"与原稿（{revising.doc_number}）不同；不同文号的文件请作为新文件报送"
        )


def _into_library(data: bytes, name: str, revising: Submission | None) -> Issue:
    """The file imported by the archive: a new library entry, or the revised one's new version."""
    from gongbao.site.archive.services import import_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        outcome = import_file(path)
    if outcome.outcome in ("failed", "refused"):
        raise ProductionError(outcome.message)
    entry = Issue.objects.get(ident=outcome.issue)
    if revising is not None and entry.pk != revising.entry_id:
        raise ProductionError("修改稿未能作为原稿的新版本存入文件库（文号或标题不同）")
    if revising is None and outcome.outcome == "unchanged":
        raise ProductionError(
            f"{name}：文件库中已有这篇文件（{outcome.message or entry.ident}），未重复报送"
        )
    if revising is not None and outcome.outcome == "unchanged":
        raise ProductionError("修改稿与原稿相同，未作修改")
    return entry


def _record_submission(
    entry: Issue,
    doc: ParsedDocument,
    key: str,
    name: str,
    unit: str,
    user: Actor,
    revising: Submission | None,
) -> Submission:
    """The submission row (a revision counts up the returned one), and its audit entry."""
    row = (
        Document.objects.filter(library=entry).order_by("seq").first()
        or Document.objects.filter(issue=entry).order_by("seq").first()
    )
    now = timezone.now()
    with transaction.atomic():
        if revising is not None:
            sub = Submission.objects.select_for_update().get(pk=revising.pk)
            sub.revision += 1
            sub.status = Submission.SUBMITTED
        else:
            sub = Submission(entry=entry, unit=unit[:200], submitted_by=staff_member(user))
        sub.document = row
        sub.number_key = key
        sub.title = (doc.title or name)[:500]
        sub.doc_number = doc.doc_number.text[:100] if doc.doc_number else ""
        sub.submitted_at = now
        sub.save()
        action = "production.revise" if revising is not None else "production.submit"
        _audit(f"submission:{sub.pk}", action, user, after=f"第{entry.versions.count()}版",
               note=f"{unit}：《{sub.title}》{sub.doc_number}")  # fmt: skip
    return sub


def _refuse_same_number(key: str, parts: DocNumber) -> None:
    """Two submissions (or a submission and an archived document) with the same 文号."""
    printed = parts.text
    earlier = Submission.objects.filter(number_key=key).first()
    if earlier is not None:
        raise ProductionError(
            f"文号 {printed} 已由{earlier.unit}于{timezone.localdate(earlier.submitted_at):%Y年%m月%d日}"
            f"报送（《{earlier.title}》）：同一文号不能重复报送；如需修改，请由办公室退改后上传修改稿"
        )
    candidates = Document.objects.exclude(doc_number="")
    if parts.serial is not None:
        candidates = candidates.filter(serial=parts.serial, doc_year=parts.year)
    for row in candidates.select_related("issue").iterator(chunk_size=2000):
        if normalize_doc_number(row.doc_number) == key:
            where = row.issue if row.issue_id else "档案"
            raise ProductionError(
                f"{where}中已有文号为 {printed} 的文件（《{row.title}》）：同一文号不能重复报送"
            )


def return_submission(sub: Submission, user: Actor, note: str) -> Submission:
    """退改: the office sends a submission back with what to change."""
    _require(user, "return_submission", "只有编辑可以退改报送的文件")
    if not note.strip():
        raise ProductionError("退改须写明修改意见")
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=sub.pk)
        if sub.status != Submission.SUBMITTED:
            raise ProductionError(f"这份文件{sub.get_status_display()}，不能退改")
        if sub.document_id and Placement.objects.filter(document_id=sub.document_id).exists():
            raise ProductionError("这份文件已编入某一期：请先从该期移出再退改")
        sub.status, sub.return_note = Submission.RETURNED, note.strip()
        sub.save(update_fields=["status", "return_note"])
        _audit(f"submission:{sub.pk}", "production.return", user, after="已退改", note=note)
    return sub


def watch(folder: Path, user: Actor = None, unit: str = "") -> list[tuple[str, str]]:
    """Submit every file of a watched folder once: a submitted file moves to 已报送/, a
    refused one to 未通过/ with a .txt beside it saying why. (file, result) per file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ProductionError(f"找不到文件夹：{folder}")
    done, failed = folder / "已报送", folder / "未通过"
    results = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.name.startswith(".") or path.suffix == ".tmp":
            continue
        try:
            sub = submit(path.read_bytes(), path.name, user, unit=unit)
        except ProductionError as exc:
            failed.mkdir(exist_ok=True)
            path.replace(failed / path.name)
            (failed / f"{path.name}.原因.txt").write_text(str(exc) + "\n", encoding="utf-8")
            results.append((path.name, f"未通过：{exc}"))
            continue
        done.mkdir(exist_ok=True)
        path.replace(done / path.name)
        results.append((path.name, f"已报送：《{sub.title}》{sub.doc_number}"))
    return results


# -- 编排 ----------------------------------------------------------------------------------


def default_sections(gazette: Gazette) -> list[str]:
    """The gazette's sections: its profile's (``site.gazettes``) where it names them, else
    generic ones by 文种 and issuer level."""
    from django.apps import apps

    if not apps.is_installed("gongbao.site.gazettes"):  # a site without gazette profiles
        return list(DEFAULT_SECTIONS)
    from gongbao.site.gazettes.services import sections

    names = [s.name for s in sections(gazette)]
    return names or list(DEFAULT_SECTIONS)


def _issue_key(issue: Issue) -> tuple[int, int]:
    return (issue.year, issue.number)


def next_numbers(gazette: Gazette, year: int) -> tuple[int, int]:
    """The next 期号 of the year and its 总第 number, counted from the gazette's issues."""
    issues = Issue.objects.filter(gazette=gazette, kind=Issue.ISSUE)
    number = (issues.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    return number, cumulative_for(gazette, year, number)


def cumulative_for(gazette: Gazette, year: int, number: int) -> int:
    """总第: the last earlier issue that printed one, plus the issues since (a 合刊 counts
    its numbers); without any, the count of earlier issues plus one."""
    earlier = sorted(
        (
            i
            for i in Issue.objects.filter(gazette=gazette, kind=Issue.ISSUE)
            if _issue_key(i) < (year, number)
        ),
        key=_issue_key,
    )
    count = 0
    for issue in reversed(earlier):
        if issue.cumulative_number:
            return issue.cumulative_number + 1 + count
        count += 1 + ((issue.number_end - issue.number) if issue.number_end else 0)
    return count + 1


def create_issue(
    gazette: Gazette,
    year: int,
    number: int | None,
    user: Actor = None,
    *,
    sections: Iterable[str] | None = None,
    issue_date: date | None = None,
) -> Composition:
    """A new issue to compose: a draft in the archive (its number reserved) and its plan."""
    _require(user, "compose_issue", "只有编辑可以编排公报")
    if not 1900 <= int(year) <= 2999:
        raise ProductionError("年份不正确")
    auto_number, _ = next_numbers(gazette, year)
    number = int(number or auto_number)
    if number < 1:
        raise ProductionError("期号须为正整数")
    found = Issue.objects.filter(gazette=gazette, kind=Issue.ISSUE, year=year, number=number)
    if found.exists():
        raise ProductionError(f"{gazette.name}{year}年第{number}期已存在")
    chosen = [s.strip() for s in (sections or default_sections(gazette)) if s and s.strip()]
    chosen = list(dict.fromkeys(chosen))
    if not chosen:
        raise ProductionError("至少要有一个栏目")
    with transaction.atomic():
        issue = Issue.objects.create(
            gazette=gazette,
            kind=Issue.ISSUE,
            ident=f"{gazette.slug}-{year}-{number:02d}",
            year=year,
            number=number,
            cumulative_number=cumulative_for(gazette, year, number),
            sections=chosen,
            issue_date=issue_date,
            content_hash="",
        )
        comp = Composition.objects.create(
            issue=issue, sections=chosen, created_by=staff_member(user), created_at=timezone.now()
        )
        _edited(comp, user, "production.create", f"总第{issue.cumulative_number}期")
    return comp


def _edited(comp: Composition, user: Actor, action: str, note: str = "") -> str:
    """Record an edit: who edited (no sign-off by them), the audit entry, and void a
    standing sign-off. Returns the voiding message, "" when there was none."""
    if staff_member(user) is not None:
        comp.editors.add(user)
    _audit(f"issue:{comp.issue.ident}", action, user, note=note)
    return void_signoff(comp, f"签发后有改动：{note}", user)


def _check_open(comp: Composition) -> None:
    if comp.issue.is_published or comp.editions.exists():
        raise ProductionError(f"{comp.issue} 已出刊，不能再改动；已发布文件的更正请提交勘误")


def _check_compose(comp: Composition, user: Actor) -> None:
    _require(user, "compose_issue", "只有编辑可以编排公报")
    _check_open(comp)


def set_sections(comp: Composition, sections: Iterable[str], user: Actor = None) -> str:
    _check_compose(comp, user)
    chosen = list(dict.fromkeys(s.strip() for s in sections if s and s.strip()))
    if not chosen:
        raise ProductionError("至少要有一个栏目")
    used = set(comp.placements.values_list("section", flat=True)) | set(
        comp.news.values_list("section", flat=True)
    )
    missing = sorted(used - set(chosen))
    if missing:
        raise ProductionError(f"栏目“{'、'.join(missing)}”中还有文件，请先移出再删去该栏目")
    comp.sections = chosen
    comp.save(update_fields=["sections"])
    Issue.objects.filter(pk=comp.issue_id).update(sections=chosen)
    return _edited(comp, user, "production.sections", "、".join(chosen))


def set_issue_date(issue: Issue, when: date | None, user: Actor = None) -> Issue:
    """The editor enters the date an issue came out (an imported historical issue too)."""
    _require(user, "compose_issue", "只有编辑可以修改出版日期")
    before = issue.issue_date
    Issue.objects.filter(pk=issue.pk).update(issue_date=when)
    issue.issue_date = when
    comp = Composition.objects.filter(issue=issue).first()
    if comp is not None and not issue.is_published and before != when:
        comp.issue.issue_date = when
        _edited(comp, user, "production.edit", f"出版日期改为 {when or '（空）'}")
    _audit(f"issue:{issue.ident}", "production.issue_date", user,
           after=when.isoformat() if when else "", note=f"原为 {before or '无'}")  # fmt: skip
    if issue.is_published:
        from gongbao.site.archive.services import bump_generation

        with transaction.atomic():
            bump_generation(issue)
    return issue


def library_documents(gazette: Gazette, q: str = "") -> QuerySet[Document]:
    """What an editor can place: the gazette's documents in the 文件库."""
    qs = Document.objects.filter(gazette=gazette, issue__kind=Issue.LIBRARY).select_related("issue")
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(issuer__icontains=q))
    return qs.order_by("-date", "-pk")


def place(comp: Composition, document: Document, section: str, user: Actor = None) -> Placement:
    _check_compose(comp, user)
    if section not in comp.sections:
        raise ProductionError(f"本期没有栏目“{section}”")
    if document.gazette_id != comp.issue.gazette_id:
        raise ProductionError(f"《{document.title}》不属于{comp.issue.gazette.name}，不能编入本期")
    if comp.placements.filter(document=document).exists():
        raise ProductionError(f"《{document.title}》已在本期中")
    sub = document.submissions.first()
    if sub is not None and sub.status == Submission.RETURNED:
        raise ProductionError(f"《{document.title}》已退改，等待部门上传修改稿，暂不能编入")
    with transaction.atomic():
        last = comp.placements.filter(section=section).aggregate(n=Max("position"))["n"]
        row = Placement.objects.create(
            composition=comp, document=document, section=section, position=(last or 0) + 1
        )
        _edited(comp, user, "production.place", f"《{document.title}》编入“{section}”")
    return row


def remove(comp: Composition, document: Document, user: Actor = None) -> str:
    """Move a document out of the issue. After a sign-off that voids it: the message says so."""
    _check_compose(comp, user)
    row = comp.placements.filter(document=document).first()
    if row is None:
        raise ProductionError(f"《{document.title}》不在本期中")
    with transaction.atomic():
        row.delete()
        voided = _edited(comp, user, "production.remove", f"《{document.title}》移出")
    return voided


def reorder(comp: Composition, order: dict[str, list[int]], user: Actor = None) -> str:
    """The page's drag and drop: every section's document ids in their new order (a document
    may change section). The set of documents must stay the same."""
    _check_compose(comp, user)
    rows = {p.document_id: p for p in comp.placements.all()}
    given = [int(pk) for ids in order.values() for pk in ids]
    if sorted(given) != sorted(rows) or any(s not in comp.sections for s in order):
        raise ProductionError("排序数据与本期文件不一致，请刷新页面后重试")
    with transaction.atomic():
        for section, ids in order.items():
            for n, pk in enumerate(ids, start=1):
                row = rows[int(pk)]
                if (row.section, row.position) != (section, n):
                    row.section, row.position = section, n
                    row.save(update_fields=["section", "position"])
        return _edited(comp, user, "production.reorder", "调整顺序")


def number_order_key(doc: Document, position: int) -> tuple:
    """文号 order: by year and serial (documents without one after, as they were)."""
    if doc.serial is None:
        return (1, 0, "", 0, position)
    return (0, doc.doc_year or 0, doc.agency_code, doc.serial, position)


def order_by_rule(comp: Composition, user: Actor = None) -> str:
    """Order each section by 文号 (year, then serial)."""
    _check_compose(comp, user)
    order: dict[str, list[int]] = {}
    for section in comp.sections:
        rows = list(comp.placements.filter(section=section).select_related("document"))
        rows.sort(key=lambda p: number_order_key(p.document, p.position))
        order[section] = [p.document_id for p in rows]
    return reorder(comp, order, user)


def add_news(
    comp: Composition, title: str, text: str, user: Actor = None, section: str = ""
) -> NewsItem:
    _check_compose(comp, user)
    section = section or (NEWS_SECTION if NEWS_SECTION in comp.sections else comp.sections[-1])
    if section not in comp.sections:
        raise ProductionError(f"本期没有栏目“{section}”")
    if not title.strip() or not text.strip():
        raise ProductionError("政务信息须有标题和正文")
    with transaction.atomic():
        last = comp.news.filter(section=section).aggregate(n=Max("position"))["n"]
        item = NewsItem.objects.create(
            composition=comp, section=section, title=title.strip()[:300], text=text.strip(),
            position=(last or 0) + 1,
        )  # fmt: skip
        _edited(comp, user, "production.news", f"政务信息《{item.title}》")
    return item


def remove_news(comp: Composition, item: NewsItem, user: Actor = None) -> str:
    _check_compose(comp, user)
    with transaction.atomic():
        item.delete()
        return _edited(comp, user, "production.news_remove", f"删除《{item.title}》")


def place_notice(comp: Composition, correction: Correction, user: Actor = None) -> NewsItem:
    """A 勘误 notice of an earlier issue goes into this one (its own section, added last)."""
    _check_compose(comp, user)
    correction = Correction.objects.select_related("placed_in__issue").get(pk=correction.pk)
    if correction.status != Correction.APPLIED:
        raise ProductionError("只有已批准的勘误可以刊登勘误启事")
    if correction.placed_in_id:
        raise ProductionError(f"这则勘误启事已编入{correction.placed_in.issue}")
    if CORRECTION_SECTION not in comp.sections:
        comp.sections = [*comp.sections, CORRECTION_SECTION]
        comp.save(update_fields=["sections"])
        Issue.objects.filter(pk=comp.issue_id).update(sections=comp.sections)
    item = add_news(comp, "勘误", correction.notice, user, section=CORRECTION_SECTION)
    Correction.objects.filter(pk=correction.pk).update(placed_in=comp)
    return item


# -- 目录, 校对 ------------------------------------------------------------------------------


@dataclass
class TocEntry:
    title: str
    doc_number: str
    document: Document | None = None
    news: NewsItem | None = None


@dataclass
class TocSection:
    name: str
    entries: list[TocEntry] = field(default_factory=list)


def toc(comp: Composition) -> list[TocSection]:
    """The issue's TOC as it will print: sections in order, documents then news items."""
    out = [TocSection(s) for s in comp.sections]
    by_name = {s.name: s for s in out}
    for p in comp.placements.select_related("document").order_by("position", "pk"):
        if p.section in by_name:
            d = p.document
            by_name[p.section].entries.append(TocEntry(d.toc_title or d.title, d.doc_number, d))
    for item in comp.news.order_by("position", "pk"):
        if item.section in by_name:
            by_name[item.section].entries.append(TocEntry(item.title, "", news=item))
    return out


@dataclass
class Check:
    severity: str  # error | warning | info
    code: str
    message: str


def report(comp: Composition) -> list[Check]:
    """The issue's proofreading report: each document's own findings (from its import), then
    文号 order within sections, documents in another issue, already printed, empty sections."""
    checks: list[Check] = []
    placements = list(
        comp.placements.select_related("document__issue", "document__library").order_by(
            "position", "pk"
        )
    )
    for p in placements:
        d = p.document
        home = d.library if d.library_id else d.issue
        for f in Finding.objects.filter(issue=home, document_seq=d.seq).order_by("pk"):
            checks.append(Check(f.severity, f.code, f"《{d.title}》：{f.message}"))
    for section in comp.sections:
        rows = [p for p in placements if p.section == section]
        numbered = [p.document for p in rows if p.document.serial is not None]
        for a, b in itertools.pairwise(numbered):
            if number_order_key(a, 0)[:4] > number_order_key(b, 0)[:4]:
                checks.append(
                    Check("warning", "number-order",
                          f"栏目“{section}”中 {a.doc_number} 排在 {b.doc_number} 之前，"
                          "不合文号顺序（可用“按文号排序”）")
                )  # fmt: skip
        if not rows and not comp.news.filter(section=section).exists():
            checks.append(Check("error", "empty-section", f"栏目“{section}”没有文件"))
    for p in placements:
        d = p.document
        if d.issue_id and d.issue_id != comp.issue_id and d.issue.kind == Issue.ISSUE:
            checks.append(
                Check("error", "already-printed", f"《{d.title}》已刊登于{d.issue}，不宜重复刊登")
            )
        others = Placement.objects.filter(document=d).exclude(composition=comp)
        for other in others.select_related("composition__issue"):
            checks.append(
                Check("warning", "in-other-issue",
                      f"《{d.title}》同时编入了{other.composition.issue}")
            )  # fmt: skip
        if d.doc_number:
            twins = (
                Document.objects.filter(gazette=d.gazette, issue__kind=Issue.ISSUE)
                .exclude(pk=d.pk)
                .filter(doc_number=d.doc_number)
                .select_related("issue")
            )
            for twin in twins:
                checks.append(
                    Check("error", "duplicate-document",
                          f"{d.doc_number} 已有一篇刊登于{twin.issue}（《{twin.title}》）")
                )  # fmt: skip
    if not placements and not comp.news.exists():
        checks.append(Check("error", "empty-issue", "本期还没有编入任何文件"))
    return checks


# -- 签发 ----------------------------------------------------------------------------------


def _header(comp: Composition, issue_date: date | None = None) -> dict:
    """The issue header of the version 出刊 writes: what the manifest's ``issue_sha256`` covers.

    ``content_sha256`` is the composition's hash: sections, the documents in order with
    the hash of each one's text, and the news items.
    """
    issue = comp.issue
    entries = []
    for section in toc(comp):
        for e in section.entries:
            entries.append({"section": section.name, "title": e.title,
                            "doc_number": e.doc_number or None, "page": None})  # fmt: skip
    return {
        "id": issue.ident,
        "gazette": issue.gazette.name,
        "gazette_latin": issue.gazette.latin_name or None,
        "year": issue.year,
        "number": issue.number,
        "number_end": None,
        "cumulative_number": issue.cumulative_number,
        "slogan": issue.slogan or None,
        "sections": list(comp.sections),
        "toc": entries,
        "issue_date": (issue_date or issue.issue_date or timezone.localdate()).isoformat(),
        "content_sha256": composition_hash(comp),
    }


def composition_hash(comp: Composition) -> str:
    """What a sign-off signs: any change to the issue's content changes it."""
    content = {
        "issue": [comp.issue.ident, comp.issue.cumulative_number],
        "sections": list(comp.sections),
        "documents": [
            [p.section, p.document.ident, integrity.document_hash(p.document.data)]
            for p in comp.placements.select_related("document").order_by("section", "position")
        ],
        "news": [[n.section, n.title, n.text] for n in comp.news.order_by("section", "position")],
        "date": comp.issue.issue_date.isoformat() if comp.issue.issue_date else None,
    }
    return integrity.sha256_hex(integrity.canonical_json(content))


def active_signoff(comp: Composition) -> SignOff | None:
    return comp.signoffs.filter(voided_at__isnull=True).first()


def void_signoff(comp: Composition, reason: str, user: Actor = None) -> str:
    standing = active_signoff(comp)
    if standing is None:
        return ""
    SignOff.objects.filter(pk=standing.pk).update(
        voided_at=timezone.now(), void_reason=reason[:300]
    )
    _audit(f"issue:{comp.issue.ident}", "production.signoff_void", user, after="签发作废",
           note=reason)  # fmt: skip
    return f"本期已由{standing.reviewer.get_username()}签发，{reason}，签发已作废：须重新审核签发后才能出刊"


def sign_off(comp: Composition, reviewer: Actor) -> SignOff:
    """签发: a reviewer who did not edit the issue signs its current content."""
    reviewer = staff_member(reviewer)
    if reviewer is None:
        raise ProductionError("签发须由审核人登录后进行")
    if not reviewer.has_perm("production.sign_off"):
        raise ProductionError(f"{reviewer.get_username()} 不是审核人，不能签发")
    _check_open(comp)
    if comp.editors.filter(pk=reviewer.pk).exists() or comp.created_by_id == reviewer.pk:
        raise ProductionError("不能签发自己编辑过的期：须由编辑以外的另一位审核人签发（双人审核）")
    if active_signoff(comp) is not None:
        raise ProductionError("本期已签发，内容未变，无须再次签发")
    checks = report(comp)
    empty = [c.message for c in checks if c.code in ("empty-section", "empty-issue")]
    if empty:
        raise ProductionError("不能签发：" + "；".join(empty) + "。请编入文件或删去空栏目后再签发")
    printed = [c.message for c in checks if c.code == "already-printed"]
    if printed:
        raise ProductionError("不能签发：" + "；".join(printed) + "。请先从本期移出")
    with transaction.atomic():
        row = SignOff.objects.create(
            composition=comp, reviewer=reviewer, signed_at=timezone.now(),
            content_hash=composition_hash(comp),
        )  # fmt: skip
        _audit(f"issue:{comp.issue.ident}", "production.signoff", reviewer, after="已签发",
               note=f"内容哈希 {row.content_hash}")  # fmt: skip
    return row


# -- 出刊 ----------------------------------------------------------------------------------


def _news_document(issue: Issue, item: NewsItem, seq: int) -> tuple[str, dict]:
    ident = f"{issue.ident}-xinxi-{seq}"
    paragraphs = [p.strip() for p in item.text.splitlines() if p.strip()]
    data = {
        "id": ident, "seq": seq, "section": item.section, "page": None, "kind": "news",
        "toc_title": None, "title": item.title, "doc_number": None, "doc_number_parts": None,
        "issuer": None, "issuers": [], "date": None, "date_note": None, "recipients": None,
        "speaker": None, "signature": None, "lines": [0, 0],
        "head": [{"role": "title", "text": item.title, "lines": [0, 0]}],
        "body": [
            {"type": "paragraph", "anchor": f"p{n}", "lines": [0, 0], "text": text}
            for n, text in enumerate(paragraphs, start=1)
        ],
        "attachments": [], "promulgates": None,
    }  # fmt: skip
    return ident, data


def _source_text(header: dict, datas: list[dict]) -> str:
    """The composed issue as one readable text (the version's source, for the record)."""
    lines = [f"# {header['gazette']}", "", f"{header['year']} 第{header['number']}期"
             f"（总第{header['cumulative_number']}期）", "", "## 目 录", ""]  # fmt: skip
    for e in header["toc"]:
        lines.append(f"{e['section']}　{e['title']}　{e['doc_number'] or ''}".rstrip())
    for data in datas:
        lines += ["", f"## {data.get('title') or ''}", ""]
        lines += library.text_lines(data)[1:]
    return "\n".join(lines) + "\n"


def _print_pdf(
    issue: Issue, header: dict, datas: list[dict], digest: str, when: date
) -> tuple[bytes, PrintEdition]:
    """The signed print edition (opendata's ``print_edition``), watermarked with the hash."""
    from gongbao.site.opendata import keys, pdf

    keys.ensure()
    edition = pdf.print_edition(
        header, datas, gazette=issue.gazette.name, digest=digest,
        publisher=keys.publisher_name(), published=when,
    )  # fmt: skip
    return pdf.sign_with_site_key(edition.pdf, f"{issue} 印刷版，内容哈希 {digest}"), edition


def publish(comp: Composition, user: Actor = None) -> Edition:
    """出刊 in one step: the signed-off issue into the archive and public (pages, search, API,
    feeds, bulk files, the signed manifest), and its print PDF, from one content hash.

    The hash is the issue header's (``issue_sha256`` of the manifest); the header holds
    the signed-off composition's hash. Refused unless the content is what was signed.
    """
    _require(user, "publish_composition", "只有编辑可以出刊")
    comp = Composition.objects.select_related("issue__gazette").get(pk=comp.pk)
    signed = _signed_as_is(comp, user)
    issue = comp.issue
    when = issue.issue_date or timezone.localdate()
    header = _header(comp, when)
    digest = integrity.sha256_hex(integrity.canonical_json(header))
    placements = _placements_to_print(comp, user)
    datas, news_rows = _issue_documents(comp, placements)
    printed = _print_on_publish(issue, header, datas, digest, when)
    from gongbao.site.archive.services import publish_issue
    from gongbao.site.disclosure.services import PublishBlocked

    try:
        with transaction.atomic():
            _write_archive(comp, issue, header, digest, when, placements, news_rows, datas)
            pdf_path, pdf_sha = _keep_print(issue, printed)
            token = publishing.set(issue.pk)
            try:
                publish_issue(issue, staff_member(user))
            finally:
                publishing.reset(token)
            edition = Edition.objects.create(
                composition=comp, signoff=signed, content_hash=digest, pdf_path=pdf_path,
                pdf_sha256=pdf_sha, published_by=staff_member(user), published_at=timezone.now(),
            )  # fmt: skip
            Submission.objects.filter(document__in=[p.document for p in placements]).update(
                status=Submission.PLACED
            )
            _audit(f"issue:{issue.ident}", "production.publish", user, after="已出刊",
                   note=f"内容哈希 {digest}；PDF {pdf_sha or '未生成'}")  # fmt: skip
    except PublishBlocked as exc:
        raise ProductionError(str(exc)) from None
    from gongbao.site.opendata import services as opendata

    issue.refresh_from_db()
    manifest = opendata.record_manifest(issue)  # after_commit made it already: the same one
    Edition.objects.filter(pk=edition.pk).update(manifest_sha256=manifest.sha256)
    edition.manifest_sha256 = manifest.sha256
    return edition


def _signed_as_is(comp: Composition, user: Actor) -> SignOff:
    """The issue's sign-off, if its content is still what was signed (else it is voided)."""
    _check_open(comp)
    signed = active_signoff(comp)
    if signed is None:
        raise ProductionError("本期尚未签发（或签发已作废），须经审核人签发后才能出刊")
    if signed.content_hash != composition_hash(comp):
        void_signoff(comp, "签发后内容有改动", user)
        raise ProductionError("签发后内容有改动，签发已作废：须重新审核签发后才能出刊")
    return signed


def _placements_to_print(comp: Composition, user: Actor) -> list[Placement]:
    """The placed documents in print order; one another issue printed meanwhile voids the
    sign-off (moving it would change that issue)."""
    issue = comp.issue
    placements = list(comp.placements.select_related("document__issue").order_by("position", "pk"))
    elsewhere = [
        p.document
        for p in placements
        if p.document.issue_id not in (None, issue.pk) and not p.document.issue.is_library
    ]
    if elsewhere:
        void_signoff(comp, f"《{elsewhere[0].title}》已刊登于{elsewhere[0].issue}", user)
        raise ProductionError(
            f"《{elsewhere[0].title}》已刊登于{elsewhere[0].issue}，不能再编入本期：请移出后重新签发"
        )
    order = {s: n for n, s in enumerate(comp.sections)}
    placements.sort(key=lambda p: (order[p.section], p.position, p.pk))
    return placements


def _issue_documents(
    comp: Composition, placements: list[Placement]
) -> tuple[list[dict], list[tuple[str, NewsItem, dict]]]:
    """Every document's data numbered in print order (placed ones, then news), and the news
    items with the identifiers and data they become."""
    order = {s: n for n, s in enumerate(comp.sections)}
    news = sorted(comp.news.all(), key=lambda n: (order[n.section], n.position, n.pk))
    datas: list[dict] = []
    for seq, p in enumerate(placements, start=1):
        datas.append({**p.document.data, "seq": seq, "section": p.section})
    news_rows = []
    for item in news:
        ident, data = _news_document(comp.issue, item, len(datas) + 1)
        datas.append(data)
        news_rows.append((ident, item, data))
    return datas, news_rows


def _print_on_publish(
    issue: Issue, header: dict, datas: list[dict], digest: str, when: date
) -> tuple[bytes, PrintEdition] | None:
    """The signed print PDF, where the site prints on publishing; its failure stops 出刊."""
    if not settings.GONGBAO_PRINT_ON_PUBLISH:
        return None
    from gongbao.site.printing import PdfUnavailable

    try:
        return _print_pdf(issue, header, datas, digest, when)
    except PdfUnavailable as exc:
        raise ProductionError(f"印刷版 PDF 生成失败，未出刊：{exc}") from None


def _keep_print(issue: Issue, printed: tuple[bytes, PrintEdition] | None) -> tuple[str, str]:
    """The print PDF kept beside the issue, whose hash the manifest will sign: path, sha256."""
    if printed is None:
        return "", ""
    from gongbao.site.opendata.pdf import keep_edition

    signed_pdf, edition = printed
    issue.refresh_from_db()  # keyed by the content hash _write_archive stored
    return str(keep_edition(issue, signed_pdf, edition)), hashlib.sha256(signed_pdf).hexdigest()


def _write_archive(
    comp: Composition,
    issue: Issue,
    header: dict,
    digest: str,
    when: date,
    placements: list[Placement],
    news_rows: list[tuple[str, NewsItem, dict]],
    datas: list[dict],
) -> None:
    """The composition becomes the issue's version in the archive: documents move from the
    文件库 into the issue (their library record stays), news items become documents."""
    from gongbao.site.archive.services import bump_generation

    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    left: dict[int, Issue] = {}
    for seq, p in enumerate(placements, start=1):
        d = Document.objects.select_for_update().get(pk=p.document_id)
        home = d.issue if d.issue_id and d.issue.is_library else None
        if home is not None and home.is_published:
            left[home.pk] = home
        data = {**d.data, "seq": seq, "section": p.section}
        Document.objects.filter(pk=d.pk).update(
            issue=issue, seq=seq, section=p.section, data=data,
            library=d.library or home,
        )  # fmt: skip
    for home in left.values():  # public library entries the documents left: their manifests
        bump_generation(home)
    for ident, item, data in news_rows:
        row = Document.objects.create(
            gazette=issue.gazette, issue=issue, ident=ident, seq=data["seq"],
            section=item.section, kind="news", title=item.title[:500], data=data,
        )  # fmt: skip
        BodyNode.objects.bulk_create(
            BodyNode(document=row, position=n, anchor=b["anchor"], kind="paragraph", text=b["text"])
            for n, b in enumerate(data["body"])
        )
    issue.sections = list(comp.sections)
    issue.toc = header["toc"]
    issue.issue_date = when
    issue.content_hash = digest
    issue.save()
    number = (issue.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    IssueVersion.objects.create(
        issue=issue, number=number, content_hash=digest, source_name=f"编排 {issue.ident}",
        source_text=_source_text(header, datas),
        parsed={"issue": header, "documents": datas, "repairs": [], "findings": []},
    )  # fmt: skip


# -- 勘误 ----------------------------------------------------------------------------------


def request_correction(
    document: Document, data: bytes, name: str, user: Actor = None, *, reason: str, notice: str = ""
) -> Correction:
    """An editor submits the corrected text of a published document, with the reason."""
    _require(user, "request_correction", "只有编辑可以提交勘误")
    issue = document.issue
    if issue is None or not issue.is_published:
        raise ProductionError("只有已发布的文件需要勘误；未发布的文件请直接修改后重新报送")
    if not reason.strip():
        raise ProductionError("勘误须写明更正理由")
    result = _parse(data, Path(name).name or "更正稿.txt")
    if len(result.documents) != 1:
        raise ProductionError("更正稿应只含这一篇文件")
    doc = _check_official(result, name)
    if document.doc_number and _number_key(doc) != normalize_doc_number(document.doc_number):
        raise ProductionError(
            f"更正稿的文号（{doc.doc_number.text if doc.doc_number else '无'}）与原文"
            f"（{document.doc_number}）不同：请确认是同一文件"
        )
    text = read_source(data, name=name).text
    number = f"（{document.doc_number}）" if document.doc_number else ""
    notice = notice.strip() or (
        f"本刊{issue}刊登的《{document.title}》{number}有误，现予更正：{reason.strip()}。特此勘误。"
    )
    with transaction.atomic():
        row = Correction.objects.create(
            document=document, reason=reason.strip(), notice=notice, source_name=name[:500],
            source_text=text, requested_by=staff_member(user), requested_at=timezone.now(),
        )  # fmt: skip
        _audit(f"issue:{issue.ident}", "production.correction_request", user,
               after="勘误待审核", note=f"《{document.title}》：{reason}")  # fmt: skip
    return row


def approve_correction(correction: Correction, reviewer: Actor) -> Correction:
    """A reviewer other than the editor applies it: the document's new text as the issue's new
    version (the old one stays in the history with the reason), public at once."""
    reviewer = staff_member(reviewer)
    if reviewer is None or not reviewer.has_perm("production.approve_correction"):
        raise ProductionError("勘误须由审核人批准")
    correction = Correction.objects.select_related("document__issue").get(pk=correction.pk)
    if correction.status != Correction.PENDING:
        raise ProductionError(f"这项勘误{correction.get_status_display()}，不能再审核")
    if correction.requested_by_id == reviewer.pk:
        raise ProductionError("不能批准自己提交的勘误：须由另一位审核人批准（双人审核）")
    from gongbao.site.archive.services import _body_nodes, _document_row, bump_generation

    document = correction.document
    result = _parse(correction.source_text.encode("utf-8"), "更正稿.txt")
    parsed_doc = result.documents[0]
    data = to_dict(result)["documents"][0]
    data.update(id=document.ident, seq=document.seq, section=document.section or None,
                page=document.page)  # fmt: skip
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=document.issue_id)
        fresh = _document_row(issue, parsed_doc, data, document.ident)
        fresh.pk, fresh.library_id = document.pk, document.library_id
        fresh.seq, fresh.section, fresh.page = document.seq, document.section, document.page
        fresh.toc_title = document.toc_title
        fresh.review_flag, fresh.review_note = Document.CHANGED, f"勘误：{correction.reason}"[:300]
        fresh.save(force_update=True)
        fresh.nodes.all().delete()
        BodyNode.objects.bulk_create(_body_nodes(fresh))
        latest = issue.versions.order_by("-number").first()
        parsed = dict(latest.parsed) if latest else {"issue": {}, "documents": []}
        parsed["documents"] = [
            data if d.get("id") == document.ident else d for d in parsed.get("documents", [])
        ]
        header = dict(parsed.get("issue") or {})
        # This version's correction, read by the document's history page (勘误理由).
        header["correction"] = {"document": document.ident, "reason": correction.reason}
        parsed["issue"] = header
        digest = integrity.sha256_hex(integrity.canonical_json(header))
        number = (latest.number if latest else 0) + 1
        IssueVersion.objects.create(
            issue=issue, number=number, content_hash=digest,
            source_name=f"勘误 {document.ident}：{correction.source_name}"[:500],
            source_text=correction.source_text, parsed=parsed,
        )  # fmt: skip
        if not issue.is_library:
            Issue.objects.filter(pk=issue.pk).update(content_hash=digest)
        correction.status, correction.decided_by = Correction.APPLIED, reviewer
        correction.decided_at, correction.version = timezone.now(), number
        correction.save()
        _audit(f"issue:{issue.ident}", "production.correction_approve", reviewer,
               after=f"第{number}版", note=f"《{document.title}》：{correction.reason}")  # fmt: skip
        bump_generation(issue)
    return correction


def reject_correction(correction: Correction, reviewer: Actor, note: str) -> Correction:
    reviewer = staff_member(reviewer)
    if reviewer is None or not reviewer.has_perm("production.approve_correction"):
        raise ProductionError("勘误须由审核人审核")
    if correction.status != Correction.PENDING:
        raise ProductionError(f"这项勘误{correction.get_status_display()}，不能再审核")
    if not note.strip():
        raise ProductionError("退回须写明理由")
    correction.status, correction.decided_by = Correction.REJECTED, reviewer
    correction.decided_at = timezone.now()
    correction.save()
    _audit(f"issue:{correction.document.issue.ident}", "production.correction_reject", reviewer,
           note=note)  # fmt: skip
    return correction
