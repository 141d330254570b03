"""Issue 21, finding 6: password reset and the public concern-code look-up are rate-limited, per
client address and per account or code. Over the limit: the same page with a clear message in the
user's language (429), nothing sent, no 500; for password reset the answer is the same whether or
not the account exists."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from consultations import services as consultation_services
from tests.factories import UserFactory, council

pytestmark = pytest.mark.django_db

RESET_LIMITED = "Shumë kërkesa për rivendosje"
LOOKUP_LIMITED = "Shumë kërkime"


def _reset(client, email, address="10.0.0.1", **extra):
    return client.post(reverse("accounts:password-reset"), {"email": email}, REMOTE_ADDR=address, **extra)


def test_fifteen_resets_for_one_account_send_only_the_limit(client, settings):
    person = UserFactory()
    answers = [_reset(client, person.email, address=f"10.0.0.{n}") for n in range(15)]
    allowed = settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT
    assert [a.status_code for a in answers] == [302] * allowed + [429] * (15 - allowed)
    assert len(mail.outbox) <= allowed
    assert RESET_LIMITED in answers[-1].text
    assert f'value="{person.email}"' in answers[-1].text  # what was typed is still there
    assert answers[-1]["Retry-After"] == str(settings.PASSWORD_RESET_RATE_WINDOW)


def test_the_limit_answer_does_not_tell_whether_the_account_exists(client, settings):
    person = UserFactory(email="ana.known@example.al")
    allowed = settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT
    known = [_reset(client, person.email, address=f"10.1.0.{n}") for n in range(allowed + 1)]
    unknown = [_reset(client, "nobody.here@example.al", address=f"10.2.0.{n}") for n in range(allowed + 1)]
    assert [a.status_code for a in known] == [a.status_code for a in unknown]

    def page(answer, email):  # the same page but for the address typed and the CSRF token
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", answer.text.replace(email, "EMAIL"))

    assert page(known[-1], person.email) == page(unknown[-1], "nobody.here@example.al")


def test_many_accounts_from_one_address_are_limited_and_another_address_is_not(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT_ADDRESS = 4
    people = [UserFactory() for _ in range(6)]
    codes = [_reset(client, p.email, address="10.3.3.3").status_code for p in people[:5]]
    assert codes == [302, 302, 302, 302, 429]
    assert _reset(client, people[5].email, address="10.4.4.4").status_code == 302


def test_the_reset_limit_counts_the_address_behind_the_proxy(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT_ADDRESS = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first, second = UserFactory(), UserFactory()
    assert _reset(client, first.email, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302
    assert _reset(client, second.email, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert _reset(client, second.email, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_the_reset_limit_in_english(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT = 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _reset(client, "someone@example.al")
    answer = _reset(client, "someone@example.al")
    assert answer.status_code == 429
    assert "Too many reset requests" in answer.text


def test_without_a_cache_password_reset_still_works(client, monkeypatch, settings):
    from kvsp.core import ratelimit

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT = 1
    person = UserFactory()
    assert [_reset(client, person.email).status_code for _ in range(3)] == [302, 302, 302]


# --- the concern-code look-up ------------------------------------------------------------------


def _lookup(client, code, address="10.0.0.1", **extra):
    return client.get("/elbasan/concerns/", {"code": code}, REMOTE_ADDR=address, **extra)


def test_guessing_codes_from_one_address_is_stopped(client, settings):
    settings.CONCERN_LOOKUP_RATE_LIMIT_ADDRESS = 5
    concern = consultation_services.concern_submit(
        council=council("elbasan"), text="Zhurmë", category="other"
    )
    guesses = [_lookup(client, f"ZZZZ-ZZZ{n}").status_code for n in range(5)]
    assert guesses == [200] * 5
    refused = _lookup(client, concern.code)
    assert refused.status_code == 429
    assert LOOKUP_LIMITED in refused.text
    assert refused["Retry-After"] == str(settings.CONCERN_LOOKUP_RATE_WINDOW)
    # Another address still finds its concern.
    found = _lookup(client, concern.code, address="10.9.9.9")
    assert found.status_code == 302


def test_one_code_tried_from_many_addresses_is_stopped(client, settings):
    settings.CONCERN_LOOKUP_RATE_LIMIT_CODE = 3
    codes = [_lookup(client, "abcd-efgh", address=f"10.5.0.{n}").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    # Typed loosely, it is the same code.
    assert _lookup(client, "ABCD EFGH", address="10.5.1.1").status_code == 429
    assert _lookup(client, "HGFE-DCBA", address="10.5.1.2").status_code == 200
