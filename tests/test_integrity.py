"""Integrity: canonical hashes, signed and chained manifests, key rotation, offline bundles."""

from __future__ import annotations

import copy
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gongbao.core import parse_text
from gongbao.core.export.json import to_dict
from gongbao.core.integrity import (
    PublicKeyInfo,
    build_manifest,
    canonical_document,
    commitment,
    document_hash,
    generate_key,
    key_id,
    load_private_key,
    make_bundle,
    manifest_hash,
    new_salt,
    public_key_info,
    rotate,
    save_private_key,
    sha256_hex,
    sign_manifest,
    verify_bundle,
    verify_chain,
    verify_document,
    verify_manifest,
)
from gongbao.testing.generate import generate_issue

T0 = datetime(2018, 1, 1, tzinfo=UTC)
PUBLISHED = datetime(2018, 10, 9, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def issue() -> dict[str, Any]:
    return to_dict(parse_text(generate_issue(3, year=2018, number=3)))


@pytest.fixture(scope="module")
def key():
    return generate_key()


#: The publisher's salt of each document id (kept for the whole module, like the archive's).
SALTS: dict[str, str] = {}


def _salts(documents: list[dict[str, Any]]) -> dict[str, str]:
    return {d["id"]: SALTS.setdefault(d["id"], new_salt()) for d in documents}


def _manifest(issue: dict[str, Any], when: datetime = PUBLISHED, previous: str | None = None):
    docs = [(d["id"], document_hash(d)) for d in issue["documents"]]
    return build_manifest(issue["issue"], docs, when, previous, _salts(issue["documents"]))


def _tamper(doc: dict[str, Any]) -> dict[str, Any]:
    """Change one character of the document's text."""
    changed = copy.deepcopy(doc)
    changed["title"] = changed["title"][:-1] + ("甲" if changed["title"][-1] != "甲" else "乙")
    return changed


# --- canonical form ---------------------------------------------------------


def test_canonical_form_is_sorted_compact_nfc_and_drops_line_numbers() -> None:
    doc = {
        "title": "Cafe\u0301",
        "lines": [3, 9],
        "body": [{"text": "甲", "lines": [4, 4]}],
        "id": "x",
    }
    assert canonical_document(doc) == '{"body":[{"text":"甲"}],"id":"x","title":"Café"}'.encode()
    moved = copy.deepcopy(doc) | {"lines": [30, 90]}
    assert document_hash(moved) == document_hash(doc)


def test_canonical_form_refuses_floats() -> None:
    with pytest.raises(ValueError):
        canonical_document({"page": 1.5})


# --- manifests ----------------------------------------------------------------


def test_valid_manifest_and_documents(issue: dict[str, Any], key) -> None:
    signed = sign_manifest(_manifest(issue), key)
    keys = [public_key_info(key, T0)]
    assert verify_manifest(signed, keys).ok
    assert signed["signature"]["key_id"] == key_id(key) and len(key_id(key)) == 16
    for doc in issue["documents"]:
        assert verify_document(doc, signed, SALTS[doc["id"]]).ok


def test_tampered_by_one_character(issue: dict[str, Any], key) -> None:
    signed = sign_manifest(_manifest(issue), key)
    doc = issue["documents"][1]
    result = verify_document(_tamper(doc), signed, SALTS[doc["id"]])
    assert not result.ok
    assert result.reasons == [f"哈希不符：{doc['id']}"]


def test_tampered_manifest_fails_the_signature(issue: dict[str, Any], key) -> None:
    signed = sign_manifest(_manifest(issue), key)
    signed["manifest"]["documents"][0] = "0" * 64
    assert verify_manifest(signed, [public_key_info(key, T0)]).codes == {"bad_signature"}


def test_wrong_key(issue: dict[str, Any], key) -> None:
    other = generate_key()
    signed = sign_manifest(_manifest(issue), other)
    assert verify_manifest(signed, [public_key_info(key, T0)]).reasons == [
        f"未知密钥：{key_id(other)}"
    ]
    # A signature that claims the trusted key but was made with another one
    forged = copy.deepcopy(signed)
    forged["signature"]["key_id"] = key_id(key)
    assert verify_manifest(forged, [public_key_info(key, T0)]).codes == {"bad_signature"}


def test_rotated_key_keeps_old_manifests_verifiable(issue: dict[str, Any], key) -> None:
    old_info = public_key_info(key, T0)
    old_signed = sign_manifest(_manifest(issue, PUBLISHED), key)
    rotation = rotate(old_info, now=PUBLISHED + timedelta(days=30))
    published_keys = [rotation.retired, rotation.current]
    assert rotation.retired["valid_to"] == rotation.current["valid_from"]
    # the old manifest, published while the old key was valid, still verifies
    assert verify_manifest(old_signed, published_keys).ok
    # the new key signs new manifests
    new_signed = sign_manifest(_manifest(issue, PUBLISHED + timedelta(days=31)), rotation.new_key)
    assert verify_manifest(new_signed, published_keys).ok
    # the retired key cannot sign after its validity ended
    late = sign_manifest(_manifest(issue, PUBLISHED + timedelta(days=40)), key)
    assert verify_manifest(late, published_keys).reasons == [f"密钥不在有效期：{key_id(key)}"]
    # nor before the new key's validity began
    early = sign_manifest(_manifest(issue, PUBLISHED), rotation.new_key)
    assert verify_manifest(early, published_keys).codes == {"key_not_valid"}


def test_corrected_version_chains_to_the_old(issue: dict[str, Any], key) -> None:
    first = sign_manifest(_manifest(issue), key)
    corrected_issue = copy.deepcopy(issue)
    corrected_issue["documents"][0] = _tamper(issue["documents"][0])
    second = sign_manifest(
        _manifest(corrected_issue, PUBLISHED + timedelta(days=2), manifest_hash(first)), key
    )
    assert verify_chain([first, second]).ok
    doc = corrected_issue["documents"][0]
    assert verify_document(doc, second, SALTS[doc["id"]]).ok
    assert not verify_document(doc, first, SALTS[doc["id"]]).ok


def test_manifest_out_of_chain(issue: dict[str, Any], key) -> None:
    first = sign_manifest(_manifest(issue), key)
    stray = sign_manifest(_manifest(issue, PUBLISHED + timedelta(days=1), "ab" * 32), key)
    assert verify_chain([first, stray]).reasons == ["清单链断裂：第2份清单"]
    backdated = sign_manifest(
        _manifest(issue, PUBLISHED - timedelta(days=1), manifest_hash(first)), key
    )
    assert verify_chain([first, backdated]).codes == {"chain_broken"}


def test_naive_times_are_refused(issue: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        _manifest(issue, datetime(2018, 10, 9))


# --- keys ---------------------------------------------------------------------


def test_private_key_file_is_0600_and_never_overwritten(tmp_path: Path, key) -> None:
    path = tmp_path / "signing.pem"
    save_private_key(path, key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key_id(load_private_key(path)) == key_id(key)
    with pytest.raises(FileExistsError):
        save_private_key(path, generate_key())
    assert key_id(load_private_key(path)) == key_id(key)


def test_loading_refuses_a_readable_key_file(tmp_path: Path, key) -> None:
    path = tmp_path / "signing.pem"
    save_private_key(path, key)
    path.chmod(0o644)
    with pytest.raises(PermissionError):
        load_private_key(path)


def test_public_key_info_round_trips(key) -> None:
    info = public_key_info(key, T0)
    parsed = PublicKeyInfo.from_dict(json.loads(json.dumps(info)))
    assert (
        parsed.key_id
        == info["key_id"]
        == sha256_hex(bytes(parsed.public_key.public_bytes_raw()))[:16]
    )
    assert info["valid_to"] is None and info["algorithm"] == "Ed25519"


# --- bundles --------------------------------------------------------------------


def _bundle(issue: dict[str, Any], key, *, documents=None, chain=None) -> bytes:
    signed = chain or sign_manifest(_manifest(issue), key)
    docs = documents or issue["documents"]
    return make_bundle(docs, signed, [public_key_info(key, T0)], _salts(docs))


def test_bundle_verifies_offline(issue: dict[str, Any], key) -> None:
    data = _bundle(issue, key)
    result = verify_bundle(data, trusted_public_keys=[public_key_info(key, T0)])
    assert result.ok, result.reasons


def test_bundle_without_trusted_keys_never_passes(issue: dict[str, Any], key) -> None:
    """The keys inside a bundle are not trusted: without the publisher's, it fails."""
    result = verify_bundle(_bundle(issue, key))
    assert result.codes == {"untrusted"}
    assert result.reasons[0].startswith("未核对发布者")


def test_bundle_resigned_with_a_key_it_carries_is_refused(issue: dict[str, Any], key) -> None:
    """A forger alters a document, re-signs the manifest with a fresh key, ships that key."""
    docs = list(issue["documents"])
    docs[0] = _tamper(docs[0])
    forged_key = generate_key()
    hashes = [(d["id"], document_hash(d)) for d in docs]
    manifest = build_manifest(issue["issue"], hashes, PUBLISHED, None, _salts(docs))
    forged = sign_manifest(manifest, forged_key)
    data = make_bundle(docs, forged, [public_key_info(forged_key, T0)], _salts(docs))
    assert not verify_bundle(data).ok
    publisher = [public_key_info(key, T0)]
    assert verify_bundle(data, trusted_public_keys=publisher).codes == {"unknown_key"}


def test_bundle_with_a_tampered_document_names_it(issue: dict[str, Any], key) -> None:
    signed = sign_manifest(_manifest(issue), key)
    docs = list(issue["documents"])
    docs[2] = _tamper(docs[2])
    keyset = [public_key_info(key, T0)]
    data = make_bundle(docs, signed, keyset, _salts(docs))
    result = verify_bundle(data, trusted_public_keys=keyset)
    assert result.reasons == [f"哈希不符：{docs[2]['id']}"]


def test_bundle_with_untrusted_key(issue: dict[str, Any], key) -> None:
    data = _bundle(issue, key)
    other = public_key_info(generate_key(), T0)
    assert verify_bundle(data, trusted_public_keys=[other]).codes == {"unknown_key"}


def test_bundle_with_rotated_key(issue: dict[str, Any], key) -> None:
    rotation = rotate(public_key_info(key, T0), now=PUBLISHED + timedelta(days=1))
    data = _bundle(issue, key)
    assert verify_bundle(data, trusted_public_keys=[rotation.retired, rotation.current]).ok


def test_truncated_bundle(issue: dict[str, Any], key) -> None:
    data = _bundle(issue, key)
    for cut in (len(data) // 2, len(data) - 2, 10):
        assert verify_bundle(data[:cut]).reasons == ["文件不完整"]
    assert verify_bundle(b"").reasons == ["文件不完整"]


def test_bundle_chain_out_of_order(issue: dict[str, Any], key) -> None:
    first = sign_manifest(_manifest(issue), key)
    second = sign_manifest(
        _manifest(issue, PUBLISHED + timedelta(days=1), manifest_hash(first)), key
    )
    keyset = [public_key_info(key, T0)]
    assert verify_bundle(_bundle(issue, key, chain=[first, second]), keyset).ok
    stray = sign_manifest(_manifest(issue, PUBLISHED + timedelta(days=1), None), key)
    found = verify_bundle(_bundle(issue, key, chain=[first, stray]), keyset)
    assert found.codes == {"chain_broken"}


# --- commitments: a withheld document leaves nothing in the manifest -------------------


def test_manifest_lists_neither_ids_nor_hashes(issue: dict[str, Any], key) -> None:
    signed = sign_manifest(_manifest(issue), key)
    text = json.dumps(signed)
    for doc in issue["documents"]:
        assert doc["id"] not in text and document_hash(doc) not in text
    # Holding a copy of the document does not confirm an entry without the salt.
    doc = issue["documents"][0]
    assert commitment(doc["id"], document_hash(doc), new_salt()) not in text
    assert not verify_document(doc, signed).ok  # no salt, nothing proven
    assert not verify_document(doc, signed, new_salt()).ok


def test_bundle_of_one_document_carries_only_its_salt(issue: dict[str, Any], key) -> None:
    keyset = [public_key_info(key, T0)]
    one = issue["documents"][1]
    data = make_bundle([one], sign_manifest(_manifest(issue), key), keyset, SALTS)
    assert json.loads(data)["salts"] == {one["id"]: SALTS[one["id"]]}
    assert verify_bundle(data, keyset).ok


def test_legacy_manifests_in_the_clear_still_verify(issue: dict[str, Any], key) -> None:
    """Bundles downloaded before commitments keep verifying."""
    doc = issue["documents"][0]
    legacy = _manifest(issue) | {
        "format": "gongbao-manifest/1",
        "documents": [{"id": d["id"], "sha256": document_hash(d)} for d in issue["documents"]],
    }
    keyset = [public_key_info(key, T0)]
    data = make_bundle([doc], sign_manifest(legacy, key), keyset)
    assert verify_bundle(data, keyset).ok
    assert verify_document(_tamper(doc), legacy).codes == {"hash_mismatch"}


# -- found by mutation testing (bench/mutation.py): these changes went unnoticed ----------


def test_a_chain_must_name_the_hash_of_the_manifest_before_it(issue: dict[str, Any], key) -> None:
    first = sign_manifest(_manifest(issue), key)
    other = sign_manifest(_manifest(issue, PUBLISHED + timedelta(hours=1)), key)
    assert manifest_hash(first) != manifest_hash(other)
    assert manifest_hash(first) == manifest_hash(first["manifest"])  # signed or not
    wrong = sign_manifest(
        _manifest(issue, PUBLISHED + timedelta(days=2), manifest_hash(other)), key
    )
    assert verify_chain([first, wrong]).codes == {"chain_broken"}


def test_key_validity_includes_its_first_moment_and_excludes_its_last(key) -> None:
    end = PUBLISHED + timedelta(days=30)
    info = PublicKeyInfo.from_dict(public_key_info(key, PUBLISHED, end))
    assert info.valid_at(PUBLISHED)
    assert not info.valid_at(PUBLISHED - timedelta(microseconds=1))
    assert info.valid_at(end - timedelta(microseconds=1))
    assert not info.valid_at(end)
