"""Task extraction: the work a document assigns, who does it, by when, how much.

Reads: a ``Document``'s body tree (and the plan it promulgates), or the same
tree as the archive's JSON (``nodes_from_dicts``). Writes: ``Task`` proposals
with their source location (document, heading path, section and block anchors),
text, units by role (``gongbao.core.units``), deadlines, recurrences and
quantitative targets. Proposals only: an editor confirms or corrects them in the
tracker before they are tracked (``docs/tasks.md``).

Three styles of the sample issue are read:

- ``labelled``: a section with 主要工作/目标要求/责任分工 paragraphs (one task per section);
- ``bracket``: a numbered item whose text ends with the units in 〔…〕 or （…）
  (one task per item);
- ``clause``: a measure whose sentences each end with their own （units）
  (one task per clause, keyed ``measure.n``).

Deadlines: 2018年8月底前 → 2018-08-31; 9月底前 takes the document's year;
年内/年底前 → 31 December of that year; 到2020年 → 2020-12-31; 8月10日前.
Relative ones (在2个工作日内, 决定作出后24小时内) keep the count and its unit and
have no date: they are standing rules that run from each case's event, never a
due date of the task (the tracker shows them as rules, ``docs/tasks.md``).
Recurrences: 每月5日前, 每季度, 每年7月底前. Never raises on content.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from gongbao.core.model import Document, Node
from gongbao.core.units import Assignment, Registry, clean, parse_assignments

UNIT_LABELS = ("责任分工", "责任单位", "牵头单位", "配合单位")
_OPEN, _CLOSE = "（〔[", "）〕]"
_NOT_UNITS = re.compile(r"^(以下|简称|含|即|包括|如|例如|详见|见)")


@dataclass
class Deadline:
    kind: str  # date | month_end | year_end | within
    text: str
    date: date | None = None
    within: int | None = None
    unit: str | None = None  # working_day | day | hour | month (for "within")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat() if self.date else None
        return out


@dataclass
class Recurrence:
    period: str  # monthly | quarterly | half_yearly | yearly | weekly
    text: str
    day: int | None = None
    month: int | None = None


@dataclass
class Target:
    what: str
    value: float
    unit: str
    comparison: str  # ">=" | "<=" | "="
    text: str


@dataclass
class Task:
    key: str  # "1" (（1）/1.), "3.2" (the second clause of measure （三）)
    number: str  # the label as printed: （1）, 11., （三）
    anchor: str  # the section holding the task
    block: (
        str  # the block holding the units (责任分工 paragraph, or the paragraph with the bracket)
    )
    heading_path: list[str]
    title: str
    text: str
    units_text: str
    style: str  # labelled | bracket | clause
    units: list[Assignment] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    recurrences: list[Recurrence] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    document: str = ""
    notes: list[str] = field(default_factory=list)

    def units_by_role(self, role: str) -> list[str]:
        return [a.unit for a in self.units if a.role == role]

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "key": self.key,
            "number": self.number,
            "anchor": self.anchor,
            "block": self.block,
            "heading_path": self.heading_path,
            "title": self.title,
            "text": self.text,
            "units_text": self.units_text,
            "style": self.style,
            "units": [asdict(a) for a in self.units],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "recurrences": [asdict(r) for r in self.recurrences],
            "targets": [asdict(t) for t in self.targets],
            "notes": self.notes,
        }


# --------------------------------------------------------------------------- entry points


def extract_tasks(document: Document, registry: Registry | None = None) -> list[Task]:
    """The tasks of a parsed document and of the plan it promulgates."""
    year = _year(document)
    bodies = [document.body]
    if document.promulgates is not None:
        bodies.append(document.promulgates.body)
    return _extract(bodies, year, document.ident, registry)


def extract_from_dict(data: dict[str, Any], registry: Registry | None = None) -> list[Task]:
    """The same from the archive's document JSON (``export.json.document_dict``)."""
    year = None
    if data.get("date"):
        year = int(str(data["date"])[:4])
    elif data.get("doc_number_parts"):
        year = data["doc_number_parts"].get("year")
    bodies = [nodes_from_dicts(data.get("body") or [])]
    if data.get("promulgated_document"):
        bodies.append(nodes_from_dicts(data["promulgated_document"].get("body") or []))
    return _extract(bodies, year, data.get("id", ""), registry)


def nodes_from_dicts(items: list[dict[str, Any]]) -> list[Node]:
    nodes = []
    for item in items:
        node = Node(
            kind=item.get("type", "paragraph"),
            text=item.get("text", "") or "",
            label=item.get("label"),
            num=item.get("num"),
            style=item.get("style"),
            value=item.get("value"),
            level=item.get("level", 0) or 0,
            heading=item.get("heading", "") or "",
            rows=item.get("rows"),
            anchor=item.get("anchor", ""),
        )
        node.children = nodes_from_dicts(item.get("children") or [])
        nodes.append(node)
    return nodes


def _year(document: Document) -> int | None:
    if document.date is not None:
        return document.date.year
    if document.doc_number is not None:
        return document.doc_number.year
    return None


def _extract(
    bodies: list[list[Node]], year: int | None, ident: str, registry: Registry | None
) -> list[Task]:
    tasks: list[Task] = []
    for body in bodies:
        _walk(body, [], year, registry, tasks)
    seen: dict[str, int] = {}
    for task in tasks:
        task.document = ident
        if task.key in seen:  # a second numbering run (an attachment): keep keys unique
            seen[task.key] += 1
            task.key = f"{task.key}~{seen[task.key]}"
        else:
            seen[task.key] = 1
    return tasks


# --------------------------------------------------------------------------- the tree


def _walk(
    nodes: list[Node], path: list[str], year: int | None, registry: Registry | None, out: list[Task]
) -> None:
    for node in nodes:
        if node.kind != "section":
            continue
        title = node.heading or _first_plain(node)
        here = [*path, f"{node.num or ''}{title}".strip()]
        paragraphs = [c for c in node.children if c.kind in ("paragraph", "lines")]
        sections = [c for c in node.children if c.kind == "section"]
        labelled = [p for p in paragraphs if _label(p) in UNIT_LABELS]
        if labelled:
            out.append(_labelled(node, title, here, paragraphs, labelled, year, registry))
        elif not sections and paragraphs:
            out.extend(_leaf(node, title, here, paragraphs, year, registry))
        _walk(sections, here, year, registry, out)


def _label(node: Node) -> str:
    return clean(node.label or "").rstrip("：:")


def _first_plain(node: Node) -> str:
    for child in node.children:
        if child.kind == "paragraph" and not child.label and len(child.text) <= 60:
            return child.text.strip()
    return ""


def _key(node: Node) -> str:
    return str(node.value) if node.value is not None else node.anchor


def _labelled(
    node: Node,
    title: str,
    path: list[str],
    paragraphs: Any,
    labelled: Any,
    year: int | None,
    registry: Registry | None,
) -> Task:
    units_text = "，".join(clean(p.text) for p in labelled)
    body = [p for p in paragraphs if p not in labelled and p.text.strip() != title]
    text = "\n".join(f"{p.label or ''}{p.text}" for p in body)
    units = []
    notes = []
    for p in labelled:
        found = parse_assignments(p.text, registry)
        if found is None:
            notes.append(f"未能识别责任分工：{p.text}")
            continue
        if _label(p) == "配合单位":
            found = [replace(a, role="cooperate") for a in found]
        units.extend(found)
    task = Task(
        key=_key(node),
        number=node.num or "",
        anchor=node.anchor,
        block=labelled[0].anchor,
        heading_path=path,
        title=title,
        text=text,
        units_text=units_text,
        style="labelled",
        units=units,
        notes=notes,
    )
    _timing(task, "\n".join(p.text for p in body), year)
    return task


def _leaf(
    node: Node,
    title: str,
    path: list[str],
    paragraphs: Any,
    year: int | None,
    registry: Registry | None,
) -> list[Task]:
    """Tasks of a section whose paragraphs carry their units in brackets."""
    joined: list[tuple[str, str, str]] = []  # (anchor, text, note)
    for p in paragraphs:
        text = clean(p.text)
        if joined and _unbalanced_close(text) and joined[-1][1].endswith(tuple(_CLOSE)):
            anchor, prev, _ = joined[-1]
            joined[-1] = (anchor, prev[:-1] + text, f"“{text}”另起一段，已与上段括号拼接")
            continue
        joined.append((p.anchor, text, ""))
    clauses: list[tuple[str, str, str, list[Assignment], str]] = []
    leftover = ""
    for anchor, text, note in joined:
        start = 0
        for open_at, close_at in _brackets(text):
            before = text[open_at - 1] if open_at else ""
            if open_at and before not in "。；！":
                continue
            content = text[open_at + 1 : close_at]
            if _NOT_UNITS.match(content):
                continue
            found = parse_assignments(content, registry)
            if not found:
                continue
            clause = (leftover + text[start:open_at]).strip()
            last = close_at == len(text) - 1
            clauses.append((anchor, clause, content, found, note if last else ""))
            leftover, start = "", close_at + 1
        leftover += text[start:] + ("\n" if text[start:] else "")
    if not clauses:
        return []
    heading = clean(node.heading)
    if len(clauses) == 1:
        anchor, clause, content, found, note = clauses[0]
        full = (heading + "\n" + clause) if heading else clause
        task = Task(
            key=_key(node), number=node.num or "", anchor=node.anchor, block=anchor,
            heading_path=path, title=title, text=clause, units_text=content, style="bracket",
            units=found, notes=[note] if note else [],
        )  # fmt: skip
        _timing(task, full, year)
        return [task]
    tasks = []
    for n, (anchor, clause, content, found, note) in enumerate(clauses, 1):
        task = Task(
            key=f"{_key(node)}.{n}", number=node.num or "", anchor=node.anchor, block=anchor,
            heading_path=path, title=_first_sentence(clause), text=clause, units_text=content,
            style="clause", units=found, notes=[note] if note else [],
        )  # fmt: skip
        _timing(task, clause, year)
        tasks.append(task)
    return tasks


def _first_sentence(text: str) -> str:
    head = re.split(r"[。；]", text, maxsplit=1)[0]
    return head[:60]


def _unbalanced_close(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                return True
    return False


def _brackets(text: str) -> list[tuple[int, int]]:
    """Top-level bracket spans (（…） and 〔…〕, nested ones such as （街道） inside)."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


# --------------------------------------------------------------------------- time and numbers

_Y = r"(?P<y>\d{4})年"
_RE_DAY = re.compile(r"(?<![每\d])(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:前|之前)")
_RE_MONTH_END = re.compile(
    r"(?:(?P<y>\d{4})年(?P<m1>\d{1,2})月?|(?<![\d年每])(?P<m2>\d{1,2})月)(?:底|末)(?:前|之前)?"
)
_RE_YEAR_END = re.compile(_Y + r"(?:年)?(?:底|末)(?:前|之前)?")
_RE_BY_YEAR = re.compile(r"(?:到|至|确保)" + _Y + r"(?![底末\d])")
_RE_THIS_YEAR = re.compile(r"(?<![\d每])(?:年内|年底前|今年底|年底)")
_RE_WITHIN = re.compile(r"(?:在|于)?(?P<n>\d+)个?(?P<u>工作日|日|天|小时|个月)内")
_RE_EVERY = re.compile(
    r"每(?P<p>月|季度|季|半年|年|周)(?:(?P<m>\d{1,2})月(?:底|末)|(?P<d>\d{1,2})日)?(?:前)?"
)
_WITHIN_UNITS = {"工作日": "working_day", "日": "day", "天": "day", "小时": "hour", "个月": "month"}
_PERIODS = {"月": "monthly", "季度": "quarterly", "季": "quarterly", "半年": "half_yearly", "年": "yearly", "周": "weekly"}  # fmt: skip
_RE_TARGET = re.compile(
    r"(?P<verb>分别达到|达到|不少于|不低于|不超过|超过|高于|低于|控制在|提高到|提升到|保持在|达)"
    r"(?P<v>\d+(?:\.\d+)?)(?P<u>%|个|家|处|次|吨|套|万元|亿元|万|平方米|亩|公里|人|所|座|台|项|天|辆)?"
    r"(?P<q>以上|以下|以内|左右)?"
)
_RE_CAPACITY = re.compile(r"(?P<what>日处理能力)(?P<v>\d+(?:\.\d+)?)(?P<u>吨|万吨|立方米)")
_RE_COUNT = re.compile(r"(?<![\d.〔年月第])(?P<v>\d{2,})(?P<u>套|座|处|家|所|个建制村)")


def _timing(task: Task, text: str, year: int | None) -> None:
    task.deadlines, task.recurrences = deadlines(text, year)
    task.targets = targets(text)


def _month_end(y: int, m: int) -> date | None:
    if not 1 <= m <= 12:
        return None
    return date(y, m, calendar.monthrange(y, m)[1])


def deadlines(text: str, year: int | None) -> tuple[list[Deadline], list[Recurrence]]:
    """Deadlines and recurrences in a text; ``year`` fills dates printed without one."""
    text = clean(text)
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    recurrences: list[Recurrence] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    for m in _RE_EVERY.finditer(text):
        recurrences.append(
            Recurrence(_PERIODS[m["p"]], m.group(0), int(m["d"]) if m["d"] else None,
                       int(m["m"]) if m["m"] else None)
        )  # fmt: skip
        taken.append(m.span())
    for m in _RE_DAY.finditer(text):
        y = int(m["y"]) if m["y"] else year
        if not free(m) or y is None:
            continue
        try:
            found.append(
                (m.start(), Deadline("date", m.group(0), date(y, int(m["m"]), int(m["d"]))))
            )
        except ValueError:
            continue
        taken.append(m.span())
    for m in _RE_MONTH_END.finditer(text):
        y = int(m["y"]) if m["y"] else year
        month = int(m["m1"] or m["m2"])
        if not free(m) or y is None or _month_end(y, month) is None:
            continue
        found.append((m.start(), Deadline("month_end", m.group(0), _month_end(y, month))))
        taken.append(m.span())
    for m in _RE_YEAR_END.finditer(text):
        if free(m):
            found.append((m.start(), Deadline("year_end", m.group(0), date(int(m["y"]), 12, 31))))
            taken.append(m.span())
    for m in _RE_BY_YEAR.finditer(text):
        if free(m):
            found.append((m.start(), Deadline("year_end", m.group(0), date(int(m["y"]), 12, 31))))
            taken.append(m.span())
    for m in _RE_THIS_YEAR.finditer(text):
        if free(m) and year is not None:
            found.append((m.start(), Deadline("year_end", m.group(0), date(year, 12, 31))))
            taken.append(m.span())
    for m in _RE_WITHIN.finditer(text):
        if free(m):
            unit = _WITHIN_UNITS[m["u"]]
            found.append((m.start(), Deadline("within", m.group(0), None, int(m["n"]), unit)))
            taken.append(m.span())
    out: list[Deadline] = []
    seen: set[Any] = set()
    for _, d in sorted(found, key=lambda x: x[0]):
        key = d.date if d.date else (d.within, d.unit)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out, recurrences


def targets(text: str) -> list[Target]:
    """Quantitative targets: 达到90%以上 (≥ 90 %), 不少于2次, 日处理能力800吨, 1812套."""
    text = clean(text)
    out: list[Target] = []
    spans: list[tuple[int, int]] = []
    for m in _RE_CAPACITY.finditer(text):
        out.append(Target(m["what"], float(m["v"]), m["u"], "=", m.group(0)))
        spans.append(m.span())
    for m in _RE_TARGET.finditer(text):
        verb, q = m["verb"], m["q"] or ""
        if verb in ("不超过", "低于", "控制在") or q in ("以下", "以内"):
            comparison = "<="
        elif q == "左右":
            comparison = "="
        else:
            comparison = ">="
        out.append(
            Target(_what(text, m.start()), float(m["v"]), m["u"] or "", comparison, m.group(0))
        )
        spans.append(m.span())
    for m in _RE_COUNT.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        out.append(Target(_what(text, m.start()), float(m["v"]), m["u"], "=", m.group(0)))
    return out


def _what(text: str, at: int) -> str:
    """The few words before a number: what the target measures."""
    head = re.split(r"[，。；、：]", text[max(0, at - 24) : at])[-1]
    return head[-16:]


# --------------------------------------------------------------------------- evaluation

FIELDS = ("lead", "cooperate", "implement", "responsible", "units", "deadlines")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def task_facts(task: Task | dict[str, Any]) -> dict[str, set[str]]:
    """A task's units per role and its dated deadlines, as comparable sets."""
    data = task.to_dict() if isinstance(task, Task) else task
    facts: dict[str, set[str]] = {f: set() for f in FIELDS}
    for unit in data.get("units", []):
        facts[unit["role"]].add(unit["unit"])
        facts["units"].add(f"{unit['role']}:{unit['unit']}")
    facts["deadlines"] = {d["date"] for d in data.get("deadlines", []) if d.get("date")}
    return facts


def score(
    expected: dict[str, dict[str, dict[str, Any]]], extracted: dict[str, list[Task]]
) -> dict[str, Score]:
    """Precision and recall per field over (document, task key, value) triples.

    ``expected``: document → task key → {lead, cooperate, implement, responsible,
    deadlines} lists. A task extracted but not expected counts its values as false
    positives; one expected but missed counts them as false negatives.
    """
    scores = {f: Score() for f in (*FIELDS, "tasks")}
    for ident in set(expected) | set(extracted):
        want_tasks = expected.get(ident, {})
        got_tasks = {t.key: task_facts(t) for t in extracted.get(ident, [])}
        for key in set(want_tasks) | set(got_tasks):
            want = want_tasks.get(key)
            got = got_tasks.get(key, {f: set() for f in FIELDS})
            scores["tasks"].tp += want is not None and key in got_tasks
            scores["tasks"].fp += want is None
            scores["tasks"].fn += want is not None and key not in got_tasks
            want_sets = {f: set(want.get(f, [])) for f in FIELDS if f != "units"} if want else {}
            want_sets.setdefault("units", set())
            if want:
                for role in ("lead", "cooperate", "implement", "responsible"):
                    want_sets["units"] |= {f"{role}:{u}" for u in want_sets.get(role, set())}
            for f in FIELDS:
                w, g = want_sets.get(f, set()), got[f]
                scores[f].tp += len(w & g)
                scores[f].fp += len(g - w)
                scores[f].fn += len(w - g)
    return scores
