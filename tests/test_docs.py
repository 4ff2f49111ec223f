"""Docs kept true by tests: the README's commands exist, the formats doc covers the schema."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from gongbao.cli import build_parser

ROOT = Path(__file__).parents[1]


def test_readme_first_two_commands_are_the_scripts() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands[:2] == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    for command in commands[:2]:
        assert (ROOT / command.split()[1]).is_file()
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_readme_lists_every_subcommand() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"gongbao {name}" in readme, name


def test_formats_doc_names_every_document_key() -> None:
    schema = json.loads((ROOT / "src/gongbao/schema/parse-result.schema.json").read_text("utf-8"))
    formats = (ROOT / "docs" / "formats.md").read_text("utf-8")
    keys = set(schema["$defs"]["document"]["properties"]) | set(
        schema["$defs"]["issue"]["properties"]
    )
    missing = [k for k in sorted(keys) if f"`{k}`" not in formats]
    assert not missing


def _doc_tables(text: str) -> dict[str, set[str]]:
    """Package names per ``## group`` heading: the first cell of each table row."""
    groups: dict[str, set[str]] = {}
    group = ""
    for line in text.splitlines():
        if line.startswith("## "):
            group = line[3:].split("(")[0].strip(" `[]")
            groups[group] = set()
        elif group and line.startswith("| ") and not line.startswith(("| package", "|---")):
            name = line.split("|")[1].strip()
            groups[group].add(name.split(" (")[0])
    return groups


def test_dependencies_doc_lists_every_dependency_in_its_group() -> None:
    """docs/dependencies.md names exactly the packages of pyproject.toml, core and each extra."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = {"core": project["dependencies"], **project["optional-dependencies"]}
    documented = _doc_tables((ROOT / "docs" / "dependencies.md").read_text("utf-8"))
    for group, requirements in wanted.items():
        # an extra made of other extras (gongbao[pdf,ocr,site]) has no table of its own
        names = {
            canonicalize_name(r.name) for r in map(Requirement, requirements) if r.name != "gongbao"
        }
        listed = {canonicalize_name(n) for n in documented.get(group, set())}
        assert listed == names, (group, sorted(names - listed), sorted(listed - names))


def _sections(text: str) -> dict[str, str]:
    """The text under each ``## `` heading of a Markdown file."""
    parts = text.split("\n## ")
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


def _has_code(tree: ast.Module) -> bool:
    return any(
        not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)) for n in tree.body
    )


def test_architecture_doc_describes_every_module() -> None:
    """Every module under src/gongbao has its line in its package's section.

    Paths are written relative to the package of the section (``readers/pdf.py``
    under `gongbao.core`, ``archive/jobs.py`` under `gongbao.site`,
    ``commands/tasks.py`` under the command line); an ``__init__.py`` with only
    a docstring is its package's and needs no line of its own.
    """
    src = ROOT / "src" / "gongbao"
    sections = _sections((ROOT / "docs" / "architecture.md").read_text("utf-8"))
    where = {
        "core": next(v for k, v in sections.items() if k.startswith("`gongbao.core`")),
        "site": "\n".join(v for k, v in sections.items() if k.startswith("`gongbao.site`")),
        "": next(v for k, v in sections.items() if k.startswith("Command line")),
    }
    missing = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if "migrations" in rel.parts:
            continue
        if path.name == "__init__.py" and not _has_code(ast.parse(path.read_text("utf-8"))):
            continue
        top = rel.parts[0] if rel.parts[0] in ("core", "site") and len(rel.parts) > 1 else ""
        name = "/".join(rel.parts[1:]) if top else rel.as_posix()
        if f"`{name}`" not in where[top]:
            missing.append(rel.as_posix())
    assert not missing, f"add these to docs/architecture.md: {missing}"
