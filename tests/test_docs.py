"""Docs kept true by tests: the README's commands exist, the formats doc covers the schema."""

from __future__ import annotations

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
