"""Upload rules: a size cap and types recognised by their content, never by their name.

Issue 3 (meeting documents) adds the office formats to SIGNATURES and a validator for them.
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


def validate_pdf(upload) -> None:
    """Refuse files over the cap and any file that is not really a PDF."""
    if _is_stored(upload):
        return
    _check_size(upload)
    if _content_type(upload) != "application/pdf":
        raise ValidationError(_("Only PDF files are accepted; this file is not a PDF."), code="bad_type")
