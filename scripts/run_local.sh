#!/usr/bin/env bash
# Serve bluesky locally with a real Celery worker and beat scheduler, and no server to install:
# unless REDIS_URL is set, Celery's broker is a folder under data/ (kombu's filesystem transport).
set -euo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1:8000}
export BLUESKY_LOCAL_BROKER=${REDIS_URL:+}
[ -n "${REDIS_URL:-}" ] || export BLUESKY_LOCAL_BROKER=1
mkdir -p data
"$PY" -m celery -A bluesky worker --beat --loglevel=INFO --concurrency=1 \
  --schedule data/celerybeat-schedule --logfile data/celery.log &
worker=$!
trap 'kill $worker 2>/dev/null || true; wait $worker 2>/dev/null || true' EXIT INT TERM
echo "bluesky: http://$HOST  (Celery worker + beat: pid $worker, log data/celery.log)"
"$PY" manage.py runserver "$HOST"
