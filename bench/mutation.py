"""Mutation testing of ``gongbao.core`` with mutmut: do the tests notice a changed line?

Run from the repository root::

    .venv/bin/python bench/mutation.py                       # the small modules (below)
    .venv/bin/python bench/mutation.py --modules integrity workdays --jobs 2
    .venv/bin/python bench/mutation.py --keep /tmp/mut       # keep the work tree (mutmut browse)

mutmut (``pip install -e .[test]``) rewrites every function of the modules named into
variants with one small change each (an operator, a constant, a comparison…) and runs a
bounded set of tests against each: a mutant the tests fail on is *killed*, one they pass
on *survived*. Survivors are either gaps in the tests or equivalent mutants (a change
that cannot alter behaviour); they are listed so that a person can judge which.

The work happens in a copy of the tracked files in a temporary directory, so that the
``mutants/`` tree and mutmut's configuration never touch the working tree. Each module
runs only the test files that exercise it (``TESTS``): a full suite per mutant would take
days on two cores. The script ends with a Markdown table for ``bench/RESULTS.md``.
This is not a test: it exits 0 whatever the score, 2 when mutmut is not installed.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module → the tests that exercise it (kept small: every mutant runs them).
TESTS: dict[str, list[str]] = {
    "integrity": ["tests/test_integrity.py"],
    "workdays": ["tests/test_holidays.py", "tests/test_tasks.py"],
    "docnumber": ["tests/test_docnumber.py"],
    "dates": ["tests/test_dates.py"],
    "numbering": ["tests/test_marks.py", "tests/test_sample.py"],
}
DEFAULT = ["integrity", "workdays", "docnumber", "dates"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--modules", nargs="+", default=DEFAULT, choices=sorted(TESTS))
    p.add_argument("--jobs", type=int, default=2, help="mutmut worker processes")
    p.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = p.parse_args(argv)
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent))
    if mutmut is None:
        print("mutmut 未安装：pip install -e '.[test]'", file=sys.stderr)
        return 2
    base = args.keep or Path(tempfile.mkdtemp(prefix="gongbao-mutation-"))
    work = base / "main"
    _copy_tree(work)
    _configure(work, args.modules)
    started = _dt.datetime.now(_dt.UTC)
    run = subprocess.run(
        [mutmut, "run", "--max-children", str(args.jobs)],
        cwd=work,
        env=_env(work),
        capture_output=True,
        text=True,
    )
    seconds = (_dt.datetime.now(_dt.UTC) - started).total_seconds()
    if run.returncode != 0:
        print(run.stdout[-3000:], run.stderr[-3000:], sep="\n", file=sys.stderr)
    results = _results(mutmut, work)
    print(_table(args.modules, results, seconds, args.jobs))
    _print_survivors(mutmut, work, results)
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


def _copy_tree(work: Path) -> None:
    """The tracked files only: build outputs and other people's scratch files stay out."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "src", "tests", "samples", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            target = work / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # The tests read the shared corpus from ../shared; the copy sees the same one.
    shared = ROOT.parent / "shared"
    # (tests/conftest.py looks two folders above itself: mutants/tests → <work>/shared)
    if shared.exists() and not (work / "shared").exists():
        (work / "shared").symlink_to(shared)


def _configure(work: Path, modules: list[str]) -> None:
    paths = [f"src/gongbao/core/{m}.py" for m in modules]
    tests = sorted({t for m in modules for t in TESTS[m]})
    # The copy's pyproject.toml carries the configuration; the working tree's stays clean.
    with (work / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(
            "\n[tool.mutmut]\n"
            f"source_paths = {paths!r}\n"
            'also_copy = ["src/gongbao", "tests", "samples", "pyproject.toml"]\n'
            f"pytest_add_cli_args_test_selection = {tests!r}\n"
            'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:django"]\n'
        )


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    # mutmut puts mutants/src first on sys.path itself; a PYTHONPATH of ours breaks its setup.
    env.pop("PYTHONPATH", None)
    return env


def _results(mutmut: str, work: Path) -> dict[str, str]:
    """mutant name → status (killed, survived, timeout, no tests, …)."""
    out = subprocess.run(
        [mutmut, "results", "--all", "true"],
        cwd=work,
        env=_env(work),
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+__mutmut_\d+):\s*(.+)$", line)
        if m:
            found[m.group(1)] = m.group(2).strip()
    return found


def _table(modules: list[str], results: dict[str, str], seconds: float, jobs: int) -> str:
    rows = [
        "| module | mutants | killed | survived | other | score |",
        "|---|---|---|---|---|---|",
    ]
    for module in modules:
        mine = [s for name, s in results.items() if f".core.{module}." in name]
        killed = sum(s in ("killed", "timeout", "segfault") for s in mine)
        survived = sum(s == "survived" for s in mine)
        other = len(mine) - killed - survived
        tested = killed + survived
        score = f"{killed / tested:.1%}" if tested else "–"
        rows.append(f"| {module} | {len(mine)} | {killed} | {survived} | {other} | {score} |")
    cpu = platform.processor() or platform.machine()
    head = (
        f"Mutation run {_dt.date.today().isoformat()}: {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs ({cpu}), {jobs} jobs, "
        f"{seconds:.0f} s"
    )
    return head + "\n\n" + "\n".join(rows)


def _print_survivors(mutmut: str, work: Path, results: dict[str, str]) -> None:
    survivors = [name for name, status in results.items() if status == "survived"]
    print(f"\n{len(survivors)} surviving mutants:")
    for name in survivors:
        diff = subprocess.run(
            [mutmut, "show", name], cwd=work, env=_env(work), capture_output=True, text=True
        ).stdout
        changed = [
            line
            for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        print(f"\n{name}\n" + "\n".join(changed))


if __name__ == "__main__":
    raise SystemExit(main())
