"""A gazette's profile: what is particular to one gazette and its government, in one TOML file.

Reads: the text of a profile (TOML, ``tomllib``). Writes: a checked
``GazetteProfile``, or ``ProfileError`` with one Chinese line naming the field
that is wrong. Nothing county-specific lives in the code: the sample county's
profile is ``samples/guanxian.toml``.

A profile holds:

- ``[gazette]``: ``name`` (冠县人民政府公报 as printed), ``slug`` (its identifier in
  URLs), ``latin_name``, ``publisher``;
- ``[[organs]]``: each 发文机关 with its short name and the agency codes of its 文号
  (``name``, ``short``, ``codes``);
- ``[[sections]]``: the sections (栏目) of an issue in their printed order (``name``, and
  the ``organs`` whose documents usually go there);
- ``[units]``: the unit registry, ``aliases`` as ``canonical = [variants]`` (read by
  ``gongbao.core.units``);
- ``[disclosure]``: the 政府信息公开 office (``organ``, ``office``,
  ``reconsideration_organ``) and the 索引号 scheme (``org_code``, ``index_scheme``);
- ``[[catalog]]``: the areas of the 主动公开基本目录 (``code``, ``area``, ``content``,
  ``legal_basis``, ``unit``, ``period_days``).

Every table is optional but ``[gazette]``; unknown keys are refused, so a typo
does not silently fall back to a default.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CatalogArea",
    "Disclosure",
    "GazetteProfile",
    "Organ",
    "ProfileError",
    "Section",
    "load_profile",
    "parse_profile",
]

#: The fields a 索引号 scheme may use.
INDEX_FIELDS = ("org", "category", "year", "seq")
DEFAULT_INDEX_SCHEME = "{org}-{category}-{year}-{seq:04d}"


class ProfileError(ValueError):
    """A profile that cannot be used; the message is one Chinese line for staff."""


@dataclass(frozen=True)
class Organ:
    """A 发文机关: its full name, its short name, the agency codes of its 文号 (冠政发)."""

    name: str
    short: str = ""
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A section (栏目) of an issue, in printed order, and the organs whose documents go there."""

    name: str
    organs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogArea:
    """An area of the 主动公开基本目录."""

    code: str
    area: str
    content: str = ""
    legal_basis: str = ""
    unit: str = ""
    period_days: int = 365


@dataclass(frozen=True)
class Disclosure:
    """The 政府信息公开 office and its 索引号 scheme."""

    organ: str = ""
    office: str = ""
    reconsideration_organ: str = ""
    org_code: str = ""
    index_scheme: str = DEFAULT_INDEX_SCHEME


@dataclass(frozen=True)
class GazetteProfile:
    name: str
    slug: str = ""
    latin_name: str = ""
    publisher: str = ""
    organs: tuple[Organ, ...] = ()
    sections: tuple[Section, ...] = ()
    unit_aliases: dict[str, list[str]] = field(default_factory=dict)
    disclosure: Disclosure = field(default_factory=Disclosure)
    catalog: tuple[CatalogArea, ...] = ()

    @property
    def section_names(self) -> list[str]:
        return [s.name for s in self.sections]

    def organ_for_code(self, code: str) -> Organ | None:
        """The organ whose 文号 carry this agency code (冠政办发 → 冠县人民政府办公室)."""
        for organ in self.organs:
            if code in organ.codes:
                return organ
        return None


_TABLES: dict[str, tuple[str, ...]] = {
    "gazette": ("name", "slug", "latin_name", "publisher"),
    "organs": ("name", "short", "codes"),
    "sections": ("name", "organs"),
    "units": ("aliases",),
    "disclosure": ("organ", "office", "reconsideration_organ", "org_code", "index_scheme"),
    "catalog": ("code", "area", "content", "legal_basis", "unit", "period_days"),
}
_LABELS = {
    "gazette": "[gazette] 公报",
    "organs": "[[organs]] 发文机关",
    "sections": "[[sections]] 栏目",
    "units": "[units] 单位名录",
    "disclosure": "[disclosure] 政务公开",
    "catalog": "[[catalog]] 主动公开目录",
}


def _text(table: dict[str, Any], key: str, where: str, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ProfileError(f"{where}：{key} 应为文字（用引号括起）")
    value = value.strip()
    if required and not value:
        raise ProfileError(f"{where}：缺少 {key}")
    return value


def _texts(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ProfileError(f'{where}：{key} 应为文字列表，如 ["甲", "乙"]')
    return tuple(v.strip() for v in value)


def _check_keys(table: object, kind: str, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ProfileError(f"{where} 应为一个表（键 = 值）")
    unknown = sorted(set(table) - set(_TABLES[kind]))
    if unknown:
        allowed = "、".join(_TABLES[kind])
        raise ProfileError(f"{where}：不认识的项 {'、'.join(unknown)}（可用：{allowed}）")
    return table


def _array(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    rows = data.get(kind, [])
    if not isinstance(rows, list):
        raise ProfileError(f"{_LABELS[kind]} 应写成 [[{kind}]] 表数组")
    return [_check_keys(row, kind, f"{_LABELS[kind]} 第{i}项") for i, row in enumerate(rows, 1)]


def _organs(data: dict[str, Any]) -> tuple[Organ, ...]:
    organs: list[Organ] = []
    seen_codes: dict[str, str] = {}
    for i, row in enumerate(_array(data, "organs"), 1):
        where = f"{_LABELS['organs']} 第{i}项"
        organ = Organ(
            _text(row, "name", where, required=True),
            _text(row, "short", where),
            _texts(row, "codes", where),
        )
        for code in organ.codes:
            if code in seen_codes:
                raise ProfileError(f"{where}：代字 {code} 已属于 {seen_codes[code]}")
            seen_codes[code] = organ.name
        organs.append(organ)
    return tuple(organs)


def _sections(data: dict[str, Any], organs: tuple[Organ, ...]) -> tuple[Section, ...]:
    names = {o.name for o in organs} | {o.short for o in organs if o.short}
    sections: list[Section] = []
    for i, row in enumerate(_array(data, "sections"), 1):
        where = f"{_LABELS['sections']} 第{i}项"
        section = Section(_text(row, "name", where, required=True), _texts(row, "organs", where))
        if section.name in {s.name for s in sections}:
            raise ProfileError(f"{where}：栏目 {section.name} 重复")
        missing = [o for o in section.organs if o not in names]
        if missing:
            raise ProfileError(f"{where}：{'、'.join(missing)} 不在 [[organs]] 中")
        sections.append(section)
    return tuple(sections)


def _units(data: dict[str, Any]) -> dict[str, list[str]]:
    units = _check_keys(data.get("units", {}), "units", _LABELS["units"])
    aliases = units.get("aliases", {})
    if not isinstance(aliases, dict):
        raise ProfileError(f"{_LABELS['units']}：aliases 应为一个表（规范名称 = [其他写法]）")
    out: dict[str, list[str]] = {}
    for canonical, variants in aliases.items():
        where = f"{_LABELS['units']}：{canonical}"
        out[str(canonical)] = list(_texts({"aliases": variants}, "aliases", where))
    return out


def _disclosure(data: dict[str, Any]) -> Disclosure:
    where = _LABELS["disclosure"]
    table = _check_keys(data.get("disclosure", {}), "disclosure", where)
    scheme = _text(table, "index_scheme", where) or DEFAULT_INDEX_SCHEME
    check_index_scheme(scheme, where)
    return Disclosure(
        organ=_text(table, "organ", where),
        office=_text(table, "office", where),
        reconsideration_organ=_text(table, "reconsideration_organ", where),
        org_code=_text(table, "org_code", where),
        index_scheme=scheme,
    )


def check_index_scheme(scheme: str, where: str = "索引号格式") -> None:
    """Refuse a 索引号 scheme that uses unknown fields or cannot be filled in."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(scheme) if name is not None}
    except ValueError as exc:
        raise ProfileError(f"{where}：索引号格式的花括号不成对（{scheme}）") from exc
    unknown = sorted(f for f in fields if f not in INDEX_FIELDS)
    if unknown or "" in fields:
        allowed = "、".join("{" + f + "}" for f in INDEX_FIELDS)
        raise ProfileError(f"{where}：索引号格式只能用 {allowed}（{scheme}）")
    try:
        scheme.format(org="X", category="X", year=2000, seq=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise ProfileError(f"{where}：索引号格式无法使用（{scheme}）") from exc


def _catalog(data: dict[str, Any]) -> tuple[CatalogArea, ...]:
    areas: list[CatalogArea] = []
    for i, row in enumerate(_array(data, "catalog"), 1):
        where = f"{_LABELS['catalog']} 第{i}项"
        days = row.get("period_days", 365)
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ProfileError(f"{where}：period_days 应为正整数（天数）")
        area = CatalogArea(
            code=_text(row, "code", where, required=True),
            area=_text(row, "area", where, required=True),
            content=_text(row, "content", where),
            legal_basis=_text(row, "legal_basis", where),
            unit=_text(row, "unit", where),
            period_days=days,
        )
        if area.code in {a.code for a in areas}:
            raise ProfileError(f"{where}：类别代码 {area.code} 重复")
        areas.append(area)
    return tuple(areas)


def _slug(gazette: dict[str, Any]) -> str:
    slug = _text(gazette, "slug", _LABELS["gazette"])
    if slug and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", slug):
        raise ProfileError(f"{_LABELS['gazette']}：slug 只能用小写字母、数字和连字符（{slug}）")
    return slug


def parse_profile(text: str) -> GazetteProfile:
    """The profile in ``text``; ``ProfileError`` (one Chinese line) when it cannot be used."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"公报配置不是有效的 TOML：{exc}") from exc
    unknown = sorted(set(data) - set(_TABLES))
    if unknown:
        raise ProfileError(f"公报配置中有不认识的部分：{'、'.join(unknown)}")
    if "gazette" not in data:
        raise ProfileError("公报配置缺少 [gazette] 部分（公报名称）")
    gazette = _check_keys(data["gazette"], "gazette", _LABELS["gazette"])
    organs = _organs(data)
    return GazetteProfile(
        name=_text(gazette, "name", _LABELS["gazette"], required=True),
        slug=_slug(gazette),
        latin_name=_text(gazette, "latin_name", _LABELS["gazette"]),
        publisher=_text(gazette, "publisher", _LABELS["gazette"]),
        organs=organs,
        sections=_sections(data, organs),
        unit_aliases=_units(data),
        disclosure=_disclosure(data),
        catalog=_catalog(data),
    )


def load_profile(path: str | Path) -> GazetteProfile:
    """The profile in the file at ``path``; ``ProfileError`` naming the file when unusable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"公报配置文件无法读取：{path}（{exc}）") from exc
    try:
        return parse_profile(text)
    except ProfileError as exc:
        raise ProfileError(f"{path}：{exc}") from exc
