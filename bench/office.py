"""The office-made test set scored per source: documents found, fields right, body CER.

    .venv/bin/python bench/office.py            # DOCX, PDF and the kept 300 and 200 dpi OCR lines

The issues are made by tools/make_office_set.py (Word with direct formatting →
LibreOffice PDF → 300 dpi scans read by rapidocr, kept in tests/data/ocr). Each
document is scored against the corpus truth of the document it was made from
(``gongbao.core.evaluate``: title, 文号, issuer, date, 主送, 印发, headings);
the body CER is against the same documents parsed from their corpus text, with
the folding of tests/test_office_set.py (punctuation widths, 〇/○) for scans.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def main() -> int:
    from gongbao.core.evaluate import FIELDS, score_document
    from gongbao.core.export.json import document_dict
    from tests.test_office_set import (
        ISSUES,
        SOURCES,
        body_text,
        cer,
        fold,
        parsed,
        plain,
        reference,
        truth,
    )

    print("source  documents  fields right   body CER (folded)")
    for source in SOURCES:
        found = total = right = fields = 0
        errors, chars = 0.0, 0
        wrong: list[str] = []
        for issue in ISSUES:
            result, want = parsed(issue, source), truth(issue)
            total += len(want["documents"])
            found += min(len(result.documents), len(want["documents"]))
            for doc, w in zip(result.documents, want["documents"], strict=False):
                gold = json.loads((CORPUS / f"{w['id']}.truth.json").read_text("utf-8"))
                score = score_document(gold, document_dict(doc), 1)
                fields += len(FIELDS) - 1  # count: one document per entry by construction
                right += sum(score.right[f] for f in FIELDS if f != "count")
                wrong += [f"{w['id']} {f}: {v!r}" for f, v in score.wrong.items() if f != "count"]
            ref = reference(issue)
            got = plain(body_text(result))
            rate = cer(fold(got), fold(ref)) if source.startswith("scan") else cer(got, ref)
            errors += rate * len(ref)
            chars += len(ref)
        print(
            f"{source:<7} {found:>3} / {total:<3}  {right:>3} / {fields:<3}   {errors / chars:.2%}"
        )
        for line in wrong:
            print("    " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
