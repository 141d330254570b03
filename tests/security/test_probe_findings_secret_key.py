"""Issue 21, finding 2: production never runs with a public secret key.

docker-compose.yml had a 79-character placeholder as its default, which the length check let
through. Now compose has no default and production settings refuse any known placeholder."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kvsp.settings.secret_key import KNOWN_PLACEHOLDER_KEYS, secret_key_problem
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
OLD_COMPOSE_DEFAULT = "change-me-this-placeholder-is-public-set-DJANGO_SECRET_KEY-in-production"


def _import_production(key: str) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CI")},
        "DJANGO_SETTINGS_MODULE": "kvsp.settings.production",
        "DJANGO_SECRET_KEY": key,
    }
    return subprocess.run(
        [sys.executable, "-c", "import kvsp.settings.production"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "key",
    [
        OLD_COMPOSE_DEFAULT,
        "dev-only-insecure-key-do-not-use-in-production-" + "a" * 10,
        "please-CHANGE-ME-" + secrets.token_urlsafe(48),
        "insecure-" + secrets.token_urlsafe(48),
        secrets.token_urlsafe(48) + "-placeholder",
    ],
    ids=["compose-default", "dev-default", "change-me", "insecure", "placeholder"],
)
def test_production_settings_refuse_a_placeholder_key(key):
    assert len(key) >= 50  # long enough: only the placeholder check can refuse it
    result = _import_production(key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "placeholder" in result.stderr


def test_production_settings_accept_a_random_key():
    result = _import_production(secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stderr


def test_every_known_placeholder_is_refused():
    for key in KNOWN_PLACEHOLDER_KEYS:
        assert secret_key_problem(key.upper().ljust(60, "x")) is not None
    assert secret_key_problem("short") is not None
    assert secret_key_problem(secrets.token_urlsafe(64)) is None


def test_compose_has_no_default_secret_key():
    compose = (ROOT / "docker-compose.yml").read_text()
    (line,) = [line for line in compose.splitlines() if line.strip().startswith("DJANGO_SECRET_KEY:")]
    assert re.search(r"\$\{DJANGO_SECRET_KEY:\?[^}]+\}", line), line
    assert OLD_COMPOSE_DEFAULT not in compose


def test_compose_refuses_to_start_without_a_key():
    require(bool(shutil.which("docker-compose")), "docker-compose is not installed")
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    refused = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY" in refused.stderr
    accepted = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env={**environment, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert accepted.returncode == 0, accepted.stderr
