"""Open-data commands: ``export``, ``bulk``, ``keys``, ``verify``.

``verify`` works offline and without an archive: give it the published keys
(``--keys keys.json``, ``--cert publisher.pem``) or run it on the site's machine,
where the archive's own keys are used. Keys inside the checked file never count.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="导出已发布的公开文件：Akoma Ntoso XML、JSON Lines、CSV 或公众号文章"
    )
    p.add_argument("--format", choices=("akn", "jsonl", "csv", "wechat"), default="akn")
    p.add_argument("--doc", help="文件标识（wechat：只导出这一篇文件）")
    p.add_argument("--issue", help="期标识，形如 <公报标识>-2018-03（akn：一期一个文件）")
    p.add_argument("--year", type=int, help="年份（jsonl/csv：全年；akn：全年各期）")
    p.add_argument("--gazette", help="公报标识（网址中的名称）")
    p.add_argument("--out", type=Path, required=True, help="输出文件（akn 多期时为文件夹）")
    p.set_defaults(func=run_export)

    p = sub.add_parser("bulk", help="重建批量下载文件、签名清单与引用（通常在发布时自动完成）")
    p.set_defaults(func=run_bulk)

    p = sub.add_parser("keys", help="发布者签名密钥：init 生成、show 查看、rotate 更换")
    p.add_argument("action", choices=("init", "show", "rotate"))
    p.add_argument("--publisher", help="发布者名称（写入 PDF 签名证书）")
    p.set_defaults(func=run_keys)

    p = sub.add_parser("verify", help="离线核验下载的文件：校验包、签名清单、批量文件、PDF")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--keys",
        type=Path,
        help="可信的发布者公钥列表（网站 /keys.json）；默认用本机档案的公钥；文件自带的公钥不算数",
    )
    p.add_argument("--cert", type=Path, help="发布者证书（/keys/publisher.pem），核验 PDF 用")
    p.add_argument(
        "--manifest",
        type=Path,
        help="该期的签名清单（/manifest/…json）：核验 PDF 是否即清单所列的印刷版",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=run_verify)


def run_export(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.opendata import bulk, public

    issues = public.issues().select_related("gazette")
    if args.gazette:
        issues = issues.filter(gazette__slug=args.gazette)
    if args.issue:
        issues = issues.filter(ident=args.issue)
    if args.year:
        issues = issues.filter(year=args.year)
    issues = list(issues.order_by("gazette__slug", "year", "number"))
    if not issues:
        print("没有符合条件的已发布期。", file=sys.stderr)
        return 1
    out: Path = args.out
    if args.format == "wechat":
        from gongbao.site.newmedia.commands import export_wechat

        return export_wechat(issues, out, doc=args.doc)
    if args.format == "akn":
        if len(issues) == 1 and out.suffix == ".xml":
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(bulk.issue_akn_bytes(issues[0]))
            print(f"已导出 {issues[0].ident} → {out}")
            return 0
        out.mkdir(parents=True, exist_ok=True)
        for issue in issues:
            (out / f"{issue.ident}.akn.xml").write_bytes(bulk.issue_akn_bytes(issue))
        print(f"已导出 {len(issues)} 期 Akoma Ntoso XML → {out}/")
        return 0
    docs = public.documents().filter(issue__in=issues)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.other")
    paths = (out, tmp) if args.format == "jsonl" else (tmp, out)
    _, _, count = bulk.write_jsonl_csv(public.iter_documents(docs), *paths)
    tmp.unlink(missing_ok=True)
    print(f"已导出 {count} 篇文件（{args.format}）→ {out}")
    return 0


def run_bulk(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.models import Issue
    from gongbao.site.opendata import bulk, services

    for issue in Issue.objects.select_related("gazette").order_by("pk"):
        services.refresh(issue)
    n = bulk.regenerate_all()
    print(f"已重建 {n} 个年份的批量文件、签名清单与引用：{bulk.bulk_dir()}")
    return 0


def run_keys(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.opendata import keys

    try:
        if args.action == "init":
            info = keys.init(publisher=args.publisher)
            print(
                f"已生成签名密钥 {info['key_id']}（私钥 {keys.keys_dir() / keys.PRIVATE}，权限 0600）"
            )
            sm2 = keys.current_sm2()
            if sm2:
                print(
                    f"国密 SM2 签名密钥 {sm2['key_id']}（私钥 {keys.keys_dir() / keys.SM2_PRIVATE}）"
                )
            print(f"公钥发布于 /keys.json；PDF 证书指纹 {keys.certificate_fingerprint()}")
        elif args.action == "rotate":
            retired, current = keys.rotate()
            print(f"已停用 {retired['key_id']}（有效期至 {retired['valid_to']}），旧私钥已销毁")
            print(f"新密钥 {current['key_id']}，自 {current['valid_from']} 起有效")
            sm2 = keys.current_sm2()
            if sm2:
                print(f"新国密 SM2 密钥 {sm2['key_id']}，旧 SM2 私钥已销毁")
        else:
            infos = keys.public_keys()
            if not infos:
                print("还没有密钥：运行 gongbao keys init")
                return 1
            now = keys.current()
            for k in infos:
                mark = "（当前）" if now and k["key_id"] == now["key_id"] else ""
                print(
                    f"{k['key_id']}{mark}  {k['algorithm']}  {k['valid_from']} — {k['valid_to'] or '至今'}"
                )
                print(f"    {k['public_key']}")
            print(f"密钥目录：{keys.keys_dir()}；PDF 证书指纹 {keys.certificate_fingerprint()}")
    except keys.KeyError_ as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


@dataclass
class _Trust:
    """What the user trusts: the publisher's keys and certificate, where its checksum files are."""

    keys: list | None = None
    cert: bytes | None = None
    folders: list[Path] = field(default_factory=list)


def _archive_here() -> bool:
    """An archive on this machine (``GONGBAO_HOME``, default ./data) or Django already set up.

    Checked first so that verifying a download elsewhere never creates a data folder.
    """
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return True
    return Path(os.environ.get("GONGBAO_HOME", "data")).is_dir()


def _local_trust() -> _Trust:
    """The archive's own published keys and bulk folder, when this machine has an archive."""
    if not _archive_here():
        return _Trust()
    from gongbao.site import setup

    setup(migrate=False)
    from django.conf import settings

    from gongbao.site.opendata import keys

    bulk = Path(getattr(settings, "GONGBAO_BULK_DIR", "") or Path(settings.HOME) / "bulk")
    return _Trust(
        keys.public_keys() or None, keys.certificate_pem(), [bulk] if bulk.is_dir() else []
    )


def _given_trust(args: argparse.Namespace) -> _Trust:
    """``--keys`` and ``--cert``: files the user trusts (raises OSError or ValueError)."""
    from gongbao.core.integrity import PublicKeyInfo

    trust = _Trust()
    if args.keys:
        trust.keys = json.loads(args.keys.read_text(encoding="utf-8"))
        if not isinstance(trust.keys, list):
            raise ValueError("不是公钥列表（/keys.json）")
        for info in trust.keys:  # a bad key fails here, in one line, not in the middle
            PublicKeyInfo.from_dict(info)
    if args.cert:
        trust.cert = args.cert.read_bytes()
    return trust


def run_verify(args: argparse.Namespace) -> int:
    from gongbao.site.opendata.verify import verify_bytes

    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"无法读取文件：{exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        trust = _given_trust(args)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        print(f"无法读取公钥或证书文件：{getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    manifest = None
    if args.manifest is not None:
        try:
            manifest = json.loads(args.manifest.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"无法读取签名清单：{getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            return 2
        if not isinstance(manifest, dict) or "manifest" not in manifest:
            print("无法读取签名清单：不是公报的签名清单", file=sys.stderr)
            return 2
    local = _local_trust()
    report = verify_bytes(
        data,
        name=path.name,
        keys=trust.keys if trust.keys is not None else local.keys,
        certificate=trust.cert if trust.cert is not None else local.cert,
        folders=[path.resolve().parent, *local.folders],
        manifest=manifest,
    )
    if args.json:
        print(json.dumps(report.__dict__, ensure_ascii=False, indent=1))
    else:
        print(f"{'核验通过' if report.ok else '核验未通过'}：{path.name}（{report.kind}）")
        for r in report.reasons:
            print(f"  ✗ {r}")
        for c in report.checked:
            print(f"  ✓ {c}")
        for n in report.notes:
            print(f"  注：{n}")
    return 0 if report.ok else 1
