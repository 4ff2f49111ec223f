#!/usr/bin/env bash
# The main job on the embedded default: create the SQLite archive in ./data,
# import the sample issue (and synthetic issues of an invented county so that
# several years show), publish them and serve the site at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/gongbao demo --host 127.0.0.1 --port "${PORT:-8000}"
