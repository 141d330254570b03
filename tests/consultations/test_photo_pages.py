"""A concern's photo through the pages: the public form (a bad photo is a form error in the
citizen's language, with everything else kept), the moderation screen, and the public address,
which answers only for a concern published with its photo."""

import io

import pytest
from django.conf import settings
from PIL import Image

from consultations import services
from consultations.models import Concern
from tests.builders import announce_consultation
from tests.consultations.photo_helpers import has_metadata, jpeg_with_location, upload

pytestmark = pytest.mark.django_db

FORM = "/elbasan/concerns/new/"
TEXT = "Llamba e rrugës te shkolla është e thyer prej muajsh."


def _post(client, data: bytes, **extra):
    return client.post(
        FORM,
        {
            "text": TEXT,
            "category": "traffic",
            "neighbourhood": "Rruga Kozmai",
            "photo": upload(data),
            **extra,
        },
    )


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_citizen_sends_a_photo_and_it_waits_for_moderation(client, elbasan):
    response = _post(client, jpeg_with_location())
    concern = Concern.objects.get()
    assert response.status_code == 302 and concern.photo and not concern.photo_public
    page = client.get(response["Location"]).text
    assert "photo.jpg" not in page  # not published: not shown, not even to its citizen
    assert client.get(f"/elbasan/concerns/{concern.pk}/photo.jpg").status_code == 404


@pytest.mark.parametrize(
    ("data", "language", "message"),
    [
        (b"%PDF-1.4 a document", "sq", "Ky skedar nuk është foto"),
        (b"%PDF-1.4 a document", "en", "This file is not a photo"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "en", "The photo is damaged"),
    ],
)
def test_a_bad_photo_is_a_form_error_and_the_rest_is_kept(client, elbasan, data, language, message):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _post(client, data, contact_name="Ana Hoxha")
    assert response.status_code == 200
    if language == "en":
        assert message in response.text and "choose the photo again" in response.text
    assert TEXT in response.text and "Rruga Kozmai" in response.text and 'value="Ana Hoxha"' in response.text
    assert not Concern.objects.exists()


def test_an_oversize_photo_is_a_form_error(client, elbasan):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _post(client, b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10))
    assert response.status_code == 200 and "The photo is too large" in response.text
    assert TEXT in response.text and not Concern.objects.exists()


def test_a_good_photo_with_another_error_asks_to_choose_it_again(client, elbasan):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(FORM, {"text": TEXT, "category": "", "photo": upload(jpeg_with_location())})
    assert response.status_code == 200 and 'id="photo-lost"' in response.text
    assert not Concern.objects.exists()


def test_the_moderator_sees_the_photo_and_chooses_what_to_publish(client, elbasan, consultation, officers):
    announce_consultation(consultation)
    concern = services.concern_submit(
        council=elbasan,
        consultation=consultation,
        text=TEXT,
        category="traffic",
        photo=upload(jpeg_with_location()),
    )
    client.force_login(officers["secretary"])
    page = client.get(f"/app/elbasan/concerns/{concern.code}/").text
    assert f"/app/elbasan/concerns/{concern.code}/photo/" in page and 'name="publish-photo"' in page
    staff_photo = client.get(f"/app/elbasan/concerns/{concern.code}/photo/")
    assert staff_photo.status_code == 200 and staff_photo["Content-Type"] == "image/jpeg"
    assert staff_photo["Cache-Control"] == "private, no-store"
    assert not has_metadata(_content(staff_photo))
    # Publishing without a decision about the photo is asked again, with the text kept.
    base = {"action": "publish", "publish-public_text": "Llamba e thyer te shkolla."}
    response = client.post(f"/app/elbasan/concerns/{concern.code}/", base)
    assert response.status_code == 200 and "Llamba e thyer te shkolla." in response.text
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED
    response = client.post(
        f"/app/elbasan/concerns/{concern.code}/",
        {**base, "publish-photo": "publish", "publish-photo_alt": "Një shtyllë ndriçimi pa llambë"},
    )
    assert response.status_code == 302
    client.logout()
    url = f"/elbasan/concerns/{concern.pk}/photo.jpg"
    for page in (f"/elbasan/consultations/{consultation.pk}/", f"/elbasan/concerns/{concern.code}/"):
        text = client.get(page).text
        assert f'src="{url}"' in text and 'alt="Një shtyllë ndriçimi pa llambë"' in text
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff" and served["Cache-Control"] == "public, no-cache"
    assert "inline" in served["Content-Disposition"] and not served.cookies
    body = _content(served)
    assert not has_metadata(body) and Image.open(io.BytesIO(body)).format == "JPEG"
    assert client.get(url, HTTP_IF_NONE_MATCH=served["ETag"]).status_code == 304
    assert client.head(url).status_code == 200 and client.post(url).status_code == 405
    assert client.get(f"/belsh/concerns/{concern.pk}/photo.jpg").status_code == 404
    # The moderator takes the photo back: at once a 404, whatever a cache kept (no-cache).
    client.force_login(officers["secretary"])
    response = client.post(
        f"/app/elbasan/concerns/{concern.code}/", {**base, "publish-photo": "hide", "publish-photo_alt": ""}
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(url, HTTP_IF_NONE_MATCH=served["ETag"]).status_code == 404
    assert f'src="{url}"' not in client.get(f"/elbasan/consultations/{consultation.pk}/").text


def test_a_paper_concern_has_no_photo_field(client, consultation, officers):
    client.force_login(officers["secretary"])
    page = client.get(f"/app/elbasan/consultations/{consultation.pk}/concerns/new/").text
    assert 'name="photo"' not in page
