"""Repairs: block stream in, block stream out, every change recorded.

``repair`` runs them in the order they depend on each other: tables are cut
before markup is stripped (the tags mark the cells), signatures are split out
of blocks before a signature printed mid-sentence can be recognised, and that
is lifted before page breaks are joined.
"""

from __future__ import annotations

from gongbao.core.model import Block, Repair
from gongbao.core.repairs.breaks import (
    drop_folios,
    join_page_breaks,
    lift_misplaced_signatures,
    split_collapsed_lines,
    split_heading_runons,
    split_number_from_title,
    split_run_together,
    split_signatures,
    unwrap_lines,
)
from gongbao.core.repairs.markup import split_html_paragraphs, strip_markup
from gongbao.core.repairs.tables import cut_tables

STAGES = (
    cut_tables,
    split_html_paragraphs,
    strip_markup,
    drop_folios,
    split_signatures,
    unwrap_lines,
    split_collapsed_lines,
    split_run_together,
    split_number_from_title,
    lift_misplaced_signatures,
    join_page_breaks,
    split_heading_runons,
)


def repair(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Run every repair stage over the block stream."""
    for stage in STAGES:
        blocks = stage(blocks, log)
    return blocks
