"""A citizen's optional photo with a concern: checked, cleaned, stored, served and deleted.

What is stored is never the uploaded file. The photo is decoded with Pillow, turned upright by its
EXIF orientation, scaled down to ``MAX_SIDE`` pixels and encoded again as a fresh JPEG from the
pixels alone: no EXIF (the GPS location, the camera, the time), no XMP, no ICC profile, no
comment survives. EXIF that cannot be read does not refuse a photo that decodes: it is dropped
like the rest. The file gets a random name (``models.concern_photo_path``) in the private storage
and is served only by the permission-checked views (the public one for a concern published with
its photo, the moderators' one), never from a public address of the storage.
"""

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from kvsp.core.storage import STORAGE_ERRORS

from .models import Concern

logger = logging.getLogger(__name__)

# The largest photo accepted (bytes): a phone's photo fits; the request limit is larger.
MAX_BYTES = 5 * 1024 * 1024
# The most pixels decoded: a small file may claim a huge picture (a decompression bomb).
MAX_PIXELS = 40_000_000
# The longest side kept: enough to see a broken street light, small for a phone's data plan.
MAX_SIDE = 1600
QUALITY = 85
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
CONTENT_TYPE = "image/jpeg"
ACCEPT = "image/jpeg,image/png,image/webp"


@dataclass(frozen=True)
class CleanPhoto:
    """A photo re-encoded without metadata: what is stored."""

    content: bytes
    width: int
    height: int


def _again() -> str:
    # A browser never fills a file field in again: the citizen must know to choose it anew.
    return _("Everything else you wrote is kept: choose the photo again.")


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(f"{message} {_again()}", code=code)


def _upright(image: Image.Image) -> Image.Image:
    """The image turned by its EXIF orientation; unchanged when the EXIF cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of corrupt EXIF before giving up on it
            turned = ImageOps.exif_transpose(image)
    except Exception:  # broken EXIF of every kind: the pixels are still good
        logger.info("concern photo: unreadable EXIF dropped without turning the image")
        return image
    return turned if turned is not None else image


def _rgb(image: Image.Image) -> Image.Image:
    """Plain RGB pixels; transparency goes onto white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I"):  # 16- or 32-bit grey: scale to 8 bits
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def clean(upload) -> CleanPhoto:
    """Check a citizen's photo and re-encode it without metadata. ``ValidationError`` with a
    message for the citizen (in the request's language) for a file too large, not a photo, too
    many pixels, or damaged."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(
            _("The photo is too large (%(size)s). The limit is %(limit)s: choose a smaller one.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)},
            "too_large",
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(
            _("The photo is too large. The limit is %(limit)s: choose a smaller one.")
            % {"limit": filesizeformat(MAX_BYTES)},
            "too_large",
        )
    not_a_photo = _refuse(_("This file is not a photo. Accepted: JPEG, PNG and WebP."), "bad_type")
    damaged = _refuse(_("The photo is damaged and cannot be read."), "damaged")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
        except Image.UnidentifiedImageError:
            raise not_a_photo from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except Exception:  # a header that claims to be a photo and breaks Pillow
            raise damaged from None
        with image:
            width, height = image.size
            if width < 1 or height < 1:
                raise damaged
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            try:
                if image.format == "JPEG":
                    image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at a smaller scale: faster
                image.load()
                upright = _upright(image)
                pixels = _rgb(upright)
                pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                # A new image from the pixels alone: nothing of the original's info travels on.
                fresh = Image.frombytes("RGB", pixels.size, pixels.tobytes())
                out = io.BytesIO()
                fresh.save(out, "JPEG", quality=QUALITY, optimize=True)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels() from None
            except Exception:  # truncated or corrupt pixel data of any kind
                raise damaged from None
    return CleanPhoto(out.getvalue(), fresh.width, fresh.height)


def _too_many_pixels() -> ValidationError:
    return _refuse(
        _("The photo has too many pixels (at most %(max)d megapixels).") % {"max": MAX_PIXELS // 1_000_000},
        "too_many_pixels",
    )


def store(concern: Concern, photo) -> None:
    """Give the concern its photo, cleaned (a ``CleanPhoto``, or an upload cleaned here). The
    caller saves the concern."""
    if not isinstance(photo, CleanPhoto):
        photo = clean(photo)
    # The name given here is never used: concern_photo_path makes a random one.
    concern.photo.save("photo.jpg", ContentFile(photo.content), save=False)


def drop(concern: Concern) -> None:
    """Forget the concern's photo: the field now, the file once the transaction commits (a
    rollback keeps it with the row that still names it). The caller saves the concern."""
    name = concern.photo.name if concern.photo else ""
    concern.photo = ""
    concern.photo_public = False
    concern.photo_alt = ""
    if name:
        transaction.on_commit(lambda: delete_file(name))


def delete_file(name: str) -> None:
    storage = Concern._meta.get_field("photo").storage
    try:
        storage.delete(name)
    except STORAGE_ERRORS:
        # The row no longer names the file: nothing serves it, but it stays on the disk.
        logger.warning("concern photo: the storage did not delete %s", name)


def concern_deleted(sender, instance: Concern, **kwargs) -> None:
    """``post_delete`` of a concern: its photo's file goes once the deletion commits."""
    name = instance.photo.name if instance.photo else ""
    if name:
        transaction.on_commit(lambda: delete_file(name))


def alt_text(concern: Concern) -> str:
    return concern.photo_alt or _("Photo sent by the citizen with the concern")


def response(request, concern: Concern, *, public: bool) -> HttpResponse:
    """The stored photo, inline, as the JPEG it is. Public: revalidated on every use (an ETag of
    the random name), so a photo a moderator withdraws is gone at once from every cache;
    moderators': not kept by any cache."""
    if not concern.photo:
        raise Http404
    etag = '"' + hashlib.sha256(concern.photo.name.encode()).hexdigest()[:32] + '"'
    if public and etag in request.headers.get("If-None-Match", ""):
        answer: HttpResponse = HttpResponseNotModified()
    else:
        try:
            handle = concern.photo.open("rb")
        except (FileNotFoundError, *STORAGE_ERRORS) as missing:
            raise Http404 from missing
        answer = FileResponse(handle, content_type=CONTENT_TYPE, filename=f"{concern.pk}.jpg")
        answer["Content-Disposition"] = f'inline; filename="foto-{concern.pk}.jpg"'
    answer["X-Content-Type-Options"] = "nosniff"
    if public:
        answer["ETag"] = etag
        answer["Cache-Control"] = "public, no-cache"
    else:
        answer["Cache-Control"] = "private, no-store"
    return answer
