"""OCR benchmark: tesseract (chi_sim) vs rapidocr-onnxruntime on the typeset real issue.

    .venv/bin/python bench/ocr.py                       # a few pages, both engines, 300/200 dpi + degraded
    .venv/bin/python bench/ocr.py --pages all           # every page (slow on a small machine)
    .venv/bin/python bench/ocr.py --issue --engine rapidocr --dpi 300   # whole issue → parse → metadata
        [--save tests/data/ocr/guanxian-2018-03-300dpi.json.gz]          # keep the engine's lines

Per page, the ground truth is the PDF's own text layer (tests/data/sources/guanxian-2018-03.pdf,
made by tools/make_testset.py); CER = Levenshtein distance / truth length, white space and
dotted leaders ignored.
``--issue`` OCRs every page, parses the result and compares the 18 documents with
expected.json (文号, dates, titles) and the body text with the Markdown parse.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tools")]

PDF = ROOT / "tests" / "data" / "sources" / "guanxian-2018-03.pdf"
SHARED = ROOT.parent / "shared" / "corpus"


def squash(text: str) -> str:
    """Without white space and dotted leaders (no engine reads those; the TOC page is full)."""
    return re.sub(r"\.{2,}|…+", "", "".join(text.split()))


def cer(got: str, want: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(got, want) / max(len(want), 1)


def page_truth(doc, index: int) -> str:
    from gongbao.core.readers.pdf import _page_lines

    return squash("".join(ln.text for ln in _page_lines(doc[index])))


def variants(index: int, dpis: list[int], degraded: bool):
    from make_testset import degrade, render_page

    for dpi in dpis:
        yield f"{dpi}dpi", render_page(PDF, index, dpi)
    if degraded:
        yield "degraded", degrade(render_page(PDF, index, 300), seed=index)


def per_page(engines: list[str], pages: list[int], dpis: list[int], degraded: bool) -> list[dict]:
    import pypdfium2 as pdfium

    from gongbao.core.readers.ocr import ocr_page

    doc = pdfium.PdfDocument(str(PDF))
    rows = []
    for index in pages:
        truth = page_truth(doc, index)
        for label, image in variants(index, dpis, degraded):
            for engine in engines:
                if not rows:
                    ocr_page(engine, image.copy(), index)  # load the models first
                t = time.perf_counter()
                page = ocr_page(engine, image, index)
                secs = time.perf_counter() - t
                got = squash("".join(ln.text for ln in page.lines))
                confs = [ln.conf for ln in page.lines if ln.conf is not None]
                rows.append(
                    {
                        "page": index + 1,
                        "variant": label,
                        "engine": engine,
                        "cer": cer(got, truth),
                        "seconds": secs,
                        "chars": len(truth),
                        "low_conf_lines": sum(c < 0.8 for c in confs),
                        "lines": len(confs),
                    }
                )
                r = rows[-1]
                print(
                    f"p{r['page']:>3} {label:>8} {engine:>9}  CER {r['cer']:.2%}  {secs:5.1f}s",
                    flush=True,
                )
    doc.close()
    return rows


def summary(rows: list[dict]) -> None:
    print("\nengine     variant   pages  CER(mean)  pages/min")
    keys = sorted({(r["engine"], r["variant"]) for r in rows})
    for engine, variant in keys:
        sel = [r for r in rows if r["engine"] == engine and r["variant"] == variant]
        chars = sum(r["chars"] for r in sel)
        err = sum(r["cer"] * r["chars"] for r in sel) / max(chars, 1)
        ppm = 60 * len(sel) / sum(r["seconds"] for r in sel)
        print(f"{engine:<10} {variant:<9} {len(sel):>5}  {err:8.2%}  {ppm:9.2f}")


def ocr_issue(engine: str, dpi: int, degraded: bool) -> tuple[list, float]:
    """OCR every page of the typeset issue; the pages and the seconds it took."""
    import pypdfium2 as pdfium
    from make_testset import degrade, render_page

    from gongbao.core.readers.ocr import ocr_page

    doc = pdfium.PdfDocument(str(PDF))
    n = len(doc)
    doc.close()
    pages = []
    t = time.perf_counter()
    for index in range(n):
        image = render_page(PDF, index, dpi)
        if degraded:
            image = degrade(image, seed=index)
        pages.append(ocr_page(engine, image, index))
        print(f"\rOCR {index + 1}/{n}", end="", file=sys.stderr, flush=True)
    return pages, time.perf_counter() - t


def whole_issue(
    engine: str, dpi: int, degraded: bool, save: Path | None, load: Path | None
) -> None:
    """OCR every page (or load a kept run), parse, compare with the truth and the Markdown parse."""
    import gzip

    from gongbao.core.readers.layout import pages_from_json, pages_to_json
    from tests.ocr_issue import compare

    label = f"{engine} {dpi}dpi{' degraded' if degraded else ''}"
    if load is not None:
        pages = pages_from_json(json.loads(gzip.decompress(load.read_bytes())))
        print(f"{label}: {len(pages)} pages read from {load}")
    else:
        pages, secs = ocr_issue(engine, dpi, degraded)
        n = len(pages)
        print(f"\n{label}: {n} pages in {secs:.0f}s ({60 * n / secs:.2f} pages/min)")
    if save is not None:
        data = json.dumps(pages_to_json(pages), ensure_ascii=False, separators=(",", ":"))
        save.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))
    report = compare(pages)
    print(
        f"documents found: {report.found} (want 18); body CER vs Markdown parse: {report.cer:.2%}"
    )
    for line in report.wrong:
        print("  " + line)
    print("correct of 18: " + ", ".join(f"{k} {v}" for k, v in report.correct.items()))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", action="append", choices=("tesseract", "rapidocr"))
    ap.add_argument("--pages", default="2,9,18", help="physical page numbers (1-based) or 'all'")
    ap.add_argument("--dpi", type=int, action="append")
    ap.add_argument("--no-degraded", action="store_true")
    ap.add_argument("--issue", action="store_true", help="OCR the whole issue and parse it")
    ap.add_argument("--degraded", action="store_true", help="with --issue: the degraded scans")
    ap.add_argument("--save", type=Path, help="with --issue: keep the engine's lines (.json.gz)")
    ap.add_argument("--load", type=Path, help="with --issue: parse a kept run instead of OCR")
    args = ap.parse_args()
    engines = args.engine or ["tesseract", "rapidocr"]
    dpis = args.dpi or [300, 200]
    if args.issue:
        for engine in engines:
            whole_issue(engine, dpis[0], args.degraded, args.save, args.load)
        return 0
    import pypdfium2 as pdfium

    n = len(pdfium.PdfDocument(str(PDF)))
    pages = list(range(n)) if args.pages == "all" else [int(p) - 1 for p in args.pages.split(",")]
    rows = per_page(engines, pages, dpis, not args.no_degraded)
    summary(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
