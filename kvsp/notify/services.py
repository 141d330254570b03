"""The one way out: every e-mail and notification the product sends passes through ``send``.

Issue 8 puts an outbox table behind this function; callers do not change.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def _address_and_language(recipient, default_language: str) -> tuple[str, str]:
    email = getattr(recipient, "email", recipient)
    language = getattr(recipient, "language", None) or default_language
    return str(email), language


def send(
    *,
    recipients: Iterable,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> int:
    """Send ``notify/<template>/`` (subject, plain text and HTML) to each recipient.

    A recipient is a user (their own language is used) or an e-mail address (``language``, or the
    active language). Each person gets a separate message, so no address is shown to another.
    Returns the number of messages handed to the mail backend.
    """
    default_language = language or translation.get_language() or settings.LANGUAGE_CODE
    sent = 0
    for recipient in recipients:
        address, lang = _address_and_language(recipient, default_language)
        with translation.override(lang):
            ctx = {"site_url": settings.SITE_URL, "recipient": recipient, **(context or {})}
            subject = " ".join(render_to_string(f"notify/{template}/subject.txt", ctx).split())
            text = render_to_string(f"notify/{template}/body.txt", ctx)
            html = render_to_string(f"notify/{template}/body.html", ctx)
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        message.attach_alternative(html, "text/html")
        for attachment in attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        sent += message.send()
    return sent
