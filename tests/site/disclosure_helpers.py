"""Shared helpers for the disclosure tests: staff users, a valid application, form stamps."""

from __future__ import annotations

import time
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing

from gongbao.site.disclosure import forms, services

APPLICATION = {
    "applicant_type": "natural",
    "name": "王小明",
    "id_type": "居民身份证",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "wxm@example.com",
    "address": "冠县红旗路18号3单元502室",
    "description": "冠县2018年城乡低保资金发放情况",
    "form": "electronic",
    "delivery": "email",
}


def staff(username: str, role: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username, password="pass-word-123", is_staff=True
        )
    user.groups.add(Group.objects.get(name=role))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def filed(on: date = date(2025, 9, 24), **changes):
    data = {**APPLICATION, **changes}
    req, _code, _ = services.file_request(data, token=services.new_token(), received_on=on)
    return req


def old_stamp(seconds: float = 60) -> str:
    """A form stamp issued ``seconds`` ago (a person who took their time)."""
    payload = {"k": services.new_token(), "t": time.time() - seconds}
    return signing.dumps(payload, salt=forms._STAMP_SALT)
