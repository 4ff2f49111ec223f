#!/usr/bin/env bash
# The whole test suite, from a fresh machine: install, start services, then
# pytest on the embedded SQLite (everything) and the Django site tests again on
# PostgreSQL. The two runs share nothing (each has its own data folder, database
# and Celery queue), so they run side by side: on two cores that halves the wait.
# Then the date-sensitive tests once more with the system clock in a year the
# holiday calendar does not know (libfaketime): they must not notice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
logs=$(mktemp -d)
FAKE_NOW="2027-06-01 12:00:00"
DATED_TESTS=(tests/site/test_disclosure_requests.py tests/site/test_disclosure_deadlines.py
  tests/site/test_disclosure_public.py tests/site/test_disclosure_report.py tests/site/test_tracker.py
  tests/site/test_holiday_notice.py tests/site/test_clock.py tests/test_tasks.py)
echo "== running: SQLite (the whole suite) and PostgreSQL (tests/site) side by side"
# The SQLite half runs the core tests under coverage, then tests/site: the core's
# coverage is measured without a third run and held at the floor in pyproject.toml
# ([tool.coverage.report] fail_under; docs/testing.md), checked on a full run only.
(
  part=0
  COVERAGE_FILE="$logs/coverage" .venv/bin/python -m coverage run -m pytest -q --durations=12 \
    --ignore=tests/site "$@" || part=1
  if [ "$#" -eq 0 ]; then
    echo "coverage of gongbao.core, in per cent (floor: fail_under in pyproject.toml):"
    COVERAGE_FILE="$logs/coverage" .venv/bin/python -m coverage report --format=total || part=1
  fi
  .venv/bin/python -m pytest -q --durations=12 tests/site "$@" || part=1
  exit "$part"
) >"$logs/sqlite.log" 2>&1 &
sqlite=$!
DATABASE_URL="${GONGBAO_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/gongbao}" \
  .venv/bin/python -m pytest -q --durations=12 tests/site -m "not browser and not render" "$@" >"$logs/postgres.log" 2>&1 &
postgres=$!
status=0
wait "$sqlite" || status=1
echo "== SQLite: the whole suite"
cat "$logs/sqlite.log"
wait "$postgres" || status=1
echo "== PostgreSQL: the archive, pages and search tests"
cat "$logs/postgres.log"
echo "== SQLite again, the system clock at $FAKE_NOW: the date-sensitive tests"
faketime "$FAKE_NOW" .venv/bin/python -m pytest -q "${DATED_TESTS[@]}" || status=1
exit "$status"
