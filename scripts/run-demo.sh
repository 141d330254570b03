#!/usr/bin/env bash
# Start the demo: the web server and one Celery worker with the beat scheduler in it, then print
# the address and the demo accounts, last. The web server writes to var/web.log, the worker (and so
# every e-mail the demo sends: the console e-mail backend) to var/worker.log. Ctrl-C stops both.
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-kvsp.settings.dev}
ADDRESS=${DEMO_ADDRESS:-127.0.0.1:8000}
bash scripts/check-address.sh "$ADDRESS" || exit 2
HOST=${ADDRESS%:*}
# Every absolute link the demo writes uses this address (unless KVSP_SITE_URL says otherwise).
export KVSP_SITE_URL=${KVSP_SITE_URL:-http://$ADDRESS}
# Django compares a request's host as the browser sends it: an IPv6 one keeps its brackets ([::1]).
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost,$HOST}
mkdir -p var

pids=()
stop() {
  local rc=$1
  trap - INT TERM EXIT
  echo
  echo "Stopping the demo ..."
  kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  exit "$rc"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

echo "Starting the web server and the worker ..."
# One worker with beat inside (-B): with the embedded filesystem:// broker this is the only
# arrangement in which periodic tasks run. --pool solo keeps it to one process.
.venv/bin/celery -A kvsp worker -B --pool solo --loglevel INFO >var/worker.log 2>&1 &
pids+=($!)
$PY manage.py runserver "$ADDRESS" --noreload >var/web.log 2>&1 &
web=$!
pids+=($web)

# Wait until the home page answers with a success (or the server gives up), then say where it is.
# An error status (400 for a host Django does not allow, 500) is a failure, not "it answers".
if ! $PY - "http://$ADDRESS/" "$web" <<'PYEOF'
import os, sys, time, urllib.error, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
for _ in range(600):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            sys.exit(0 if response.status < 400 else 1)
    except urllib.error.HTTPError as error:
        print(f"The home page answers {error.code} {error.reason}.", file=sys.stderr)
        sys.exit(1)
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit(1)
        time.sleep(0.2)
sys.exit(1)
PYEOF
then
  echo "The web server did not start or does not answer the home page; the end of var/web.log:"
  tail -n 20 var/web.log
  exit 1
fi

$PY manage.py demo_accounts
echo
echo "KVSP demo: $KVSP_SITE_URL/  (logs: var/web.log, var/worker.log with the e-mails; Ctrl-C stops everything)"
wait -n "${pids[@]}"
