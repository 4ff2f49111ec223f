#!/usr/bin/env bash
# Create .venv (if missing) and install gongbao with every extra (PDF, OCR, site)
# and its test tools, so the README's two commands need nothing else. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e '.[all,test]'
