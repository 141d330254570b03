"""Issue 21, finding 1: behind the documented proxy (KVSP_PROXY_COUNT=1) the login lockout counts
the client's address from X-Forwarded-For, not the proxy's, so one person's wrong passwords never
lock the account for everybody else."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY

from kvsp.core.ratelimit import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.9.9.9"  # every request reaches gunicorn from the proxy
ATTACKER = "203.0.113.5"
CHAIR_AT_HOME = "198.51.100.7"


def _login(client, email, password, forwarded_for):
    return client.post(
        LOGIN,
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_axes_uses_the_rate_limits_client_address():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "kvsp.core.ratelimit.client_address"


def test_lockout_behind_the_proxy_counts_the_client_not_the_proxy(client, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    chair = UserFactory(password=password)
    assert _login(client, chair.email, "wrong-password", ATTACKER).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, chair.email, "wrong-password", ATTACKER)
    # The address that guessed is locked out, even with the right password ...
    locked = _login(client, chair.email, password, ATTACKER)
    assert locked.status_code == 429
    assert SESSION_KEY not in client.session
    # ... while the chair, behind the same proxy from another address, still signs in.
    signed_in = _login(client, chair.email, password, CHAIR_AT_HOME)
    assert signed_in.status_code == 302
    assert client.session[SESSION_KEY] == str(chair.pk)


def test_a_forged_extra_forwarded_address_does_not_escape_the_lockout(client, password, settings):
    # The proxy appends the address it saw; whatever the client put before it is ignored.
    settings.TRUSTED_PROXY_COUNT = 1
    chair = UserFactory(password=password)
    for number in range(settings.AXES_FAILURE_LIMIT):
        _login(client, chair.email, "wrong-password", f"192.0.2.{number}, {ATTACKER}")
    assert _login(client, chair.email, password, f"192.0.2.99, {ATTACKER}").status_code == 429


def test_without_a_proxy_the_forwarded_header_is_not_trusted(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert client_address(request) == "10.1.2.3"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == ATTACKER
