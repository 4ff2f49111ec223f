"""The lifecycle's public URL: the feed of documents whose validity ends soon."""

from django.urls import re_path

from gongbao.site.lifecycle import feeds

app_name = "lifecycle"
urlpatterns = [
    re_path(r"^feeds/expiring\.(?P<fmt>atom|rss)$", feeds.expiring_feed, name="expiring-feed"),
]
