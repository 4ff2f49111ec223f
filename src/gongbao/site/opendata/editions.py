"""Where the signed PDFs live, and the print edition kept at 出刊 (path and SHA-256).

Reads ``GONGBAO_PDF_DIR`` and the issue's content hash; writes nothing. Below both
``pdf`` (which prints and keeps editions) and ``services`` (whose manifest signs the
kept edition's hash), so neither imports the other.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def pdf_folder() -> Path:
    """Where signed PDFs and print-edition page maps are kept (``GONGBAO_PDF_DIR``)."""
    from django.conf import settings

    folder = Path(settings.GONGBAO_PDF_DIR or Path(settings.HOME) / "pdf")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def edition_path(issue) -> Path:
    """The print edition made at 出刊, kept under the issue's content hash (no query)."""
    return pdf_folder() / f"issue-{issue.ident}-{(issue.content_hash or '')[:16]}.edition.pdf"


def edition_sha256(issue) -> str | None:
    """SHA-256 of the print edition kept at 出刊, None where the issue has none."""
    path = edition_path(issue)
    if not issue.content_hash or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()
