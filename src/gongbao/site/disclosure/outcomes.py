"""Reply types (Art 36), exemption grounds (Arts 14–16) and the rows of the 2021 report table 三.

One table serves three purposes: the staff reply form, the reply letter's legal
basis, and the annual report's outcome rows (国办公开办函〔2021〕30号). The
row-to-article mapping follows ``cn-rules`` §2 (marked there as interpretation).
"""

from __future__ import annotations

from dataclasses import dataclass

# 公开属性 grounds for 依申请公开 / 不予公开 (Arts 14–16), the same categories the report counts.
EXEMPTION_GROUNDS = [
    ("state_secret", "属于国家秘密（第十四条）"),
    ("law_prohibits", "其他法律行政法规禁止公开（第十四条）"),
    ("three_safety", "危及“三安全一稳定”（第十四条）"),
    ("third_party", "保护第三方合法权益：商业秘密、个人隐私（第十五条）"),
    ("internal", "属于三类内部事务信息（第十六条第一款）"),
    ("process", "属于四类过程性信息（第十六条第二款）"),
    ("enforcement", "属于行政执法案卷（第十六条第二款）"),
    ("query", "属于行政查询事项（第三十六条第七项）"),
    ("on_request_only", "仅涉及特定对象、不需要社会公众广泛知晓（依申请公开）"),
]
GROUND_LABELS = dict(EXEMPTION_GROUNDS)

ORG_TYPES = [
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other", "其他"),
]
# Table 三's seven columns: 自然人, the five kinds of 法人或其他组织, 总计.
COLUMNS = [("natural", "自然人"), *ORG_TYPES, ("total", "总计")]


@dataclass(frozen=True)
class Outcome:
    code: str
    group: str  # （一）…（六）
    label: str  # the report row's label
    basis: str  # the article of the regulation the reply rests on
    refusal: bool  # needs a reason, and the 复议前置 notice in the reply letter
    needs_reason: bool


OUTCOMES: list[Outcome] = [
    Outcome("disclosed", "（一）", "予以公开", "第三十六条第（一）（二）项", False, False),
    Outcome("partial", "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）", "第三十七条", True, True),
    Outcome("secret", "（三）", "1.属于国家秘密", "第十四条、第三十六条第（三）项", True, True),
    Outcome("prohibited", "（三）", "2.其他法律行政法规禁止公开", "第十四条、第三十六条第（三）项", True, True),
    Outcome("three_safety", "（三）", "3.危及“三安全一稳定”", "第十四条、第三十六条第（三）项", True, True),
    Outcome("third_party", "（三）", "4.保护第三方合法权益", "第十五条、第三十六条第（三）项", True, True),
    Outcome("internal", "（三）", "5.属于三类内部事务信息", "第十六条第一款、第三十六条第（三）项", True, True),
    Outcome("process", "（三）", "6.属于四类过程性信息", "第十六条第二款、第三十六条第（三）项", True, True),
    Outcome("enforcement", "（三）", "7.属于行政执法案卷", "第十六条第二款、第三十六条第（三）项", True, True),
    Outcome("query", "（三）", "8.属于行政查询事项", "第三十六条第（七）项", True, True),
    Outcome("not_held", "（四）", "1.本机关不掌握相关政府信息", "第三十六条第（四）（五）项", False, True),
    Outcome("no_ready_info", "（四）", "2.没有现成信息需要另行制作", "第三十八条", False, True),
    Outcome("still_unclear", "（四）", "3.补正后申请内容仍不明确", "第三十条", False, True),
    Outcome("petition", "（五）", "1.信访举报投诉类申请", "第三十九条第一款", False, True),
    Outcome("repeat", "（五）", "2.重复申请", "第三十六条第（六）项", False, True),
    Outcome("publication", "（五）", "3.要求提供公开出版物", "第三十九条第二款", False, True),
    Outcome("excessive", "（五）", "4.无正当理由大量反复申请", "第三十五条", False, True),
    Outcome("confirm", "（五）", "5.要求行政机关确认或重新出具已获取信息", "第三十九条", False, True),
    Outcome("correction_lapsed", "（六）", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "第三十条", False, False),
    Outcome("fee_lapsed", "（六）", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "第四十二条、国办函〔2020〕109号", False, False),
    Outcome("other", "（六）", "3.其他", "", False, False),
]  # fmt: skip
BY_CODE = {o.code: o for o in OUTCOMES}
OUTCOME_CHOICES = [(o.code, f"{o.group}{o.label}") for o in OUTCOMES]
# What staff choose when replying; the （六） rows come from lapses and withdrawals.
REPLY_CHOICES = [(o.code, f"{o.group}{o.label}") for o in OUTCOMES if o.group != "（六）"]
GROUPS = {
    "（一）": "予以公开",
    "（二）": "部分公开",
    "（三）": "不予公开",
    "（四）": "无法提供",
    "（五）": "不予处理",
    "（六）": "其他处理",
}
