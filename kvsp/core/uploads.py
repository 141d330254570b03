"""Upload rules: a size cap and types recognised by their content, never by their name.

Meeting and archive documents also accept the office formats, recognised inside their zip.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Leading bytes of the kinds of document councils archive: scans and PDFs.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff(head: bytes) -> str | None:
    """The content type a file's first bytes prove, or ``None``."""
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def _content_type(upload) -> str | None:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    return sniff(head)


def _check_size(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_large",
        )


def _is_stored(upload) -> bool:
    """A file saved earlier (the form re-validates it unchanged): it was checked on its way in."""
    return getattr(upload, "_committed", False) is True


# Office documents are zip archives; what is inside tells them apart.
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    **{content_type: extension for extension, content_type in OFFICE_TYPES.items()},
}


def _office_type(upload) -> str | None:
    import zipfile

    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            # Read at most a few bytes of any entry: a small upload may unpack to gigabytes.
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                with archive.open("mimetype") as entry:
                    if entry.read(100).strip() == OFFICE_TYPES["odt"].encode():
                        return OFFICE_TYPES["odt"]
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return OFFICE_TYPES["docx"]
                if any(name.startswith("xl/") for name in names):
                    return OFFICE_TYPES["xlsx"]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(position)
    return None


def archive_document_type(upload) -> str:
    """The content type of a council document (PDF, DOCX, XLSX, ODT, JPEG, PNG) judged by its
    content; ValidationError for anything else or anything over the size limit."""
    from django.conf import settings

    limit = getattr(settings, "DOCUMENT_MAX_BYTES", MAX_UPLOAD_BYTES)
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    content_type = _content_type(upload)
    if content_type is None and _content_head(upload).startswith(b"PK"):
        content_type = _office_type(upload)
    if content_type is None:
        raise ValidationError(
            _("Accepted files: PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), JPEG and PNG."),
            code="bad_type",
        )
    return content_type


def _content_head(upload) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(4)
    upload.seek(position)
    return head


def validate_pdf(upload) -> None:
    """Refuse files over the cap and any file that is not really a PDF."""
    if _is_stored(upload):
        return
    _check_size(upload)
    if _content_type(upload) != "application/pdf":
        raise ValidationError(_("Only PDF files are accepted; this file is not a PDF."), code="bad_type")
