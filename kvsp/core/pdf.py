"""The one way to make a PDF: WeasyPrint with the project's own fonts, and no access to files or
the network beyond the project's static files.

WeasyPrint fetches every URL a document names (stylesheets, fonts, images). A template that
names ``file:///etc/passwd`` or ``http://169.254.169.254/`` must not be able to put either into a
PDF, so the fetcher below serves only ``data:`` URLs and the project's static files, found through
Django's staticfiles finders, and refuses everything else.
"""

import logging
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in a rendered template resolve against this address; it is never contacted.
BASE_URL = "https://kvsp.pdf.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``data:`` URLs and the project's static files; refuses files and every network address."""

    def __init__(self):
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False, timeout=1)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if url.startswith(prefix):
            relative = url[len(prefix) :].split("?")[0].split("#")[0]
            if ".." not in relative.split("/"):
                body = _static_bytes(relative)
                if body is not None:
                    mime_type, _ = mimetypes.guess_type(relative)
                    return URLFetcherResponse(
                        url, body=body, headers={"Content-Type": mime_type or "application/octet-stream"}
                    )
        logger.warning("PDF rendering refused to fetch %s", url)
        raise ValueError(f"KVSP PDFs may only use the project's static files, not {url}")


def _static_bytes(relative: str) -> bytes | None:
    """A static file's content: from the source folders, or (hashed names in production) from the
    staticfiles storage, read through the storage API (no file system path)."""
    found = finders.find(relative)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(relative):
        with staticfiles_storage.open(relative, "rb") as handle:
            return handle.read()
    return None


def html_to_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """Render an HTML document to PDF bytes with the safe fetcher. ``pdf_variant`` names a
    WeasyPrint variant, for example "pdf/ua-1" for a tagged, accessible PDF."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    if pdf_variant:
        return document.write_pdf(pdf_variant=pdf_variant)
    return document.write_pdf()


def render_pdf(template_name: str, context: dict | None = None, *, pdf_variant: str | None = None) -> bytes:
    """Render a Django template (extending ``pdf/base.html``) to PDF bytes, in the active language."""
    return html_to_pdf(render_to_string(template_name, context or {}), pdf_variant=pdf_variant)
