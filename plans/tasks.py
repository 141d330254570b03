"""Background work of plans: the PDF of a published version, made once and stored; the retention
sweep of the e-mails left with public comments."""

import hashlib
from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from kvsp.core.storage import STORAGE_ERRORS

from .comments import contacts_purge
from .models import PlanFile, PlanVersion


def render_plan_pdf(version: PlanVersion, language: str) -> bytes:
    from .exports import plan_pdf

    with translation.override(language):
        return plan_pdf(version)


@shared_task(acks_late=True, autoretry_for=STORAGE_ERRORS, retry_backoff=True, max_retries=5)
def render_plan_files_task(version_pk: int) -> int:
    """Render and store the PDF of an approved version in each language. Idempotent: a file that
    exists is not made again, so a task run twice (or retried after a crash) stores each once."""
    version = PlanVersion.objects.select_related("plan__council__municipality", "meeting", "decision").get(
        pk=version_pk
    )
    if not version.is_published:
        return 0
    made = 0
    for language, _name in settings.LANGUAGES:
        if PlanFile.objects.filter(version=version, kind=PlanFile.Kind.PDF, language=language).exists():
            continue
        pdf = render_plan_pdf(version, language)
        name = f"plani-{version.plan.council.slug}-{version.plan.year}-v{version.number}-{language}.pdf"
        try:
            with transaction.atomic():
                PlanFile.objects.create(
                    version=version,
                    kind=PlanFile.Kind.PDF,
                    language=language,
                    file=ContentFile(pdf, name=name),
                    sha256=hashlib.sha256(pdf).hexdigest(),
                )
                made += 1
        except IntegrityError:  # another worker stored it first
            continue
    return made


@shared_task
def purge_comment_contacts_task(as_of: str | None = None) -> int:
    """The retention sweep of the e-mails left with public comments on a plan (plans/comments.py);
    ``as_of`` (ISO date) lets a test or an operator choose the day."""
    return contacts_purge(as_of=date.fromisoformat(as_of) if as_of else timezone.localdate())
