"""A document of the archive as a download, for the staff archive and the public portal alike."""

from django.http import FileResponse, Http404
from django.utils.text import slugify

from kvsp.core.uploads import EXTENSIONS


def document_response(document) -> FileResponse:
    """A document as an attachment, never rendered inline, under a name built from its title."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = EXTENSIONS.get(document.content_type, "bin")
    name = f"{slugify(document.title)[:80] or 'dokument'}.{extension}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=document.content_type)
