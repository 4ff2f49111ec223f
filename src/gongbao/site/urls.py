"""Root URLs: staff login and admin, then the public site (``gongbao.site.web.urls``)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "公报管理"
admin.site.site_title = "公报管理"
admin.site.index_title = "公报编辑与发布"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tasks/", include("gongbao.site.tracker.urls")),
    path("xxgk/", include("gongbao.site.disclosure.urls")),
    path("xxgk/", include("gongbao.site.review.urls")),  # a reviewer's extension decisions
    path("production/", include("gongbao.site.production.urls")),  # 收稿, 编排, 签发, 出刊
    path("", include("gongbao.site.api.urls")),  # /api/v1/
    path("", include("gongbao.site.lifecycle.urls")),  # /feeds/expiring.atom
    path("", include("gongbao.site.opendata.urls")),  # /data/, /feeds/, /keys/, sitemap …
    path("", include("gongbao.site.newmedia.urls")),  # /wechat/, /card/
    path("", include("gongbao.site.portal.urls")),  # /library/files/ (saved attachments)
    path("", include("gongbao.site.web.urls")),
]
handler403 = "gongbao.site.review.views.permission_denied"  # a Chinese page, never a bare 403
handler404 = "gongbao.site.web.views.not_found"
handler500 = "gongbao.site.web.views.server_error"
