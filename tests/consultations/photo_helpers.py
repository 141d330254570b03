"""Photos for the tests of a concern's photo: made with Pillow at run time (no binary files)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg_with_location(size=(64, 32), *, orientation: int | None = None, colour=(200, 40, 40)) -> bytes:
    """A JPEG that tells where it was taken (a GPS IFD), the camera, and a comment."""
    image = Image.new("RGB", size, colour)
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1] // 4))  # a mark, to see the turn
    exif = Image.Exif()
    exif[MAKE] = "KameraTest"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (41.0, 6.0, 30.0), 3: "E", 4: (20.0, 5.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"shtepia ime")
    data = out.getvalue()
    # The photo really carries its location before the upload.
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the test photo has no GPS data"
    return data


def jpeg_with_broken_exif(size=(30, 30)) -> bytes:
    """A JPEG whose EXIF block is garbage: the pixels decode, the EXIF does not."""
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(
        out, "JPEG", exif=b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\xffgarbage"
    )
    return out.getvalue()


def png(size=(20, 10), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 0, 255, 128) if mode == "RGBA" else 128).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name="IMG_20260101_Rruga_e_Elbasanit_12.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def has_metadata(data: bytes) -> bool:
    """Whether a stored photo carries EXIF, GPS, XMP, an ICC profile or a comment."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    return bool(
        len(exif)
        or exif.get_ifd(GPS_IFD)
        or {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info)
        or b"Exif" in data[:2048]
        or b"KameraTest" in data
    )


def upright_size(data: bytes) -> tuple[int, int]:
    """The size a viewer shows (the orientation applied)."""
    return ImageOps.exif_transpose(Image.open(io.BytesIO(data))).size


def attach_photo(concern_pk: int, *, public: bool = True) -> None:
    """Give a concern a (clean) photo, published with it or not, as a moderator would have."""
    from consultations import photos
    from consultations.models import Concern

    concern = Concern.objects.get(pk=concern_pk)
    photos.store(concern, upload(jpeg_with_location()))
    concern.photo_public = public
    concern.save(update_fields=["photo", "photo_public"])
