"""The files stored with a monthly report (its approved PDF, its signed copy), served as they are
stored: by the staff pages (monitoring/views_reports.py) and by the public ones (kvsp/portal)."""

import logging

from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def stored_pdf(field, *, filename: str, as_attachment: bool = True) -> FileResponse:
    """A PDF stored with a report, as it is stored; 404 (and an error logged) when the record
    names a file the storage no longer has."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as missing:
        logger.error("monitoring report file %s is recorded but missing from storage", field.name)
        raise Http404 from missing
    return FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type="application/pdf"
    )
