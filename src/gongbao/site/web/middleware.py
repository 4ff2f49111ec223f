"""Middleware: security headers on every response, no-store for staff, the public page cache."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gongbao.site.gazette_urls import gazettes
from gongbao.site.search import sync

# Staff, forms with CSRF tokens and per-user pages: never from the shared cache.
_NEVER_CACHED = ("/admin/", "/accounts/", "/tasks/", "/xxgk/", "/verify", "/static/")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


# Pages only staff use: private even when the answer is a redirect to the login page.
_STAFF_PATHS = ("/admin/", "/xxgk/staff/", "/accounts/")


class PrivateForStaff:
    """``Cache-Control: private, no-store`` on every response to a logged-in user and on
    staff paths (docs/site.md): no shared or browser cache keeps what staff saw.

    Runs after authentication, so it overrides whatever a view or an earlier
    middleware set for the anonymous case.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(_STAFF_PATHS):
            response["Cache-Control"] = "private, no-store"
        return response


class PublicPageCache:
    """Serve anonymous readers' repeat requests for public pages from this process's memory.

    Only responses a view marked ``Cache-Control: public`` (and that set no
    cookie) are kept. Entries are keyed by the archive's generation (read with the
    gazettes, which every page loads), advanced with every change to published
    content, so a withdrawn or corrected issue is never served from here after its
    change committed; a time limit bounds anything else.
    """

    MAX_ENTRIES = 4000
    MAX_BYTES = 256 * 1024 * 1024
    TTL = 300.0

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._store: OrderedDict[tuple[int, str], tuple[float, HttpResponse]] = OrderedDict()
        self._bytes = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._eligible(request):
            return self.get_response(request)
        # Another server (or the CLI) may have published: the index catches up first, so
        # no page from before that change is served from here. The archive's generation
        # comes with the gazettes, which the page needs anyway.
        generation = gazettes(request).generation
        sync.keep_current(generation)
        with sync.request_generation(generation):
            return self._serve(request, -1 if generation is None else generation)

    def _serve(self, request: HttpRequest, generation: int) -> HttpResponse:
        key = (generation, request.get_full_path())
        now = time.monotonic()
        entry = self._store.get(key)
        if entry is not None and now - entry[0] < self.TTL:
            self._store.move_to_end(key)
            return self._copy(entry[1])
        response = self.get_response(request)
        if self._cacheable(response):
            self._put(key, now, response)
        return response

    def _eligible(self, request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(_NEVER_CACHED)
        )

    @staticmethod
    def _cacheable(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "public" in response.get("Cache-Control", "")
        )

    def _put(self, key: tuple[int, str], now: float, response: HttpResponse) -> None:
        size = len(response.content)
        if size > self.MAX_BYTES // 16:
            return
        old = self._store.pop(key, None)
        if old is not None:
            self._bytes -= len(old[1].content)
        self._store[key] = (now, self._copy(response))
        self._bytes += size
        while len(self._store) > self.MAX_ENTRIES or self._bytes > self.MAX_BYTES:
            _, (_, evicted) = self._store.popitem(last=False)
            self._bytes -= len(evicted.content)

    @staticmethod
    def _copy(response: HttpResponse) -> HttpResponse:
        fresh = HttpResponse(response.content, status=response.status_code)
        for name, value in response.items():
            fresh[name] = value
        return fresh
