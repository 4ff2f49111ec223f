"""Synthetic gazette issues: Markdown text in the shape a PDF converter leaves, with truth.

Each issue imitates the layout of a real county gazette (公报) after PDF-to-Markdown
conversion: a cover, a table of contents with its layout residue, a speech, formal
documents of the county government and its office, promulgated plans and news items.
The same kinds of conversion artifacts as in real issues are injected on purpose:
paragraphs split at page breaks, headings whose ``#`` level ignores the numbering depth,
a heading line that carries the start of a paragraph, run-in bold headings, tab tables
with ``<b>``/``<sub>`` tags, LaTeX residue, mixed bracket widths, titles broken by a
space, a spaced-out ``通 知``, a signature block misplaced inside a promulgated plan, and
deliberate differences between a table-of-contents title and the document's title.

All wording is composed here from a small vocabulary of government-work phrases; the
output is fully determined by the seed and the issue parameters (``random.Random``).

The ground-truth dictionary has the same shape as the hand-made ``*.expected.json``
files: ``source``, ``issue`` (gazette, gazette_latin, year, number, cumulative_number,
slogan, sections) and ``documents`` (one dict per document, in order; see
:func:`generate_issue_with_truth`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gongbao.testing.vocabulary import (
    COUNTIES,
    FIXED_SUB,
    FIXED_TOP,
    GIVEN,
    HEAD_FORMS,
    INDICATORS,
    ISSUES,
    MEETINGS,
    METRICS,
    NEWS_TITLES,
    OBJECTS,
    OFFICES,
    PLAN_CHAPTERS,
    PREFIXES,
    PURPOSES,
    RECIPIENTS,
    ROLES,
    SLOGANS,
    SUBJECTS,
    SURNAMES,
    VERBS,
)

__all__ = [
    "COUNTIES",
    "generate_bytes",
    "generate_corpus",
    "generate_issue",
    "generate_issue_with_truth",
    "issue_filename",
    "iter_corpus",
]


_CN_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """Chinese numeral for 1..99 as used in numbering (十一, 二十, 二十一)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def _label(style: str, n: int, half: bool = False) -> str:
    """The numbering label as printed, e.g. ``一、`` ``（一）`` ``(1) `` ``第二章 ``."""
    if style == "cn_dun":
        return f"{_cn(n)}、"
    if style == "cn_paren":
        return f"({_cn(n)}) " if half else f"（{_cn(n)}）"
    if style == "ar_dot":
        return f"{n}. " if half else f"{n}."
    if style == "ar_dun":
        return f"{n}、"
    if style == "ar_paren":
        return f"({n}) " if half else f"（{n}）"
    if style == "circled":
        return chr(0x2460 + min(n, 20) - 1)
    if style == "chapter":
        return f"第{_cn(n)}章 "
    if style == "section":
        return f"第{_cn(n)}节 "
    raise ValueError(style)


# ---------------------------------------------------------------------------
# Issue context and text composition
# ---------------------------------------------------------------------------


@dataclass
class _Ctx:
    rng: random.Random
    county: str
    code: str  # one-character agency prefix, e.g. 桐 in 桐政发
    year: int
    months: tuple[int, int]
    leader: str
    deputies: list[str]
    ppd: int
    blocks: list[str] = field(default_factory=list)
    latex_left: int = 1

    def pick(self, seq):
        return self.rng.choice(seq)


def _name(rng: random.Random) -> str:
    n = rng.choice((1, 2, 2))
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def _obj(ctx: _Ctx) -> str:
    return ctx.pick(OBJECTS)


def _sentence(ctx: _Ctx) -> str:
    rng = ctx.rng
    kind = rng.random()
    if kind < 0.45:
        o = _obj(ctx)
        if rng.random() < 0.4:
            o += "、" + _obj(ctx)
        who = ctx.pick(PREFIXES) + ctx.pick(SUBJECTS)
        s = f"{who}要{ctx.pick(VERBS)}{o}{ctx.pick(PURPOSES)}。"
    elif kind < 0.58:
        metric, unit = ctx.pick(METRICS)
        value = rng.randint(12, 9800) / (10 if unit in ("亿元",) else 1)
        num = f"{value:g}"
        pct = rng.randint(-30, 260) / 10
        m = rng.randint(*ctx.months)
        trend = "增长" if pct >= 0 else "下降"
        s = f"截至{m}月底，全县累计完成{metric}{num}{unit}，同比{trend}{abs(pct):g}%。"
    elif kind < 0.7:
        s = (
            f"{ctx.pick(SUBJECTS)}要把{_obj(ctx)}作为{ctx.pick(ROLES)}，"
            f"{ctx.pick(VERBS)}{_obj(ctx)}。"
        )
    elif kind < 0.78:
        s = f"从前期情况看，{_obj(ctx)}仍存在{ctx.pick(ISSUES)}等问题，需要引起高度重视。"
    elif kind < 0.86:
        m = rng.randint(ctx.months[0], 12)
        s = (
            f"{ctx.pick(SUBJECTS)}要于{m}月{rng.randint(1, 28)}日前将{_obj(ctx)}推进情况"
            f"报送县{ctx.pick(OFFICES)}。"
        )
    elif kind < 0.93:
        s = (
            f"对{_obj(ctx)}中发现的问题，要建立台账、限时整改、逐项销号，"
            f"对整改不力的依规依纪严肃处理。"
        )
    else:
        a, b, c = (w[:2] for w in rng.sample(VERBS, 3))
        s = f"坚持“{a}、{b}、{c}”的原则，{ctx.pick(VERBS)}{_obj(ctx)}{ctx.pick(PURPOSES)}。"
    if ctx.latex_left and rng.random() < 0.01:
        ctx.latex_left -= 1
        s = s[:-1] + "，重点研发 $\\alpha$ 型纳米材料和高纯度功能粉体等新产品。"
    return s


def _para_text(ctx: _Ctx, lo: int = 3, hi: int = 7) -> str:
    return "".join(_sentence(ctx) for _ in range(ctx.rng.randint(lo, hi)))


def _split_point(text: str, rng: random.Random) -> int:
    """A position in the middle of ``text`` that does not cut markup or a latin run."""
    lo, hi = len(text) // 4, (3 * len(text)) // 4
    if hi - lo < 2:
        return 0
    pos = rng.randint(lo, hi)
    while pos < len(text) - 1 and (
        text[pos].isascii() or text[pos - 1].isascii() or text[pos] in "。，、；："
    ):
        pos += 1
    return pos if pos < len(text) - 1 else 0


def _emit(ctx: _Ctx, text: str, split_p: float = 0.07) -> None:
    """Append a paragraph, sometimes split across a page break (a blank line mid-sentence)."""
    if ctx.rng.random() < split_p:
        pos = _split_point(text, ctx.rng)
        if pos:
            ctx.blocks.append(text[:pos])
            ctx.blocks.append(text[pos:])
            return
    ctx.blocks.append(text)


def _hashes(ctx: _Ctx, depth: int) -> str:
    """A Markdown heading mark that deliberately does not follow the numbering depth."""
    base = depth + 1 + ctx.rng.choice((0, 0, 1, 1, 2, -1))
    return "#" * max(2, min(6, base))


def _heading_text(ctx: _Ctx) -> str:
    form = ctx.pick(HEAD_FORMS)
    return form.format(
        v=ctx.pick(VERBS), o=_obj(ctx), v2=ctx.pick(VERBS), o2=_obj(ctx)
    ).removesuffix("工作工作")


def _styles(ctx: _Ctx, plan_chapters: bool = False) -> list[str]:
    if plan_chapters:
        return ["chapter", "section", "ar_paren", "circled"]
    return [
        "cn_dun",
        "cn_paren",
        ctx.pick(("ar_dot", "ar_dot", "ar_dun", "circled")),
        ctx.pick(("ar_paren", "ar_paren", "circled")),
    ]


def _body(
    ctx: _Ctx,
    budget: int,
    *,
    plan_chapters: bool = False,
    fixed_top: list[str] | None = None,
    bold_p: float = 0.45,
) -> list[str]:
    """Emit a numbered body of about ``budget`` paragraphs; return the top-level headings."""
    rng = ctx.rng
    styles = _styles(ctx, plan_chapters)
    half = rng.random() < 0.3  # this document prefers half-width brackets
    if fixed_top is not None:
        tops = list(fixed_top)
    elif plan_chapters:
        n = rng.randint(4, 8)
        tops = PLAN_CHAPTERS[:2] + [_heading_text(ctx) for _ in range(n - 2)]
    else:
        tops = [_heading_text(ctx) for _ in range(rng.randint(3, 6))]
    share = max(1, budget // len(tops))
    top_heads: list[str] = []
    top_plain = not plan_chapters and rng.random() < 0.2
    for i, text in enumerate(tops, 1):
        head = _label(styles[0], i) + text
        top_heads.append(head)
        if top_plain:
            ctx.blocks.append(head)
        else:
            ctx.blocks.append(f"{_hashes(ctx, 1)} {head}")
        _level(ctx, styles, 2, share, half, bold_p)
    return top_heads


def _level(ctx: _Ctx, styles: list[str], depth: int, budget: int, half: bool, bold_p: float):
    """Emit the content under a heading of depth ``depth - 1``."""
    rng = ctx.rng
    if budget <= 2 or depth > 4 or rng.random() < 0.15:
        for _ in range(max(1, budget)):
            _emit(ctx, _para_text(ctx))
        return
    if rng.random() < 0.5:
        _emit(ctx, _para_text(ctx, 1, 3))
        budget -= 1
    n = min(rng.randint(2, 6), max(1, budget))
    share = max(1, budget // n)
    style = styles[depth - 1]
    for i in range(1, n + 1):
        flip = rng.random() < 0.12  # mixed full/half width within one document
        label = _label(style, i, half != flip)
        text = ctx.pick(FIXED_SUB) if rng.random() < 0.4 else _heading_text(ctx)
        r = rng.random()
        if depth >= 3 or share <= 2 or r < bold_p:
            # run-in heading at the start of a paragraph, bold or plain
            body = _para_text(ctx)
            if rng.random() < 0.7:
                _emit(ctx, f"**{label}{text}。**{body}")
            else:
                _emit(ctx, f"{label}{text}。{body}")
            for _ in range(share - 1):
                _emit(ctx, _para_text(ctx))
        elif r < bold_p + 0.1:
            # a heading line that also carries the start of the following paragraph
            body = _para_text(ctx)
            pos = _split_point(body, rng) or len(body) // 2
            ctx.blocks.append(f"{_hashes(ctx, depth)} {label}{text}。{body[:pos]}")
            ctx.blocks.append(body[pos:])
            for _ in range(share - 1):
                _emit(ctx, _para_text(ctx))
        else:
            ctx.blocks.append(f"{_hashes(ctx, depth)} {label}{text}")
            _level(ctx, styles, depth + 1, share, half, bold_p)


def _space_title(rng: random.Random, title: str, spaced_tongzhi: bool) -> str:
    """Render a title with line-break residue: a stray space and/or a spaced-out 通 知."""
    out = title
    if spaced_tongzhi and out.endswith("通知"):
        out = title[:-3] + "的 通 知" if title.endswith("的通知") else title[:-2] + " 通 知"
    elif rng.random() < 0.5 and len(title) > 16:
        pos = rng.randint(8, len(title) - 6)
        while pos < len(title) - 4 and (title[pos].isascii() or title[pos - 1].isascii()):
            pos += 1
        out = title[:pos] + " " + title[pos:]
    return out


def _iso(d: date) -> str:
    return d.isoformat()


def _cdate(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _rand_dates(ctx: _Ctx, k: int, extra_days: int = 0) -> list[date]:
    rng = ctx.rng
    out = []
    for _ in range(k):
        m = rng.randint(*ctx.months)
        out.append(date(ctx.year, m, rng.randint(1, 28)))
    if extra_days and rng.random() < 0.5 and ctx.months[1] < 12:
        out[-1] = date(ctx.year, ctx.months[1] + 1, rng.randint(1, min(28, extra_days)))
    return sorted(out)


def _toc_variant(rng: random.Random, title: str, year: int) -> tuple[str, str] | None:
    """A plausible table-of-contents misprint of ``title`` and a note describing it."""
    options = []
    if "年度" in title:
        options.append(("年度", "年"))
    rng_end = f"—{year + 2}年"
    if rng_end in title:
        options.append((rng_end, f"—{year + 4}年"))
    for word in ("进一步", "专项", "全县", "长效", "工作"):
        if title.count(word) == 1 and not title.startswith(word):
            options.append((word, ""))
    if not options:
        return None
    old, new = rng.choice(options)
    toc = title.replace(old, new, 1)
    if not new:
        note = f"the table of contents omits {old}"
    else:
        note = f"the table of contents says {new}, the document says {old}"
    return toc, note


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


def _speech(ctx: _Ctx, section: str) -> dict:
    rng = ctx.rng
    speaker = ctx.leader
    meeting = ctx.pick(MEETINGS).format(
        o=_obj(ctx), n=_cn(rng.randint(2, 30)), season=ctx.pick(("一季度", "上半年", "前三季度"))
    )
    title = f"{speaker}同志在{meeting}上的讲话"
    (d,) = _rand_dates(ctx, 1)
    note = ctx.pick(("根据录音整理", None, "根据录音整理", None))
    ctx.blocks.append(f"# {speaker}同志 在{meeting}上的讲话")
    if note:
        ctx.blocks.append(f"({_cdate(d)} {note})")
    else:
        ctx.blocks.append(f"（{_cdate(d)}）")
    ctx.blocks.append("同志们：")
    n_points = rng.randint(2, 4)
    _emit(
        ctx,
        f"这次会议的主要任务是总结前段工作，安排部署下一步重点任务。我讲{_cn(n_points)}点意见：",
    )
    budget = int(ctx.ppd * 1.6)
    tops = []
    share = max(2, budget // n_points)
    for i in range(1, n_points + 1):
        head = f"{_cn(i)}、{_heading_text(ctx)}"
        tops.append(head)
        ctx.blocks.append(f"{_hashes(ctx, 1)} {head}")
        _emit(ctx, _para_text(ctx))
        for j in range(1, rng.randint(2, 5)):
            half = rng.random() < 0.6
            lab = _label("cn_paren", j, half)
            t = ctx.pick(FIXED_SUB) if rng.random() < 0.5 else _heading_text(ctx)
            r = rng.random()
            if r < 0.4:
                _emit(ctx, f"{lab}{t}。{_para_text(ctx)}")
            elif r < 0.7:
                _emit(ctx, f"**{lab}{t}。**{_para_text(ctx)}")
            else:
                ctx.blocks.append(f"{_hashes(ctx, 2)} {lab}{t}。")
            for k in range(max(1, share // 3)):
                ordinal = "一二三四五六"[k % 6]
                _emit(ctx, f"{ordinal}是要{ctx.pick(VERBS)}{_obj(ctx)}。{_para_text(ctx)}")
    _emit(ctx, f"同志们，{_para_text(ctx, 2, 4)}")
    return {
        "kind": "speech",
        "section": section,
        "title": title,
        "toc_title": title,
        "speaker": speaker,
        "date": _iso(d),
        "date_note": note,
        "top_level_headings": tops,
    }


def _namelist(ctx: _Ctx, title: str) -> None:
    rng = ctx.rng
    lines = [f"组 长：{_name(rng)} 县委常委、副县长"]
    lines.append(f"副组长：{_name(rng)} 县政府办公室副主任")
    for _ in range(rng.randint(1, 3)):
        lines.append(f"{_name(rng)} {ctx.pick(SUBJECTS)}负责同志")
    first = True
    for _ in range(rng.randint(6, 18)):
        unit = ctx.pick(SUBJECTS)
        role = ctx.pick(("主要负责人", "副局长", "分管负责同志", "副主任"))
        lead = "成 员：" if first else ""
        first = False
        lines.append(f"{lead}{_name(rng)} {unit}{role}")
    office = ctx.pick(OFFICES)
    lines.append(f"领导小组下设办公室，办公室设在县{office}，")
    lines.append(f"{_name(rng)}兼任办公室主任。")
    ctx.blocks.append("  \n".join(lines))


def _formal(
    ctx: _Ctx,
    section: str,
    office: bool,
    agency_code: str,
    serial: int,
    d: date,
    *,
    promulgate: bool,
    chapters: bool,
) -> dict:
    """One notice of the government or its office: a plan it promulgates, or its own body."""
    rng = ctx.rng
    c = ctx.county
    issuer = f"{c}人民政府办公室" if office else f"{c}人民政府"
    o = _obj(ctx)
    plan, title = _formal_title(ctx, o, promulgate=promulgate, chapters=chapters)
    docno = f"{agency_code}〔{ctx.year}〕{serial}号"
    recipients = ctx.pick(RECIPIENTS)
    truth: dict = {"kind": "notice", "section": section}
    truth.update(
        title=title,
        toc_title=title,
        doc_number=docno,
        doc_number_parts={"agency_code": agency_code, "year": ctx.year, "serial": serial},
        issuer=issuer,
        date=_iso(d),
        recipients=recipients,
    )
    if rng.random() < 0.1:
        variant = _toc_variant(rng, title, ctx.year)
        if variant:
            truth["toc_title"], truth["toc_mismatch"] = variant
    _formal_head(ctx, issuer, docno, title, recipients)
    sig = f"{issuer}  \n{_cdate(d)}" if rng.random() < 0.8 else f"{issuer}\n\n{_cdate(d)}"
    if promulgate:
        _promulgated_plan(ctx, plan, sig, issuer, d, truth, chapters=chapters)
    else:
        _notice_body(ctx, o, title, sig, truth)
    return truth


def _formal_title(ctx: _Ctx, o: str, *, promulgate: bool, chapters: bool) -> tuple[str, str]:
    """The promulgated plan's name ("" when none) and the notice's title."""
    c = ctx.county
    if not promulgate:
        title = ctx.pick(
            (
                f"关于做好{o}工作的通知",
                f"关于进一步加强{o}工作的通知",
                f"关于开展{o}专项行动的通知",
                f"关于建立健全{o}长效机制的通知",
                f"关于成立{c}{o}工作领导小组的通知",
            )
        )
        return "", title
    if chapters:
        y = ctx.year
        plan = f"{c}{o}实施规划（{y}—{y + 2}年）"
    else:
        plan = ctx.pick(
            (
                f"{c}{o}实施方案",
                f"{c}{ctx.year}年度{o}工作方案",
                f"{c}{o}三年行动计划（{ctx.year}—{ctx.year + 2}年）",
            )
        )
    return plan, f"关于印发《{plan}》的通知"


def _formal_head(ctx: _Ctx, issuer: str, docno: str, title: str, recipients: str) -> None:
    """版头, 文号, the title under the issuer's name, and the recipients (at times on two lines)."""
    rng = ctx.rng
    ctx.blocks.append(f"# {issuer}文件")
    ctx.blocks.append(docno)
    if rng.random() < 0.1:
        ctx.blocks.append("---")
    spaced = rng.random() < 0.25
    ctx.blocks.append(f"## {issuer} {_space_title(rng, title, spaced)}")
    if rng.random() < 0.2:
        pos = rng.randint(6, len(recipients) - 4)
        ctx.blocks.append(f"{recipients[:pos]}  \n{recipients[pos:]}：")
    else:
        ctx.blocks.append(f"{recipients}：")


def _promulgated_plan(
    ctx: _Ctx, plan: str, sig: str, issuer: str, d: date, truth: dict, *, chapters: bool
) -> None:
    """The notice's one sentence, its signature (at times misplaced into the plan), the plan."""
    rng = ctx.rng
    shown = plan
    if rng.random() < 0.4:
        shown = plan.replace("（", "(").replace("）", ")")
    verb = ctx.pick(("已经县政府同意", "已经县政府研究同意", "已经县政府第十次常务会议研究通过"))
    _emit(ctx, f"《{shown}》{verb}，现印发给你们，请认真贯彻执行。", split_p=0.2)
    misplace = rng.random() < 0.2
    if not misplace:
        ctx.blocks.append(sig)
    spaced_plan = _space_title(rng, plan, False)
    ctx.blocks.append(f"## {spaced_plan}")
    start = len(ctx.blocks)
    _emit(ctx, _para_text(ctx, 2, 4))
    fixed = None if chapters else ctx.pick(FIXED_TOP[:3])
    heads = _body(
        ctx, int(ctx.ppd * (2.2 if chapters else 1.4)), plan_chapters=chapters, fixed_top=fixed
    )
    if chapters or rng.random() < 0.3:
        _table(ctx)
    truth["promulgates"] = plan
    truth["plan_top_level_headings"] = heads
    if misplace:
        _misplace(ctx, start, sig, issuer, d, truth)


def _notice_body(ctx: _Ctx, o: str, title: str, sig: str, truth: dict) -> None:
    """The notice's own numbered body, then its signature, and at times an attached name list."""
    rng = ctx.rng
    _emit(ctx, f"为{ctx.pick(VERBS)}{o}，经县政府研究，现就有关事项通知如下：")
    fixed = ctx.pick(FIXED_TOP) if rng.random() < 0.3 else None
    heads = _body(ctx, ctx.ppd, fixed_top=fixed)
    truth["top_level_headings"] = heads
    attach = None
    if title.startswith("关于成立") or rng.random() < 0.2:
        attach = f"{ctx.county}{o}工作领导小组成员名单"
        ctx.blocks.append(f"附件：{attach}")
    ctx.blocks.append(sig)
    if attach:
        truth["attachments"] = [{"number": None, "title": attach}]
        ctx.blocks.append("附件：")
        ctx.blocks.append(f"## {_space_title(rng, attach, False)}")
        _namelist(ctx, attach)


def _misplace(ctx: _Ctx, start: int, sig: str, issuer: str, d: date, truth: dict) -> None:
    """Put the notice's signature block between two halves of a sentence of the plan."""
    rng = ctx.rng
    for i in range(start, len(ctx.blocks)):
        b = ctx.blocks[i]
        if b.startswith(("#", "*", "表")) or len(b) < 60 or "\t" in b or "$" in b:
            continue
        pos = _split_point(b, rng)
        if not pos:
            continue
        left, right = b[:pos], b[pos:]
        ctx.blocks[i : i + 1] = [left, sig, right]
        truth["misplaced_block"] = (
            f"the signature block '{issuer} {_cdate(d)}' of this notice is printed inside "
            f"the plan, between '{left[-12:]}' and '{right[:8]}'; the sentence must be "
            f"rejoined and the block attached to the notice"
        )
        return
    ctx.blocks.append(sig)


def _table(ctx: _Ctx) -> None:
    rng = ctx.rng
    y = ctx.year
    ctx.blocks.append(f"表1 {ctx.county}{_obj(ctx)}主要指标")
    rows = [f"指标\t{y - 1}年\t{y}年\t{y + 2}年\t{y + 4}年"]
    groups = ["质量效益类", "创新发展类", "开放合作类", "生态及民生类"]
    picks = list(INDICATORS)
    rng.shuffle(picks)
    k = 1
    for gi, g in enumerate(groups[: rng.randint(2, 4)], 1):
        rows.append(f"<b>({_cn(gi)}) {g}</b>\t\t\t\t")
        for _ in range(rng.randint(2, 4)):
            if not picks:
                break
            name, numeric = picks.pop()
            if numeric and rng.random() < 0.7:
                base = rng.randint(10, 900) / 10
                vals = [f"{base * (1 + 0.08 * j):.1f}" for j in range(4)]
                rows.append(f"{k}. {name}\t" + "\t".join(vals))
            else:
                rows.append(f"{k}. {name}\t---\t完成市下达目标任务\t\t")
            k += 1
    ctx.blocks.append("\n".join(rows))


def _news(ctx: _Ctx, section: str, d: date, used: set[str]) -> dict:
    rng = ctx.rng
    y = ctx.year
    title = ""
    while not title or title in used:
        title = ctx.pick(NEWS_TITLES).format(
            c=ctx.county,
            y=y,
            o=_obj(ctx),
            leader=ctx.leader,
            season=ctx.pick(("一季度", "上半年", "前三季度")),
        )
    used.add(title)
    shown = title
    if str(y) in title and rng.random() < 0.5:
        shown = title.replace(f"{y}年", f" {y} 年", 1)
    elif rng.random() < 0.25:
        shown = _space_title(rng, title, False)
    truth = {
        "kind": "news",
        "section": section,
        "title": title,
        "toc_title": title,
        "date": _iso(d),
    }
    if rng.random() < 0.08:
        variant = _toc_variant(rng, title, y)
        if variant:
            truth["toc_title"], truth["toc_mismatch"] = variant
    ctx.blocks.append(f"## {shown}")
    names = "、".join(ctx.deputies[: rng.randint(2, len(ctx.deputies))])
    _emit(
        ctx,
        f"{d.month}月{d.day}日，{ctx.county}召开会议，专题研究{_obj(ctx)}工作。"
        f"县委副书记、县长{ctx.leader}出席会议并讲话。{_para_text(ctx, 1, 2)}",
        split_p=0.1,
    )
    for _ in range(rng.randint(2, max(3, ctx.ppd // 6))):
        verb = ctx.pick(("强调", "要求", "指出"))
        _emit(ctx, f"{ctx.leader}{verb}，{_para_text(ctx, 2, 4)}", split_p=0.12)
    ctx.blocks.append(f"县领导{names}参加会议。")
    return truth


# ---------------------------------------------------------------------------
# Issues
# ---------------------------------------------------------------------------


def _county_of(gazette: str | None, seed: int) -> str:
    if gazette is None:
        return random.Random(seed).choice(list(COUNTIES))
    return gazette.removesuffix("人民政府公报")


def issue_filename(gazette: str, year: int, number: int) -> str:
    """The file name of an issue, e.g. ``tongxixian-2018-03.md``."""
    county = gazette.removesuffix("人民政府公报")
    slug = COUNTIES.get(county, "gazette").lower()
    return f"{slug}-{year}-{number:02d}.md"


def generate_issue_with_truth(
    seed: int,
    *,
    year: int,
    number: int,
    gazette: str | None = None,
    cumulative: int | None = None,
    issues_per_year: int = 4,
    paragraphs_per_doc: int = 38,
    chars_per_page: int = 1350,
) -> tuple[str, dict]:
    """One synthetic issue (Markdown) and its ground truth.

    ``gazette`` is the gazette's name (``X县人民政府公报``); by default a county is picked
    from ``seed``. ``paragraphs_per_doc`` scales the length of each document (the default
    gives issues of roughly 150–350 KB). The truth dict has the keys ``source``,
    ``issue`` and ``documents``; each document carries ``seq``, ``section``, ``page``,
    ``kind`` (``speech``/``notice``/``news``), ``toc_title``, ``title`` and ``date``,
    plus ``doc_number``, ``doc_number_parts``, ``issuer``, ``recipients``,
    ``top_level_headings`` or ``promulgates`` + ``plan_top_level_headings``,
    ``attachments``, ``toc_mismatch``, ``misplaced_block`` (notices), ``speaker``,
    ``date_note`` (speeches) where they apply.
    """
    county = _county_of(gazette, seed)
    gazette = f"{county}人民政府公报"
    latin = COUNTIES.get(county, "GAZETTE")
    if cumulative is None:
        cumulative = _cumulative(county, year, number, issues_per_year)
    ctx = _issue_ctx(seed, county, year, number, issues_per_year, paragraphs_per_doc)
    sec_speech = ctx.pick(("领导讲话", "领导讲话", "重要讲话"))
    sec_news = ctx.pick(("其他", "政务信息", "工作动态"))
    written, sections = _write_documents(ctx, sec_speech, sec_news)
    documents = _paginate(written, chars_per_page)

    slogan = ctx.pick(SLOGANS)
    out = _cover(gazette, latin, year, number, cumulative)
    out.extend(_toc(ctx.rng, documents, sections))
    out.extend((slogan, "---", "---"))
    for _, blocks in written:
        out.extend(blocks)
    text = "\n\n".join(out) + "\n"

    truth = {
        "source": issue_filename(gazette, year, number),
        "generator": {"seed": seed, "paragraphs_per_doc": paragraphs_per_doc},
        "issue": {
            "gazette": gazette,
            "gazette_latin": f"{latin} RENMINZHENGFUGONGBAO",
            "year": year,
            "number": number,
            "cumulative_number": cumulative,
            "slogan": slogan,
            "sections": sections,
        },
        "documents": documents,
    }
    return text, truth


def _cover(gazette: str, latin: str, year: int, number: int, cumulative: int) -> list[str]:
    """The cover's blocks: the gazette's name in Chinese and Latin letters, year and number."""
    return [
        "\n\n\n",
        f"# {gazette}",
        "  \n".join([latin, "RENMINZHENGFUGONGBAO"]),
        f"{year}  \n第{number}期（总第{cumulative}期）",
        "## 目 录",
    ]


def _cumulative(county: str, year: int, number: int, issues_per_year: int) -> int:
    """The running issue number since a founding year that differs from county to county."""
    founded = 2006 + sum(map(ord, county)) % 6
    return max(number, (year - founded) * issues_per_year + number)


def _issue_ctx(
    seed: int, county: str, year: int, number: int, issues_per_year: int, paragraphs_per_doc: int
) -> _Ctx:
    """The issue's random source, months covered and people, seeded by seed, county and issue."""
    rng = random.Random(f"gongbao-generate|{seed}|{county}|{year}|{number}")
    span = max(1, 12 // max(1, issues_per_year))
    first_month = min(12, (number - 1) * span + 1)
    months = (first_month, min(12, first_month + span - 1))
    leader = _name(rng)
    ctx = _Ctx(
        rng=rng,
        county=county,
        code=county[0],
        year=year,
        months=months,
        leader=leader,
        deputies=[_name(rng) for _ in range(rng.randint(3, 7))],
        ppd=max(1, paragraphs_per_doc),
    )
    ctx.latex_left = 1 if rng.random() < 0.6 else 0
    return ctx


_Written = tuple[dict, list[str]]  # one document's truth and its Markdown blocks


def _written(ctx: _Ctx, write: Callable[..., dict], *args: Any, **kw: Any) -> _Written:
    """One document written into fresh blocks."""
    ctx.blocks = []
    truth = write(ctx, *args, **kw)
    return truth, ctx.blocks


def _write_documents(ctx: _Ctx, sec_speech: str, sec_news: str) -> tuple[list[_Written], list[str]]:
    """The issue's documents in order (a speech, the notices, the news) and its sections."""
    rng = ctx.rng
    sec_gov, sec_office = "县政府文件", "县政府办公室文件"
    formal_plan = _formal_plan(ctx, sec_gov, sec_office)
    written: list[_Written] = []
    sections: list[str] = []
    if rng.random() < 0.85:
        written.append(_written(ctx, _speech, sec_speech))
        sections.append(sec_speech)
    chapters_used = False
    for sec in (sec_gov, sec_office):
        items = [p for p in formal_plan if p[0] == sec]
        if not items:
            continue
        sections.append(sec)
        notices, chapters_used = _formal_section(ctx, items, chapters_used)
        written.extend(notices)
    n_news = rng.randint(5, 12)
    sections.append(sec_news)
    used: set[str] = set()
    for d in _rand_dates(ctx, n_news, extra_days=10):
        written.append(_written(ctx, _news, sec_news, d, used))
    return written, sections


def _formal_plan(ctx: _Ctx, sec_gov: str, sec_office: str) -> list[tuple[str, bool, str]]:
    """How many notices each section has, and the 文号 code (发 or 字) of each."""
    rng = ctx.rng
    gov_codes = [f"{ctx.code}政发", f"{ctx.code}政字"]
    office_codes = [f"{ctx.code}政办发", f"{ctx.code}政办字"]
    formal_plan: list[tuple[str, bool, str]] = []
    for sec, office, codes, lo, hi in (
        (sec_gov, False, gov_codes, 2, 4),
        (sec_office, True, office_codes, 3, 6),
    ):
        n = rng.randint(lo, hi)
        for _ in range(n):
            code = codes[0] if rng.random() < 0.75 else codes[1]
            formal_plan.append((sec, office, code))
    return formal_plan


def _formal_section(
    ctx: _Ctx, items: list[tuple[str, bool, str]], chapters_used: bool
) -> tuple[list[_Written], bool]:
    """A section's notices, serials counting up with the dates per code; one chaptered plan."""
    rng = ctx.rng
    base = max(1, (ctx.months[0] - 1) * 9)  # serials already used earlier in the year
    by_code: dict[str, list[date]] = {}
    serial_next: dict[str, int] = {}
    for _, _, code in items:
        by_code.setdefault(code, [])
    for code in by_code:
        k = sum(1 for p in items if p[2] == code)
        by_code[code] = _rand_dates(ctx, k)
        serial_next[code] = base + rng.randint(1, 8)
    written: list[_Written] = []
    for sec, office, code in items:
        d = by_code[code].pop(0)
        serial = serial_next[code]
        serial_next[code] += rng.randint(1, 9)
        promulgate = rng.random() < 0.4
        chapters = promulgate and not office and not chapters_used and rng.random() < 0.6
        chapters_used = chapters_used or chapters
        written.append(
            _written(
                ctx, _formal, sec, office, code, serial, d, promulgate=promulgate, chapters=chapters
            )
        )
    return written, chapters_used


def _paginate(written: list[_Written], chars_per_page: int) -> list[dict]:
    """Each document's truth with its seq and page, key order fixed: formal ones start a page."""
    page_chars = 0
    documents = []
    for seq, (t, blocks) in enumerate(written, 1):
        if t["kind"] != "news" and page_chars % chars_per_page:
            page_chars += chars_per_page - page_chars % chars_per_page
        t["page"] = 1 + page_chars // chars_per_page
        page_chars += sum(map(len, blocks))
        ordered = {
            "seq": seq,
            "section": t.pop("section"),
            "page": t.pop("page"),
            "kind": t.pop("kind"),
            "toc_title": t.pop("toc_title"),
            "title": t.pop("title"),
        }
        ordered.update(t)
        documents.append(ordered)
    return documents


def _dash_row(left: str, right: str) -> str:
    return f"{left}\t{right}\n{'-' * (len(left) + 1)}\t{'-' * (len(right) + 2)}"


def _toc(rng: random.Random, documents: list[dict], sections: list[str]) -> list[str]:
    rows: list[str] = []
    for sec in sections:
        rows.append(f"### ○{sec}")
        docs = [d for d in documents if d["section"] == sec]
        dotted_from = len(docs)
        if docs and docs[0]["kind"] == "news":
            dotted_from = rng.randint(1, max(1, len(docs) - 1))
        dotted: list[str] = []
        for i, d in enumerate(docs):
            page = str(d["page"])
            if d["kind"] == "notice":
                rows.append(f"{d['toc_title']}\t\n{'-' * (len(d['toc_title']) + 1)}\t--")
                rows.append(_dash_row(d["doc_number"], page))
            elif i >= dotted_from:
                gap = " " if rng.random() < 0.15 else ""
                dotted.append(f"{d['toc_title']}{gap}.....\t{page}")
            else:
                rows.append(_dash_row(d["toc_title"], page))
        if dotted:
            rows.append("\n".join(dotted))
    return rows


def generate_issue(seed: int, **options: Any) -> str:
    """The Markdown text of one synthetic issue (options as :func:`generate_issue_with_truth`)."""
    return generate_issue_with_truth(seed, **options)[0]


# ---------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueSpec:
    """Where one issue of a corpus sits: gazette, year, number and its relative path."""

    gazette: str
    year: int
    number: int

    @property
    def relpath(self) -> Path:
        return Path(str(self.year)) / issue_filename(self.gazette, self.year, self.number)


def iter_corpus(
    seed: int = 0,
    *,
    start_year: int = 2008,
    gazettes: int = 3,
    issues_per_year: int = 4,
) -> Iterator[IssueSpec]:
    """Endless sequence of issue specs: year by year, number by number, gazette by gazette."""
    names = list(COUNTIES)
    random.Random(f"gongbao-corpus|{seed}").shuffle(names)
    chosen = [f"{c}人民政府公报" for c in names[: max(1, min(gazettes, len(names)))]]
    year = start_year
    while True:
        for number in range(1, issues_per_year + 1):
            for g in chosen:
                yield IssueSpec(g, year, number)
        year += 1


def generate_corpus(
    out_dir: Path,
    *,
    count: int,
    seed: int = 0,
    start_year: int = 2008,
    gazettes: int = 3,
    issues_per_year: int = 4,
    paragraphs_per_doc: int = 38,
) -> list[Path]:
    """Write ``count`` issues as ``out_dir/<year>/<slug>-<year>-<nn>.md``; return the paths.

    With the defaults, three gazettes publish four issues a year each (12 files a year),
    years counting up from ``start_year``.
    """
    out_dir = Path(out_dir)
    paths: list[Path] = []
    specs = iter_corpus(
        seed, start_year=start_year, gazettes=gazettes, issues_per_year=issues_per_year
    )
    for _, spec in zip(range(count), specs, strict=False):
        text = generate_issue(
            seed,
            year=spec.year,
            number=spec.number,
            gazette=spec.gazette,
            issues_per_year=issues_per_year,
            paragraphs_per_doc=paragraphs_per_doc,
        )
        path = out_dir / spec.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def generate_bytes(
    target_bytes: int,
    seed: int = 0,
    *,
    start_year: int = 2008,
    paragraphs_per_doc: int = 38,
) -> Iterator[str]:
    """Yield issue texts, one at a time, until their UTF-8 size reaches ``target_bytes``."""
    total = 0
    for spec in iter_corpus(seed, start_year=start_year):
        if total >= target_bytes:
            return
        text = generate_issue(
            seed,
            year=spec.year,
            number=spec.number,
            gazette=spec.gazette,
            paragraphs_per_doc=paragraphs_per_doc,
        )
        total += len(text.encode("utf-8"))
        yield text
