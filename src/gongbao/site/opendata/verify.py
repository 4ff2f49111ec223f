"""Offline verification of anything downloaded from the site, for ``gongbao verify`` and /verify/.

What a file is, is told from its content: a verification bundle (JSON), a
signed manifest or bulk checksum file (JSON), a JSON Lines bulk file, a signed
PDF, an Akoma Ntoso XML file, or any file named in a checksum file next to it.
The keys are the published ones (``/keys.json``); a bundle's own keys are used
only when no others are given, and the report says so. No Django here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongbao.core import integrity

SUMS_FORMAT = "gongbao-bulk/1"


@dataclass
class Report:
    kind: str
    ok: bool
    reasons: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, kind: str, result: integrity.VerifyResult, notes: list[str] | None = None):
        return cls(kind, result.ok, result.reasons, result.checked, notes or [])


def _fail(kind: str, reason: str) -> Report:
    return Report(kind, False, [reason])


def verify_bytes(
    data: bytes,
    *,
    name: str = "",
    keys: Sequence[Mapping[str, Any]] | None = None,
    certificate: bytes | None = None,
    folder: Path | None = None,
) -> Report:
    """Verify one downloaded file. ``folder``: where to find the files a checksum file lists."""
    if data.startswith(b"%PDF"):
        return verify_pdf(data, certificate)
    stripped = data.lstrip()
    if stripped.startswith(b"<"):
        return verify_akn(data)
    if name.endswith(".jsonl") or (stripped.startswith(b"{") and b"\n{" in stripped.rstrip()):
        return verify_jsonl(data, name=name, keys=keys, folder=folder)
    if stripped.startswith(b"{"):
        try:
            obj = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _fail("json", "文件不完整：不是完整的 JSON（可能下载中断或被截断）")
        if isinstance(obj, dict) and obj.get("format") == integrity.BUNDLE_FORMAT:
            notes = [] if keys is not None else ["未提供已发布的公钥，只用文件自带的公钥核对"]
            return Report.of("bundle", integrity.verify_bundle(data, keys), notes)
        if isinstance(obj, dict) and "manifest" in obj:
            return verify_signed(obj, keys, folder)
        return _fail("json", "格式错误：不是公报的校验包或签名清单")
    if folder is not None and name:
        return verify_listed(data, name, folder, keys)
    return _fail("unknown", "无法识别的文件：请上传校验包（.json）、签名清单、批量文件或 PDF")


def verify_signed(obj: Mapping[str, Any], keys, folder: Path | None) -> Report:
    """A signed manifest, or a bulk checksum file (and the files it lists, when at hand)."""
    if "signature" not in obj:
        return _fail("manifest", "签名无效：清单没有签名")
    if keys is None:
        return _fail("manifest", "未知密钥：请提供已发布的公钥（/keys.json）")
    result = integrity.verify_manifest(obj, keys)
    body = obj["manifest"]
    if body.get("format") == SUMS_FORMAT:
        if folder is not None:
            for item in body.get("files", []):
                path = folder / item["name"]
                if not path.is_file():
                    continue
                digest = integrity.sha256_hex(path.read_bytes())
                if digest != item["sha256"]:
                    result.add("hash_mismatch", item["name"])
                else:
                    result.checked.append(f"哈希 {item['name']}")
        return Report.of("bulk-sums", result)
    return Report.of("manifest", result)


def _sums_for(name: str, folder: Path | None) -> Path | None:
    if folder is None or not name:
        return None
    stem = Path(name).name
    for suffix in (".jsonl", ".csv", ".akn.zip"):
        if stem.endswith(suffix):
            path = folder / (stem.removesuffix(suffix) + ".sums.json")
            return path if path.is_file() else None
    return None


def verify_listed(data: bytes, name: str, folder: Path, keys) -> Report:
    """A bulk file against the signed checksum file beside it."""
    sums = _sums_for(name, folder)
    if sums is None:
        return _fail("bulk", f"清单中无此文件：找不到 {name} 的校验和文件（.sums.json）")
    obj = json.loads(sums.read_text(encoding="utf-8"))
    report = verify_signed(obj, keys, None)
    listed = {f["name"]: f for f in obj["manifest"].get("files", [])}
    item = listed.get(Path(name).name)
    if item is None:
        report.ok = False
        report.reasons.append(f"清单中无此文件：{name}")
    elif integrity.sha256_hex(data) != item["sha256"]:
        report.ok = False
        reason = "文件不完整" if len(data) < item["size"] else "哈希不符"
        report.reasons.append(f"{reason}：{name}（应为 {item['size']} 字节，实为 {len(data)}）")
    else:
        report.checked.append(f"哈希 {name}")
    report.kind = "bulk"
    return report


def verify_jsonl(data: bytes, *, name: str, keys, folder: Path | None) -> Report:
    """Every line's document against its ``sha256``; the whole file against its checksum file."""
    result = integrity.VerifyResult()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    else:
        result.add("incomplete", "最后一行没有换行符")
    for n, line in enumerate(lines, 1):
        try:
            row = json.loads(line)
            doc, digest = row["document"], row["sha256"]
        except (ValueError, KeyError, TypeError):
            result.add("incomplete" if n == len(lines) else "malformed", f"第{n}行")
            continue
        if integrity.document_hash(doc) != digest:
            result.add("hash_mismatch", f"第{n}行 {doc.get('id', '')}")
    if result.ok:
        result.checked.append(f"文件哈希 {len(lines)} 行")
    report = Report.of("jsonl", result)
    if _sums_for(name, folder) is not None:
        listed = verify_listed(data, name, folder, keys)
        report.ok = report.ok and listed.ok
        report.reasons += listed.reasons
        report.checked += listed.checked
    else:
        report.notes.append("没有同目录的 .sums.json：只核对了每行的哈希，未核对签名")
    return report


def verify_akn(data: bytes) -> Report:
    from lxml import etree

    from gongbao.core.export import akn

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return _fail("akn", f"文件不完整：XML 无法解析（{exc}）")
    errors = akn.validate(root)
    if errors:
        return Report("akn", False, [f"格式错误：{e}" for e in errors[:5]])
    return Report(
        "akn",
        True,
        checked=["Akoma Ntoso 3.0 模式校验"],
        notes=["XML 只核对了格式；核对签名请用校验包（.json）"],
    )


def verify_pdf(data: bytes, certificate: bytes | None) -> Report:
    from gongbao.site.opendata.pdf import verify_pdf_signature

    return verify_pdf_signature(data, certificate)
