"""`pip install gongbao` gives a working core with only the core dependencies.

The project is built into a wheel and installed (``--no-deps``) into a fresh
virtual environment that holds nothing but ``[project.dependencies]`` and what
they require, copied from this environment's installed distributions: no
download, so the check runs offline and in seconds. There the core must import
module by module, parse the sample and run ``gongbao parse``; the site stack and
the heavy readers must be absent, so a module-level import of them fails here
and not on a user's machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
CORE = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
# Installed by the extras only: importing any of them from the core venv must fail.
NOT_IN_CORE = ["django", "celery", "tantivy", "pypdfium2", "PIL", "numpy", "rapidocr_onnxruntime"]


def _closure(requirements: list[Requirement]) -> list[metadata.Distribution]:
    """The installed distributions that satisfy ``requirements``, transitively."""
    seen: dict[str, metadata.Distribution] = {}
    todo = list(requirements)
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        dist = metadata.distribution(req.name)
        seen[name] = dist
        for line in dist.requires or []:
            sub = Requirement(line)
            extras = req.extras or {""}
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in extras):
                todo.append(sub)
    return list(seen.values())


def _copy_dist(dist: metadata.Distribution, site: Path) -> None:
    base = Path(dist.locate_file(""))
    for file in dist.files or []:
        source = base / file
        target = (site / file).resolve()
        # scripts and data outside site-packages are not needed to import
        if not source.is_file() or not target.is_relative_to(site.resolve()):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("core-venv")
    # build from a copy: setuptools writes build/ and *.egg-info beside the sources,
    # and the working tree is shared
    project = tmp / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(project),
        ],
        capture_output=True,
        text=True,
    )
    if built.returncode and "No matching distribution found for setuptools" in built.stderr:
        pytest.skip("offline: pip cannot fetch the build backend (setuptools) to build the wheel")
    assert built.returncode == 0, built.stderr
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    assert site != Path(sysconfig.get_path("purelib"))
    for dist in _closure(CORE):
        _copy_dist(dist, site)
    wheel = next((tmp / "dist").glob("gongbao-*.whl"))
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    return env_dir


def _run(env_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # run outside the repository so that nothing resolves to ./src or ./tests
    # and without the suite's settings (a GONGBAO_HOME there means "an archive here")
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE") and not k.startswith("GONGBAO_")
    }
    return subprocess.run(
        args, capture_output=True, text=True, cwd=env_dir, env=environ, timeout=300
    )


def test_core_imports_with_core_dependencies_only(core_venv: Path) -> None:
    script = f"""
import importlib, pkgutil
import gongbao.core
assert gongbao.core.__file__.startswith({str(core_venv)!r}), gongbao.core.__file__
for m in pkgutil.walk_packages(gongbao.core.__path__, "gongbao.core."):
    importlib.import_module(m.name)
importlib.import_module("gongbao.cli")
for name in {NOT_IN_CORE!r}:
    try:
        importlib.import_module(name)
    except ImportError:
        continue
    raise SystemExit(name + " is importable in the core venv")
result = gongbao.core.parse_text(open({str(ROOT / "samples/guanxian-2018-03.md")!r}, encoding="utf-8").read())
print(len(result.documents))
"""
    done = _run(core_venv, str(core_venv / "bin" / "python"), "-c", script)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 10


def test_gongbao_parse_runs_in_the_core_venv(core_venv: Path) -> None:
    done = _run(
        core_venv,
        str(core_venv / "bin" / "gongbao"),
        "parse",
        str(ROOT / "samples/guanxian-2018-03.md"),
        "--format",
        "outline",
    )
    assert done.returncode == 0, done.stderr
    assert "崔新乐同志在全县领导干部会议上的讲话" in done.stdout


def test_a_pdf_without_the_pdf_extra_is_a_one_line_message(core_venv: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "issue.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = _run(core_venv, str(core_venv / "bin" / "gongbao"), "check", str(pdf))
    assert done.returncode == 2, done.stderr
    assert "gongbao[pdf]" in done.stderr
    assert "Traceback" not in done.stderr


def test_gongbao_verify_runs_in_the_core_venv(core_venv: Path, tmp_path: Path) -> None:
    """Checking a download needs no site: a file that is no signed format fails in words."""
    download = tmp_path / "manifest.json"
    download.write_text('{"not": "a manifest"}', "utf-8")
    done = _run(core_venv, str(core_venv / "bin" / "gongbao"), "verify", str(download))
    assert done.returncode == 1, done.stderr
    assert "核验未通过" in done.stdout
    assert "Traceback" not in done.stderr
