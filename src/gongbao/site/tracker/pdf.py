"""Print-ready PDF of a page: the same HTML with its print stylesheet, through headless Chromium.

``html_to_pdf`` writes the HTML (CSS inlined: the file is read locally, not served)
to a temporary folder and runs ``chromium --headless --print-to-pdf``. Without
Chromium it raises ``PdfUnavailable`` with a message saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class PdfUnavailable(Exception):
    pass


def chromium() -> str | None:
    configured = getattr(settings, "GONGBAO_CHROMIUM", "")
    for path in (configured, *CANDIDATES):
        if path and Path(path).is_file():
            return path
    return shutil.which("chromium")


def html_to_pdf(html: str, timeout: int = 60) -> bytes:
    exe = chromium()
    if exe is None:
        raise PdfUnavailable("导出 PDF 需要 Chromium（/usr/bin/chromium），本机未安装。")
    with tempfile.TemporaryDirectory(prefix="gongbao-pdf-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"Chromium 生成 PDF 失败：{exc}") from exc
        if not out.is_file() or out.stat().st_size == 0:
            raise PdfUnavailable("Chromium 没有生成 PDF。")
        return out.read_bytes()
