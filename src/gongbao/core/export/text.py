"""Plain-text views of a parsed issue for the terminal: summary, outline, report."""

from __future__ import annotations

from gongbao.core.model import Document, Node, ParseResult

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def summary(result: ParseResult) -> str:
    issue = result.issue
    lines = [
        f"{issue.gazette or '（未识别公报名称）'}  {issue.year or '?'}年第{issue.number or '?'}期"
        + (f"（总第{issue.cumulative_number}期）" if issue.cumulative_number else ""),
        f"标识：{issue.ident}    编码：{result.encoding}    文件数：{len(result.documents)}",
        "",
    ]
    for doc in result.documents:
        lines.append(_doc_line(doc))
        for label, value in _doc_fields(doc):
            lines.append(f"      {label}：{value}")
    lines += ["", _tally(result)]
    return "\n".join(lines)


def _doc_line(doc: Document) -> str:
    page = f"第{doc.page}页" if doc.page else ""
    return f"{doc.seq:>3}. [{doc.section or '—'}] {doc.title}  {page}"


def _doc_fields(doc: Document) -> list[tuple[str, str]]:
    fields = [
        ("类型", doc.kind),
        ("标识", doc.ident),
        ("文号", doc.doc_number.text if doc.doc_number else None),
        ("发文机关", doc.issuer),
        ("主送机关", doc.recipients),
        ("讲话人", doc.speaker),
        ("日期", doc.date.isoformat() if doc.date else None),
        ("印发", doc.promulgates.title if doc.promulgates else None),
        ("附件", "；".join(a.title for a in doc.attachments) or None),
    ]
    return [(k, v) for k, v in fields if v]


def outline(result: ParseResult) -> str:
    lines = []
    for doc in result.documents:
        lines.append(_doc_line(doc))
        lines += _outline_nodes(doc.body, 1)
        if doc.promulgates is not None:
            lines.append(f"      《{doc.promulgates.title}》")
            lines += _outline_nodes(doc.promulgates.body, 2)
    return "\n".join(lines)


def _outline_nodes(nodes: list[Node], depth: int) -> list[str]:
    out = []
    for node in nodes:
        if node.kind == "section":
            out.append("    " * depth + (node.text[:60] or node.num or ""))
            out += _outline_nodes(node.children, depth + 1)
    return out


def report(result: ParseResult) -> str:
    lines = [f"校对报告：{result.source or result.issue.ident}"]
    for f in result.findings:
        where = f"第{f.lines[0]}行" if f.lines else ""
        doc = f"文件{f.document}" if f.document else ""
        place = " ".join(x for x in (doc, where) if x)
        lines.append(
            f"[{_SEVERITY.get(f.severity, f.severity)}] {f.message}"
            + (f"（{place}）" if place else "")
        )
    repaired = len([r for r in result.repairs])
    lines += [
        "",
        f"已修复版面问题 {repaired} 处（详见 JSON 输出的 report.repairs）。",
        _tally(result),
    ]
    return "\n".join(lines)


def _tally(result: ParseResult) -> str:
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in _SEVERITY}
    if not counts["error"] and not counts["warning"]:
        return f"校对通过：无错误、无警告（提示 {counts['info']} 条）。"
    return f"发现问题：错误 {counts['error']} 条，警告 {counts['warning']} 条，提示 {counts['info']} 条。"
