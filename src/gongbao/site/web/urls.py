"""Public URLs: the default gazette at the root, every gazette also under ``/<slug>/``.

``/``, ``/2018/``, ``/2018/3/``, ``/doc/guanzhengfa-2018-64/``, ``/search/``, ``/library/``
(政府信息公开: every document by 发文机关, year, 文种); the same
below ``/guanxian/`` for any gazette. Literal prefixes come first so that a slug
can never shadow them.
"""

from __future__ import annotations

from django.urls import path

from gongbao.site.web import library, views

app_name = "web"
LIBRARY = views.cache_control(library.library)
LABELS = {"kind_labels": views.KIND_LABELS}

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("doc/<str:ident>/", views.document, name="document"),
    path("library/", LIBRARY, LABELS, name="library"),
    path("<int:year>/", views.year, name="year"),
    path("<int:year>/<int:number>/", views.issue, name="issue"),
    path("<slug:gazette>/", views.home, name="g-home"),
    path("<slug:gazette>/search/", views.search, name="g-search"),
    path("<slug:gazette>/doc/<str:ident>/", views.document, name="g-document"),
    path("<slug:gazette>/library/", LIBRARY, LABELS, name="g-library"),
    path("<slug:gazette>/<int:year>/", views.year, name="g-year"),
    path("<slug:gazette>/<int:year>/<int:number>/", views.issue, name="g-issue"),
]
