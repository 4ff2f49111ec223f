"""Making the gazette: 收稿 → 编排 → 校对 → 审核签发 → 出刊, and 勘误 (see docs/production.md)."""
