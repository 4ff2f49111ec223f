"""Title marks per GB/T 15834-2011: 《》 outside, 〈〉 for a title inside it."""

from __future__ import annotations

import pytest

from gongbao.core.marks import book_title


@pytest.mark.parametrize(
    ("title", "marked"),
    [
        ("冠县2018年度水污染防治工作方案", "《冠县2018年度水污染防治工作方案》"),
        ("关于印发《冠县政务公开方案》的通知", "《关于印发〈冠县政务公开方案〉的通知》"),
        ("《关于印发《A》的通知》", "《关于印发〈A〉的通知》"),  # already wrapped: not twice
        ("关于转发《关于印发〈B〉的通知》的通知", "《关于转发〈关于印发《B》的通知〉的通知》"),
    ],
)
def test_nested_title_marks(title: str, marked: str) -> None:
    assert book_title(title) == marked
