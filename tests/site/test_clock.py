"""Commands that default to "today" take the site's day from the (test-frozen) clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gongbao.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def test_overdue_commands_count_from_the_sites_day(capsys, clock) -> None:
    clock.move_to(datetime(2025, 6, 1, 20, 0, tzinfo=UTC))  # already 2 June in Beijing
    assert main(["tasks", "overdue"]) == 0
    assert "截至 2025-06-02，逾期任务 0 项。" in capsys.readouterr().out
    assert main(["disclosure", "overdue"]) == 0
    assert "已超期：0" in capsys.readouterr().out
