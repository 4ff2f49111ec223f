"""The open data URLs: bulk files, feeds, sitemaps, keys, signed PDFs, AKN and verification."""

from django.urls import path, re_path

from gongbao.site.opendata import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.data_page, name="data"),
    path("data/<str:name>", views.bulk_file, name="bulk-file"),
    re_path(r"^feeds/issues\.(?P<fmt>atom|rss)$", views.issues_feed, name="issues-feed"),
    re_path(r"^feeds/documents\.(?P<fmt>atom|rss)$", views.documents_feed, name="documents-feed"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    re_path(r"^sitemap-(?P<slug>[-a-z0-9]+)-(?P<year>\d{4})\.xml$", views.sitemap_year),
    path("keys.json", views.keys_json, name="keys-json"),
    path("keys/", views.keys_page, name="keys"),
    path("keys/publisher.pem", views.certificate, name="certificate"),
    path("verify/", views.verify_page, name="verify"),
    re_path(
        r"^akn/doc/(?P<gazette>[-\w]+)/(?P<ident>[-\w.]+)\.xml$", views.document_akn, name="doc-akn"
    ),
    re_path(r"^akn/issue/(?P<ident>[-\w]+)\.xml$", views.issue_akn, name="issue-akn"),
    re_path(
        r"^pdf/doc/(?P<gazette>[-\w]+)/(?P<ident>[-\w.]+)\.pdf$", views.document_pdf, name="doc-pdf"
    ),
    re_path(r"^pdf/issue/(?P<ident>[-\w]+)\.pdf$", views.issue_pdf, name="issue-pdf"),
    re_path(
        r"^bundle/doc/(?P<gazette>[-\w]+)/(?P<ident>[-\w.]+)\.json$",
        views.document_bundle,
        name="doc-bundle",
    ),
    re_path(r"^bundle/issue/(?P<ident>[-\w]+)\.json$", views.issue_bundle, name="issue-bundle"),
    re_path(
        r"^bundle/(?P<sha256>[0-9a-f]{64})/(?P<ident>[-\w.]+)\.json$",
        views.version_bundle,
        name="version-bundle",
    ),
    re_path(r"^manifests/(?P<sha256>[0-9a-f]{64})\.json$", views.manifest_json, name="manifest"),
    path("history/<slug:gazette>/<str:ident>/", views.history_page, name="history"),
    re_path(r"^source/(?P<ident>[-\w]+)\.txt$", views.source_file, name="source"),
]
