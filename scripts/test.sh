#!/usr/bin/env bash
# The whole test suite, from a fresh machine: install, start services, then
# pytest on the embedded SQLite, and the Django site tests again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
echo "== SQLite: the whole suite"
.venv/bin/python -m pytest -q "$@"
echo "== PostgreSQL: the archive, pages and search tests"
DATABASE_URL="${GONGBAO_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/gongbao}" \
  .venv/bin/python -m pytest -q tests/site -m "not browser" "$@"
