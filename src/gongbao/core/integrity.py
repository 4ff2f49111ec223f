"""Integrity of published issues: canonical hashes, signed manifests, a chain, bundles.

Each published issue (and each corrected version of it) gets a **manifest**
listing a salted commitment to every document (its id and the SHA-256 of its
canonical JSON); the manifest names the hash of the previous manifest (a chain)
and is signed with Ed25519 and, beside it, with SM2 (国密: SM3 digest, GM/T 0009
default user id). A document's salt is served with the document (in
its bundle) only while the document is public, so a manifest says nothing about
a document withheld later, while a bundle downloaded before still verifies.
Anyone can check a document offline with the published public keys. The format
and the procedures are in docs/integrity.md.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MANIFEST_FORMAT = "gongbao-manifest/2"
#: Manifests signed before commitments: they list ids and hashes in the clear.
LEGACY_MANIFEST_FORMAT = "gongbao-manifest/1"
BUNDLE_FORMAT = "gongbao-bundle/1"
ALGORITHM = "Ed25519"
#: The second signature (国密): SM2 over the same canonical bytes, SM3 digest with
#: the signer's Z value (GM/T 0003/0004/0009), made and checked by GmSSL (gmssl-pyx).
SM2_ALGORITHM = "SM2"
SM2_SIGNATURE = "SM2-with-SM3"
SM2_USER_ID = "1234567812345678"  # GM/T 0009 default signer id
#: Keys left out of the canonical form at any depth: source line numbers move
#: when anything earlier in the source file changes, the published text does not.
VOLATILE_KEYS = frozenset({"lines", "line"})
#: Top-level keys of a ``to_dict`` result that are not published content.
VOLATILE_TOP = frozenset({"report", "source", "encoding"})

# Problem codes and their messages (what the verification page and CLI show).
MESSAGES = {
    "bad_signature": "签名无效",
    "unknown_key": "未知密钥",
    "key_not_valid": "密钥不在有效期",
    "hash_mismatch": "哈希不符",
    "not_in_manifest": "清单中无此文件",
    "chain_broken": "清单链断裂",
    "incomplete": "文件不完整",
    "malformed": "格式错误",
    "untrusted": "未核对发布者",
}
#: Why a check without the publisher's keys fails: keys carried inside the file
#: prove only that whoever made the file signed it, never who that was.
NO_TRUSTED_KEYS = "没有可信的发布者公钥（网站 /keys.json，命令行用 --keys 指定）"


# ---------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Problem:
    code: str
    subject: str = ""  # a document id, a key id, a manifest position

    @property
    def message(self) -> str:
        text = MESSAGES.get(self.code, self.code)
        return f"{text}：{self.subject}" if self.subject else text


@dataclass
class VerifyResult:
    """``ok`` when nothing failed; ``reasons`` in Chinese, one per problem."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was verified, for the report

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def reasons(self) -> list[str]:
        return [p.message for p in self.problems]

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def add(self, code: str, subject: str = "") -> None:
        self.problems.append(Problem(code, subject))

    def extend(self, other: VerifyResult) -> None:
        self.problems.extend(other.problems)
        self.checked.extend(other.checked)


# ---------------------------------------------------------------------------
# canonical form


def _canonical_value(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {
            _canonical_value(k): _canonical_value(v)
            for k, v in value.items()
            if k not in VOLATILE_KEYS
        }
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    if isinstance(value, float):
        raise ValueError("规范形式不接受浮点数")  # their text form is not unique
    return value


def canonical_json(value: Any) -> bytes:
    """Sorted keys, UTF-8, no insignificant white space, NFC text, no volatile keys."""
    text = json.dumps(
        _canonical_value(value),
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )
    return text.encode("utf-8")


def canonical_document(doc_dict: Mapping[str, Any]) -> bytes:
    """The bytes a document's hash is taken over (``export.json.document_dict`` form)."""
    return canonical_json({k: v for k, v in doc_dict.items() if k not in VOLATILE_TOP})


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_hash(doc_dict: Mapping[str, Any]) -> str:
    return sha256_hex(canonical_document(doc_dict))


# ---------------------------------------------------------------------------
# manifests

_ISSUE_FIELDS = ("id", "gazette", "year", "number", "number_end", "cumulative_number")


def _utc(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("时间必须带时区")
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def new_salt() -> str:
    """256 random bits, hex: a commitment cannot be opened or guessed without it."""
    return secrets.token_hex(32)


def commitment(ident: str, digest: str, salt: str) -> str:
    """What a manifest lists for a document: SHA-256 over the canonical {id, salt, sha256}.

    Hiding (without the salt nothing about the id or the hash can be learnt or
    confirmed, not even by someone holding a copy of the document) and binding
    (SHA-256: no other id or hash opens it).
    """
    return sha256_hex(canonical_json({"id": ident, "salt": salt, "sha256": digest}))


def build_manifest(
    issue_dict: Mapping[str, Any],
    documents: Sequence[tuple[str, str]],
    published_at: datetime,
    previous_manifest_hash: str | None,
    salts: Mapping[str, str],
    print_edition_sha256: str | None = None,
) -> dict[str, Any]:
    """The unsigned manifest of one published version of an issue.

    ``issue_dict`` is ``to_dict(result)["issue"]``; ``documents`` are
    (id, sha256 of ``canonical_document``); ``salts`` maps every id to its salt
    (``new_salt``), kept by the publisher and served only with a public document.
    The commitments are sorted, so not even a withheld document's place shows.
    ``previous`` is ``manifest_hash`` of the manifest published before this one
    (the previous version of this issue, or the gazette's previous issue), None
    for the first. ``print_edition_sha256``: the SHA-256 of the signed print PDF made
    from the same content at 出刊, so one signature covers both editions (left out
    where the issue has none).
    """
    manifest = {
        "format": MANIFEST_FORMAT,
        "issue": {k: issue_dict.get(k) for k in _ISSUE_FIELDS},
        "issue_sha256": sha256_hex(canonical_json(issue_dict)),
        "documents": sorted(commitment(i, h, salts[i]) for i, h in documents),
        "published_at": _utc(published_at),
        "previous": previous_manifest_hash,
    }
    if print_edition_sha256 is not None:
        manifest["print_edition_sha256"] = print_edition_sha256
    return manifest


def _unsigned(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    inner: Mapping[str, Any] = manifest.get("manifest", manifest)
    return inner


def manifest_hash(manifest: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical unsigned manifest: what the next manifest's ``previous`` holds."""
    return sha256_hex(canonical_json(_unsigned(manifest)))


# ---------------------------------------------------------------------------
# keys


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _public(key: Ed25519PrivateKey | Ed25519PublicKey) -> Ed25519PublicKey:
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The first 16 hex digits of SHA-256 over the raw 32-byte public key."""
    return sha256_hex(_raw(_public(key)))[:16]


def save_private_key(path: str | Path, key: Ed25519PrivateKey) -> None:
    """Write the key as PKCS#8 PEM to a new file with mode 0600; never overwrite one."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: an existing key is never replaced by accident (it would orphan
    # every manifest signed with it). The mode is set at creation, so the key is
    # never readable by others, not even for an instant.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask cannot widen it, but be explicit
        os.write(fd, pem)
    finally:
        os.close(fd)


def load_private_key(path: str | Path, *, check_permissions: bool = True) -> Ed25519PrivateKey:
    """Read a key written by ``save_private_key``; refuse one others can read."""
    if check_permissions and os.stat(path).st_mode & 0o077:
        raise PermissionError(f"私钥文件权限过宽（应为0600）：{path}")
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"不是Ed25519私钥：{path}")
    return key


@dataclass(frozen=True)
class PublicKeyInfo:
    """A published public key and the period it may sign in: [valid_from, valid_to).

    ``public_key`` is an ``Ed25519PublicKey``, or for SM2 the 65-byte uncompressed
    point (``04 || x || y``) with the signer's ``user_id``.
    """

    key_id: str
    public_key: Any
    valid_from: datetime
    valid_to: datetime | None = None
    algorithm: str = ALGORITHM
    user_id: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PublicKeyInfo:
        raw = base64.b64decode(data["public_key"], validate=True)
        algorithm = data.get("algorithm") or ALGORITHM
        if algorithm == SM2_ALGORITHM:
            key: Any = _sm2_point(raw)
            kid = sm2_key_id(key)
        elif algorithm == ALGORITHM:
            key = Ed25519PublicKey.from_public_bytes(raw)
            kid = key_id(key)
        else:
            raise ValueError(f"不支持的签名算法：{algorithm}")
        if kid != data["key_id"]:
            raise ValueError(f"密钥标识与公钥不符：{data['key_id']}")
        valid_to = data.get("valid_to")
        return cls(
            kid,
            key,
            _parse_time(data["valid_from"]),
            _parse_time(valid_to) if valid_to else None,
            algorithm,
            str(data.get("user_id") or SM2_USER_ID) if algorithm == SM2_ALGORITHM else "",
        )

    def valid_at(self, when: datetime) -> bool:
        return self.valid_from <= when and (self.valid_to is None or when < self.valid_to)


def public_key_info(
    key: Ed25519PrivateKey | Ed25519PublicKey,
    valid_from: datetime,
    valid_to: datetime | None = None,
) -> dict[str, Any]:
    """The JSON form published at the fixed URL (a list of these is the key set)."""
    public = _public(key)
    return {
        "key_id": key_id(public),
        "algorithm": ALGORITHM,
        "public_key": base64.b64encode(_raw(public)).decode("ascii"),
        "valid_from": _utc(valid_from),
        "valid_to": _utc(valid_to) if valid_to else None,
    }


@dataclass(frozen=True)
class Rotation:
    new_key: Ed25519PrivateKey
    retired: dict[str, Any]  # the old key's info with valid_to = now
    current: dict[str, Any]  # the new key's info with valid_from = now


def rotate(old_info: Mapping[str, Any], *, now: datetime | None = None) -> Rotation:
    """Retire the current key and make a new one, both at ``now``.

    Publish both infos: manifests signed before ``now`` still verify with the
    retired key (their ``published_at`` falls inside its validity); the retired
    private key should then be destroyed.
    """
    now = now or datetime.now(UTC)
    new_key = generate_key()
    retired = dict(old_info) | {"valid_to": _utc(now)}
    return Rotation(new_key, retired, public_key_info(new_key, now))


# ---------------------------------------------------------------------------
# SM2 keys (国密)

#: DER prefixes of an SM2 key in the forms OpenSSL and GmSSL read and write:
#: PKCS#8 PrivateKeyInfo and SubjectPublicKeyInfo (id-ecPublicKey, curve sm2p256v1).
_SM2_PKCS8 = bytes.fromhex(
    "308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420"
)
_SM2_PKCS8_PUBLIC = bytes.fromhex("a144034200")
_SM2_SPKI = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")


@dataclass(frozen=True)
class SM2PrivateKey:
    """An SM2 key pair: the 32-byte secret and the 65-byte public point ``04 || x || y``."""

    private: bytes = field(repr=False)
    public: bytes


def _gmssl() -> Any:
    try:
        import gmssl_pyx
    except ImportError as exc:  # the core dependency is missing: say which
        raise RuntimeError("缺少国密算法库 gmssl-pyx（pip install gmssl-pyx）") from exc
    return gmssl_pyx


def _sm2_point(raw: bytes) -> bytes:
    if len(raw) == 64:
        raw = b"\x04" + raw
    if len(raw) != 65 or raw[0] != 4:
        raise ValueError("SM2 公钥应为 65 字节的未压缩点（04 || x || y）")
    return raw


def generate_sm2_key() -> SM2PrivateKey:
    public, private = _gmssl().sm2_key_generate()
    return SM2PrivateKey(private, _sm2_point(public))


def sm2_key_id(public: bytes | SM2PrivateKey) -> str:
    """The first 16 hex digits of SHA-256 over the 65-byte public point."""
    point = public.public if isinstance(public, SM2PrivateKey) else public
    return sha256_hex(_sm2_point(point))[:16]


def sm2_sign(key: SM2PrivateKey, data: bytes, user_id: str = SM2_USER_ID) -> bytes:
    """SM2 signature (DER ``SEQUENCE {r, s}``) of SM3(Z || data), Z from ``user_id``."""
    signature: bytes = _gmssl().sm2_sign(
        key.private, key.public[1:], data, signer_id=user_id.encode()
    )
    return signature


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """GmSSL prints its error trace to file descriptor 2 on a failed check; keep it off
    the user's terminal (the result says what failed, once)."""
    with _STDERR_LOCK:
        try:
            saved = os.dup(2)
        except OSError:
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
                yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


_STDERR_LOCK = threading.Lock()


def sm2_verify(public: bytes, data: bytes, signature: bytes, user_id: str = SM2_USER_ID) -> bool:
    gm = _gmssl()
    try:
        with _quiet_stderr():
            return bool(
                gm.sm2_verify(_sm2_point(public)[1:], data, signature, signer_id=user_id.encode())
            )
    except (ValueError, gm.GmsslInnerError, gm.InvalidValueError):
        return False


def sm2_private_pem(key: SM2PrivateKey) -> bytes:
    """PKCS#8 PEM, as ``openssl genpkey -algorithm SM2`` writes it."""
    der = _SM2_PKCS8 + key.private + _SM2_PKCS8_PUBLIC + key.public
    return _pem("PRIVATE KEY", der)


def sm2_public_pem(public: bytes) -> bytes:
    """SubjectPublicKeyInfo PEM (``openssl pkey -pubout``)."""
    return _pem("PUBLIC KEY", _SM2_SPKI + _sm2_point(public))


def _pem(label: str, der: bytes) -> bytes:
    text = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    text = f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
    return text.encode("ascii")


def save_sm2_private_key(path: str | Path, key: SM2PrivateKey) -> None:
    """Like ``save_private_key``: a new file, mode 0600, never overwriting one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, sm2_private_pem(key))
    finally:
        os.close(fd)


def load_sm2_private_key(path: str | Path, *, check_permissions: bool = True) -> SM2PrivateKey:
    """Read a key written by ``save_sm2_private_key`` (or by OpenSSL, same form)."""
    if check_permissions and os.stat(path).st_mode & 0o077:
        raise PermissionError(f"私钥文件权限过宽（应为0600）：{path}")
    text = Path(path).read_text(encoding="ascii")
    body = "".join(line for line in text.splitlines() if line and not line.startswith("-----"))
    der = base64.b64decode(body)
    start, mid = len(_SM2_PKCS8), len(_SM2_PKCS8) + 32
    if (
        len(der) != mid + len(_SM2_PKCS8_PUBLIC) + 65
        or not der.startswith(_SM2_PKCS8)
        or der[mid : mid + len(_SM2_PKCS8_PUBLIC)] != _SM2_PKCS8_PUBLIC
    ):
        raise ValueError(f"不是 SM2 私钥（PKCS#8）：{path}")
    return SM2PrivateKey(der[start:mid], _sm2_point(der[mid + len(_SM2_PKCS8_PUBLIC) :]))


def sm2_public_key_info(
    key: SM2PrivateKey | bytes, valid_from: datetime, valid_to: datetime | None = None
) -> dict[str, Any]:
    """The published form of an SM2 key, beside the Ed25519 one in the key set."""
    point = key.public if isinstance(key, SM2PrivateKey) else _sm2_point(key)
    return {
        "key_id": sm2_key_id(point),
        "algorithm": SM2_ALGORITHM,
        "public_key": base64.b64encode(point).decode("ascii"),
        "user_id": SM2_USER_ID,
        "valid_from": _utc(valid_from),
        "valid_to": _utc(valid_to) if valid_to else None,
    }


# ---------------------------------------------------------------------------
# signing and verification


def sign_manifest(
    manifest: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    sm2: SM2PrivateKey | None = None,
) -> dict[str, Any]:
    """``{"manifest": …, "signature": {algorithm, key_id, value}}``; the value is base64.

    With ``sm2`` also ``"signature_sm2": {algorithm, key_id, user_id, value}`` (DER
    r, s) over the same canonical bytes.
    """
    body = dict(_unsigned(manifest))
    data = canonical_json(body)
    signature = private_key.sign(data)
    signed: dict[str, Any] = {
        "manifest": body,
        "signature": {
            "algorithm": ALGORITHM,
            "key_id": key_id(private_key),
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }
    if sm2 is not None:
        signed["signature_sm2"] = {
            "algorithm": SM2_SIGNATURE,
            "key_id": sm2_key_id(sm2.public),
            "user_id": SM2_USER_ID,
            "value": base64.b64encode(sm2_sign(sm2, data)).decode("ascii"),
        }
    return signed


def _key_infos(keys: Sequence[PublicKeyInfo | Mapping[str, Any]]) -> dict[str, PublicKeyInfo]:
    infos = [k if isinstance(k, PublicKeyInfo) else PublicKeyInfo.from_dict(k) for k in keys]
    return {info.key_id: info for info in infos}


def verify_manifest(
    signed: Mapping[str, Any], public_keys: Sequence[PublicKeyInfo | Mapping[str, Any]]
) -> VerifyResult:
    """The signature is by a known key, valid at the manifest's ``published_at``."""
    result = VerifyResult()
    try:
        body, sig = signed["manifest"], signed["signature"]
        kid, value = sig["key_id"], base64.b64decode(sig["value"], validate=True)
        published = _parse_time(body["published_at"])
    except (KeyError, TypeError, ValueError):
        result.add("malformed", "清单")
        return result
    subject = str((body.get("issue") or {}).get("id") or "")
    infos = _key_infos(public_keys)
    key = infos.get(kid)
    if key is None or key.algorithm != ALGORITHM or sig.get("algorithm") != ALGORITHM:
        result.add("unknown_key", kid)
        return result
    try:
        key.public_key.verify(value, canonical_json(body))
    except InvalidSignature:
        result.add("bad_signature", subject)
    else:
        if not key.valid_at(published):
            result.add("key_not_valid", kid)
        result.checked.append(f"签名 {subject} {kid}")
    # checked even when Ed25519 failed: the report says which of the two signatures fail
    result.extend(_verify_sm2(signed, body, published, subject, infos))
    return result


def _verify_sm2(
    signed: Mapping[str, Any],
    body: Mapping[str, Any],
    published: datetime,
    subject: str,
    infos: Mapping[str, PublicKeyInfo],
) -> VerifyResult:
    """The SM2 signature; required when the trusted keys have an SM2 key for ``published_at``.

    A manifest signed before the publisher had an SM2 key carries none and still
    verifies; one signed after must carry it, so removing it does not pass.
    """
    result = VerifyResult()
    sig = signed.get("signature_sm2")
    if sig is None:
        if any(k.algorithm == SM2_ALGORITHM and k.valid_at(published) for k in infos.values()):
            result.add("bad_signature", f"{subject}（缺少国密 SM2 签名）")
        return result
    try:
        kid = sig["key_id"]
        value = base64.b64decode(sig["value"], validate=True)
        user_id = str(sig.get("user_id") or SM2_USER_ID)
    except (KeyError, TypeError, ValueError):
        result.add("malformed", "清单的 SM2 签名")
        return result
    key = infos.get(kid)
    if key is None or key.algorithm != SM2_ALGORITHM or sig.get("algorithm") != SM2_SIGNATURE:
        result.add("unknown_key", kid)
        return result
    if user_id != key.user_id or not sm2_verify(key.public_key, canonical_json(body), value):
        result.add("bad_signature", f"{subject}（SM2）")
        return result
    if not key.valid_at(published):
        result.add("key_not_valid", kid)
    result.checked.append(f"SM2 签名 {subject} {kid}")
    return result


def verify_document(
    doc_dict: Mapping[str, Any], manifest: Mapping[str, Any], salt: str | None = None
) -> VerifyResult:
    """The manifest commits to the document's id and canonical hash (opened with ``salt``).

    A legacy manifest (``gongbao-manifest/1``) lists ids and hashes in the clear
    and needs no salt; bundles downloaded before commitments keep verifying.
    """
    result = VerifyResult()
    ident = str(doc_dict.get("id", ""))
    body = _unsigned(manifest)
    digest = document_hash(doc_dict)
    if body.get("format") == LEGACY_MANIFEST_FORMAT:
        listed = {d["id"]: d["sha256"] for d in body.get("documents", [])}
        if ident not in listed:
            result.add("not_in_manifest", ident)
        elif listed[ident] != digest:
            result.add("hash_mismatch", ident)
        else:
            result.checked.append(f"哈希 {ident}")
        return result
    if not salt:
        result.add("not_in_manifest", f"{ident}（缺少盐值，无法打开承诺）")
    elif commitment(ident, digest, salt) not in {
        c for c in body.get("documents") or [] if isinstance(c, str)
    }:
        # A changed document and a document the manifest does not list look the same:
        # that is the price of the manifest telling nothing about its other entries.
        result.add("hash_mismatch", ident)
    else:
        result.checked.append(f"哈希 {ident}")
    return result


def verify_chain(manifests: Sequence[Mapping[str, Any]]) -> VerifyResult:
    """Each manifest (oldest first) names the hash of the one before it, and is not older."""
    result = VerifyResult()
    for n in range(1, len(manifests)):
        before, after = _unsigned(manifests[n - 1]), _unsigned(manifests[n])
        subject = f"第{n + 1}份清单"
        if after.get("previous") != manifest_hash(before):
            result.add("chain_broken", subject)
        elif _parse_time(after["published_at"]) < _parse_time(before["published_at"]):
            result.add("chain_broken", subject + "（发布时间早于前一份）")
    if result.ok and manifests:
        result.checked.append(f"清单链 {len(manifests)} 份")
    return result


# ---------------------------------------------------------------------------
# bundles


def make_bundle(
    documents: Sequence[Mapping[str, Any]],
    manifest: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    public_keys: Sequence[Mapping[str, Any]],
    salts: Mapping[str, str] | None = None,
) -> bytes:
    """One JSON file for offline checking: documents, their salts, signed manifest(s), keys.

    ``manifest`` is one signed manifest or the chain of them, oldest first; the
    last one covers the documents. The documents are stored in their canonical
    form (parsed back into objects), so the file is readable and re-hashable.
    Only the salts of the documents in the bundle go into it.
    """
    chain = [manifest] if isinstance(manifest, Mapping) else list(manifest)
    salts = salts or {}
    bundle = {
        "format": BUNDLE_FORMAT,
        "documents": [json.loads(canonical_document(d)) for d in documents],
        "salts": {str(d["id"]): salts[d["id"]] for d in documents if d.get("id") in salts},
        "manifests": chain,
        "public_keys": list(public_keys),
    }
    return json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def verify_bundle(
    data: bytes, trusted_public_keys: Sequence[PublicKeyInfo | Mapping[str, Any]] | None = None
) -> VerifyResult:
    """Everything in a bundle: signatures, key validity, chain, every document's hash.

    Trust comes only from ``trusted_public_keys`` (the publisher's key set, fetched
    from the published URL). The keys a bundle carries are never used: anyone can
    re-sign an altered bundle with a fresh key and put that key inside. Without
    trusted keys the chain and the hashes are still checked, and the result fails
    with ``untrusted``.
    """
    result = VerifyResult()
    try:
        bundle = json.loads(data.decode("utf-8"))
        chain, documents = bundle["manifests"], bundle["documents"]
        if bundle.get("format") != BUNDLE_FORMAT or not chain or not documents:
            raise ValueError("empty")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        result.add("incomplete")
        return result
    if trusted_public_keys is None:
        result.add("untrusted", NO_TRUSTED_KEYS)
    else:
        try:
            key_infos = list(_key_infos(trusted_public_keys).values())
        except (KeyError, TypeError, ValueError):
            result.add("malformed", "公钥")
            return result
        for signed in chain:
            result.extend(verify_manifest(signed, key_infos))
    result.extend(verify_chain(chain))
    salts = bundle.get("salts")
    salts = salts if isinstance(salts, dict) else {}
    for doc in documents:
        result.extend(verify_document(doc, chain[-1], salts.get(str(doc.get("id", "")))))
    return result


__all__ = [
    "MESSAGES",
    "NO_TRUSTED_KEYS",
    "SM2_ALGORITHM",
    "SM2_SIGNATURE",
    "SM2_USER_ID",
    "Problem",
    "PublicKeyInfo",
    "Rotation",
    "SM2PrivateKey",
    "VerifyResult",
    "build_manifest",
    "canonical_document",
    "canonical_json",
    "commitment",
    "document_hash",
    "generate_key",
    "generate_sm2_key",
    "key_id",
    "load_private_key",
    "load_sm2_private_key",
    "make_bundle",
    "manifest_hash",
    "new_salt",
    "public_key_info",
    "rotate",
    "save_private_key",
    "save_sm2_private_key",
    "sha256_hex",
    "sign_manifest",
    "sm2_key_id",
    "sm2_private_pem",
    "sm2_public_key_info",
    "sm2_public_pem",
    "sm2_sign",
    "sm2_verify",
    "verify_bundle",
    "verify_chain",
    "verify_document",
    "verify_manifest",
]
