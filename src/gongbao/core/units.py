"""Responsible units (责任单位): splitting lists, roles, and normalised names.

Reads: the text of a responsibility statement — a 责任分工 paragraph, a 〔…〕
bracket or a trailing （…） after a measure. Writes: ``Assignment`` rows (role,
unit as printed, the proposed canonical name and the reason for it, group flag).

Roles: ``lead`` 牵头, ``cooperate`` 配合/参与, ``implement`` 负责落实/分别实施/
分头落实, and ``responsible`` for a bare list that names no role (（县农业局、县畜牧局）).

Names are normalised with alias tables: generic rules for groups
(``DEFAULT_ALIASES``: 各乡镇人民政府 → 各乡镇（街道）), one county's names from a unit
profile (``load_profile``, the ``[units]`` of a gazette profile: 县环保局 = 县环境保护局 = 环保局), and the aliases staff
keep in the tracker's unit registry. Within a county a name without 县 gets it
when the prefixed name is known. Groups such as 各乡镇（街道） or 县直各部门 are
flagged (``is_group``): they are not one office that can report progress.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROLES = {"lead": "牵头", "cooperate": "配合", "implement": "负责落实", "responsible": "责任单位"}

# Generic rules for any county: how groups of units are printed. Names of one
# county's offices are not here: they come from a unit profile (``load_profile``,
# the [units] of a gazette profile) and from the aliases staff keep in the registry.
DEFAULT_ALIASES: dict[str, list[str]] = {
    "各乡镇（街道）": [
        "各乡镇（街道）政府（办事处）",
        "各乡镇人民政府",
        "街道办事处",
        "各乡镇",
        "各乡镇政府",
    ],
    "有关乡镇（街道）": [
        "各有关乡镇（街道）",
        "各有关（乡镇）街道",
        "相关乡镇（街道）",
        "相关责任乡镇（街道）",
    ],
    "县直各部门": ["县直各部门（单位）", "县直部门", "县直各单位"],
    "县直有关部门": ["县直有关部门（单位）"],
    "有关部门": ["相关部门"],
}

_GROUP_RE = re.compile(r"^(各|有关|相关)|各部门|有关部门|各成员单位|各单位|各乡镇")
_UNIT_END = (
    "局", "办", "室", "部", "委", "中心", "政府", "办事处", "管委会", "开发区", "部门", "单位",
    "镇", "乡", "街道", "（街道）", "院", "所", "站", "队", "处", "会", "（单位）", "（办事处）",
)  # fmt: skip
_TAIL_RE = re.compile(r"等(县直|有关|行业主管|相关)?(部门|单位)?(（单位）)?$")
_AND_RE = re.compile(r"(?<=[局办室部委心府处会区门位）])[和及](?=[县各市有])")
_PRINCIPLE_RE = re.compile(r"按照[^。]{0,30}?的原则，")
_ROLE_RE = re.compile(
    r"(?:(?:按照?|根据)(?:工作)?职[责能](?:分工)?)?(?:分别|分头|共同)?"
    r"(?P<verb>牵头落实|牵头|配合|参与|负责各自辖区内工作落实|负责落实|落实|实施|负责)$"
)
_COOP_WORK_RE = re.compile(r"^(?P<units>.+?)做好.{0,30}配合工作$")
_VERBS = {
    "牵头落实": "lead",
    "牵头": "lead",
    "配合": "cooperate",
    "参与": "cooperate",
    "负责各自辖区内工作落实": "implement",
    "负责落实": "implement",
    "落实": "implement",
    "实施": "implement",
    "负责": "implement",
}


@dataclass(frozen=True)
class Assignment:
    role: str
    printed: str  # the name as printed (spaces and half-width brackets normalised)
    unit: str  # the registry's proposal (canonical name); equal to printed when no match
    group: bool
    reason: str = ""  # why ``unit`` differs from ``printed`` (for staff to confirm)


# Where a registry match comes from: staff's own aliases are decisions already
# made; the built-in table and the 县 prefix are proposals staff confirm.
BUILTIN, PROFILE, STAFF, PREFIX = "builtin", "profile", "staff", "prefix"
REASONS = {
    BUILTIN: "通用别名规则",
    PROFILE: "本地单位名录",
    STAFF: "单位登记的别名",
    PREFIX: "补“县”字前缀后与登记单位相同",
}


@dataclass(frozen=True)
class Match:
    name: str  # the canonical name proposed
    source: str = ""  # BUILTIN | STAFF | PREFIX, "" when the name is its own

    @property
    def reason(self) -> str:
        return REASONS.get(self.source, "")


def clean(text: str) -> str:
    """Full-width punctuation for the half-width forms some pages print; no spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("(", "（").replace(")", "）").replace(",", "，").replace(";", "；")
    return re.sub(r"\s+", "", text)


def is_group(name: str) -> bool:
    return bool(_GROUP_RE.search(name))


def looks_like_unit(name: str) -> bool:
    return (
        1 < len(name) <= 26
        and name.endswith(_UNIT_END)
        and not any(mark in name for mark in ("。", "的", "“", "《"))
    )


class Registry:
    """Canonical names and their aliases: the built-in table plus staff's own."""

    def __init__(
        self,
        aliases: Mapping[str, list[str]] | None = None,
        profile: Mapping[str, list[str]] | None = None,
    ) -> None:
        """``profile``: one county's names (``load_profile``); ``aliases``: staff's own."""
        self._canon: dict[str, str] = {}
        self._source: dict[str, str] = {}
        tables = ((DEFAULT_ALIASES, BUILTIN), (profile or {}, PROFILE), (aliases or {}, STAFF))
        for table, source in tables:
            for canonical, names in table.items():
                self.add(canonical, names, source)

    def add(self, canonical: str, names: list[str], source: str = STAFF) -> None:
        canonical = clean(canonical)
        self._canon[canonical] = canonical
        self._source[canonical] = ""
        for name in names:
            self._canon[clean(name)] = canonical
            self._source[clean(name)] = source

    def canonical(self, name: str) -> str:
        return self.match(name).name

    def match(self, name: str) -> Match:
        """The proposed canonical name and where the match comes from."""
        name = clean(name)
        if name in self._canon:
            canonical = self._canon[name]
            return Match(canonical, self._source[name] if canonical != name else "")
        if not name.startswith(("县", "市", "各", "有关", "相关")) and "县" + name in self._canon:
            return Match(self._canon["县" + name], PREFIX)
        return Match(name)


DEFAULT_REGISTRY = Registry()


def load_profile(path: str | Path) -> dict[str, list[str]]:
    """A county's unit names: the ``[units]`` of a gazette profile (``.toml``,
    ``gongbao.core.profile``) or a JSON list ``{"aliases": {canonical: [variants]}}``.

    Raises ``ValueError`` with a one-line Chinese message when the file is unusable.
    """
    if str(path).endswith(".toml"):
        from gongbao.core.profile import load_profile as load_gazette_profile

        return dict(load_gazette_profile(path).unit_aliases)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        aliases = data["aliases"]
        return {str(k): [str(v) for v in vs] for k, vs in aliases.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"单位名录无法读取：{path}（{exc}）") from exc


def split_units(text: str) -> list[str]:
    """A printed list of units → the names, with 等/等部门 tails removed."""
    text = clean(text).strip("。；，、")
    parts: list[str] = []
    for chunk in re.split(r"[、，；]", text):
        parts.extend(p for p in _AND_RE.split(chunk) if p)
    out = []
    for part in parts:
        part = _TAIL_RE.sub("", part).strip()
        if part:
            out.append(part)
    return out


def parse_assignments(text: str, registry: Registry | None = None) -> list[Assignment] | None:
    """Units and roles of a responsibility statement; ``None`` if it is not one.

    ``县环保局牵头，县发改局、县经信和商务局等配合，各乡镇（街道）负责落实`` →
    lead 县环保局; cooperate 县发改局, 县经信和商务局; implement 各乡镇（街道）.
    Every name must look like a unit, so a parenthesis such as （同线同标同质产品）
    is not taken for one.
    """
    registry = registry or DEFAULT_REGISTRY
    text = _PRINCIPLE_RE.sub("", clean(text)).strip("。；，")
    if not text:
        return None
    segments = [s for s in re.split(r"[，；]", text) if s]
    pending: list[str] = []
    result: list[Assignment] = []
    seen: set[tuple[str, str]] = set()

    def emit(role: str, names: list[str]) -> bool:
        for printed in names:
            if not looks_like_unit(printed):
                return False
            match = registry.match(printed)
            if (role, match.name) in seen:
                continue
            seen.add((role, match.name))
            result.append(Assignment(role, printed, match.name, is_group(match.name), match.reason))
        return True

    for segment in segments:
        coop = _COOP_WORK_RE.match(segment)
        if coop:
            if not emit("cooperate", pending + split_units(coop["units"])):
                return None
            pending = []
            continue
        match = _ROLE_RE.search(segment)
        names_text = segment[: match.start()] if match else segment
        if match and names_text:
            if not emit(_VERBS[match["verb"]], pending + split_units(names_text)):
                return None
            pending = []
        elif match:  # a verb with no names: "…，牵头落实" continues the pending list
            if not pending or not emit(_VERBS[match["verb"]], pending):
                return None
            pending = []
        else:
            pending.extend(split_units(segment))
    if pending and not emit("responsible", pending):
        return None
    return result or None
