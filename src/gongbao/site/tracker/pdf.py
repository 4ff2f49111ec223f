"""Print-ready PDF of a tracker page: the same HTML with its print stylesheet.

The printing itself is ``gongbao.site.printing`` (the site's one HTML → PDF
printer); these names stay importable from here for the tracker's views and
``gongbao tasks``.
"""

from __future__ import annotations

from gongbao.site.printing import PdfUnavailable, chromium, html_to_pdf

__all__ = ["PdfUnavailable", "chromium", "html_to_pdf"]
