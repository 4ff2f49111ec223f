"""Open-data pages and files: data page, bulk downloads, feeds, sitemap, robots, keys,
verification, AKN and PDF downloads, bundles, manifests, version history, source files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from gongbao.core import integrity
from gongbao.site import access
from gongbao.site.archive.models import Issue
from gongbao.site.gazette_urls import gazettes
from gongbao.site.opendata import akn, bulk, feeds, history, keys, page, pdf, public, services
from gongbao.site.opendata.models import Manifest
from gongbao.site.opendata.verify import verify_bytes
from gongbao.site.printing import PdfUnavailable

MAX_UPLOAD = 64 * 1024 * 1024
SITEMAP_MAX = 50_000


def _issue(ident: str) -> Issue:
    issue = public.issues().select_related("gazette").filter(ident=ident).first()
    if issue is None:
        raise Http404("没有这一期")
    return issue


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- data page and bulk files ------------------------------------------------------


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    years = bulk.listing()
    for y in years:
        for f in y.get("files", []):
            f["url"] = f"/data/{f['name']}"
            f["human"] = _human(f["size"])
        y["sums_url"] = f"/data/{y['sums']}"
    context = {
        "years": years,
        "keys_url": "/keys/",
        "api_docs": "/api/v1/docs",
        "gazette": gazettes(request).default,
    }
    return render(request, "opendata/data.html", context)


def _human(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


CONTENT_TYPES = {
    ".jsonl": "application/jsonl; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".zip": "application/zip",
    ".json": "application/json",
}


def _bulk_path(name: str) -> Path:
    """The bulk file called ``name``; 404 for anything else, a name too long included."""
    if "/" in name or name.startswith("."):
        raise Http404("没有这个文件")
    path = bulk.bulk_dir() / name
    try:
        found = path.is_file()
    except OSError:  # ENAMETOOLONG and the like: a name no bulk file can have
        found = False
    if not found:
        raise Http404("没有这个文件")
    return path


@require_GET
def bulk_file(request: HttpRequest, name: str) -> FileResponse:
    path = _bulk_path(name)
    slug, _, year = name.split(".")[0].rpartition("-")
    if (
        not public.issues()
        .filter(gazette__slug=slug, year=int(year) if year.isdigit() else 0)
        .exists()
    ):
        raise Http404("没有这个文件")
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115
    response["Content-Type"] = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    return response


# -- feeds, sitemap, robots ------------------------------------------------------------


@require_GET
def issues_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    return feeds.issues_feed(request, fmt)


@require_GET
def documents_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    return feeds.documents_feed(request, fmt)


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /verify/",
        "Disallow: /tasks/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Home, issues and documents, each with its last change; a sitemap index when large."""
    gz = gazettes(request)
    count = public.documents().count()
    if count + 1000 > SITEMAP_MAX:
        years = sorted(set(public.issues().values_list("gazette__slug", "year")))
        urls = [request.build_absolute_uri(f"/sitemap-{s}-{y}.xml") for s, y in years]
        return render(
            request, "opendata/sitemap_index.xml", {"urls": urls}, content_type="application/xml"
        )
    return _urlset(request, gz, public.issues(), public.documents(), home=True)


@require_GET
def sitemap_year(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    issues = public.issues().filter(gazette__slug=slug, year=year)
    if not issues.exists():
        raise Http404("没有这一年")
    docs = public.documents().filter(gazette__slug=slug, issue__year=year)
    return _urlset(request, gazettes(request), issues, docs, home=False)


def _urlset(request, gz, issues, docs, *, home: bool) -> HttpResponse:
    entries: list[dict[str, Any]] = []
    if home:
        entries.append({"loc": request.build_absolute_uri("/"), "lastmod": None})
    for i in issues.filter(kind=Issue.ISSUE).select_related("gazette").order_by("year", "number"):
        entries.append(
            {
                "loc": request.build_absolute_uri(gz.issue_url(i.gazette.slug, i.year, i.number)),
                "lastmod": i.updated_at,
            }
        )
    rows = docs.values_list("gazette__slug", "ident", "issue__updated_at").order_by("pk")
    for slug, ident, updated in rows.iterator(chunk_size=5000):
        entries.append(
            {"loc": request.build_absolute_uri(gz.doc_url(slug, ident)), "lastmod": updated}
        )
    return render(
        request, "opendata/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )


# -- keys and verification -------------------------------------------------------------


@require_GET
def keys_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        keys.public_keys(), safe=False, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )


@require_GET
def keys_page(request: HttpRequest) -> HttpResponse:
    context = {
        "keys": keys.public_keys(),
        "fingerprint": keys.certificate_fingerprint(),
        "has_cert": keys.certificate_pem() is not None,
        "gazette": gazettes(request).default,
    }
    return render(request, "opendata/keys.html", context)


@require_GET
def certificate(request: HttpRequest) -> HttpResponse:
    pem = keys.certificate_pem()
    if pem is None:
        raise Http404("还没有发布者证书")
    return HttpResponse(pem, content_type="application/x-pem-file")


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    report = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要核对的文件。"
        elif upload.size > MAX_UPLOAD:
            error = f"文件过大（上限 {MAX_UPLOAD // 1024 // 1024} MB）。"
        else:
            # The site's own keys and checksum files: never those inside the upload.
            report = verify_bytes(
                upload.read(),
                name=Path(upload.name or "").name,
                keys=keys.public_keys() or None,
                certificate=keys.certificate_pem(),
                folders=[bulk.bulk_dir()],
            )
    context = {"report": report, "error": error, "gazette": gazettes(request).default}
    return render(request, "opendata/verify.html", context, status=400 if error else 200)


# -- AKN, PDF, bundles, manifests ----------------------------------------------------------


@require_GET
def document_akn(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = public.document_or_404(gazette, ident)
    return _download(akn.document_akn_bytes(doc), "application/akn+xml", f"{ident}.akn.xml")


@require_GET
def issue_akn(request: HttpRequest, ident: str) -> HttpResponse:
    issue = _issue(ident)
    return _download(bulk.issue_akn_bytes(issue), "application/akn+xml", f"{ident}.akn.xml")


@require_GET
def document_bundle(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = public.document_or_404(gazette, ident)
    manifest = services.latest_manifest(doc.issue.ident)
    if manifest is None:
        raise Http404("这一期还没有签名清单")
    data = services.bundle_for(manifest, doc.ident)
    return _download(data, "application/json", f"{ident}.bundle.json")


@require_GET
def issue_bundle(request: HttpRequest, ident: str) -> HttpResponse:
    issue = _issue(ident)
    manifest = services.latest_manifest(issue.ident)
    if manifest is None:
        raise Http404("这一期还没有签名清单")
    return _download(services.bundle_for(manifest), "application/json", f"{ident}.bundle.json")


def _public_manifest(sha256: str) -> Manifest:
    m = Manifest.objects.filter(sha256=sha256, withdrawn=False).first()
    if (
        m is None
        or not public.issues().filter(ident=m.issue_ident).exists()
        or not services.servable(m)
    ):
        raise Http404("没有这份清单")
    return m


@require_GET
def version_bundle(request: HttpRequest, sha256: str, ident: str) -> HttpResponse:
    m = _public_manifest(sha256)
    listed = any(d.get("id") == ident for d in m.documents)
    if not listed or ident in access.withheld_idents(m.gazette_slug):
        raise Http404("清单中没有这份文件")
    return _download(
        services.bundle_for(m, ident), "application/json", f"{ident}.v{m.version}.bundle.json"
    )


@require_GET
def manifest_json(request: HttpRequest, sha256: str) -> HttpResponse:
    m = _public_manifest(sha256)
    body = json.dumps(m.signed, ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/json")


def _signed_pdf(kind: str, key: str, html: str, reason: str) -> bytes:
    """Made once per content hash and key: later requests read the file."""
    keys.ensure()
    kid = (keys.current() or {}).get("key_id", "")
    path = pdf.pdf_folder() / f"{kind}-{key[:32]}-{kid}.pdf"
    if path.is_file():
        return path.read_bytes()
    signed = pdf.sign_with_site_key(pdf.render_pdf(html), reason)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(signed)
    tmp.replace(path)
    return signed


def _pdf_response(body: bytes, ident: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ident}.pdf"'
    return response


def _pdf_unavailable(exc: Exception) -> HttpResponse:
    return HttpResponse(
        f"暂时无法生成 PDF：{exc}", status=503, content_type="text/plain; charset=utf-8"
    )


@require_GET
def document_pdf(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = public.document_or_404(gazette, ident)
    data = public.document_data(doc)
    digest = integrity.document_hash(data)
    html = pdf.document_html(
        data,
        gazette=doc.gazette.name,
        issue_label=str(doc.issue),
        digest=digest,
        publisher=keys.publisher_name(),
    )
    try:
        body = _signed_pdf("doc", digest, html, f"{doc.issue} 电子版，SHA-256 {digest}")
    except PdfUnavailable as exc:
        return _pdf_unavailable(exc)
    return _pdf_response(body, ident)


@require_GET
def issue_pdf(request: HttpRequest, ident: str) -> HttpResponse:
    """The issue's print edition (cover, 目录 with page numbers, bookmarks), signed."""
    issue = _issue(ident)
    try:
        edition = pdf.issue_print(issue)
    except PdfUnavailable as exc:
        return _pdf_unavailable(exc)
    return _pdf_response(edition.pdf, ident)


# -- history and source ---------------------------------------------------------------------


@require_GET
def history_page(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = public.document_or_404(gazette, ident)
    found = history.listed(doc)
    rows = [
        {
            **v,
            "diff": history.diff(found[n - 1]["data"], v["data"]) if n else None,
            "reason": history.correction_reason(doc, v["version"]) if n else "",
        }
        for n, v in enumerate(found)
    ]
    gz = gazettes(request)
    context = {
        "doc": doc,
        "rows": list(reversed(rows)),
        "gazette": gz.get(gazette),
        "doc_url": gz.doc_url(gazette, ident),
    }
    return render(request, "opendata/history.html", context)


@require_GET
def source_file(request: HttpRequest, ident: str) -> HttpResponse:
    """The issue's source file as imported, only when every one of its documents is public."""
    issue = _issue(ident)
    version = public.latest_version(issue)
    if version is None or not page.source_is_public(issue):
        raise Http404("这一期的源文件不公开")
    response = HttpResponse(version.source_text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{version.source_name}"'
    return response
