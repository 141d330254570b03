"""One site address (KVSP_SITE_URL, which `make demo` derives from DEMO_ADDRESS): with another
address configured, an e-mail, the plan's JSON and its page's permanent address, the Atom feed and
the calendar carry that address and never the default 127.0.0.1:8000 (issue 25, item 2). The
checks of DEMO_ADDRESS and of uv.lock stop with a message and a non-zero exit."""

# ruff: noqa: F811 (the fixture of tests/fixtures/plan_files.py, imported by name)

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from councils.meetings import services as meeting_services
from plans.exports.published import plan_json, public_path
from tests.builders import published_plan
from tests.factories import UserFactory
from tests.fixtures.plan_files import people  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "http://kvsp.example.al:8123"
STRAY = ("127.0.0.1:8000", "localhost:8000")


def _clean(text: str) -> None:
    for stray in STRAY:
        assert stray not in text


@pytest.mark.django_db
@override_settings(SITE_URL=ADDRESS, ALLOWED_HOSTS=["kvsp.example.al", "testserver"])
def test_every_absolute_link_uses_the_configured_address(people, django_capture_on_commit_callbacks):
    person = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:password-reset"), {"email": person.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert f"{ADDRESS}/accounts/password/reset/" in message.body
    _clean(message.body)
    _clean(message.alternatives[0][0])

    version = published_plan(people)
    body = plan_json(version).decode()
    assert f'"{ADDRESS}{public_path(version)}"' in body
    _clean(body)

    # The year's address shows the newest version and gives the permanent address of this one.
    page = Client(HTTP_HOST="kvsp.example.al:8123").get(f"/elbasan/plan/{version.plan.year}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{ADDRESS}{public_path(version)}" in html
    _clean(html)

    meeting_services.meeting_create(
        council=people["council"],
        kind="council",
        starts_at=timezone.now() + timedelta(days=7),
        place="Salla e Këshillit",
        title="Mbledhja e radhës",
    )
    calendar = Client().get("/elbasan/meetings.ics")
    assert calendar.status_code == 200
    assert "@kvsp.example.al:8123" in calendar.content.decode()
    _clean(calendar.content.decode())

    feed = Client(HTTP_HOST="kvsp.example.al:8123").get("/elbasan/feed.atom")
    assert feed.status_code == 200
    assert "kvsp.example.al" in feed.content.decode()
    _clean(feed.content.decode())


@pytest.mark.parametrize(
    "address", ["8000", "127.0.0.1", "http://127.0.0.1:8000", "localhost:99999", "a b:80"]
)
def test_a_demo_address_that_is_not_host_port_stops_with_a_message(address):
    result = subprocess.run(
        ["bash", "scripts/check-address.sh", address], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DEMO_ADDRESS must be host:port" in result.stderr


@pytest.mark.parametrize("address", ["127.0.0.1:8000", "localhost:8080", "[::1]:8000", "kvsp.example.al:80"])
def test_a_host_port_demo_address_passes(address):
    result = subprocess.run(["bash", "scripts/check-address.sh", address], cwd=ROOT, check=False)
    assert result.returncode == 0


def _uv() -> str:
    for candidate in (ROOT / ".venv" / "bin" / "uv", shutil.which("uv")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    pytest.fail("uv is not installed: `make install` puts it into .venv")


def test_a_lock_out_of_date_with_pyproject_stops_with_a_message(tmp_path):
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "check-lock.sh", tmp_path / "scripts" / "check-lock.sh")
    check = ["bash", "scripts/check-lock.sh", _uv()]
    assert subprocess.run(check, cwd=tmp_path, capture_output=True, check=False).returncode == 0

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"segno>=1.6,<2"', '"segno>=1.6,<2", "six>=1.16"'))
    result = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    # The script's own line first (offline, uv speaks of a missing cache entry), uv's text under it.
    first, *rest = result.stderr.splitlines()
    assert first.startswith("uv.lock is out of date with pyproject.toml")
    assert "uv lock" in result.stderr
    assert "details:" in rest and rest.index("details:") < len(rest) - 1
