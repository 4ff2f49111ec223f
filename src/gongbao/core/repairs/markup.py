"""Repair: strip markup residue a converter left in the text.

Reads: blocks. Writes: the same blocks with bold markers, HTML comments, tags and
entities, LaTeX fragments and Markdown escapes removed from every line, each
removal recorded as a ``Repair``. A paragraph that opened with a bold run
followed by more text keeps that run in ``Block.bold_prefix``: it is a run-in
heading (``**（三）强化保障、狠抓落实。**一是…``) or a lead (``**主要工作：**``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from gongbao.core.model import Block, Line, Repair

_BOLD_RE = re.compile(r"\*\*|__")
_COMMENT_RE = re.compile(r"<!--.{0,200}?-->")
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>\n]{0,200})?/?>")
_ENTITY_RE = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_LATEX_RE = re.compile(r"\$([^$\n]{1,80})\$")
_LATEX_CMD_RE = re.compile(r"\\([A-Za-z]+)\s?")
_LATEX_SCRIPT_RE = re.compile(r"[_^]\{([^{}]{0,20})\}|[_^](\w)")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")

LATEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "theta": "θ",
    "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "omega": "ω", "Delta": "Δ", "Sigma": "Σ", "Omega": "Ω", "times": "×", "div": "÷",
    "pm": "±", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "approx": "≈",
    "cdot": "·", "circ": "°", "degree": "°", "permil": "‰", "infty": "∞", "sim": "～",
    "rightarrow": "→", "to": "→", "leftarrow": "←", "%": "%",
}  # fmt: skip
_SUPERSCRIPTS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_SUBSCRIPTS = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")


_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|section|article|blockquote|center)\b[^<>\n]{0,200}/?>",
    re.IGNORECASE,
)


def split_html_paragraphs(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """A web page pasted with its markup on one line: each <p>, <br>, <div> ends a paragraph.

    The block tags are removed (recorded); the text between them becomes one
    block each, so that the parser sees the page's paragraphs.
    """
    out: list[Block] = []
    for block in blocks:
        if block.rows is not None or not any(_BLOCK_TAG_RE.search(ln.text) for ln in block.lines):
            out.append(block)
            continue
        # A wrapped page may cut a tag over two lines: the block's lines are read as one.
        whole = [Line(block.first_line, "".join(ln.text for ln in block.lines))]
        for line in whole:
            tags = _BLOCK_TAG_RE.findall(line.text)
            if tags:
                log.append(Repair("html-tag", (line.no, line.no), removed="".join(tags)))
            for piece in _BLOCK_TAG_RE.split(line.text):
                if piece.strip():
                    out.append(Block("paragraph", [Line(line.no, piece.strip())]))
                elif piece:
                    log.append(Repair("html-tag", (line.no, line.no), removed=piece))
    return out


def strip_markup(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Remove markup residue from every line of every block (tables are already cut)."""
    for block in blocks:
        if block.rows is not None:
            block.rows = [
                [_clean(cell, block.first_line, log) for cell in row] for row in block.rows
            ]
            continue
        if block.kind == "paragraph" and block.lines:
            block.bold_prefix = _bold_prefix(block.lines[0].text)
        block.lines = [Line(ln.no, _clean_line(ln.text, ln.no, log)) for ln in block.lines]
        block.lines = [ln for ln in block.lines if ln.text.strip()]
        if block.bold_prefix is not None:
            block.bold_prefix = _plain(block.bold_prefix)
    return [b for b in blocks if b.lines or b.rows]


def _bold_prefix(text: str) -> str | None:
    """The bold run a paragraph opens with, when more text follows it."""
    if not text.startswith(("**", "__")):
        return None
    mark = text[:2]
    end = text.find(mark, 2)
    if end <= 2 or not text[end + 2 :].strip():
        return None
    return text[2:end]


def _plain(text: str) -> str:
    """A bold run's text without markup, for matching against the cleaned line."""
    return _ESCAPE_RE.sub(r"\1", _TAG_RE.sub("", _BOLD_RE.sub("", text))).strip()


def _clean_line(text: str, no: int, log: list[Repair]) -> str:
    """A line without markup; the spaces a removed tag stood between go too (<strong> 一、)."""
    clean = _clean(text, no, log)
    return clean.strip() if clean != text else clean


def _clean(text: str, no: int, log: list[Repair]) -> str:
    text = _sub_logged(_COMMENT_RE, lambda m: "", text, no, "html-comment", log)
    text = _sub_logged(_TAG_RE, lambda m: "", text, no, "html-tag", log)
    text = _sub_logged(
        _ENTITY_RE, lambda m: html.unescape(m.group(0)), text, no, "html-entity", log
    )
    text = _sub_logged(_LATEX_RE, lambda m: _latex(m.group(1)), text, no, "latex", log)
    text = _sub_logged(_ESCAPE_RE, lambda m: m.group(1), text, no, "markdown-escape", log)
    return _sub_logged(_BOLD_RE, lambda m: "", text, no, "bold-marker", log)


def _sub_logged(
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str],
    text: str,
    no: int,
    kind: str,
    log: list[Repair],
) -> str:
    removed: list[str] = []
    inserted: list[str] = []

    def sub(m: re.Match[str]) -> str:
        new = repl(m)
        removed.append(m.group(0))
        inserted.append(new)
        return new

    out = pattern.sub(sub, text)
    if removed:
        log.append(Repair(kind, (no, no), removed="".join(removed), inserted="".join(inserted)))
    return out


def _latex(src: str) -> str:
    """Render a short LaTeX fragment as the Unicode text it stands for (``\\alpha`` → α)."""

    def cmd(m: re.Match[str]) -> str:
        return LATEX_SYMBOLS.get(m.group(1), m.group(1))

    def script(m: re.Match[str]) -> str:
        body = m.group(1) if m.group(1) is not None else m.group(2)
        table = _SUPERSCRIPTS if m.group(0).startswith("^") else _SUBSCRIPTS
        return body.translate(table)

    out = _LATEX_SCRIPT_RE.sub(script, src.replace("\\%", "%"))
    out = _LATEX_CMD_RE.sub(cmd, out)
    return out.replace("{", "").replace("}", "").strip()
