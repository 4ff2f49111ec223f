"""The ``gongbao`` command: formats, exit statuses, and bad input without tracebacks."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gongbao.cli import main
from gongbao.core.export.json import schema
from gongbao.testing.generate import generate_issue
from tests.conftest import shared_path

CLEAN_ISSUE = """# 示例县人民政府公报

2020
第1期（总第5期）

## 目 录

### ○县政府文件

关于做好防汛工作的通知\t
示政发〔2020〕3号\t1

# 示例县人民政府文件

示政发〔2020〕3号

## 示例县人民政府 关于做好防汛工作的通知

各乡镇人民政府，县直各部门：

一、加强组织领导

各乡镇要落实防汛责任。

二、做好物资储备

县应急局负责储备防汛物资。

示例县人民政府
2020年5月6日
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongbao.cli", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def sample() -> Path:
    return shared_path("corpus", "guanxian-2018-03.md")


def test_json_output_validates_against_schema(sample: Path, capsys) -> None:
    assert main(["parse", str(sample), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert len(data["documents"]) == 18
    assert data["documents"][1]["doc_number_parts"] == {
        "agency_code": "冠政发",
        "year": 2018,
        "serial": 64,
    }


def test_generated_issue_json_validates(tmp_path: Path, capsys) -> None:
    path = tmp_path / "g.md"
    path.write_text(generate_issue(7, year=2015, number=2), encoding="utf-8")
    assert main(["parse", str(path), "-f", "json"]) == 0
    jsonschema.Draft202012Validator(schema()).validate(json.loads(capsys.readouterr().out))


def test_outline_and_text(sample: Path, capsys) -> None:
    assert main(["parse", str(sample), "--format", "outline"]) == 0
    out = capsys.readouterr().out
    assert "第一章 发展基础" in out and "（59）" not in out.split("第一章")[0]
    assert main(["parse", str(sample)]) == 0
    assert "冠县人民政府公报  2018年第3期（总第27期）" in capsys.readouterr().out


def test_check_exit_statuses(sample: Path, tmp_path: Path, capsys) -> None:
    assert main(["check", str(sample)]) == 1
    out = capsys.readouterr().out
    assert out.count("目录与正文标题不一致") == 5
    clean = tmp_path / "clean.md"
    clean.write_text(CLEAN_ISSUE, encoding="utf-8")
    assert main(["check", str(clean)]) == 0, capsys.readouterr().out
    assert "校对通过" in capsys.readouterr().out


def test_check_json_report(sample: Path, capsys) -> None:
    assert main(["check", str(sample), "-f", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    codes = {f["code"] for f in report["findings"]}
    assert {"toc-mismatch", "misplaced-signature", "ocr-numbering"} <= codes


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空的"),
        (b"%PDF-1.4 binary", "PDF"),
        (bytes(range(256)) * 8, "二进制"),
    ],
)
def test_unreadable_input_exit_2_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    for command in ("parse", "check"):
        proc = run(command, str(path))
        assert proc.returncode == 2
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_missing_file_exit_2(tmp_path: Path) -> None:
    proc = run("check", str(tmp_path / "missing.md"))
    assert proc.returncode == 2 and "找不到文件" in proc.stderr


def _degraded(text: str, tmp_path: Path, capsys) -> dict:
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    assert main(["parse", str(path), "-f", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_issue_cut_off_mid_document(sample: Path, tmp_path: Path, capsys) -> None:
    text = sample.read_text("utf-8")
    data = _degraded(text[: len(text) // 3], tmp_path, capsys)
    codes = {f["code"] for f in data["report"]["findings"]}
    assert "toc-entry-not-found" in codes
    assert 2 <= len(data["documents"]) < 18


def test_file_without_toc(sample: Path, tmp_path: Path, capsys) -> None:
    text = sample.read_text("utf-8")
    body = text[text.index("# 冠县人民政府文件") :]
    data = _degraded(body, tmp_path, capsys)
    assert any(f["code"] == "toc-missing" for f in data["report"]["findings"])
    titles = [d["title"] for d in data["documents"]]
    assert titles[0] == "关于开展第四次经济普查的通知"
    assert "关于做好全县食品安全工作的通知" in titles


def test_single_document_without_frame(tmp_path: Path, capsys) -> None:
    text = CLEAN_ISSUE[CLEAN_ISSUE.index("# 示例县人民政府文件") :]
    data = _degraded(text, tmp_path, capsys)
    [doc] = data["documents"]
    assert doc["doc_number"] == "示政发〔2020〕3号" and doc["date"] == "2020-05-06"
    assert [n["text"] for n in doc["body"]] == ["一、加强组织领导", "二、做好物资储备"]


def test_random_cjk_and_long_line_parse_without_error(tmp_path: Path, capsys) -> None:
    rng = random.Random(3)
    cjk = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(300_000))
    lines = [cjk[i : i + rng.randint(5, 200)] for i in range(0, len(cjk), 120)]
    data = _degraded("\n".join(lines) + "\n\n" + cjk, tmp_path, capsys)
    assert data["documents"] == []
    assert any(f["code"] == "no-documents" for f in data["report"]["findings"])


def test_gb18030_file(sample: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(sample.read_text("utf-8").encode("gb18030"))
    assert main(["parse", str(path), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["encoding"] == "gb18030" and len(data["documents"]) == 18
