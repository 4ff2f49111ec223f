"""What reaches the public: 公开属性 and de-identified text, on every public channel.

The fixture issue (tests/data/disclosure/shixian-2020-01.md) has two documents: a
flood notice carrying the marker word 翠鸟七号, which staff mark 依申请公开, and a
低保 list with names, ID numbers and phones, which the reviewer de-identifies.
Every channel the site has is crawled as the public sees it (pages, search,
and whatever API, feeds, sitemaps and bulk files exist); neither the marker
nor any original personal datum may appear anywhere.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client

from gongbao.site.archive.models import Document, Issue
from gongbao.site.archive.services import import_file, publish_issue
from gongbao.site.disclosure import services
from gongbao.site.disclosure.models import AuditEntry, DisclosureRecord, PrivacyDecision
from gongbao.site.disclosure.services import DisclosureError, PublishBlocked
from gongbao.site.review import services as review
from gongbao.site.review.models import Publication
from gongbao.site.search import sync
from tests.site.disclosure_helpers import staff

pytestmark = pytest.mark.django_db(transaction=True)
ISSUE = Path(__file__).parents[1] / "data" / "disclosure" / "shixian-2020-01.md"
MARKER = "翠鸟七号"
PERSONAL = [
    "王小明",
    "李秀英",
    "11010519491231002X",
    "440524188001010014",
    "13812345678",
    "13987654321",
]
SKIP_SUFFIXES = (".png", ".jpg", ".svg", ".ico", ".css", ".js")  # PDFs are read


@pytest.fixture
def issue() -> Issue:
    outcome = import_file(ISSUE)
    assert outcome.outcome == "imported", outcome.message
    return Issue.objects.get(ident=outcome.issue)


@pytest.fixture
def published(issue: Issue) -> Issue:
    """Staff mark the flood notice 依申请公开, the reviewer masks every finding, then publish."""
    editor, reviewer = staff("editor1", "editor"), staff("reviewer1", "reviewer")
    notice = Document.objects.get(issue=issue, ident="shizhengfa-2020-3")
    services.set_attribute(notice, "on_request", "process", "内部工作安排，仅涉及特定单位", editor)
    with pytest.raises(PublishBlocked):
        publish_issue(issue)
    for decision in services.scan_issue(issue):
        services.decide(decision, accept=True, user=reviewer)
    return publish_issue(issue)


# -- publishing is blocked until the privacy review is done ---------------------------------


def test_publish_blocked_while_findings_unresolved(issue: Issue) -> None:
    with pytest.raises(PublishBlocked) as err:
        publish_issue(issue)
    assert "个人信息" in str(err.value)
    assert Issue.objects.get(pk=issue.pk).status == Issue.DRAFT
    rows = PrivacyDecision.objects.filter(ident="shizhengfa-2020-4")
    assert {r.kind for r in rows} == {"name", "id_card", "mobile"}
    assert rows.count() == 6 and all(r.decision == "pending" for r in rows)
    # Every document got its record and an 索引号 at the first attempt.
    assert DisclosureRecord.objects.filter(index_number__startswith="GX-").count() == 2


def test_reviewer_keeping_a_name_shows_it_and_masks_the_rest(issue: Issue, client: Client) -> None:
    reviewer = staff("reviewer1", "reviewer")
    for d in services.scan_issue(issue):
        services.decide(d, accept=not (d.kind == "name" and d.text == "王小明"), user=reviewer)
    publish_issue(issue)
    html = client.get("/doc/shizhengfa-2020-4/").content.decode()
    assert "王小明" in html and "李秀英" not in html and "李某" in html
    assert "1101**********002X" in html and "138****5678" in html
    assert AuditEntry.objects.filter(action="个人信息审查").count() == 6


def test_privacy_page_names_kinds_in_chinese(issue: Issue, client: Client) -> None:
    services.scan_issue(issue)
    client.force_login(staff("reviewer1", "reviewer"))
    html = client.get(f"/xxgk/staff/privacy/{issue.pk}/").content.decode()
    assert "<td>身份证号码</td>" in html and "<td>手机号码</td>" in html
    assert "<td>个人姓名</td>" in html
    for code in ("id_card", "mobile", ">name<"):
        assert code not in html


def test_real_issue_publishes_without_review(sample_issue: Issue) -> None:
    # The leading-group list of the 经济普查 notice is not personal data: nothing to review.
    assert sample_issue.is_published
    assert PrivacyDecision.objects.count() == 0


# -- 公开属性 ----------------------------------------------------------------------------------


def test_attribute_needs_legal_ground_and_is_audited(issue: Issue) -> None:
    editor = staff("editor1", "editor")
    doc = Document.objects.get(issue=issue, ident="shizhengfa-2020-3")
    with pytest.raises(DisclosureError, match="法定依据"):
        services.set_attribute(doc, "withheld", "", "", editor)
    with pytest.raises(DisclosureError, match="理由"):
        services.set_attribute(doc, "withheld", "state_secret", " ", editor)
    assert not DisclosureRecord.objects.filter(attribute="withheld").exists()
    services.set_attribute(doc, "withheld", "state_secret", "涉及国家秘密", editor)
    services.set_attribute(doc, "public", "", "", editor)
    entries = AuditEntry.objects.filter(action="变更公开属性").order_by("id")
    assert [(e.before, e.after, e.actor.username) for e in entries] == [
        ("", "不予公开", "editor1"),
        ("不予公开", "主动公开", "editor1"),
    ]


def test_attribute_survives_a_corrected_version(published: Issue, tmp_path: Path) -> None:
    corrected = tmp_path / "shixian-2020-01.md"
    corrected.write_text(
        ISSUE.read_text("utf-8").replace("县应急局负责储备", "县应急管理局负责储备"), "utf-8"
    )
    assert import_file(corrected).outcome == "refused"  # the issue is published
    held = import_file(corrected, allow_removals=True, note="更正机构名称", reason="印错")
    assert held.outcome == "held"  # a correction waits for a reviewer (four eyes)
    review.approve(Publication.objects.get(), staff("reviewer2", "reviewer"))
    assert Issue.objects.get(pk=published.pk).versions.count() == 2
    from gongbao.site import access

    assert not access.public_documents().filter(ident="shizhengfa-2020-3").exists()
    assert access.public_documents().filter(ident="shizhengfa-2020-4").exists()


def test_staff_page_sets_attribute(issue: Issue, client: Client) -> None:
    client.force_login(staff("editor1", "editor"))
    url = f"/xxgk/staff/documents/{issue.gazette.slug}/shizhengfa-2020-3/"
    bad = client.post(url, {"attribute": "withheld", "category": "other"})
    assert bad.status_code == 400 and "法定依据" in bad.content.decode()
    ok = client.post(
        url,
        {
            "attribute": "withheld",
            "legal_ground": "process",
            "ground_note": "过程稿",
            "category": "normative",
        },
    )
    assert ok.status_code == 302
    assert DisclosureRecord.objects.get(ident="shizhengfa-2020-3").category == "normative"
    client.force_login(staff("reviewer1", "reviewer"))
    assert client.post(url, {"attribute": "public", "category": "other"}).status_code == 403


# -- no leak on any channel -----------------------------------------------------------------


def _texts(body: bytes, content_type: str) -> str:
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    if body[:5] == b"%PDF-":
        return _pdf_text(body)
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        # JSON may escape CJK as \\uXXXX: compare decoded.
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _pdf_text(body: bytes) -> str:
    """The text a reader of the PDF sees (pdfium, as the PDF reader of the parser uses)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(body)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


_LINK = re.compile(
    r'(?:href|src)="([^"#]+)|<loc>([^<]+)</loc>|"(?:url|href|self|next|download)"\s*:\s*"([^"]+)"'
)


def crawl(
    client: Client, starts: list[str], limit: int = 2000, statuses: dict[str, int] | None = None
) -> dict[str, str]:
    """Every same-site URL reachable from ``starts`` as the public sees it: url → text.

    Fails when it reaches ``limit`` URLs: a crawl cut short proves nothing.
    ``statuses``, when given, receives each URL's status code.
    """
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue:
        assert len(seen) < limit, f"crawl stopped at {limit} URLs: {_most_common(seen)}"
        url = queue.pop(0)
        parsed = urlparse(url)
        if parsed.netloc and parsed.netloc not in ("testserver", "localhost:8000", "localhost"):
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if path in seen or _staff_only(parsed.path):
            continue
        if path.lower().endswith(SKIP_SUFFIXES):
            seen[path] = ""
            continue
        response = client.get(path)
        if statuses is not None:
            statuses[path] = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[path] = (
            _texts(body, response.get("Content-Type", "")) if response.status_code == 200 else ""
        )
        for m in _LINK.finditer(seen[path]):
            link = unescape(next(g for g in m.groups() if g))  # &amp; in an href is &
            queue.append(urljoin(path, link))
    return seen


def _most_common(seen: dict[str, str]) -> list[tuple[str, int]]:
    from collections import Counter

    return Counter(re.sub(r"[^/]+/?$", "…", url.split("?")[0]) for url in seen).most_common(5)


# Routes behind a staff login: not public channels (the crawl does not enter them).
STAFF_PREFIXES = ("/admin", "/accounts", "/static", "/xxgk/staff", "/production")
STAFF_ROUTES = {
    "tracker:review", "tracker:merge_unit", "tracker:progress", "tracker:evidence",
    "tracker:overdue", "tracker:report", "tracker:report_current", "tracker:report_pdf",
}  # fmt: skip
# Public routes the crawl cannot reach by links, with the reason. Any other public
# route of the URL configuration that the crawl does not reach fails the test.
NOT_LINKED = {
    "api-v1:api-root": "the same path as api-v1:index, which answers it",
    "opendata:source": "an issue's source text is withheld while a document of it is not public",
    "tracker:unit": "the fixture's documents have no tasks, so no 责任单位 pages",
    "api-v1:openapi-view": "the API's documentation page (its schema is crawled)",
    "opendata:version-bundle": "named by a content hash in a download, not linked",
    "opendata:manifest": "named by a content hash in a download, not linked",
    "disclosure:interpretation-image": "the fixture has no 解读 with an image",
    "disclosure:interpretation": "the fixture has no 解读",
    "disclosure:report": "the fixture has no published annual report",
    "portal:file": "the fixture's documents come from no saved web page, so have no attachments",
    "newmedia:doc-card": "an image (its text cannot be read): the hidden document's is probed",
    "newmedia:issue-card": "an image: the issue's card names only the issue",
}


def _staff_only(path: str) -> bool:
    from django.urls import Resolver404, resolve

    if path.startswith(STAFF_PREFIXES):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in STAFF_ROUTES


def url_routes() -> dict[str, str]:
    """Every public route of the URL configuration: view name → pattern."""
    from django.urls import URLResolver, get_resolver

    def walk(resolver, prefix: str, namespace: str | None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern), p.namespace or namespace)
            else:
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield name or (prefix + str(p.pattern)).lstrip("/"), prefix + str(p.pattern)

    return {
        name: pattern
        for name, pattern in walk(get_resolver(), "/", None)
        if not _staff_only("/" + pattern.lstrip("/^")) and name not in STAFF_ROUTES
    }


def _arguments(issue: Issue) -> list[dict[str, object]]:
    """Values for the routes' parameters: the issue, its gazette, every document (hidden too)."""
    slug, year = issue.gazette.slug, issue.year
    args: list[dict[str, object]] = [
        {}, {"fmt": "atom"}, {"fmt": "rss"}, {"gazette": slug}, {"slug": slug, "year": year},
        {"year": year}, {"gazette": slug, "year": year}, {"ident": issue.ident},
        {"year": year, "number": issue.number},
        {"gazette": slug, "year": year, "number": issue.number},
        {"quarter": f"{year}Q3"}, {"name": "县应急管理局"},
    ]  # fmt: skip
    for ident in Document.objects.filter(gazette=issue.gazette).values_list("ident", flat=True):
        args += [{"ident": ident}, {"gazette": slug, "ident": ident}]
    return args


def public_starts(issue: Issue) -> list[str]:
    """Every public route, with each set of values its parameters take; search queries."""
    from django.urls import NoReverseMatch, reverse

    starts = []
    for name, pattern in url_routes().items():
        for kwargs in _arguments(issue):
            with contextlib.suppress(NoReverseMatch):
                starts.append(reverse(name, kwargs=kwargs))
            if name == pattern.lstrip("/"):  # no name to reverse: fill the pattern in
                starts += _filled(pattern, kwargs)
    # Queries that match the hidden document's and the list's words, not the secrets
    # themselves (the page echoes its query); the index is probed with the secrets below.
    for q in ("防汛", "低保", "示政发", "应急"):
        starts += [f"/search/?q={q}", f"/api/v1/search?q={q}", f"/api/v1/documents?q={q}"]
    return starts


def _filled(pattern: str, kwargs: dict[str, object]) -> list[str]:
    """An unnamed regex route with its groups filled in, when ``kwargs`` fits it exactly."""
    groups = re.findall(r"\(\?P<(\w+)>", pattern)
    if set(groups) != set(kwargs):
        return []
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), pattern)
    path = "/" + path.lstrip("/^").rstrip("$").replace("\\", "")
    return [path] if _resolves(path) else []


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _reached(statuses: dict[str, int]) -> set[str]:
    """The routes the crawl read a page of (status 200)."""
    from django.urls import Resolver404, resolve

    names = set()
    for url, status in statuses.items():
        if status == 200:
            with contextlib.suppress(Resolver404):
                match = resolve(urlparse(url).path)
                names.add(match.view_name if match.url_name else match.route.lstrip("/"))
    return names


def direct_probes(issue: Issue) -> list[str]:
    """URLs naming the hidden document or the issue's source directly, where such routes exist."""
    slug, hidden = issue.gazette.slug, "shizhengfa-2020-3"
    candidates = [
        f"/doc/{hidden}/", f"/{slug}/doc/{hidden}/", f"/api/v1/documents/{slug}/{hidden}",
        f"/akn/doc/{slug}/{hidden}.xml", f"/bundle/doc/{slug}/{hidden}.json",
        f"/history/{slug}/{hidden}/", f"/akn/issue/{issue.ident}.xml",
        f"/bundle/issue/{issue.ident}.json", f"/source/{issue.ident}.txt",
        f"/wechat/doc/{slug}/{hidden}.html", f"/card/doc/{slug}/{hidden}.png",
    ]  # fmt: skip
    return [c for c in candidates if _resolves(c.split("?")[0])]


def test_no_leak_on_pages_and_every_other_channel(published: Issue) -> None:
    client = Client()
    statuses: dict[str, int] = {}
    pages = crawl(client, public_starts(published) + direct_probes(published), statuses=statuses)
    for url, text in pages.items():
        assert MARKER not in text, f"{url} shows the 依申请公开 document"
        for value in PERSONAL:
            assert value not in text, f"{url} shows {value}"
    # Every public route of the URL configuration was read (PDFs included), or is
    # named above with the reason it cannot be: a channel the crawl misses fails.
    missed = set(url_routes()) - _reached(statuses) - set(NOT_LINKED)
    assert not missed, f"channels the crawl did not reach: {sorted(missed)}"
    assert any(url.endswith(".pdf") and text for url, text in pages.items())
    assert statuses[f"/source/{published.ident}.txt"] == 404  # holds the withheld document
    slug = published.gazette.slug
    assert client.get(f"/card/doc/{slug}/shizhengfa-2020-3.png").status_code == 404
    assert client.get(f"/card/doc/{slug}/shizhengfa-2020-4.png").status_code == 200
    html = client.get("/doc/shizhengfa-2020-4/").content.decode()
    assert "王某" in html and "1101**********002X" in html and "138****5678" in html
    assert client.get("/doc/shizhengfa-2020-3/").status_code == 404
    issue_page = client.get("/2020/1/").content.decode()
    assert "关于做好防汛工作的通知" not in issue_page  # not even its title in the TOC


def test_no_leak_in_search(published: Issue) -> None:
    index = sync.reader()
    for query in [MARKER, "防汛", *PERSONAL]:
        results = index.search(query)
        for hit in results.hits:
            assert hit.doc_id != f"{published.gazette.slug}/shizhengfa-2020-3", query
            text = hit.title + "".join(p.text + p.heading for p in hit.passages)
            assert query not in text or query == "防汛", query
    assert index.search("王某").hits or index.search("低保").hits
    # A rebuild goes through access as well.
    sync.rebuild()
    assert not sync.reader().search(MARKER).hits
    assert not sync.reader().search("11010519491231002X").hits


def test_staff_still_see_the_original(published: Issue) -> None:
    doc = Document.objects.get(ident="shizhengfa-2020-4")
    assert "11010519491231002X" in json.dumps(doc.data, ensure_ascii=False)


# -- catalog, directory, 解读, 留言 -------------------------------------------------------------


def test_catalog_seeded_public_and_coverage(published: Issue, client: Client) -> None:
    from gongbao.site.disclosure.catalog import coverage
    from gongbao.site.disclosure.models import CatalogItem

    html = client.get("/xxgk/catalog/").content.decode()
    for area in (
        "财政预决算",
        "重大建设项目",
        "公共资源配置",
        "社会救助",
        "教育",
        "医疗卫生",
        "生态环境",
        "食品药品",
        "保障性住房",
        "国有资产",
        "安全生产",
    ):
        assert area in html
    item = CatalogItem.objects.get(code="JZ")
    item.period_days = 100000
    item.save()
    DisclosureRecord.objects.get(ident="shizhengfa-2020-4").catalog_items.add(item)
    rows = {c.item.code: c for c in coverage()}
    assert rows["JZ"].covered and rows["JZ"].documents == 1
    assert not rows["YJ"].covered


def test_directory_lists_index_numbers_of_public_documents_only(
    published: Issue, client: Client
) -> None:
    html = client.get("/xxgk/directory/").content.decode()
    record = DisclosureRecord.objects.get(ident="shizhengfa-2020-4")
    assert record.index_number in html and "关于公示城乡低保对象的通知" in html
    assert "关于做好防汛工作的通知" not in html


def test_interpretation_published_with_its_policy_and_lacking_list(
    published: Issue, client: Client
) -> None:
    from gongbao.site.disclosure.models import Interpretation

    record = DisclosureRecord.objects.get(ident="shizhengfa-2020-4")
    record.is_policy = True
    record.save()
    client.force_login(staff("editor1", "editor"))
    assert (
        "关于公示城乡低保对象的通知"
        in client.get("/xxgk/staff/").content.decode().split("缺少政策解读")[1][:400]
    )
    Interpretation.objects.create(
        gazette=published.gazette,
        ident="shizhengfa-2020-4",
        title="低保公示解读",
        text="一图读懂",
        approved=True,
    )
    hidden = Interpretation.objects.create(
        gazette=published.gazette,
        ident="shizhengfa-2020-3",
        title="防汛解读",
        text="x",
        approved=True,
    )
    public = Client()
    listing = public.get("/xxgk/jiedu/").content.decode()
    assert "低保公示解读" in listing and "防汛解读" not in listing
    assert public.get(f"/xxgk/jiedu/{hidden.pk}/").status_code == 404


def test_messages_answered_on_the_deadline_engine(client: Client, clock) -> None:
    from datetime import date

    from gongbao.site.disclosure.models import Message
    from tests.conftest import morning_of
    from tests.site.disclosure_helpers import old_stamp

    clock.move_to(morning_of(date(2023, 9, 28)))
    data = {
        "text": "请问低保标准是多少？",
        "name": "张三",
        "contact": "13800000000",
        "stamp": old_stamp(),
        "website": "",
    }
    assert client.post("/xxgk/liuyan/", data).status_code == 200
    client.post("/xxgk/liuyan/", data)  # a double click posts once
    msg = Message.objects.get()
    assert msg.due_on == date(2023, 10, 8)
    services.answer_message(msg, staff("editor1", "editor"), "每人每月420元。", publish=True)
    html = Client().get("/xxgk/liuyan/").content.decode()
    assert "每人每月420元" in html and "张三" not in html and "13800000000" not in html
