"""Abuse limits that hold: login throttling, limits shared by workers, the one-time form stamp,
and the request form's checks of 身份证 numbers, phone numbers and e-mail addresses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongbao.site.disclosure.models import Request
from tests.site.disclosure_helpers import APPLICATION, old_stamp

pytestmark = pytest.mark.django_db


# -- staff login -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_60_wrong_logins_get_throttled(url, settings) -> None:
    get_user_model().objects.create_user("editor1", password="right-password-1", is_staff=True)
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.post(url, {"username": "editor1", "password": f"wrong-{n}"}).status_code
        for n in range(60)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # the form again, with its error
    assert set(statuses[limit:]) == {429}
    locked = client.post(url, {"username": "editor1", "password": "right-password-1"})
    assert locked.status_code == 429 and "登录已暂停" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address and another user name are not locked out by these attempts.
    get_user_model().objects.create_user("editor2", password="right-password-2", is_staff=True)
    other = Client(REMOTE_ADDR="198.51.100.7")
    ok = other.post(url, {"username": "editor2", "password": "right-password-2"})
    assert ok.status_code == 302


def test_command_line_authentication_is_not_throttled() -> None:
    """``authenticate()`` without a request (commands) has no client to count."""
    from django.contrib.auth import authenticate

    get_user_model().objects.create_user("clerk", password="right-password-3")
    assert authenticate(username="clerk", password="right-password-3") is not None


# -- limits shared by server processes -----------------------------------------------------

WORKER = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime, timezone
    import time_machine
    # Every "worker" at the same instant: the count, not the clock, decides.
    with time_machine.travel(datetime(2025, 6, 2, 2, 0, tzinfo=timezone.utc), tick=False):
        from gongbao.site import setup
        setup()
        from django.test import Client
        c = Client(REMOTE_ADDR="192.0.2.1")
        kind, n = sys.argv[1], int(sys.argv[2])
        if kind == "api":
            codes = [c.get("/api/v1/").status_code for _ in range(n)]
        else:
            form = {"number": "2025-0001", "code": "AAAAAAAAAAAA"}
            codes = [c.post("/xxgk/status/", form).status_code for _ in range(n)]
    print(json.dumps(codes))
    """
)


def _worker(home: Path, kind: str, n: int) -> list[int]:
    """A separate server process (its own memory, as after a restart) on the shared archive."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(GONGBAO_HOME=str(home), GONGBAO_API_RATE="5", GONGBAO_API_RATE_WINDOW="3600")
    run = subprocess.run(
        [sys.executable, "-c", WORKER, kind, str(n)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_api_and_lookup_limits_hold_across_processes(tmp_path: Path) -> None:
    home = tmp_path / "archive"
    assert _worker(home, "api", 3) == [200] * 3
    assert _worker(home, "api", 3) == [200, 200, 429]  # 5 per window, whichever process
    assert _worker(home, "lookup", 12) == [200] * 12
    assert _worker(home, "lookup", 10) == [200] * 8 + [429] * 2  # 20 lookups an hour


# -- the request form ------------------------------------------------------------------------


def _post(client: Client, **changes):
    return client.post("/xxgk/apply/", {**APPLICATION, "website": "", **changes})


def test_an_old_stamp_with_other_content_never_reveals_the_earlier_code(client) -> None:
    stamp = old_stamp()
    first = _post(client, stamp=stamp)
    assert first.status_code == 200
    code, number = first.context["code"], first.context["req"].number
    other = _post(client, stamp=stamp, name="李四", description="别的信息")
    html = other.content.decode()
    assert other.status_code == 400 and "已经提交过" in html
    assert code not in html and number not in html
    assert Request.objects.count() == 1
    again = _post(client, stamp=stamp)  # the same application, a double click: same answer
    assert again.context["code"] == code


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": "123"}, "请填写 18 位居民身份证号码"),
        ({"id_number": "110105194912310021"}, "校验位"),
        ({"id_number": "110105491231002"}, "15 位居民身份证已停止使用"),
        ({"id_number": "11010519491331002X"}, "出生日期须真实"),
        ({"phone": "abc"}, "请填写有效的联系电话"),
        ({"phone": "12345"}, "请填写有效的联系电话"),
        ({"email": "wxm@"}, "请填写有效的电子邮箱地址"),
    ],
)
def test_request_form_checks_id_phone_and_email(client, changes, message) -> None:
    response = _post(client, stamp=old_stamp(), **changes)
    assert response.status_code == 400 and message in response.content.decode()
    assert Request.objects.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"id_number": "11010519491231002x", "phone": "0635-5812345"},
        {"phone": "+86 138 1234 5678"},
        {"phone": "(0635)5812345转801"},
        {"id_type": "护照", "id_number": "E12345678"},
    ],
)
def test_request_form_accepts_real_numbers(client, changes) -> None:
    response = _post(client, stamp=old_stamp(), **changes)
    assert response.status_code == 200, response.content.decode()[-500:]
    assert (
        Request.objects.get().id_number
        == changes.get("id_number", APPLICATION["id_number"]).upper()
    )
