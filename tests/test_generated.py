"""The parser against generated issues, whose ground truth the generator writes."""

from __future__ import annotations

import pytest

from gongbao.core import parse_text
from gongbao.core.conservation import account
from gongbao.testing.generate import generate_issue_with_truth
from tests.truth import assert_matches


@pytest.mark.parametrize("seed", range(12))
def test_generated_issue_parses_to_its_truth(seed: int) -> None:
    text, truth = generate_issue_with_truth(seed, year=2009 + seed, number=1 + seed % 4)
    result = parse_text(text)
    assert account(text, result).ok
    assert len(result.documents) == len(truth["documents"])
    assert result.issue.gazette == truth["issue"]["gazette"]
    assert result.issue.year == truth["issue"]["year"]
    for want, doc in zip(truth["documents"], result.documents, strict=True):
        assert_matches(doc, want)
    mismatched = {f.document for f in result.findings if f.code == "toc-mismatch"}
    assert mismatched == {d["seq"] for d in truth["documents"] if d.get("toc_mismatch")}
