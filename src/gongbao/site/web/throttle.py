"""Staff login throttling with django-axes (settings ``AXES_*``, docs/site.md "Security").

Wrong passwords are recorded by axes in the database; after ``AXES_FAILURE_LIMIT``
of them from one address or for one user name, further logins (right or wrong)
get a Chinese page with status 429 until ``AXES_COOLOFF_TIME`` has passed.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottle(AxesStandaloneBackend):
    """Axes' lockout check, for logins that come with a request.

    ``authenticate()`` without a request (a command, a test) has no client to
    throttle; axes would raise instead of letting the next backend decide.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    response = render(request, "registration/locked.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
