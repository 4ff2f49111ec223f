"""Title marks (书名号) per GB/T 15834-2011 §4.15: 《》 outside, 〈〉 for a title inside one.

``book_title("关于印发《冠县政务公开方案》的通知")`` → ``《关于印发〈冠县政务公开方案〉的通知》``.
Deeper nesting alternates again (《〈《…》〉》). A title already wrapped in 《》 is not
wrapped twice. Pure text, no Django.
"""

from __future__ import annotations

_OPEN, _CLOSE = "《〈", "》〉"


def book_title(title: str) -> str:
    """``title`` in title marks, the marks inside it re-nested by depth."""
    title = title.strip()
    if title.startswith("《") and title.endswith("》") and _balanced(title[1:-1]):
        title = title[1:-1]
    return "《" + _renest(title, depth=1) + "》"


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _renest(text: str, depth: int) -> str:
    """Each mark inside the outer 《》 at ``depth``: odd → 〈〉, even → 《》."""
    out = []
    for ch in text:
        if ch in _OPEN:
            out.append("〈" if depth % 2 else "《")
            depth += 1
        elif ch in _CLOSE and depth > 1:
            depth -= 1
            out.append("〉" if depth % 2 else "》")
        else:
            out.append(ch)
    return "".join(out)
