"""Manifests signed with SM2 (国密) beside Ed25519: keys, publication, `gongbao verify`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from gongbao.cli import main
from gongbao.site.opendata import keys
from gongbao.site.opendata.models import Manifest
from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata = helpers.opendata
DOC = "guanzhengfa-2018-64"


def test_published_manifest_has_both_signatures_and_verify_checks_both(
    opendata, sample_issue, tmp_path: Path, capsys
) -> None:
    folder = keys.keys_dir()
    assert (folder / keys.SM2_PRIVATE).stat().st_mode & 0o777 == 0o600
    published = keys.public_keys()
    assert sorted(k["algorithm"] for k in published) == ["Ed25519", "SM2"]
    sm2 = next(k for k in published if k["algorithm"] == "SM2")
    assert sm2["user_id"] == "1234567812345678"

    signed = Manifest.objects.get(issue=sample_issue).signed
    assert signed["signature_sm2"]["key_id"] == sm2["key_id"]

    client = Client()
    keys_file = tmp_path / "keys.json"
    keys_file.write_bytes(client.get("/keys.json").content)
    bundle = tmp_path / f"{DOC}.bundle.json"
    bundle.write_bytes(client.get(f"/bundle/doc/guanxian/{DOC}.json").content)
    capsys.readouterr()
    assert main(["verify", str(bundle), "--keys", str(keys_file)]) == 0
    out = capsys.readouterr().out
    assert f"✓ 签名 guanxian-2018-03 {signed['signature']['key_id']}" in out
    assert f"✓ SM2 签名 guanxian-2018-03 {sm2['key_id']}" in out

    # A changed manifest fails both signatures, each named.
    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["manifests"][-1]["manifest"]["issue"]["number"] = 4
    bundle.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(bundle), "--keys", str(keys_file)]) == 1
    out = capsys.readouterr().out
    assert "✗ 签名无效：guanxian-2018-03\n" in out
    assert "✗ 签名无效：guanxian-2018-03（SM2）" in out

    # Rotation retires the SM2 key with the Ed25519 one; the old manifest still verifies.
    assert main(["keys", "rotate"]) == 0
    assert "新国密 SM2 密钥" in capsys.readouterr().out
    infos = keys.public_keys()
    old = next(k for k in infos if k["key_id"] == sm2["key_id"])
    assert old["valid_to"] is not None
    assert sorted(k["algorithm"] for k in infos if k["valid_to"] is None) == ["Ed25519", "SM2"]
    keys_file.write_text(json.dumps(infos), encoding="utf-8")
    bundle.write_bytes(client.get(f"/bundle/doc/guanxian/{DOC}.json").content)
    assert main(["verify", str(bundle), "--keys", str(keys_file)]) == 0
