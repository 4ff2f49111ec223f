"""The core's settings from the environment: the one module of the core that reads it.

Reads: ``os.environ``. Writes: nothing. Each setting is read when it is used,
not at import, so a command (or a test) may set it after ``gongbao.core`` is
loaded. The site's settings are in ``gongbao.site.settings``.
"""

from __future__ import annotations

import os


def ocr_engine() -> str:
    """``GONGBAO_OCR``: ``rapidocr``, ``tesseract``, or ``none`` (scans refused); empty: the default."""
    return os.environ.get("GONGBAO_OCR", "")
