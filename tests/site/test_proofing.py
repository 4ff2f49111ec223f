"""Where a line of the proofreading report links to in the document page."""

from __future__ import annotations

from gongbao.site.web.proofing import anchor_at

DATA = {
    "lines": [1, 30],
    "body": [
        {"anchor": "s1", "lines": [2, 10], "children": [{"anchor": "s1.1", "lines": [3, 5]}]},
        {"anchor": "p2", "lines": [12, 15]},
    ],
    "attachments": [{"body": [{"anchor": "a1-p1", "lines": [17, 18]}]}],
    "promulgated_document": {"body": [{"anchor": "t-p1", "lines": [20, 25]}]},
}


def test_innermost_node_holding_the_line() -> None:
    assert anchor_at(DATA, 4) == "s1.1"
    assert anchor_at(DATA, 8) == "s1"
    assert anchor_at(DATA, 17) == "a1-p1"
    assert anchor_at(DATA, 21) == "t-p1"


def test_a_line_no_node_holds_links_to_the_next_one() -> None:
    assert anchor_at(DATA, 11) == "p2"
    assert anchor_at(DATA, 1) == "s1"
    assert anchor_at(DATA, 26) is None
