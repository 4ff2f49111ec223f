"""The annual report (政府信息公开工作年度报告) in the 2021 format (国办公开办函〔2021〕30号).

Reads: request records, 公开属性 records, the staff-entered numbers (table 二's
non-archive rows, table 四). Writes: the six sections' data; table 三 checked per
column by 一 + 二 = （七）总计 + 四. Never the 2019 format's columns or blocks.
Also the PDF: the report's HTML printed by headless Chromium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from gongbao.site import printing
from gongbao.site.archive.models import Document
from gongbao.site.disclosure import outcomes
from gongbao.site.disclosure.models import AnnualReport, DisclosureRecord, Request
from gongbao.site.printing import PdfUnavailable  # noqa: F401 (report.PdfUnavailable for callers)

SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
TABLE4_KEYS = [
    f"{group}_{result}"
    for group in ("review", "direct", "after_review")
    for result in ("upheld", "corrected", "other", "pending", "total")
]
TABLE4_RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
TABLE4_GROUPS = {
    "review": "行政复议",
    "direct": "行政诉讼·未经复议直接起诉",
    "after_review": "行政诉讼·复议后起诉",
}
# What staff read beside each input of table 4 (the keys are only form names).
TABLE4_LABELS = {
    f"{group}_{result}": f"{TABLE4_GROUPS[group]}：{label}"
    for group in TABLE4_GROUPS
    for result, label in zip(
        ("upheld", "corrected", "other", "pending", "total"), TABLE4_RESULTS, strict=True
    )
}
TABLE2_EXTRA = {
    "licence": ("第二十条第（五）项", "行政许可", "本年处理决定数量"),
    "penalty": ("第二十条第（六）项", "行政处罚", "本年处理决定数量"),
    "coercion": ("第二十条第（六）项", "行政强制", "本年处理决定数量"),
    "fees": ("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"),
}


@dataclass
class Table3:
    columns: list[tuple[str, str]]
    rows: list[tuple[str, str, dict[str, int]]]  # (row key, label, column → count)
    check: dict[str, bool] = field(default_factory=dict)

    def value(self, row: str, column: str) -> int:
        return next(r[2][column] for r in self.rows if r[0] == row)

    @property
    def balanced(self) -> bool:
        return all(self.check.values())


def _column(req: Request) -> str:
    return "natural" if req.applicant_type == Request.NATURAL else (req.org_type or "other")


def table3(year: int) -> Table3:
    """Table 三 from the request records of ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    keys = [c for c, _ in outcomes.COLUMNS]

    def blank() -> dict[str, int]:
        return dict.fromkeys(keys, 0)

    new, carried, carry_out, total = blank(), blank(), blank(), blank()
    by_outcome = {o.code: blank() for o in outcomes.OUTCOMES}
    relevant = Request.objects.filter(received_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    for req in relevant:
        col = _column(req)
        (new if req.received_on >= start else carried)[col] += 1
        if req.closed_on is not None and req.closed_on <= end:
            code = req.outcome if req.outcome in by_outcome else "other"
            by_outcome[code][col] += 1
            total[col] += 1
        else:
            carry_out[col] += 1
    for counts in (new, carried, carry_out, total, *by_outcome.values()):
        counts["total"] = sum(v for k, v in counts.items() if k != "total")
    rows: list[tuple[str, str, dict[str, int]]] = [
        ("一", "一、本年新收政府信息公开申请数量", new),
        ("二", "二、上年结转政府信息公开申请数量", carried),
    ]
    for o in outcomes.OUTCOMES:
        rows.append((o.code, f"{o.group}{o.label}", by_outcome[o.code]))
    rows.append(("七", "（七）总计", total))
    rows.append(("四", "四、结转下年度继续办理", carry_out))
    check = {k: new[k] + carried[k] == total[k] + carry_out[k] for k in keys}
    return Table3(outcomes.COLUMNS, rows, check)


def table2(year: int, extra: dict) -> list[dict]:
    """Table 二: 规章 and 行政规范性文件 from the 公开属性 records, the rest as staff entered."""
    docs = {
        (d.gazette_id, d.ident): d for d in Document.objects.only("gazette_id", "ident", "date")
    }
    rows = []
    for category, label in (
        (DisclosureRecord.RULE, "规章"),
        (DisclosureRecord.NORMATIVE, "行政规范性文件"),
    ):
        made = repealed = current = 0
        for rec in DisclosureRecord.objects.filter(category=category):
            doc = docs.get((rec.gazette_id, rec.ident))
            formed = doc.date if doc is not None else None
            if formed and formed.year == year:
                made += 1
            if rec.repealed_on and rec.repealed_on.year == year:
                repealed += 1
            if (
                formed
                and formed.year <= year
                and not (rec.repealed_on and rec.repealed_on.year <= year)
            ):
                current += 1
        rows.append(
            {"item": "第二十条第（一）项", "label": label, "values": [made, repealed, current]}
        )
    for key, (item, label, _column_name) in TABLE2_EXTRA.items():
        rows.append({"item": item, "label": label, "values": [extra.get(key, 0)], "key": key})
    return rows


def table4(values: dict) -> list[int]:
    return [int(values.get(k, 0) or 0) for k in TABLE4_KEYS]


def deadline(year: int) -> date:
    """Art 49: a department publishes the previous year's report by 31 January."""
    return date(year + 1, 1, 31)


def context(report: AnnualReport) -> dict:
    return {
        "report": report,
        "sections": SECTIONS,
        "table2": table2(report.year, report.table2_extra or {}),
        "table3": table3(report.year),
        "table4": table4(report.table4 or {}),
        "table4_results": TABLE4_RESULTS,
        "deadline": deadline(report.year),
    }


def html_to_pdf(html: str, timeout: int = 90) -> bytes:
    """Print ``html`` (self-contained, print stylesheet inline) with the site's printer."""
    return printing.html_to_pdf(html, timeout=timeout)
