"""Code shape (issue 14): a long function says why it is long; every module says what it is.

Pure ``ast`` over ``src/gongbao`` (migrations aside, they are generated): nothing is imported.
A function's length runs from its ``def`` line to its last line, docstring included.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "gongbao"
MAX_LINES = 60
# "path:Qualified.name" -> why it stays one function (the docstring says it too). Short on purpose.
LONG_ON_PURPOSE: dict[str, str] = {}

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_HOLDS_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)


@cache
def _trees() -> dict[str, ast.Module]:
    paths = (p for p in SRC.rglob("*.py") if "migrations" not in p.relative_to(SRC).parts)
    return {
        str(p.relative_to(SRC)): ast.parse(p.read_text("utf-8"), filename=str(p))
        for p in sorted(paths)
    }


def _functions(node: ast.AST, prefix: str = "") -> list[tuple[str, _Function]]:
    """Every function and method under ``node`` with its qualified name, nested ones too."""
    found = []
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, _HOLDS_STATEMENTS):
            continue  # an expression holds no def: not walked
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{child.name}"
            if not isinstance(child, ast.ClassDef):
                found.append((name, child))
            found += _functions(child, f"{name}.")
        else:
            found += _functions(child, prefix)
    return found


def _length(fn: _Function) -> int:
    return (fn.end_lineno or fn.lineno) - fn.lineno + 1


def _long_functions() -> dict[str, _Function]:
    return {
        f"{path}:{name}": fn
        for path, tree in _trees().items()
        for name, fn in _functions(tree)
        if _length(fn) > MAX_LINES
    }


def test_long_functions_say_why() -> None:
    long = _long_functions()
    unexplained = [
        f"{key} ({_length(fn)} lines)"
        for key, fn in long.items()
        if key not in LONG_ON_PURPOSE or not ast.get_docstring(fn)
    ]
    assert not unexplained, (
        f"over {MAX_LINES} lines: split along its seams, or give it a docstring saying why it "
        f"is one function and add it to LONG_ON_PURPOSE with that reason: {unexplained}"
    )
    stale = sorted(set(LONG_ON_PURPOSE) - set(long))
    assert not stale, f"no longer long (or gone): remove from LONG_ON_PURPOSE: {stale}"


def test_every_module_has_a_docstring() -> None:
    missing = [
        path
        for path, tree in _trees().items()
        if tree.body and not ast.get_docstring(tree)  # an empty __init__.py says nothing
    ]
    assert not missing, f"modules without a docstring: {missing}"
