"""Upload rules: a size cap and types recognised by their content, never by their name.

Meeting and archive documents also accept the office formats, recognised inside their zip.

One limit for every uploaded file (documents, evidence, signed scans, imported plans):
``settings.DOCUMENT_MAX_BYTES`` (``KVSP_DOCUMENT_MAX_MB``), read by the validators, shown in the
forms' help texts, and enforced before the body is read by ``RequestBodyLimitMiddleware``: a
request larger than that limit plus a margin for the form's other fields is answered 413 at once,
so nothing of it is parsed or written (the reverse proxy's ``client_max_body_size`` is set to the
same, see docker-compose.yml).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

# Room for the form's other fields and the multipart framing around the largest allowed file.
REQUEST_MARGIN_BYTES = 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file any upload accepts (the one setting)."""
    return settings.DOCUMENT_MAX_BYTES


def max_request_bytes() -> int:
    """The largest request body accepted at all: the largest file plus the margin."""
    return max_upload_bytes() + REQUEST_MARGIN_BYTES


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than any upload may be (413), before any
    byte of it is read, parsed or stored. (A body without Content-Length reaches Django empty
    under WSGI, so the declared length is the whole story here.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            body = render_to_string("413.html", {"limit": filesizeformat(max_upload_bytes())})
            response = HttpResponse(body, status=413)
            # The unread body stays on the connection: close it rather than parse the rest.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


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
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
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
    _check_size(upload)
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
