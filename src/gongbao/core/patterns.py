"""Small predicates on a line of gazette text, shared by the repairs and the parser."""

from __future__ import annotations

import re

from gongbao.core.dates import parse_date
from gongbao.core.docnumber import parse_damaged_doc_number, parse_doc_number
from gongbao.core.numbering import match_numbering

TERMINAL = "。！？；：!?;:…"
CLOSERS = "”’」』）)】〕"
_ORGAN_SUFFIXES = (
    "政府", "办公室", "办公厅", "委员会", "管委会", "局", "厅", "部", "委", "办", "院", "处",
    "中心", "公司", "协会", "联合会", "会", "小组", "室", "站", "队", "所", "事处", "支行", "行",
    "公署", "总局",
)  # fmt: skip
_ATTACHMENT_RE = re.compile(r"^附[ 　]*件[ 　]*[0-9０-９一二三四五六七八九十]*[ 　]*[：:]?")
_CJK_SPACE_RE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def is_terminated(text: str) -> bool:
    """Does the line end a sentence (so a page break after it is a real paragraph end)?"""
    s = text.rstrip()
    if not s:
        return True
    return s[-1] in TERMINAL or (s[-1] in CLOSERS and (s[-1] in "）)】〕" or s[-2:-1] in TERMINAL))


def is_date_line(text: str) -> bool:
    """A date alone on its line (in brackets, or closed with 。 as the Macao gazette prints it)."""
    return len(text) <= 30 and parse_date(text.strip().rstrip("。").strip("()（）")) is not None


def is_organ_line(text: str) -> bool:
    """A signature line: an organ's name alone (or several separated by spaces)."""
    s = text.strip()
    if not 2 <= len(s) <= 40 or any(ch in s for ch in "，。；：,;:、“”《》"):
        return False
    return all(part.endswith(_ORGAN_SUFFIXES) for part in s.split())


_POSTS = (
    "国务院总理", "总理", "主席", "委员长", "行政长官", "行政長官", "部长", "署长", "局长", "主任",
    "省长", "市长", "州长", "盟长", "县长", "区长", "旗长", "镇长", "乡长", "厅长", "院长",
)  # fmt: skip
_SPACED_POSTS = "|".join("[ 　]*".join(post) for post in _POSTS)
_SIGNER_RE = re.compile(
    rf"^(?P<organ>[\u3400-\u9fff]{{0,30}}?)[ 　]*(?P<post>{_SPACED_POSTS})[ 　]+"
    r"(?P<name>[\u3400-\u9fff·]{2,5})$"
)


def signer(text: str) -> tuple[str | None, str] | None:
    """A 令's signature line, post and name (部 长 李盛霖, 住房城乡建设部部长 王蒙徽):
    the organ it names (or None) and the post."""
    m = _SIGNER_RE.match(text.strip())
    if m is None:
        return None
    organ = m.group("organ")
    return (organ if organ and organ.endswith(_ORGAN_SUFFIXES) else None), squeeze(m.group("post"))


def is_signer_line(text: str) -> bool:
    """An organ or a post and name: a line a signature is made of."""
    return is_organ_line(text) or signer(text) is not None


def is_masthead(text: str) -> bool:
    """The 发文机关标志 line of a 版头, e.g. 冠县人民政府文件."""
    if len(text) > 80 or not text.rstrip().endswith("件"):
        return False
    s = squeeze(text)
    return (
        4 <= len(s) <= 40
        and s.endswith("文件")
        and "\u3400" <= s[0] <= "\u9fff"
        and not any(ch in s for ch in "，。；：《》“（(>＞/|»")  # not a breadcrumb (首页 > …文件)
    )


def is_doc_number_line(text: str) -> bool:
    return len(text) <= 40 and parse_doc_number(text.strip()) is not None


def is_damaged_doc_number_line(text: str) -> bool:
    """A 文号 line whose 〕 and 号 a conversion lost (丹合管办发〔20178)."""
    return parse_damaged_doc_number(text.strip().strip("()（）")) is not None


COPY_TO_RE = re.compile(r"^(?:抄送|分送|抄报|主题词|关键词)[ 　]*[：:]")
PRINTED_RE = re.compile(r"\d{4}[ 　]*年[ 　]*\d{1,2}[ 　]*月[ 　]*\d{1,2}[ 　]*日[ 　]*印发$")
# 令 and 公告 carry their own numbers: 中华人民共和国国务院令 / 第708号,
# 国家税务总局公告2018年第58号, 第18/2015号行政命令.
_ORDER_HEADER_RE = re.compile(r"^[\u3400-\u9fff]{2,30}(?:令|公告)$")
_ORDER_SERIAL_RE = re.compile(r"^(?:[0-9０-９]{4}[ 　]*年[ 　]*)?第[ 　]*[0-9０-９]{1,5}[ 　]*号$")
ORDER_NUMBER_RE = re.compile(
    r"(?P<organ>[\u3400-\u9fff]{2,30}?(?:令|公告))[ 　]*"
    r"(?:(?P<year>[0-9０-９]{4})[ 　]*年[ 　]*)?第[ 　]*(?P<serial>[0-9０-９]{1,5})[ 　]*号"
    r"|第[ 　]*(?P<mserial>[0-9０-９]{1,5})[ 　]*/[ 　]*(?P<myear>[0-9０-９]{4})[ 　]*号"
    r"(?P<mkind>[\u3400-\u9fff]{0,6}?(?:命令|法规|批示|法律))"
)


# The metadata table a 政府信息公开 page prints above the text, pasted with it.
_PORTAL_FIELD_RE = re.compile(
    r"^(?:索引号|发布机构|发文机关|发文单位|成文日期|发布日期|发布时间|发文字号|主题分类|体裁分类|"
    r"组配分类|服务对象|公开方式|公开范围|有效性|时效性|信息来源|来源|所属机构|生成日期|浏览次数|"
    r"标\s*题|名\s*称|文\s*号|主题词)[ 　]*[:：]"
)


_CHROME_RE = re.compile(
    r"^(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭|返回顶部|返回|分享到|分享|收藏|字号|[大中小]|微信|微博|"
    r"扫一扫|默认|视力保护色|朗读)[】\]]?[\s:：|/]*)+$"
)


def is_page_chrome(text: str) -> bool:
    """A web page's own furniture pasted with the text: a breadcrumb (首页 > 政务公开), 打印 关闭."""
    s = text.strip()
    return len(s) <= 80 and (bool(_CHROME_RE.match(s)) or s.count(">") + s.count("＞") >= 2)


def is_portal_field(text: str) -> bool:
    """A line of a portal's metadata table (索引号：…, 发布机构：…), not of the document."""
    return bool(_PORTAL_FIELD_RE.match(text.strip())) and len(text.strip()) <= 80


def is_colophon_line(text: str) -> bool:
    """A 版记 line: 抄送/主题词, or 印发机关和印发日期 (…办公室 2018年8月1日印发)."""
    s = text.strip()
    return bool(COPY_TO_RE.match(s)) or (len(s) <= 60 and bool(PRINTED_RE.search(s)))


def is_order_header(text: str) -> bool:
    """The head of a 令 or numbered 公告: 中华人民共和国交通部令 (its number on the next line)."""
    s = squeeze(text)
    if not _ORDER_HEADER_RE.match(s):
        return False
    organ = s.removesuffix("令").removesuffix("公告")
    return organ.endswith(_ORGAN_SUFFIXES) and "关于" not in organ


def is_order_number_line(text: str) -> bool:
    """A 令/公告 number alone (第8号, 2006年第8号) or whole (国家税务总局公告2018年第58号)."""
    s = squeeze(text)
    return bool(_ORDER_SERIAL_RE.match(s)) or bool(
        len(s) <= 40 and (m := ORDER_NUMBER_RE.match(s)) and m.end() == len(s)
    )


def attachment_label(text: str) -> re.Match[str] | None:
    """``附件：`` / ``附件1`` at the start of a line (附件说明 or an attachment's own label)."""
    return _ATTACHMENT_RE.match(text.strip())


def starts_structure(text: str) -> bool:
    """Does the line open something new (a numbered item, an attachment, a signature)?"""
    s = text.strip()
    return (
        match_numbering(s) is not None
        or attachment_label(s) is not None
        or is_date_line(s)
        or is_organ_line(s)
        or s.startswith(("抄送", "附注", "（此件", "(此件"))
    )


def squeeze(text: str) -> str:
    """Remove the spaces a converter left between Chinese characters (通 知 → 通知).

    Spaces between two Latin letters or digits are kept (PM 2.5 stays readable).
    """
    return _CJK_SPACE_RE.sub("", text.strip())


KIND_SUFFIX_RE = re.compile(
    r"(通知|决定|意见|办法|规定|方案|规划|报告|通报|通告|公告|批复|函|纪要|决议|命令|令|议案|"
    r"请示|讲话|细则|条例|规则|名单|公报|预案|规程|章程|要点|纲要|守则|准则|指南|指引|须知|批示|答复)$"
)


# A title may close with a qualifier in brackets: （试行）, （暂行）, （六）, （2018年修订）.
_QUALIFIER_RE = re.compile(r"[（(][^（()）]{1,12}[)）]$")


def strip_qualifier(title: str) -> str:
    """A title without the bracketed qualifier it may close with (（试行）, （六）)."""
    return _QUALIFIER_RE.sub("", title)


def looks_like_title(text: str) -> bool:
    """A short line ending in a 文种 word (通知, 意见, 讲话…): a document title."""
    if len(text) > 120:
        return False
    s = strip_qualifier(squeeze(text))
    return len(s) <= 90 and bool(KIND_SUFFIX_RE.search(s)) and "。" not in s
