#!/bin/sh
# Container entry point for every KVSP role (web, worker, beat).
#
# Only the web service sets RUN_MIGRATIONS=1: exactly one role applying migrations avoids two
# containers racing over the same schema change at start-up. Scaling web beyond one container
# means moving `migrate` to a one-off job and leaving RUN_MIGRATIONS unset.
# No wait-for-database loop here: compose starts the app only once PostgreSQL and Redis report
# healthy, and a failed migrate exits non-zero so the restart policy simply tries again.
set -eu

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    echo "entrypoint: applying database migrations" >&2
    python manage.py migrate --noinput
fi

# exec, so the server becomes PID 1 and receives docker's SIGTERM for a graceful shutdown.
exec "$@"
