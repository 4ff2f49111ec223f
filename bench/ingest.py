"""Ingest benchmark: PDF text extraction, DOCX reading, bulk import with 1 and 2 workers.

    .venv/bin/python bench/ingest.py [--issues 24]

1. PDF pages/s: ``readers.pdf.read_pdf`` on the typeset real issue (63 pages), best of 3.
2. DOCX documents/s: ``readers.docx.read_docx`` + ``parse_stream`` on the real issue's .docx
   (18 documents), best of 3.
3. Bulk import: ``gongbao import FOLDER --workers N`` (N = 1, 2) on ``--issues`` generated
   issues plus the PDF and the DOCX (copies with a changed issue number, so that every file
   is a new issue), each run into a fresh SQLite archive in a subprocess; files/min.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
SOURCES = ROOT / "tests" / "data" / "sources"


def best(fn, n: int = 3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--issues", type=int, default=24)
    args = ap.parse_args()
    from gongbao.core.parse import parse_stream
    from gongbao.core.readers.docx import read_docx
    from gongbao.core.readers.pdf import read_pdf
    from gongbao.testing.generate import generate_corpus

    pdf = (SOURCES / "guanxian-2018-03.pdf").read_bytes()
    docx = (SOURCES / "guanxian-2018-03.docx").read_bytes()
    pages = 63
    secs = best(lambda: read_pdf(pdf, "x.pdf"))
    print(f"PDF text extraction: {pages / secs:.1f} pages/s ({secs:.2f} s for {pages} pages)")
    secs_parse = best(lambda: parse_stream(read_pdf(pdf, "x.pdf")))
    print(f"PDF read + parse: {pages / secs_parse:.1f} pages/s")
    secs = best(lambda: parse_stream(read_docx(docx, "x.docx")))
    print(f"DOCX read + parse: {18 / secs:.1f} documents/s ({secs:.2f} s for 18 documents)")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        generate_corpus(corpus, count=args.issues, seed=5, start_year=2009, gazettes=2)
        shutil.copy(SOURCES / "guanxian-2018-03.pdf", corpus / "guanxian-2018-03.pdf")
        files = sum(1 for p in corpus.rglob("*") if p.is_file())
        for workers in (1, 2):
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env["GONGBAO_HOME"] = str(Path(tmp) / f"home{workers}")
            cli = [sys.executable, "-m", "gongbao.cli"]
            subprocess.run([*cli, "reindex"], env=env, capture_output=True, check=True)
            t = time.perf_counter()
            out = subprocess.run(
                [*cli, "import", str(corpus), "--workers", str(workers), "-q"],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            secs = time.perf_counter() - t
            print(
                f"bulk import, {workers} worker(s): {files} files in {secs:.1f} s = "
                f"{60 * files / secs:.0f} files/min  [{out.stdout.strip().splitlines()[0]}]"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
