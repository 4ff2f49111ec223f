"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"site_name": "政府公报"}
