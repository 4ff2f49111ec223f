"""The SM2 (国密) manifest signature beside Ed25519, cross-checked against other implementations.

GmSSL (gmssl-pyx) signs and verifies; the pure-Python gmssl package and, where
the machine's OpenSSL has SM2, the ``openssl`` command check the same
signatures the other way round, so the SM3 digest, the Z value of the default
user id 1234567812345678 and the DER encoding are those of the standard, not
only consistent with themselves.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from Cryptodome.Util.asn1 import DerSequence
from gmssl import sm2 as pure_sm2

from gongbao.core import integrity

WHEN = datetime(2018, 8, 10, 8, 0, tzinfo=UTC)
ISSUE = {"id": "guanxian-2018-03", "gazette": "冠县人民政府公报", "year": 2018, "number": 3}


@pytest.fixture(scope="module")
def keys():
    ed = integrity.generate_key()
    sm = integrity.generate_sm2_key()
    infos = [
        integrity.public_key_info(ed, datetime(2018, 1, 1, tzinfo=UTC)),
        integrity.sm2_public_key_info(sm, datetime(2018, 1, 1, tzinfo=UTC)),
    ]
    return ed, sm, infos


def _signed(ed, sm):
    manifest = integrity.build_manifest(
        ISSUE, [("doc-1", "a" * 64)], WHEN, None, {"doc-1": "b" * 64}
    )
    return integrity.sign_manifest(manifest, ed, sm)


def test_both_signatures_verify_and_a_tampered_manifest_fails_both(keys) -> None:
    ed, sm, infos = keys
    signed = _signed(ed, sm)
    assert signed["signature_sm2"]["algorithm"] == "SM2-with-SM3"
    assert signed["signature_sm2"]["user_id"] == "1234567812345678"
    result = integrity.verify_manifest(signed, infos)
    assert result.ok, result.reasons
    assert any(c.startswith("SM2 签名") for c in result.checked)

    tampered = {
        **signed,
        "manifest": {**signed["manifest"], "published_at": "2018-08-11T08:00:00Z"},
    }
    result = integrity.verify_manifest(tampered, infos)
    assert result.reasons == ["签名无效：guanxian-2018-03", "签名无效：guanxian-2018-03（SM2）"]

    # Only the SM2 value changed: Ed25519 still passes, SM2 fails.
    other = integrity.sm2_sign(sm, b"something else")
    forged = {
        **signed,
        "signature_sm2": {**signed["signature_sm2"], "value": base64.b64encode(other).decode()},
    }
    assert integrity.verify_manifest(forged, infos).reasons == ["签名无效：guanxian-2018-03（SM2）"]


def test_sm2_signature_cannot_be_dropped_but_older_manifests_verify(keys) -> None:
    ed, sm, infos = keys
    signed = _signed(ed, sm)
    stripped = {k: v for k, v in signed.items() if k != "signature_sm2"}
    result = integrity.verify_manifest(stripped, infos)
    assert result.reasons == ["签名无效：guanxian-2018-03（缺少国密 SM2 签名）"]
    # Signed before the publisher had an SM2 key: Ed25519 alone is enough.
    later = [infos[0], integrity.sm2_public_key_info(sm, datetime(2019, 1, 1, tzinfo=UTC))]
    assert integrity.verify_manifest(stripped, later).ok
    # An SM2 signature by a key the publisher never published.
    stranger = integrity.sign_manifest(signed, ed, integrity.generate_sm2_key())
    assert integrity.verify_manifest(stranger, infos).codes == {"unknown_key"}


def test_keys_round_trip_through_pem_files(keys, tmp_path: Path) -> None:
    _, sm, infos = keys
    path = tmp_path / "sm2.pem"
    integrity.save_sm2_private_key(path, sm)
    assert path.stat().st_mode & 0o777 == 0o600
    assert integrity.load_sm2_private_key(path) == sm
    with pytest.raises(FileExistsError):
        integrity.save_sm2_private_key(path, sm)
    info = integrity.PublicKeyInfo.from_dict(infos[1])
    assert info.algorithm == "SM2" and info.public_key == sm.public
    with pytest.raises(ValueError, match="密钥标识与公钥不符"):
        integrity.PublicKeyInfo.from_dict({**infos[1], "key_id": "0" * 16})


def test_pure_python_gmssl_agrees(keys) -> None:
    """gmssl (pure Python) verifies GmSSL's signature and GmSSL verifies gmssl's."""
    _, sm, _ = keys
    data = integrity.canonical_json({"测试": "国密"})
    ours = DerSequence().decode(integrity.sm2_sign(sm, data))
    other = pure_sm2.CryptSM2(private_key=sm.private.hex(), public_key=sm.public[1:].hex())
    other.public_key = sm.public[1:].hex()  # its constructor strips leading "04" digits too eagerly
    assert other.verify_with_sm3(f"{ours[0]:064x}{ours[1]:064x}", data)
    assert not other.verify_with_sm3(f"{ours[0]:064x}{ours[1]:064x}", data + b"x")
    # gmssl signs with a k we draw from a CSPRNG (its own comes from random.choice)
    import secrets

    raw = other.sign_with_sm3(data, secrets.token_hex(32))
    der = DerSequence([int(raw[:64], 16), int(raw[64:], 16)]).encode()
    assert integrity.sm2_verify(sm.public, data, der)
    assert not integrity.sm2_verify(sm.public, data + b"x", der)


def _openssl_sm2() -> str:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("没有 openssl 命令")
    listed = subprocess.run(
        [openssl, "list", "-signature-algorithms"], capture_output=True, text=True, check=False
    )
    if "SM2" not in listed.stdout:
        pytest.skip("本机 OpenSSL 不支持 SM2")
    return openssl


def test_openssl_agrees(keys, tmp_path: Path) -> None:
    """OpenSSL reads our PEM files, verifies our signature, and signs one we verify."""
    openssl = _openssl_sm2()
    _, sm, _ = keys
    data = integrity.canonical_json({"manifest": "公报"})
    (tmp_path / "msg").write_bytes(data)
    (tmp_path / "pub.pem").write_bytes(integrity.sm2_public_pem(sm.public))
    integrity.save_sm2_private_key(tmp_path / "key.pem", sm)
    (tmp_path / "sig").write_bytes(integrity.sm2_sign(sm, data))
    common = ["-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678"]
    verify = [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-in", "msg"]
    done = subprocess.run(
        [*verify, "-sigfile", "sig", *common], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0 and "Signature Verified Successfully" in done.stdout, done.stderr
    (tmp_path / "msg2").write_bytes(data + b" ")
    done = subprocess.run(
        [*verify[:-1], "msg2", "-sigfile", "sig", *common], cwd=tmp_path, capture_output=True
    )
    assert done.returncode != 0

    sign = [openssl, "pkeyutl", "-sign", "-inkey", "key.pem", "-in", "msg", "-out", "osig"]
    done = subprocess.run([*sign, *common], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert integrity.sm2_verify(sm.public, data, (tmp_path / "osig").read_bytes())
