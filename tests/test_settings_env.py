"""Environment variables are read in one place: ``site/settings.py`` or ``core/config.py``.

The few modules that must read it elsewhere are listed here with why; a new
``os.environ`` or ``os.getenv`` anywhere else fails, so a setting cannot hide
in a module (docs/architecture.md, "Settings").
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "gongbao"
PLACES = {"site/settings.py", "core/config.py"}
ELSEWHERE = {
    # Django's bootstrap: which settings module to load, before any setting exists
    "site/__init__.py": "DJANGO_SETTINGS_MODULE",
    "site/wsgi.py": "DJANGO_SETTINGS_MODULE",
    # the demo sets the site's variables before settings.py reads them
    "commands/serve.py": "setdefault",
    # asked before Django is loaded: verifying a download must not create ./data
    "commands/opendata.py": "GONGBAO_HOME",
    # the Celery app is configured when `celery -A` loads the module, before Django
    "site/archive/celery.py": "GONGBAO_BROKER",
}
READS = re.compile(r"\bos\.(environ|getenv)\b")


def test_environment_is_read_in_settings_or_the_core_config() -> None:
    found = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and READS.search(path.read_text("utf-8"))
    }
    assert found - PLACES <= set(ELSEWHERE), sorted(found - PLACES - set(ELSEWHERE))
    for name, why in ELSEWHERE.items():
        if name in found:
            assert why in (SRC / name).read_text("utf-8"), name


def test_every_variable_has_its_row_in_the_site_doc() -> None:
    """docs/site.md, "Environment variables", names every variable the code reads."""
    names = set()
    for path in SRC.rglob("*.py"):
        names |= set(re.findall(r"\"((?:GONGBAO|DATABASE)_[A-Z_]+)\"", path.read_text("utf-8")))
    doc = (SRC.parents[1] / "docs" / "site.md").read_text("utf-8")
    table = doc.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    missing = sorted(n for n in names if f"`{n}`" not in table)
    assert not missing, missing
