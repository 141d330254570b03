"""A citizen's optional photo with a concern (issue 23 item 4): re-encoded without EXIF (the GPS
location), XMP, ICC or comments, turned upright, scaled down, stored under a random name; refused
with a clear message when it is not a photo, damaged, too large or too many pixels; shown only once
a moderator publishes it; deleted with the citizen's personal data."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from consultations import photos, services
from consultations.models import Concern
from tests.consultations.photo_helpers import (
    has_metadata,
    jpeg_with_broken_exif,
    jpeg_with_location,
    png,
    upload,
    upright_size,
)

pytestmark = pytest.mark.django_db


def _submit(council, data: bytes, **extra) -> Concern:
    return services.concern_submit(
        council=council,
        text="Llamba e rrugës është e thyer.",
        category="traffic",
        photo=upload(data),
        **extra,
    )


def _stored(concern: Concern) -> bytes:
    with concern.photo.open("rb") as handle:
        return handle.read()


# --- cleaning ------------------------------------------------------------------------------------


def test_the_location_and_every_other_metadata_are_stripped(elbasan):
    original = jpeg_with_location()
    assert has_metadata(original)
    concern = _submit(elbasan, original)
    stored = _stored(concern)
    assert not has_metadata(stored)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and not image.getexif().get_ifd(0x8825)
    assert "comment" not in image.info and b"shtepia ime" not in stored
    # Under a random name in the private storage, never the citizen's file name.
    assert concern.photo.name.startswith("consultations/photos/") and concern.photo.name.endswith(".jpg")
    assert "Elbasanit" not in concern.photo.name and "IMG" not in concern.photo.name
    assert stored != original


def test_the_orientation_is_applied_before_the_exif_goes(elbasan):
    original = jpeg_with_location((64, 32), orientation=6)  # taken with the phone turned
    assert upright_size(original) == (32, 64)
    stored = _stored(_submit(elbasan, original))
    image = Image.open(io.BytesIO(stored))
    assert image.size == (32, 64) and not image.getexif()


def test_unreadable_exif_is_dropped_and_the_photo_kept(elbasan):
    stored = _stored(_submit(elbasan, jpeg_with_broken_exif()))
    assert Image.open(io.BytesIO(stored)).size == (30, 30) and not has_metadata(stored)


def test_a_png_with_transparency_and_a_large_photo_become_small_jpegs():
    clean = photos.clean(upload(png(), name="a.png"))
    assert Image.open(io.BytesIO(clean.content)).format == "JPEG"
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 90, 90)).save(out, "WEBP", quality=10)
    clean = photos.clean(upload(out.getvalue(), name="b.webp"))
    assert (clean.width, clean.height) == (1600, 1200)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4 not a photo", "bad_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "bad_type"),
        (b"GIF89a" + b"\x00" * 50, "bad_type"),  # a real format, not accepted
        (jpeg_with_location()[:-200], "damaged"),  # cut short
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "damaged"),
    ],
)
def test_what_is_not_a_readable_photo_is_refused(data, code):
    with pytest.raises(ValidationError) as refused:
        photos.clean(upload(data))
    assert refused.value.code == code
    with translation.override("sq"):
        again = gettext("Everything else you wrote is kept: choose the photo again.")
    assert again in refused.value.messages[0]


def test_too_large_and_too_many_pixels_are_refused():
    with pytest.raises(ValidationError) as refused:
        photos.clean(upload(b"\xff\xd8\xff" + b"0" * photos.MAX_BYTES))
    assert refused.value.code == "too_large" and "MB" in refused.value.messages[0]
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # a few kilobytes that claim 48 megapixels
    with pytest.raises(ValidationError) as refused:
        photos.clean(upload(out.getvalue(), name="bomb.png"))
    assert refused.value.code == "too_many_pixels"


def test_the_service_refuses_a_bad_photo_and_saves_nothing(elbasan):
    with pytest.raises(ValidationError) as refused:
        _submit(elbasan, b"not a photo")
    assert "photo" in refused.value.message_dict
    assert not Concern.objects.exists()


# --- publishing and deleting ---------------------------------------------------------------------


def test_the_moderator_publishes_hides_or_deletes_the_photo(
    elbasan, officers, django_capture_on_commit_callbacks
):
    moderator = officers["secretary"]
    concern = _submit(elbasan, jpeg_with_location())
    assert not concern.photo_public  # nothing is public before moderation
    concern = services.concern_publish(
        concern=concern,
        public_text="Llamba e thyer.",
        user=moderator,
        photo="publish",
        photo_alt="Një llambë",
    )
    assert concern.photo_public and concern.photo_alt == "Një llambë"
    concern = services.concern_publish(
        concern=concern, public_text="Llamba e thyer.", user=moderator, photo="hide"
    )
    assert not concern.photo_public and concern.photo
    name = concern.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_publish(
            concern=concern, public_text="Llamba e thyer.", user=moderator, photo="delete"
        )
    assert not concern.photo and not default_storage.exists(name)


def test_forgetting_the_citizen_deletes_the_photo(elbasan, officers, django_capture_on_commit_callbacks):
    concern = _submit(elbasan, jpeg_with_location())
    concern = services.concern_publish(
        concern=concern, public_text="Llamba e thyer.", user=officers["skn"], photo="publish"
    )
    name = concern.photo.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_forget(concern=concern, user=officers["skn"])
    concern.refresh_from_db()
    assert not concern.photo and not concern.photo_public and not default_storage.exists(name)
    assert concern.public_text  # what was published stays, the photo does not


def test_the_retention_period_deletes_the_photo(elbasan, django_capture_on_commit_callbacks):
    from datetime import date, timedelta

    concern = _submit(elbasan, jpeg_with_location())
    name = concern.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_expired(as_of=date.today() + timedelta(days=800)) == 1
    concern.refresh_from_db()
    assert not concern.photo and not default_storage.exists(name)


def test_deleting_a_concern_deletes_its_photo(elbasan, django_capture_on_commit_callbacks):
    concern = _submit(elbasan, jpeg_with_location())
    name = concern.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        concern.delete()
    assert not default_storage.exists(name)
