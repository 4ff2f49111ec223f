"""The package boundaries of .importlinter hold (``lint-imports``).

The contracts: the core imports nothing from the site, the commands or the web
stack; readers never import the parser; the apps the public ones stand on never
import the public web, API, open data views or new media, not even through
another module; cli over commands over site over core; and no import cycles
between siblings (docs/architecture.md says how the archive and the apps under
the public ones hear from those above them without importing them, and why any
cycle the contract ignores is still there).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache", str(ROOT / ".importlinter")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_cycle_is_ignored() -> None:
    """The acyclic contract ignores no import (issue 14: no cycles at all), and
    docs/architecture.md lists none as ignored."""
    config = (ROOT / ".importlinter").read_text("utf-8")
    acyclic = config.split("[importlinter:contract:acyclic]", 1)[1].split("\n[", 1)[0]
    assert "type = acyclic_siblings" in acyclic
    assert "ignore_imports" not in config
    architecture = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    assert not re.findall(r"^\| `(gongbao\.\S+ -> gongbao\.\S+)` \|", architecture, re.M)


def test_every_core_module_imports_on_its_own() -> None:
    """Each core module can be the first one imported: no import-order traps."""
    script = """
import importlib, pkgutil, sys
import gongbao.core
names = [m.name for m in pkgutil.walk_packages(gongbao.core.__path__, "gongbao.core.")]
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m.startswith("gongbao")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError:
        failed.append(name)
print(" ".join(failed))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    failed = set(done.stdout.split())
    assert not failed, sorted(failed)
