"""Personal data in published text: find it, and mask it by a rule per type.

Reads: text (a paragraph, a block of lines, or a table as tab-separated rows).
Writes: ``PrivacyFinding`` spans with the masked replacement, and masked text.

What is flagged (``cn-rules`` §7; 民法典 Art 1034, 个人信息保护法 Art 28):

- ``id_card``: 居民身份证号码, 18 characters with the GB 11643-1999 check digit and a
  real birth date; 15-digit old numbers only after the word 身份证.
- ``mobile``: 11-digit mobile numbers ``1[3-9]…``, optionally with +86.
- ``landline``: numbers with an area code and a separator (``0635-1234567``,
  ``（0635）1234567``), or bare digits right after 电话/座机/联系方式.
- ``id_like``: 18 digits shaped like an ID (real birth date) whose check digit is
  wrong — 校验位不符的18位数字, masked like an ID, never called a bank card.
- ``bank_card``: 16–19 digits (spaces or dashes in groups of four allowed) passing Luhn.
- ``email``.
- ``address``: detailed addresses (road/village + house, unit, room numbers), or an
  address after 住址/家住/居住 or under an address column.
- ``name``: personal names in list-like content only: the column under a header
  such as 姓名/户主/申请人, or a name-like cell in a row that also holds an ID,
  phone or card number. Rows that carry an official position (局长, 主任, 科员 …)
  are leadership lists, not personal data, and are never flagged.

Masks: 3701**********1234, 138****1234, 0635-***4567, 622202*********1234,
z***@example.com, 幸福路** (the house part removed), 张某 (the surname kept).
No Django here; the site stores the reviewer's accept/reject decisions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

KIND_LABELS = {
    "id_card": "身份证号码",
    "id_like": "校验位不符的18位数字",
    "mobile": "手机号码",
    "landline": "固定电话",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "address": "详细地址",
    "name": "个人姓名",
}
# Overlaps are resolved in this order: an 18-digit ID is not also a bank card, and
# neither is a number shaped like one (region, real birth date) whose check digit
# is wrong: most likely a mistyped ID, so it is masked like one and said plainly.
_PRIORITY = ["id_card", "id_like", "bank_card", "mobile", "landline", "email", "address", "name"]
_CONTEXT = 14

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_ID18 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{9}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{14}(?![0-9A-Za-z])")
_MOBILE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)86[-\s]?)?1[3-9]\d(?:\d{8}|[-\s]\d{4}[-\s]\d{4})(?!\d)"
)
_LANDLINE = re.compile(
    r"(?<!\d)(?:0\d{2,3}[-－—]|[（(]0\d{2,3}[)）]\s?)[2-9]\d{6,7}(?:[-－转]\d{1,5})?(?!\d)"
)
_LANDLINE_CUED = re.compile(
    r"(?:电话|座机|联系方式|Tel|TEL|tel)[:：\s]*(?P<num>0\d{9,11}|[2-9]\d{6,7})(?!\d)"
)
_CARD = re.compile(
    r"(?<![\d-])(?:\d{4}[ -]){3}\d{4}(?:[ -]?\d{1,3})?(?![\d-])|(?<!\d)\d{16,19}(?!\d)"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_NUM = r"[0-9０-９]+"
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:路|街|大道|巷|胡同|小区|花园|公寓|村|社区|弄|屯)"
    rf"(?:{_NUM}|[一二三四五六七八九十]+)(?:号楼|号院|号|组|弄|栋|幢|单元|室|层|户|排)"
    rf"(?:[-－—]?{_NUM}(?:号楼|号|栋|幢|单元|室|层|户|排)?)*"
)
_ADDRESS_PART = re.compile(rf"{_NUM}(?:号楼|号院|号|组|弄|栋|幢|单元|室|层|户|排)")
_ADDRESS_CUE = re.compile(
    r"(?:住址|家住|住所|居住地|居住于|户籍地|现住|家庭地址|联系地址)[:：\s]*$"
)
_ID_CUE = re.compile(r"身份证[号码]*[:：\s]*$")

# The cells of a row: tabs, pipes, or runs of two or more spaces.
_CELL_SPLIT = re.compile(r"\t|[|｜]|[ \u3000]{2,}")
NAME_HEADERS = (
    "姓名", "户主", "户主姓名", "申请人", "申请人姓名", "救助对象", "保障对象", "对象姓名",
    "家庭成员", "联系人", "收款人", "户名", "困难群众", "受助人", "领取人",
)  # fmt: skip
ADDRESS_HEADERS = ("住址", "家庭住址", "详细地址", "居住地址", "家庭地址", "户籍地址", "现住址")
# Words of office: a row carrying one lists an official in a public role.
OFFICIAL_WORDS = re.compile(
    r"(?:书记|县长|市长|乡长|镇长|区长|主任|局长|厅长|处长|科长|股长|所长|站长|院长|校长|"
    r"组长|主席|委员|常委|科员|调研员|督学|队长|经理|行长|部长|秘书长|干事|专员|馆长|"
    r"社长|台长|总监|总工|理事长|会长|审判员|检察员|领导|负责人)"
)
# Single-character and compound surnames (百家姓, the common part).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "申屠",
)  # fmt: skip
_NOT_NAMES = {
    "合计", "小计", "总计", "备注", "本人", "户主", "姓名", "男", "女", "汉族", "已婚", "未婚", "无",
    "全额", "差额", "低保", "特困", "城市", "农村", "常年", "一类", "二类", "三类", "分类", "施救",
}  # fmt: skip
_NAME_CELL = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}$")


@dataclass(frozen=True)
class PrivacyFinding:
    """One piece of personal data: where it is, what it is, and what the public sees instead."""

    kind: str
    start: int
    end: int
    text: str
    masked: str
    before: str = ""
    after: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


# -- validators ----------------------------------------------------------------


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _real_date(y: int, m: int, d: int) -> bool:
    try:
        born = date(y, m, d)
    except ValueError:
        return False
    return date(1880, 1, 1) <= born <= date(2100, 12, 31)


def valid_id_number(value: str) -> bool:
    """An 18-character 居民身份证号码 with a real birth date and a correct check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    if not _real_date(int(value[6:10]), int(value[10:12]), int(value[12:14])):
        return False
    return id_check_char(value[:17]) == value[17].upper()


def id_shaped(value: str) -> bool:
    """18 digits with a real birth date but a wrong check character (a mistyped ID)."""
    return (
        len(value) == 18
        and value[:17].isdigit()
        and _real_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        and not valid_id_number(value)
    )


# -- official contact points -----------------------------------------------------
# The rule (docs/disclosure.md, "Official contact points"): a landline with an area
# code written as a unit's contact point in running text — after 联系人…电话,
# 联系电话, 咨询电话, 办公电话, 监督电话, 举报电话, 值班电话 or 传真 — is the office's
# public number, not personal data, and is not flagged. Mobile numbers are always
# flagged, and so is any number in a list or table row. The office can turn the
# rule off (``configure(official_contacts_public=False)``, site setting
# ``GONGBAO_PUBLIC_CONTACTS=0``): then such numbers wait for a reviewer like others.
_OFFICIAL_CUE = re.compile(
    r"(?:联系人[^，。；\n\t|]{0,8}[，,、\s]*(?:联系)?电话|联系电话|咨询电话|办公电话|"
    r"监督(?:举报)?电话|举报电话|值班电话|传真)[:：\s]*$"
)
_policy = {"official_contacts_public": True}


def configure(*, official_contacts_public: bool) -> None:
    """Set the office's rule for official contact points (clears cached scans)."""
    _policy["official_contacts_public"] = official_contacts_public
    _scan.cache_clear()


def official_contact(text: str, start: int) -> bool:
    """Whether the landline at ``start`` is printed as an office's contact point."""
    if not _policy["official_contacts_public"]:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:start]
    if "\t" in line or "|" in line or "｜" in line:  # a row of a list or table
        return False
    return bool(_OFFICIAL_CUE.search(line[-24:]))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


# -- masks ---------------------------------------------------------------------


def _stars(n: int) -> str:
    return "*" * max(n, 1)


def mask_id(value: str) -> str:
    return value[:4] + _stars(len(value) - 8) + value[-4:]


def mask_mobile(value: str) -> str:
    m = re.match(r"^(?:\+|00)86[-\s]?", value)
    prefix = m.group() if m else ""
    core = re.sub(r"\D", "", value[len(prefix) :])[-11:]
    return prefix + core[:3] + "****" + core[-4:]


def mask_landline(value: str) -> str:
    m = re.match(r"^([（(]?0\d{2,3}[)）]?[-－—\s]?)?(\d+)(.*)$", value)
    if not m:
        return _stars(len(value))
    area, number, ext = m.group(1) or "", m.group(2), m.group(3)
    return area + _stars(len(number) - 4) + number[-4:] + ext


def mask_card(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[:6] + _stars(len(digits) - 10) + digits[-4:]


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_address(value: str) -> str:
    m = re.search(r"[0-9０-９一二三四五六七八九十]", value)
    keep = value[: m.start()] if m else value[:2]
    return keep + "**"


def mask_name(value: str) -> str:
    name = re.sub(r"[ \u3000]", "", value)
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return surname + "某"


MASKS = {
    "id_card": mask_id,
    "id_like": mask_id,
    "mobile": mask_mobile,
    "landline": mask_landline,
    "bank_card": mask_card,
    "email": mask_email,
    "address": mask_address,
    "name": mask_name,
}


# -- scanning --------------------------------------------------------------------


# What every match of a group of patterns contains, looked for first: most texts of a
# gazette hold no personal data, and a search rebuild scans every paragraph of the
# archive (the scan was the largest part of it: bench/reindex.py). Each ID, phone or
# card pattern has seven digits in a row, or three, a separator and four; an address,
# the last character of its road/village word and then a number; a list, a cell split.
_NUMBER_HINT = re.compile(r"\d{7}|\d{3}[-\s]\d{4}")
_EMAIL_HINT = re.compile("@")
_ADDRESS_HINT = re.compile(r"[路街道巷同区园寓村弄屯][0-9０-９一二三四五六七八九十]")
_LIST_HINT = _CELL_SPLIT


def _candidates(text: str) -> Iterator[tuple[str, int, int]]:
    if _NUMBER_HINT.search(text):
        yield from _number_candidates(text)
    if _EMAIL_HINT.search(text):
        for m in _EMAIL.finditer(text):
            yield "email", m.start(), m.end()
    if _ADDRESS_HINT.search(text):
        for m in _ADDRESS.finditer(text):
            parts = len(_ADDRESS_PART.findall(m.group()))
            cued = _ADDRESS_CUE.search(text[max(0, m.start() - 8) : m.start()])
            if parts >= 2 or cued:
                yield "address", m.start(), m.end()
    if _LIST_HINT.search(text):
        yield from _list_names(text)


def _number_candidates(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _ID18.finditer(text):
        if valid_id_number(m.group()):
            yield "id_card", m.start(), m.end()
        elif id_shaped(m.group()):
            yield "id_like", m.start(), m.end()
    for m in _ID15.finditer(text):
        v = m.group()
        if _ID_CUE.search(text[max(0, m.start() - 8) : m.start()]) and _real_date(
            1900 + int(v[6:8]), int(v[8:10]), int(v[10:12])
        ):
            yield "id_card", m.start(), m.end()
    for m in _MOBILE.finditer(text):
        yield "mobile", m.start(), m.end()
    for m in _LANDLINE.finditer(text):
        if not official_contact(text, m.start()):
            yield "landline", m.start(), m.end()
    for m in _LANDLINE_CUED.finditer(text):
        if not official_contact(text, m.start("num")):
            yield "landline", m.start("num"), m.end("num")
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not valid_id_number(m.group()):
            yield "bank_card", m.start(), m.end()


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty cell of a row, stripped."""
    spans, pos = [], 0
    for m in [*_CELL_SPLIT.finditer(line), None]:
        end = m.start() if m else len(line)
        raw = line[pos:end]
        stripped = raw.strip(" \u3000")
        if stripped:
            lead = len(raw) - len(raw.lstrip(" \u3000"))
            spans.append((pos + lead, pos + lead + len(stripped)))
        if m:
            pos = m.end()
    return spans


def looks_like_name(cell: str) -> bool:
    if not _NAME_CELL.match(cell):
        return False
    name = re.sub(r"[ \u3000]", "", cell)
    if name in _NOT_NAMES or OFFICIAL_WORDS.search(name):
        return False
    return name[:2] in COMPOUND_SURNAMES or name[0] in SURNAMES


def _is_header(cells: list[str]) -> bool:
    return any(c in NAME_HEADERS or c in ADDRESS_HEADERS for c in cells)


def _list_names(text: str) -> Iterator[tuple[str, int, int]]:
    """Names (and addresses) in the columns of list-like content; never in leadership lists."""
    name_cols: set[int] = set()
    addr_cols: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        spans = _cells(line)
        cells = [line[a:b] for a, b in spans]
        if len(cells) < 2:
            if not line.strip():
                name_cols, addr_cols = set(), set()
            offset += len(line) + 1
            continue
        if _is_header(cells):
            name_cols = {i for i, c in enumerate(cells) if c in NAME_HEADERS}
            addr_cols = {i for i, c in enumerate(cells) if c in ADDRESS_HEADERS}
            offset += len(line) + 1
            continue
        official = any(OFFICIAL_WORDS.search(c) for c in cells)
        sensitive = any(_ID18.search(c) or _MOBILE.search(c) or _CARD.search(c) for c in cells)
        for i, (a, b) in enumerate(spans):
            cell = cells[i]
            if i in addr_cols and len(cell) >= 4:
                yield "address", offset + a, offset + b
            elif not official and (i in name_cols or sensitive) and looks_like_name(cell):
                yield "name", offset + a, offset + b
        offset += len(line) + 1


def scan(text: str) -> list[PrivacyFinding]:
    """Every piece of personal data in ``text``, in order, without overlaps."""
    return list(_scan(text))


# Publishing scans each text several times (the review gate, then every public
# channel: pages, search passages, bulk files, AKN); findings are frozen and
# depend on the text alone, so the recent texts' results are kept.
@lru_cache(maxsize=4096)
def _scan(text: str) -> tuple[PrivacyFinding, ...]:
    raw = sorted(_candidates(text), key=lambda c: (_PRIORITY.index(c[0]), c[1]))
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[str, int, int]] = []
    for kind, start, end in raw:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append((kind, start, end))
    chosen.sort(key=lambda c: c[1])
    out = []
    for kind, start, end in chosen:
        value = text[start:end]
        out.append(
            PrivacyFinding(
                kind=kind,
                start=start,
                end=end,
                text=value,
                masked=MASKS[kind](value),
                before=text[max(0, start - _CONTEXT) : start],
                after=text[end : end + _CONTEXT],
            )
        )
    return tuple(out)


def mask(text: str, findings: Iterable[PrivacyFinding]) -> str:
    """``text`` with each finding replaced by its mask (findings from ``scan(text)``)."""
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        out.append(text[pos : f.start])
        out.append(f.masked)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def redact(text: str, keep: Iterable[tuple[str, str]] = ()) -> str:
    """Scan and mask in one go, except the (kind, text) pairs a reviewer chose to keep."""
    kept = set(keep)
    return mask(text, [f for f in scan(text) if (f.kind, f.text) not in kept])
