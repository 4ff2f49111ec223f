"""Django settings for a gongbao site.

Everything a deployment changes comes from the environment:

- ``GONGBAO_HOME``: the data folder (SQLite archive, search index, secret key); default ``./data``.
  Created owner-only (0700); the archive, the secret key and uploads are 0600.
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/gongbao``; default the embedded SQLite file.
- ``GONGBAO_ENV=production``: refuse to start with DEBUG on or without ``GONGBAO_SECRET_KEY``.
- ``GONGBAO_DEBUG=1``: development only.
- ``GONGBAO_ALLOWED_HOSTS``: comma-separated host names.
- ``GONGBAO_DEFAULT_GAZETTE``: the gazette whose pages live at the site root (else the only one).
- ``GONGBAO_ERROR_LOG``: a file that server errors (500s with their traceback) are appended to;
  they always go to stderr too.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

HOME = Path(os.environ.get("GONGBAO_HOME", "data")).resolve()
PRODUCTION = os.environ.get("GONGBAO_ENV", "development") == "production"
DEBUG = os.environ.get("GONGBAO_DEBUG", "") == "1"
_DEFAULT_SECRET_MARK = "insecure-development-key"


def _private_dir(path: Path) -> None:
    """Create the folder owner-only (0700) when missing: it holds the archive and keys."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)


def _private_file(path: Path, content: bytes = b"") -> None:
    """Create the file with mode 0600 from the start (never readable by others, not even
    for an instant); an existing file is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.write(fd, content)
    finally:
        os.close(fd)


# The archive (applicants' ID numbers, password hashes), the secret key and the
# uploads live here: the folder and those files are the owner's alone.
_private_dir(HOME)


def _secret_key() -> str:
    key = os.environ.get("GONGBAO_SECRET_KEY", "")
    if PRODUCTION:
        if DEBUG:
            raise ImproperlyConfigured("生产环境不得开启 DEBUG：请去掉 GONGBAO_DEBUG=1。")
        if not key or _DEFAULT_SECRET_MARK in key or len(key) < 32:
            raise ImproperlyConfigured(
                "生产环境必须设置 GONGBAO_SECRET_KEY（至少 32 个随机字符），不能使用默认密钥。"
            )
        return key
    if key:
        return key
    # Development: a random key kept in the data folder, readable by the owner only.
    path = HOME / "secret_key"
    _private_file(path, f"{_DEFAULT_SECRET_MARK}-{secrets.token_urlsafe(48)}".encode())
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GONGBAO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        import dj_database_url

        db = dj_database_url.parse(url, conn_max_age=60)
        db.setdefault("TEST", {})["NAME"] = os.environ.get("GONGBAO_TEST_DATABASE", "test_gongbao")
        return db
    # SQLite creates its -wal and -shm files with the database file's mode.
    _private_file(HOME / "gongbao.sqlite3")
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": HOME / "gongbao.sqlite3",
        "OPTIONS": {
            # WAL lets readers go on while an import writes; IMMEDIATE takes the write
            # lock at BEGIN so concurrent importers queue instead of deadlocking.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


DATABASES = {"default": _database()}
SEARCH_INDEX_DIR = Path(os.environ.get("GONGBAO_INDEX_DIR", HOME / "index"))
DEFAULT_GAZETTE = os.environ.get("GONGBAO_DEFAULT_GAZETTE", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongbao.site.archive",
    "gongbao.site.gazettes",  # each gazette's profile: organs, sections, units, 索引号, catalog
    "gongbao.site.search",
    "gongbao.site.web",
    "ninja",  # the API docs page's static files (served locally: the CSP allows no CDN)
    "gongbao.site.api",
    "gongbao.site.opendata",
    "gongbao.site.newmedia",  # 公众号 articles, share cards
    "gongbao.site.tracker",
    "gongbao.site.lifecycle",
    "gongbao.site.disclosure",
    "gongbao.site.limits",
    "gongbao.site.review",  # four eyes: publication and correction requests
    "gongbao.site.production",  # making the gazette: 收稿, 编排, 校对, 签发, 出刊, 勘误
    "gongbao.site.portal",  # saved web pages: metadata tables and attachments
    "axes",  # staff login throttling (django-axes), counted in the database
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongbao.site.web.middleware.SecurityHeadersMiddleware",
    "gongbao.site.api.middleware.OpenDataMiddleware",
    "gongbao.site.web.middleware.PublicPageCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongbao.site.web.middleware.PrivateForStaff",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the Chinese 429 page
]
# Staff login (/accounts/login/, /admin/login/): after AXES_FAILURE_LIMIT wrong passwords
# from one address, or for one user name, logins stop for AXES_COOLOFF_TIME. Attempts
# are rows in the database every worker shares, so the limit survives restarts.
AUTHENTICATION_BACKENDS = [
    "gongbao.site.web.throttle.LoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("GONGBAO_LOGIN_FAILURES", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("GONGBAO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongbao.site.web.throttle.locked_out"
ROOT_URLCONF = "gongbao.site.urls"
WSGI_APPLICATION = "gongbao.site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongbao.site.web.context.site",
            ]
        },
    }
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when finders serve
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "gongbao.site.review.views.csrf_failure"  # a Chinese page, not a bare 403
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads (applicants' attachments, evidence) are personal data: owner-only too.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Open data (gongbao.site.api, gongbao.site.opendata; docs/api.md, docs/opendata.md).
GONGBAO_SITE_URL = os.environ.get("GONGBAO_SITE_URL", "")  # absolute links in bulk files
GONGBAO_PUBLISHER = os.environ.get("GONGBAO_PUBLISHER", "")  # the signing publisher's name
GONGBAO_CARD_FONT = os.environ.get("GONGBAO_CARD_FONT", "")  # share cards; default: fc-match
GONGBAO_KEYS_DIR = Path(os.environ.get("GONGBAO_KEYS_DIR", HOME / "keys"))
GONGBAO_BULK_DIR = Path(os.environ.get("GONGBAO_BULK_DIR", HOME / "bulk"))
GONGBAO_PDF_DIR = Path(os.environ.get("GONGBAO_PDF_DIR", HOME / "pdf"))
GONGBAO_BULK_ON_PUBLISH = os.environ.get("GONGBAO_BULK_ON_PUBLISH", "1") == "1"
# 出刊 prints and signs the PDF in the same step; "0" only where no Chromium runs.
GONGBAO_PRINT_ON_PUBLISH = os.environ.get("GONGBAO_PRINT_ON_PUBLISH", "1") == "1"
# The default gazette's profile (TOML, gongbao.core.profile; samples/guanxian.toml for the
# demo) until staff save one in the admin: organs, sections, unit names, the disclosure
# office and its 索引号 scheme, the catalog areas. Empty: generic rules only.
GONGBAO_PROFILE = os.environ.get("GONGBAO_PROFILE", "")
# A unit list of its own for the task tracker's registry (JSON or a profile's [units]);
# empty: the units of the gazette profile.
GONGBAO_UNIT_PROFILE = os.environ.get("GONGBAO_UNIT_PROFILE", "")
# Office landlines printed as a unit's contact point (联系人…电话, 咨询电话) are public,
# not personal data (docs/disclosure.md, "Official contact points"); 0 masks them too.
GONGBAO_PUBLIC_CONTACTS = os.environ.get("GONGBAO_PUBLIC_CONTACTS", "1") == "1"
# API requests per client and window (seconds); the API docs publish these numbers.
GONGBAO_API_RATE = int(os.environ.get("GONGBAO_API_RATE", "120"))
GONGBAO_API_RATE_WINDOW = int(os.environ.get("GONGBAO_API_RATE_WINDOW", "60"))
# Headless Chromium that prints the HTML reports to PDF (tracker, disclosure, open
# data); empty: /usr/bin/chromium or whatever `chromium` is on PATH.
GONGBAO_CHROMIUM = os.environ.get("GONGBAO_CHROMIUM", "")
# gunicorn's access log for `gongbao serve` ("-" for stderr); empty: none.
GONGBAO_ACCESS_LOG = os.environ.get("GONGBAO_ACCESS_LOG", "")
# Seconds each import task waits before it starts: the interrupt and queue tests
# need a slow task to stop in the middle. 0 outside the tests.
GONGBAO_TASK_DELAY = float(os.environ.get("GONGBAO_TASK_DELAY", "0") or 0)
# Server errors (500s, with their traceback) go to stderr, which gunicorn and the
# service manager keep, and to GONGBAO_ERROR_LOG when set: Django's default sends
# them nowhere unless DEBUG is on.
ERROR_LOG = os.environ.get("GONGBAO_ERROR_LOG", "")
_error_handlers = ["console", "error_file"] if ERROR_LOG else ["console"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        **(
            {
                "error_file": {
                    "class": "logging.handlers.WatchedFileHandler",
                    "filename": ERROR_LOG,
                    "formatter": "plain",
                    "level": "ERROR",
                }
            }
            if ERROR_LOG
            else {}
        ),
    },
    "loggers": {
        "gongbao": {"handlers": _error_handlers, "level": "INFO"},
        "django.request": {"handlers": _error_handlers, "level": "ERROR"},
    },
}
