"""The publisher's keys: an Ed25519 key for manifests, an X.509 certificate for PDFs.

Folder ``settings.GONGBAO_KEYS_DIR`` (default ``$GONGBAO_HOME/keys``, mode 0700):

- ``manifest-key.pem``: the Ed25519 private key (0600, never served);
- ``manifest-sm2-key.pem``: the SM2 private key (国密, PKCS#8 as OpenSSL writes
  it, 0600): a second signature on every manifest, beside the Ed25519 one;
- ``public-keys.json``: every public key with its validity period, published at
  ``/keys.json``; a rotation retires the old key (``valid_to``) and adds the new;
- ``pdf-key.pem`` (0600) and ``pdf-cert.pem``: an ECDSA P-256 key and its
  self-signed publisher certificate for the PAdES signatures of the PDFs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from gongbao.core import integrity

PRIVATE = "manifest-key.pem"
SM2_PRIVATE = "manifest-sm2-key.pem"
PUBLIC = "public-keys.json"
PDF_KEY = "pdf-key.pem"
PDF_CERT = "pdf-cert.pem"


class KeyError_(Exception):
    """A key problem the user must fix; the message is for the user (Chinese)."""


def keys_dir() -> Path:
    return Path(getattr(settings, "GONGBAO_KEYS_DIR", "") or Path(settings.HOME) / "keys")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def exists() -> bool:
    return (keys_dir() / PRIVATE).is_file()


def public_keys() -> list[dict[str, Any]]:
    path = keys_dir() / PUBLIC
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _write_public(infos: list[dict[str, Any]]) -> None:
    path = keys_dir() / PUBLIC
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(infos, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def publisher_name() -> str:
    return getattr(settings, "GONGBAO_PUBLISHER", "") or "公报编辑部"


def init(*, publisher: str | None = None) -> dict[str, Any]:
    """Create the keys; refuse to replace existing ones (that would orphan every signature)."""
    folder = keys_dir()
    if exists():
        raise KeyError_(f"密钥已存在：{folder / PRIVATE}（更换密钥请用 gongbao keys rotate）")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    key = integrity.generate_key()
    integrity.save_private_key(folder / PRIVATE, key)
    now = _now()
    info = integrity.public_key_info(key, now)
    _write_public([*public_keys(), info])
    _new_sm2_key(now)
    _make_certificate(publisher or publisher_name())
    return info


def _new_sm2_key(now: dt.datetime) -> dict[str, Any]:
    """Make the SM2 key and publish its public key (valid from ``now``)."""
    path = keys_dir() / SM2_PRIVATE
    path.unlink(missing_ok=True)
    key = integrity.generate_sm2_key()
    integrity.save_sm2_private_key(path, key)
    info = integrity.sm2_public_key_info(key, now)
    _write_public([*public_keys(), info])
    return info


def ensure() -> None:
    """Create the keys on first use (development, demo); a deployment runs ``keys init``.

    An archive whose keys predate the SM2 signature gets its SM2 key here (and by
    ``keys rotate``); manifests signed before stay valid with Ed25519 alone.
    """
    if not exists():
        init()
    elif not (keys_dir() / SM2_PRIVATE).is_file():
        _new_sm2_key(_now())


def sm2_private_key() -> integrity.SM2PrivateKey | None:
    """The SM2 key, None where none was made yet (the manifest is then signed with Ed25519 only)."""
    path = keys_dir() / SM2_PRIVATE
    return integrity.load_sm2_private_key(path) if path.is_file() else None


def current_sm2() -> dict[str, Any] | None:
    key = sm2_private_key()
    if key is None:
        return None
    kid = integrity.sm2_key_id(key)
    return next((k for k in public_keys() if k["key_id"] == kid), None)


def private_key():
    return integrity.load_private_key(keys_dir() / PRIVATE)


def current() -> dict[str, Any] | None:
    if not exists():
        return None
    kid = integrity.key_id(private_key())
    return next((k for k in public_keys() if k["key_id"] == kid), None)


def rotate() -> tuple[dict[str, Any], dict[str, Any]]:
    """Retire the current key (valid until now) and start a new one; the old private key is destroyed.

    The SM2 key is rotated with it (made, if the archive had none yet).
    """
    info = current()
    if info is None:
        raise KeyError_("还没有密钥：先运行 gongbao keys init")
    now = _now()
    rotation = integrity.rotate(info, now=now)
    old_sm2 = current_sm2()
    folder = keys_dir()
    old = folder / PRIVATE
    retired_path = folder / (PRIVATE + ".retired")
    os.replace(old, retired_path)
    integrity.save_private_key(old, rotation.new_key)
    retired_path.unlink()
    infos = [rotation.retired if k["key_id"] == info["key_id"] else k for k in public_keys()]
    if old_sm2 is not None:
        retired_sm2 = old_sm2 | {"valid_to": rotation.retired["valid_to"]}
        infos = [retired_sm2 if k["key_id"] == old_sm2["key_id"] else k for k in infos]
    _write_public([*infos, rotation.current])
    _new_sm2_key(now)
    for name in (PDF_KEY, PDF_CERT):
        (folder / name).unlink(missing_ok=True)
    _make_certificate(publisher_name())
    return rotation.retired, rotation.current


def _make_certificate(publisher: str) -> None:
    """A self-signed ECDSA P-256 certificate for the publisher (PAdES signatures)."""
    folder = keys_dir()
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(folder / PDF_KEY, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, pem)
    finally:
        os.close(fd)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, publisher),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{publisher} 电子公报签名"),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    (folder / PDF_CERT).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def certificate_pem() -> bytes | None:
    path = keys_dir() / PDF_CERT
    return path.read_bytes() if path.is_file() else None


def certificate_fingerprint() -> str:
    pem = certificate_pem()
    if pem is None:
        return ""
    cert = x509.load_pem_x509_certificate(pem)
    return cert.fingerprint(hashes.SHA256()).hex()
