"""In Chromium, on a 360-px phone, in Albanian: a citizen raises a concern with a photo that tells
where it was taken (EXIF GPS); a file that is not a photo first comes back as a form error with the
text kept; the technical secretary sees the photo in moderation and publishes the concern with it
and a description; the public consultation page and the concern's page show the photo, and the
photo served has no EXIF, no location, nothing but pixels. Every page visited is audited (axe-core,
Nu HTML Checker, CSP) and none scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations import lifecycle
from consultations.models import Concern
from councils.models import Role
from tests.builders import announce_consultation
from tests.consultations.photo_helpers import has_metadata, jpeg_with_location
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
PHONE = {"width": 360, "height": 740}
TEXT = "Llamba e rrugës pranë shkollës 9-vjeçare është e thyer prej dy muajsh dhe rruga është e errët."
ALT = "Shtylla e ndriçimit pa llambë, pranë hyrjes së shkollës"


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _photo_shown(locator):
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    locator.page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=locator.element_handle()
    )


def test_a_concern_with_a_photo_is_published_without_its_exif(page, live_server, audit, reference_data):
    elbasan = council("elbasan")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    give_role(elbasan, Role.SECRETARY, user=secretary)
    consultation = announce_consultation(
        lifecycle.consultation_create(
            council=elbasan, starts_at=timezone.now() + timedelta(days=7), place="Salla e Këshillit"
        )
    )
    page.set_viewport_size(PHONE)

    # --- the citizen: first a file that is not a photo, then the photo --------------------------
    page.goto(live_server.url + "/elbasan/concerns/new/")
    page.locator("main textarea[name=text]").fill(TEXT)
    page.locator("main select[name=category]").select_option("traffic")
    page.locator("main input[name=neighbourhood]").fill("Lagjja Kala")
    photo = page.locator("main input[name=photo]")
    photo.set_input_files({"name": "dokument.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"})
    audit(page)
    page.get_by_role("button", name="Dërgoni shqetësimin").click()
    expect(page.locator(".invalid-feedback")).to_contain_text(
        sq("This file is not a photo. Accepted: JPEG, PNG and WebP.")
    )
    expect(page.locator(".invalid-feedback")).to_contain_text(
        sq("Everything else you wrote is kept: choose the photo again.")
    )
    expect(page.locator("main textarea[name=text]")).to_have_value(TEXT)
    expect(page.locator("main input[name=neighbourhood]")).to_have_value("Lagjja Kala")
    audit(page)
    _no_sideways_scroll(page)
    assert not Concern.objects.exists()

    original = jpeg_with_location((480, 320))
    page.locator("main input[name=photo]").set_input_files(
        {"name": "IMG_20261201_shkolla.jpg", "mimeType": "image/jpeg", "buffer": original}
    )
    page.get_by_role("button", name="Dërgoni shqetësimin").click()
    expect(page.locator(".kvsp-code")).to_be_visible()
    concern = Concern.objects.get()
    assert concern.photo and not concern.photo_public and concern.consultation == consultation
    expect(page.locator("main img")).to_have_count(0)  # not shown before moderation
    audit(page)
    _no_sideways_scroll(page)
    public_url = f"{live_server.url}/elbasan/concerns/{concern.pk}/photo.jpg"
    assert page.request.get(public_url).status == 404

    # --- the technical secretary publishes it with the photo -----------------------------------
    log_in(page, live_server, secretary.email, PASSWORD)
    page.goto(f"{live_server.url}/app/elbasan/concerns/{concern.code}/")
    _photo_shown(page.get_by_role("img", name=sq("The photo the citizen sent")))
    audit(page)
    page.get_by_label(sq("Publish it with the concern")).check()
    field(page, sq("What the photo shows")).fill(ALT)
    page.locator("form:has(input[name=action][value=publish]) button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_text(sq("The photo is published."))).to_be_visible()
    audit(page)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.PUBLISHED and concern.photo_public

    # --- the public, signed out ------------------------------------------------------------------
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/elbasan/consultations/{consultation.pk}/")
    image = page.get_by_role("img", name=ALT)
    _photo_shown(image)
    assert image.get_attribute("src") == f"/elbasan/concerns/{concern.pk}/photo.jpg"
    audit(page)
    _no_sideways_scroll(page)

    page.goto(f"{live_server.url}/elbasan/concerns/{concern.code}/")
    _photo_shown(page.get_by_role("img", name=ALT))
    audit(page)
    _no_sideways_scroll(page)

    served = page.request.get(public_url)
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    body = served.body()
    assert not has_metadata(body) and body != original
