"""The one HTML → PDF printer of the site: headless Chromium, ``--print-to-pdf``.

Used by the signed document and issue PDFs (``opendata.pdf``), the tracker's
quarterly report (``tracker.pdf``) and the 政府信息公开 annual report
(``disclosure.report``). The HTML is self-contained (stylesheet inline, images
as data: URLs): it is written to a temporary folder and opened from there, so
nothing is served. Running heads and folios come from the page's own CSS
(``@page`` margin boxes), so Chromium's default header and footer are off.

Every failure is a ``PdfUnavailable`` whose message is for the user, in Chinese:
no Chromium, Chromium failing to start, running past ``timeout`` seconds
(the process is killed), or finishing without a file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class PdfUnavailable(Exception):
    """No PDF could be printed; the message says why, for the user."""


def chromium() -> str | None:
    """The Chromium to print with: ``GONGBAO_CHROMIUM``, a usual path, or ``chromium`` on PATH."""
    configured = getattr(settings, "GONGBAO_CHROMIUM", "")
    for path in (configured, *CANDIDATES):
        if path and Path(path).is_file():
            return str(path)
    return shutil.which("chromium")


def html_to_pdf(html: str, timeout: int = 90) -> bytes:
    """Print ``html`` to PDF bytes; raise ``PdfUnavailable`` (Chinese message) on any failure."""
    exe = chromium()
    if exe is None:
        raise PdfUnavailable("导出 PDF 需要 Chromium（/usr/bin/chromium），本机未安装。")
    with tempfile.TemporaryDirectory(prefix="gongbao-pdf-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--font-render-hinting=none", f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}", page.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(
                f"生成 PDF 超时：Chromium 在 {timeout} 秒内没有完成，已停止。请稍后再试。"
            ) from exc
        except OSError as exc:
            raise PdfUnavailable(f"无法启动 Chromium 生成 PDF：{exc}") from exc
        if not out.is_file() or out.stat().st_size == 0:
            raise PdfUnavailable("Chromium 没有生成 PDF。")
        return out.read_bytes()
