"""The synthetic gazette generator: determinism, layout, truth and sizes."""

from __future__ import annotations

import argparse
import json
import re

import pytest

from gongbao.commands import generate as cli_generate
from gongbao.testing.generate import (
    COUNTIES,
    generate_bytes,
    generate_corpus,
    generate_issue,
    generate_issue_with_truth,
)

SEEDS = [0, 1, 7, 42, 2024]


def _flat(text: str) -> str:
    """The text without spaces and line breaks (titles may be broken by both)."""
    return re.sub(r"\s+", "", text)


def test_same_seed_same_text():
    a = generate_issue(5, year=2018, number=3)
    b = generate_issue(5, year=2018, number=3)
    assert a == b
    assert generate_issue_with_truth(5, year=2018, number=3) == (
        a,
        generate_issue_with_truth(5, year=2018, number=3)[1],
    )


def test_different_seed_or_issue_different_text():
    base = generate_issue(5, year=2018, number=3, gazette="桐溪县人民政府公报")
    assert generate_issue(6, year=2018, number=3, gazette="桐溪县人民政府公报") != base
    assert generate_issue(5, year=2018, number=2, gazette="桐溪县人民政府公报") != base
    assert generate_issue(5, year=2019, number=3, gazette="桐溪县人民政府公报") != base


@pytest.mark.parametrize("seed", SEEDS)
def test_shape_of_issue(seed):
    text, truth = generate_issue_with_truth(seed, year=2018, number=3)
    issue = truth["issue"]
    lines = text.splitlines()
    assert f"# {issue['gazette']}" in lines
    assert "## 目 录" in lines
    assert f"第3期（总第{issue['cumulative_number']}期）" in text
    assert issue["slogan"] in lines
    for sec in issue["sections"]:
        assert f"### ○{sec}" in lines
    assert re.search(r"^-{5,}\t-{2,}$", text, re.M), "TOC dash rows"
    assert "2018  \n第3期" in text
    kinds = [d["kind"] for d in truth["documents"]]
    assert "notice" in kinds and "news" in kinds
    assert kinds == sorted(kinds, key=["speech", "notice", "news"].index)


@pytest.mark.parametrize("seed", SEEDS)
def test_truth_matches_text(seed):
    text, truth = generate_issue_with_truth(seed, year=2016, number=seed % 4 + 1)
    flat = _flat(text)
    docs = truth["documents"]
    assert [d["seq"] for d in docs] == list(range(1, len(docs) + 1))
    pages = [d["page"] for d in docs]
    assert pages == sorted(pages) and pages[0] >= 1
    for d in docs:
        assert d["title"] in flat, d["title"]
        assert d["toc_title"] in text, d["toc_title"]
        assert d["date"].startswith("2016-")
        if d["kind"] == "notice":
            assert d["doc_number"] in text
            parts = d["doc_number_parts"]
            assert (
                d["doc_number"] == f"{parts['agency_code']}〔{parts['year']}〕{parts['serial']}号"
            )
            assert f"# {d['issuer']}文件" in text
            assert _flat(d["recipients"]) + "：" in flat
            y, m, day = (int(x) for x in d["date"].split("-"))
            assert f"{d['issuer']}  \n{y}年{m}月{day}日" in text or (
                f"{d['issuer']}\n\n{y}年{m}月{day}日" in text
            )
            heads = d.get("top_level_headings") or d["plan_top_level_headings"]
            for h in heads:
                assert h in text
            if "promulgates" in d:
                assert f"《{d['promulgates']}》" in d["title"]
        elif d["kind"] == "news":
            m, day = int(d["date"][5:7]), int(d["date"][8:])
            assert f"{m}月{day}日，" in text
        else:
            assert d["speaker"] + "同志" in text
        if d["toc_title"] != d["title"]:
            assert d["toc_mismatch"]
        else:
            assert "toc_mismatch" not in d
    json.dumps(truth, ensure_ascii=False)


def test_artifacts_occur_across_issues():
    texts = [generate_issue(s, year=2018, number=2) for s in range(12)]
    joined = "\n".join(texts)
    for needle in ("$\\alpha$", "<b>(", "<sub>", "**（", " 通 知", "\t--\n", ".....\t"):
        assert needle in joined, needle
    assert re.search(r"^#{2,6} [（(]", joined, re.M), "numbered headings with # marks"
    assert re.search(r"\n\n[^#\n]{0,40}[\u4e00-\u9fff]\n\n[\u4e00-\u9fff]", joined)
    truths = [generate_issue_with_truth(s, year=2018, number=2)[1] for s in range(12)]
    docs = [d for t in truths for d in t["documents"]]
    assert any("misplaced_block" in d for d in docs)
    assert any("toc_mismatch" in d for d in docs)


def test_utf8_only():
    for seed in SEEDS:
        text = generate_issue(seed, year=2010, number=1)
        data = text.encode("utf-8")
        assert data.decode("utf-8") == text
        assert "\ufffd" not in text and "\r" not in text
        assert not re.search(r"[\x00-\x08\x0b-\x1f]", text)


@pytest.mark.parametrize("seed", range(8))
def test_size_in_range(seed):
    size = len(generate_issue(seed, year=2014, number=seed % 4 + 1).encode("utf-8"))
    assert 100_000 <= size <= 400_000


def test_size_is_adjustable():
    small = generate_issue(3, year=2018, number=1, paragraphs_per_doc=8)
    large = generate_issue(3, year=2018, number=1, paragraphs_per_doc=60)
    assert len(small) < len(large)


def test_corpus_layout(tmp_path):
    paths = generate_corpus(tmp_path, count=14, seed=3, start_year=2011)
    assert len(paths) == 14
    assert len(set(paths)) == 14
    years = sorted({p.parent.name for p in paths})
    assert years == ["2011", "2012"]
    slugs = {v.lower() for v in COUNTIES.values()}
    for p in paths:
        assert p.is_file() and p.parent.parent == tmp_path
        m = re.fullmatch(r"([a-z]+)-(\d{4})-(\d{2})\.md", p.name)
        assert m, p.name
        assert m.group(1) in slugs and m.group(2) == p.parent.name
        assert 1 <= int(m.group(3)) <= 4
    again = generate_corpus(tmp_path / "again", count=14, seed=3, start_year=2011)
    assert [p.read_text(encoding="utf-8") for p in again] == [
        p.read_text(encoding="utf-8") for p in paths
    ]


def test_generate_bytes_reaches_target():
    texts = list(generate_bytes(600_000, seed=1))
    total = sum(len(t.encode("utf-8")) for t in texts)
    assert total >= 600_000
    assert total - len(texts[-1].encode("utf-8")) < 600_000


def test_cli_generate(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="gongbao")
    add = parser.add_subparsers(dest="command")
    cli_generate.add_parser(add)
    out = tmp_path / "out"
    args = parser.parse_args(["generate", "--count", "13", "--seed", "2", "--out", str(out)])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "2008 年：12 期" in printed and "2009 年：1 期" in printed
    assert "已生成 13 期" in printed
    assert len(list(out.rglob("*.md"))) == 13
