"""In Chromium, in Albanian: a citizen starts typing a concern and, before sending it, sees the
similar concern the council already published (its published, redacted text only); they say "this
is my problem too" and see it counted, without a second concern; the public consultation page
shows the count. The form chooses no category for the citizen. Every page visited is audited
(axe-core on the page as shown, with the hints; the Nu HTML Checker; CSP: no inline script)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext
from playwright.sync_api import expect

from consultations import lifecycle, services
from consultations.models import Concern
from tests.builders import announce_consultation
from tests.factories import UserFactory, council
from tests.fixtures.browser import sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = "Çdo mbrëmje shitet drogë te stacioni i autobusit pranë shkollës 9-vjeçare."
ORIGINAL = PUBLISHED + " E di se e bën Artan Gjoni, tel. 069 111 2233."
STILL_PRIVATE = "Droga shitet edhe te parku pranë shkollës, thotë Blerina Duka."
TYPED = "Te shkolla e lagjes sonë shesin droge të rinjve"


def _counted(n: int) -> str:
    with translation.override("sq"):
        return ngettext(
            "%(counter)s more citizen has this problem", "%(counter)s more citizens have this problem", n
        ) % {"counter": n}


def test_a_citizen_finds_their_problem_already_raised_and_is_counted(
    page, live_server, audit, reference_data
):
    elbasan = council("elbasan")
    moderator = UserFactory(full_name="Dorina Cela")
    consultation = announce_consultation(
        lifecycle.consultation_create(
            council=elbasan, starts_at=timezone.now() - timedelta(days=3), place="Salla e Këshillit"
        )
    )
    raised = services.concern_submit(
        council=elbasan, consultation=consultation, text=ORIGINAL, category="drugs_alcohol_youth"
    )
    services.concern_publish(concern=raised, public_text=PUBLISHED, user=moderator)
    Concern.objects.filter(pk=raised.pk).update(support_count=4)
    services.concern_submit(council=elbasan, text=STILL_PRIVATE, category="hotspots")  # not published

    page.goto(live_server.url + "/elbasan/concerns/new/")
    category = page.locator("main select[name=category]")
    expect(category).to_have_value("")  # nothing chosen for the citizen
    audit(page)

    # Sent without a category: a clear message, and what was typed is still there.
    page.locator("main textarea[name=text]").fill("Mungon ndriçimi në rrugë.")
    page.get_by_role("button", name="Dërgoni shqetësimin").click()
    expect(page.locator(".invalid-feedback")).to_contain_text(
        sq("Choose the category that fits your concern best.")
    )
    expect(page.locator("main textarea[name=text]")).to_have_value("Mungon ndriçimi në rrugë.")
    audit(page)

    # Typing: after a short pause the similar published concern appears, nothing private.
    page.locator("main textarea[name=text]").fill("")
    page.locator("main textarea[name=text]").press_sequentially(TYPED, delay=10)
    hints = page.locator("#similar-concerns")
    expect(hints).to_contain_text(PUBLISHED)
    expect(hints).to_contain_text(_counted(4))
    for private in ("Artan Gjoni", "069 111 2233", "Blerina Duka", "parku"):
        assert private not in hints.inner_html()
    category.select_option("drugs_alcohol_youth")  # choosing the category asks again
    expect(hints).to_contain_text(PUBLISHED)
    audit(page)

    # "This is my problem too": counted once, no second concern, the typed text untouched.
    hints.get_by_role("button", name=sq("This is my problem too")).click()
    expect(hints).to_contain_text(_counted(5))
    expect(hints).to_contain_text(sq("You said this is your problem too."))
    expect(hints.get_by_role("button", name=sq("This is my problem too"))).to_have_count(0)
    expect(page.locator("main textarea[name=text]")).to_have_value(TYPED)
    audit(page)
    assert Concern.objects.get(pk=raised.pk).support_count == 5
    assert Concern.objects.count() == 2

    # The same session asking again (the hints come back): still counted once.
    page.locator("main textarea[name=text]").press_sequentially(" çdo natë", delay=10)
    expect(hints).to_contain_text(sq("You said this is your problem too."))
    assert Concern.objects.get(pk=raised.pk).support_count == 5

    # Without JavaScript, the same address answers a whole page of hints.
    page.goto(f"{live_server.url}/elbasan/concerns/similar/?text=droga+shkolla")
    expect(page.get_by_role("heading", level=1)).to_contain_text(sq("Similar concerns"))
    expect(page.locator("main")).to_contain_text(PUBLISHED)
    audit(page)

    # The public consultation page shows how many share the problem.
    page.goto(f"{live_server.url}/elbasan/consultations/{consultation.pk}/")
    expect(page.get_by_text(PUBLISHED)).to_be_visible()
    expect(page.locator(".kvsp-support-count")).to_contain_text(_counted(5))
    audit(page)
