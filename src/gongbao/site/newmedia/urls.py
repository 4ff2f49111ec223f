"""``/wechat/…html`` (公众号 article), ``/card/…png`` (share card) of documents and issues."""

from django.urls import re_path

from gongbao.site.newmedia import views

app_name = "newmedia"

urlpatterns = [
    re_path(
        r"^wechat/doc/(?P<gazette>[-\w]+)/(?P<ident>[-\w.]+)\.html$",
        views.document_wechat,
        name="doc-wechat",
    ),
    re_path(r"^wechat/issue/(?P<ident>[-\w]+)\.html$", views.issue_wechat, name="issue-wechat"),
    re_path(
        r"^card/doc/(?P<gazette>[-\w]+)/(?P<ident>[-\w.]+)\.png$",
        views.document_card,
        name="doc-card",
    ),
    re_path(r"^card/issue/(?P<ident>[-\w]+)\.png$", views.issue_card, name="issue-card"),
]
