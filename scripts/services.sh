#!/usr/bin/env bash
# Start what the tests need, the ordinary way: PostgreSQL (127.0.0.1:5432, trust auth)
# with a `gongbao` database, Debian's Chromium with CJK fonts for the browser tests,
# tesseract with Chinese language data (OCR tests), Redis (the Celery import test) and
# faketime (the date-sensitive tests run again with the clock in another year).
set -euo pipefail

if command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters --no-header 2>/dev/null | grep -q online; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='gongbao'" | grep -q 1 \
    || createdb -h 127.0.0.1 -U postgres gongbao
else
  echo "services.sh: PostgreSQL is not installed; the PostgreSQL run will fail." >&2
fi

if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "CJK"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null
  else
    echo "services.sh: install Debian's chromium and fonts-noto-cjk for the browser tests." >&2
  fi
fi

if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim \
  || ! command -v redis-server >/dev/null 2>&1 || ! command -v faketime >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim redis-server faketime >/dev/null
  else
    echo "services.sh: install tesseract-ocr, tesseract-ocr-chi-sim, redis-server and faketime." >&2
  fi
fi

if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null
fi
