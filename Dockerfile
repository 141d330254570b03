# KVSP container image: one image for every role (web, worker, beat); the compose file picks
# the role with `command`.
#
# Three stages, so that build-only tools (gettext) stay out of what runs in production:
#   base    - the Python runtime, WeasyPrint's system libraries and the unprivileged user
#   build   - installs the Python dependencies, compiles translations, collects static files
#   runtime - base plus the results of build
#
# Written for the classic builder as well as BuildKit (Debian's docker-compose 1.29 may use
# either), so no heredocs, no RUN --mount and no COPY --chmod.

FROM python:3.11-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint loads Pango and HarfBuzz through cffi at run time; pip cannot provide them.
# libharfbuzz-subset0 lets it subset embedded fonts (smaller PDFs; future versions require it).
# The fonts themselves ship in static/, so no font packages are installed here. postgresql-client
# gives pg_dump and pg_restore to `manage.py backup` and `restore` (15, as compose's postgres:15).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# A fixed, unprivileged uid: files it writes to the uploads volume keep the same owner across
# image rebuilds.
RUN groupadd --system --gid 10001 kvsp \
    && useradd --system --uid 10001 --gid kvsp --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin kvsp

WORKDIR /app


FROM base AS build

# msgfmt, for compilemessages; only needed while building.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, from pyproject.toml and uv.lock alone, so a code change does not reinstall
# them. uv installs the runtime dependencies at the versions uv.lock names, the same ones
# `make demo`, `make test` and CI install (the Makefile's UV_VERSION); a uv.lock out of date with
# pyproject.toml stops the build. The project itself runs from /app, so it is not installed. uv
# stays in the build stage: only /opt/venv reaches the runtime image.
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_NO_CACHE=1
# The Makefile's UV_VERSION (tests/core/test_setup_files.py checks that the two agree).
ARG UV_VERSION=0.13.10
RUN python -m venv /opt/venv \
    && /usr/local/bin/python -m pip install "uv==${UV_VERSION}"
COPY pyproject.toml uv.lock ./
RUN uv lock --check --offline \
    && uv sync --frozen --inexact --no-install-project --no-dev

COPY . .

# Both commands load the production settings, which refuse to start without a 50+ character
# secret key. The dummy key below exists only for these two commands: it is never written into
# an ENV layer, so no container started from this image can run with it.
# LOCALE_PATHS must exist for compilemessages even while the project has no catalogues yet.
ENV DJANGO_SETTINGS_MODULE=kvsp.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles
RUN mkdir -p locale \
    && DJANGO_SECRET_KEY=build-only-dummy-key-not-used-at-runtime-0123456789abcdef \
        python manage.py compilemessages --ignore=.venv \
    && DJANGO_SECRET_KEY=build-only-dummy-key-not-used-at-runtime-0123456789abcdef \
        python manage.py collectstatic --noinput \
    && chmod 0755 docker/entrypoint.sh


FROM base AS runtime

# The same two paths the build stage used; static files are baked into the image (served by
# WhiteNoise), uploads live on a volume.
ENV DJANGO_SETTINGS_MODULE=kvsp.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media

# Code and dependencies stay owned by root, so the running process cannot modify them.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

# /data/media is created and handed to the app user *before* VOLUME, so a fresh named volume
# is initialised with that ownership. var/ is where the settings fall back to (file cache,
# filesystem broker) when REDIS_URL is unset; make it writable so that case does not crash.
RUN mkdir -p /data/media /app/var \
    && chown kvsp:kvsp /data/media /app/var
VOLUME ["/data/media"]

USER kvsp

EXPOSE 8000

# No curl in the slim image, so Python's urllib does the request; any non-2xx status (urlopen
# raises) or connection error fails the check. The Host header is the first DJANGO_ALLOWED_HOSTS
# entry, since Django answers 400 for any other host. X-Forwarded-Proto: https (trusted through
# SECURE_PROXY_SSL_HEADER) stops the HTTPS redirect from failing the check when
# DJANGO_SECURE_SSL_REDIRECT is on. Only meaningful for the web role: compose replaces it for the
# worker and disables it for beat.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h not in ('', '*') else 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=8)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]

# The web role by default; --worker-tmp-dir keeps gunicorn's heartbeat files in memory instead
# of on the container's overlay filesystem, which can stall them.
CMD ["gunicorn", "kvsp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-", \
     "--logger-class", "kvsp.core.gunicorn_log.RedactingLogger"]
