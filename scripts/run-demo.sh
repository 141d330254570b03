#!/usr/bin/env bash
# Start the demo: the web server and one Celery worker with the beat scheduler in it.
# Ctrl-C stops all of them.
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-kvsp.settings.dev}
ADDRESS=${DEMO_ADDRESS:-127.0.0.1:8000}

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the demo ..."
  kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  exit 0
}
trap stop INT TERM EXIT

# One worker with beat inside (-B): with the embedded filesystem:// broker this is the only
# arrangement in which periodic tasks run. --pool solo keeps it to one process.
.venv/bin/celery -A kvsp worker -B --pool solo --loglevel INFO >var/worker.log 2>&1 &
pids+=($!)
$PY manage.py runserver "$ADDRESS" --noreload &
pids+=($!)

echo
echo "KVSP demo: http://$ADDRESS/  (worker log: var/worker.log; Ctrl-C stops everything)"
echo
wait -n "${pids[@]}"
