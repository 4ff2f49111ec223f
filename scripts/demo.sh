#!/usr/bin/env bash
# The main job on the embedded default: parse the sample issue, print its
# outline and its proofreading report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/gongbao parse samples/guanxian-2018-03.md --format outline
echo
.venv/bin/gongbao check samples/guanxian-2018-03.md || true
