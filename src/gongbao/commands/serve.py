"""``gongbao serve`` and ``gongbao demo``: run the site (gunicorn), or set up the demo archive and run it."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def demo_sample() -> tuple[Path, Path, str, str]:
    """The demo's real county: its profile (the one ``samples/*.toml``), its sample issue
    (``samples/<slug>-*.md``), its slug and name. Nothing about the county is in the code."""
    from gongbao.core.profile import load_profile

    profile_path = min(SAMPLES.glob("*.toml"), default=SAMPLES / "profile.toml")
    profile = load_profile(profile_path)
    issue = min(SAMPLES.glob(f"{profile.slug or '?'}-*.md"), default=SAMPLES / "sample.md")
    return profile_path, issue, profile.slug, profile.name


def add_parser(sub: argparse._SubParsersAction) -> None:
    for name, helptext, func in (
        ("serve", "启动公报网站（gunicorn）", run_serve),
        ("demo", "建立演示档案（样刊与生成的合成期）、发布并启动网站", run_demo),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=2, help="进程数（默认 2）")
        p.add_argument("--threads", type=int, default=4, help="每进程线程数（默认 4）")
        p.set_defaults(func=func)


def run_serve(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.search.sync import ensure_index_current

    if ensure_index_current():
        print("检索索引落后于档案（新的数据目录，或另一台服务器、命令行发布过），已补齐。")
    return _gunicorn(args)


def _gunicorn(args: argparse.Namespace) -> int:
    from django.conf import settings
    from gunicorn.app.base import BaseApplication

    from gongbao.site.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", getattr(settings, "GONGBAO_ACCESS_LOG", "") or None)
            self.cfg.set("timeout", 60)

        def load(self):
            return application

    print(f"公报网站：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    Server().run()
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """Import the real sample and a few synthetic issues of an invented county, publish, serve."""
    from gongbao.core.profile import ProfileError

    try:
        profile_path, sample, slug, name = demo_sample()
    except ProfileError as exc:
        print(f"演示用的公报配置有误：{exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("GONGBAO_DEFAULT_GAZETTE", slug)
    # the sample county's profile: its organs, sections, unit names, disclosure office
    os.environ.setdefault("GONGBAO_PROFILE", str(profile_path))
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file, publish_issue
    from gongbao.site.disclosure.services import PublishBlocked
    from gongbao.testing.generate import generate_corpus

    if not sample.is_file():
        print(f"找不到样刊：{sample}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        files = [
            sample,
            *generate_corpus(
                Path(tmp), count=8, seed=2018, start_year=2016, gazettes=1, issues_per_year=4
            ),
        ]
        for path in files:
            outcome = import_file(path)
            if outcome.outcome == "failed":
                print(f"导入失败：{path.name}：{outcome.message}", file=sys.stderr)
                return 1
            if outcome.outcome == "refused":  # the demo archive keeps what it has
                print(f"未更新：{path.name}：{outcome.message}", file=sys.stderr)
                continue
            issue = Issue.objects.get(ident=outcome.issue)
            try:
                publish_issue(issue)
            except PublishBlocked as exc:
                print(f"已导入，未发布（{exc}）：{issue}")
                continue
            print(f"{'已导入' if outcome.outcome != 'unchanged' else '已存在'}并发布：{issue}")
    print(f"演示档案：{name}为真实样刊；其余为生成的虚构县公报，仅供演示。")
    return run_serve(args)
