"""The top bar's count of what waits says it in the right number for screen readers:
"1 thing waits for you", "2 things wait for you" (templates/includes/navbar.html)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("count", "words"), [(1, "1 thing waits for you"), (2, "2 things wait for you")])
def test_the_count_is_pluralised(client, monkeypatch, count, words):
    monkeypatch.setattr("councils.waiting.waiting_count", lambda user: count)
    client.force_login(UserFactory(language="en"))
    html = client.get("/app/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    badge = html.split('class="badge text-bg-warning">', 1)[1].split("</span></span>", 1)[0]
    text = " ".join(badge.replace('<span class="visually-hidden">', "").split())
    assert text == words
    if count == 1:
        assert "things wait" not in badge
