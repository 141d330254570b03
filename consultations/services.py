"""Writes on concerns and problems. Each validates, then writes in one transaction. A
consultation's own course (planned, agenda agreed, announced, held) is in consultations/lifecycle.py.

Allowed status changes live in one table (``CONCERN_STEPS``).
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from councils.models import AdministrativeUnit, Council, Institution
from councils.selectors import seated_institutions
from kvsp.core import public_cache
from kvsp.core.links import slot_url
from kvsp.core.models import User
from kvsp.notify import services as notify
from kvsp.notify.keys import stamp

from . import photos
from .lifecycle import open_consultation
from .models import (
    CONCERN_MAX_CHARS,
    Concern,
    ConcernContact,
    Consultation,
    Problem,
)
from .taxonomy import ProblemCategory, checked_category, proposed_category

logger = logging.getLogger(__name__)

Status = Consultation.Status
CS = Concern.Status
CONCERN_STEPS: dict[str, set[str]] = {
    CS.RECEIVED: {CS.PUBLISHED, CS.REJECTED, CS.MERGED},
    CS.PUBLISHED: {CS.PUBLISHED, CS.REJECTED, CS.MERGED},  # a published text may be corrected
    CS.REJECTED: {CS.PUBLISHED},
    CS.MERGED: set(),
}

# Reference codes: no 0/O, 1/I/L, so a code read aloud or from paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(typed: str) -> str | None:
    """'k7m4 9qxr' or 'K7M49QXR' -> 'K7M4-9QXR'; None if it cannot be a code."""
    raw = "".join(ch for ch in (typed or "").upper() if ch.isalnum())
    if len(raw) != 8 or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:]}"


def _step(steps: dict[str, set[str]], current: str, wanted: str, message: str) -> None:
    if wanted not in steps[current]:
        raise ValidationError(message)


# --- concerns --------------------------------------------------------------------------------


@transaction.atomic
@public_cache.invalidates
def concern_submit(
    *,
    council: Council,
    text: str,
    category: str,
    source: str = Concern.Source.ONLINE,
    unit: AdministrativeUnit | None = None,
    neighbourhood: str = "",
    consultation: Consultation | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    entered_by=None,
    photo=None,
) -> Concern:
    """Record a concern and give it its reference code. With an e-mail address, the citizen gets
    the code by e-mail once the concern is saved. ``photo`` (optional): an upload or a
    ``photos.CleanPhoto``; only its clean re-encode is stored (consultations/photos.py)."""
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = _("Write the concern.")
    elif len(text) > CONCERN_MAX_CHARS:
        errors["text"] = _("Keep the concern under %(max)d characters.") % {"max": CONCERN_MAX_CHARS}
    if unit is not None and unit.municipality_id != council.municipality_id:
        errors["unit"] = _("Choose an administrative unit of this municipality.")
    if consultation is not None and (
        consultation.council_id != council.pk or consultation.status == Status.CANCELLED
    ):
        errors["consultation"] = _("Choose a consultation of this council that was not cancelled.")
    if photo is not None and not isinstance(photo, photos.CleanPhoto):
        try:
            photo = photos.clean(photo)
        except ValidationError as error:
            errors["photo"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    if consultation is None and source == Concern.Source.ONLINE:
        consultation = open_consultation(council)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                concern = Concern.objects.create(
                    council=council,
                    consultation=consultation,
                    code=new_code(),
                    source=source,
                    category=category,
                    text=text,
                    unit=unit,
                    neighbourhood=neighbourhood.strip(),
                    entered_by=entered_by,
                )
            break
        except IntegrityError:  # the code was taken: 31^8 codes, so this almost never repeats
            continue
    else:  # pragma: no cover - five collisions in a row cannot happen in practice
        raise RuntimeError("no free reference code")
    if photo is not None:
        photos.store(concern, photo)
        concern.save(update_fields=["photo", "updated_at"])
    contact = {"name": contact_name.strip(), "email": contact_email.strip(), "phone": contact_phone.strip()}
    if any(contact.values()):
        # A citizen online reads the site in their language; one met at a meeting gets Albanian.
        language = (
            settings.LANGUAGE_CODE if entered_by else (translation.get_language() or settings.LANGUAGE_CODE)
        )
        ConcernContact.objects.create(concern=concern, language=language[:8], **contact)
    if contact["email"]:
        _receipt_enqueue(concern, email=contact["email"], language=language[:8])
    return concern


CONCERN_RECEIPT = "concern_receipt"


def _tell_citizen(concern: Concern, *, email: str, language: str, template: str, key: str, **context) -> None:
    """Put one e-mail to a citizen about their concern in the outbox, in the caller's transaction:
    the worker sends it (later, if the mail server is down), once per ``key``."""
    council = concern.council
    notify.enqueue(
        recipients=[email],
        kind=template,
        key=key,
        template=template,
        context={
            "concern": concern,
            "council": council,
            "link": settings.SITE_URL + slot_url("public:concern", council.slug, concern.code),
            **context,
        },
        language=language,
    )


def _receipt_enqueue(concern: Concern, *, email: str, language: str) -> None:
    """The citizen's receipt with the reference code, in the concern's own transaction."""
    key = f"{CONCERN_RECEIPT}:{concern.pk}"
    _tell_citizen(concern, email=email, language=language, template=CONCERN_RECEIPT, key=key)


CONCERN_REJECTED = "concern_rejected"
CONCERN_OUTCOME = "concern_outcome"


def _tell_citizens(concern_pks: list[int], template: str, **context) -> int:
    """Put an e-mail to the citizens of these concerns who left an address (each in their
    language) in the outbox, in the caller's transaction: the decision and its message are
    committed together, the worker sends it (later, if the mail server is down), once per key
    (``template``, the concern, the moment of the decision: a decision taken again, or changed,
    is told again; a retry of the same one is not). Returns how many."""
    moment = stamp(timezone.now())
    told = 0
    contacts = ConcernContact.objects.filter(concern_id__in=concern_pks).exclude(email="")
    for contact in contacts.select_related("concern__council__municipality", "concern__problem"):
        concern = contact.concern
        _tell_citizen(
            concern,
            email=contact.email,
            language=contact.language,
            template=template,
            key=f"{template}:{concern.pk}:{moment}",
            **context,
        )
        told += 1
    return told


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().get(pk=concern.pk)


def _moderated(concern: Concern, user: User) -> None:
    concern.moderated_by = user
    concern.moderated_at = timezone.now()


@transaction.atomic
@public_cache.invalidates
def concern_publish(
    *,
    concern: Concern,
    public_text: str,
    user: User,
    public_neighbourhood: str | None = None,
    photo: str | None = None,
    photo_alt: str | None = None,
) -> Concern:
    """Show the concern publicly, with the text (and place) the moderator approved, redacted if
    they changed it; publishing again corrects it. The original stays with the moderators until
    the retention period ends.

    ``photo`` decides about the citizen's photo, if there is one: ``PHOTO_PUBLISH`` shows it with
    ``photo_alt`` (what it shows, for those who cannot see it), ``PHOTO_HIDE`` keeps it for the
    moderators only, ``PHOTO_DELETE`` deletes it for good (a face, a licence plate); ``None``
    leaves it as it was."""
    concern = _locked(concern)
    _step(CONCERN_STEPS, concern.status, CS.PUBLISHED, _("This concern cannot be published now."))
    if public_neighbourhood is None:
        public_neighbourhood = concern.public_neighbourhood or concern.neighbourhood
    public_text = public_text.strip()
    if not public_text:
        raise ValidationError({"public_text": _("Write the text to publish.")})
    if len(public_text) > CONCERN_MAX_CHARS:
        raise ValidationError(
            {"public_text": _("Keep the concern under %(max)d characters.") % {"max": CONCERN_MAX_CHARS}}
        )
    concern.public_text = public_text
    concern.public_neighbourhood = public_neighbourhood.strip()[:150]
    concern.redacted = (public_text, concern.public_neighbourhood) != (
        concern.text.strip(),
        concern.neighbourhood.strip(),
    )
    if concern.photo and photo is not None:
        if photo == PHOTO_DELETE:
            photos.drop(concern)
        else:
            concern.photo_public = photo == PHOTO_PUBLISH
            if photo_alt is not None:
                concern.photo_alt = photo_alt.strip()[:200]
    concern.status = CS.PUBLISHED
    concern.status_reason = ""
    concern.closed_by = ""
    _moderated(concern, user)
    concern.save()
    return concern


PHOTO_PUBLISH, PHOTO_HIDE, PHOTO_DELETE = "publish", "hide", "delete"


@transaction.atomic
@public_cache.invalidates
def concern_support(*, concern: Concern) -> int:
    """One more citizen counted ("this is my problem too") with a published concern, instead of a
    second concern. The view allows it once per browser session, under the per-address limit.
    Returns the new count; a concern no longer published is not counted (Concern.DoesNotExist)."""
    counted = Concern.objects.filter(pk=concern.pk, status=CS.PUBLISHED).update(
        support_count=F("support_count") + 1
    )
    if not counted:
        raise Concern.DoesNotExist
    concern.refresh_from_db(fields=["support_count"])
    return concern.support_count


@transaction.atomic
@public_cache.invalidates
def concern_reject(*, concern: Concern, reason: str, user: User) -> Concern:
    """Not published: off-topic, abusive, or about an individual case (which belongs to other
    mechanisms). The reason is shown to the citizen on the code's page."""
    concern = _locked(concern)
    _step(CONCERN_STEPS, concern.status, CS.REJECTED, _("This concern cannot be set aside now."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the concern is not published.")})
    concern.status = CS.REJECTED
    concern.status_reason = reason.strip()
    concern.closed_by = Concern.ClosedBy.MODERATOR
    _moderated(concern, user)
    concern.save()
    _release_duplicates(concern)
    _tell_citizens([concern.pk], CONCERN_REJECTED)
    return concern


def _release_duplicates(concern: Concern) -> None:
    """Concerns merged into one that is set aside go back to the moderators: their citizens did
    not ask for this one's fate."""
    for duplicate in Concern.objects.select_for_update().filter(merged_into=concern, status=CS.MERGED):
        duplicate.status = CS.RECEIVED
        duplicate.merged_into = None
        duplicate.save(update_fields=["status", "merged_into", "updated_at"])


@transaction.atomic
@public_cache.invalidates
def concern_merge(*, concern: Concern, into: Concern, user: User) -> Concern:
    """A duplicate joins a similar concern; its citizen follows that one's outcome."""
    # Lock the two rows in a fixed order, so two moderators merging A into B and B into A at the
    # same moment wait for each other instead of making a cycle.
    locked = {
        c.pk: c
        for c in Concern.objects.select_for_update().filter(pk__in=[concern.pk, into.pk]).order_by("pk")
    }
    concern, target = locked[concern.pk], locked.get(into.pk)
    _step(CONCERN_STEPS, concern.status, CS.MERGED, _("This concern cannot be merged now."))
    for _hop in range(10):  # merges are flattened below, so a chain is one step long at most
        if target is None or target.status != CS.MERGED or target.merged_into_id is None:
            break
        target = Concern.objects.select_for_update().get(pk=target.merged_into_id)
    if target is None or target.council_id != concern.council_id or target.pk == concern.pk:
        raise ValidationError({"into": _("Choose another concern of this council.")})
    if target.status not in (CS.RECEIVED, CS.PUBLISHED):
        raise ValidationError({"into": _("Merge into a concern that is published or awaiting moderation.")})
    concern.status = CS.MERGED
    concern.merged_into = target
    concern.public_text = ""
    concern.problem = None
    _moderated(concern, user)
    concern.save()
    # Concerns that had joined this one now follow the new target directly.
    for duplicate in Concern.objects.filter(merged_into=concern):
        duplicate.merged_into = target
        duplicate.save(update_fields=["merged_into", "updated_at"])
    return concern


def _purge(concern: Concern, closed_by: str) -> None:
    """Delete the contact and the citizen's own words (text and place as typed); what was
    published stays. A concern nobody moderated is withdrawn, and its duplicates go back."""
    ConcernContact.objects.filter(concern=concern).delete()
    for kind in (CONCERN_RECEIPT, CONCERN_REJECTED, CONCERN_OUTCOME):  # the e-mails to that contact
        notify.forget(f"{kind}:{concern.pk}:")
    if concern.status == CS.RECEIVED:
        concern.status = CS.REJECTED
        concern.status_reason = ""
        concern.closed_by = closed_by
    concern.text = ""
    concern.neighbourhood = ""
    photos.drop(concern)  # a photo may show the citizen, their home or their car
    concern.personal_data_purged_at = timezone.now()
    concern.save()
    if concern.status == CS.REJECTED:
        _release_duplicates(concern)


@transaction.atomic
@public_cache.invalidates
def concern_forget(*, concern: Concern, user: User) -> Concern:
    """The citizen asked: delete their contact and the original wording (a published concern
    keeps its published text; one not yet moderated is withdrawn)."""
    concern = _locked(concern)
    if concern.personal_data_purged_at:
        raise ValidationError(_("The personal data of this concern were already deleted."))
    _moderated(concern, user)
    _purge(concern, Concern.ClosedBy.CITIZEN)
    return concern


def retention_cutoff(as_of: date) -> datetime:
    """Concerns whose consultation (or, without one, whose arrival) is older than this lose their
    personal data."""
    months = settings.CONCERN_RETENTION_MONTHS
    year, month = divmod(as_of.month - 1 - months, 12)
    year += as_of.year
    first = date(year, month + 1, 1)
    next_first = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    day = min(as_of.day, (next_first - timedelta(days=1)).day)
    return timezone.make_aware(datetime.combine(first.replace(day=day), time.min))


def purge_expired(*, as_of: date) -> int:
    """Delete contacts and original wording past the retention period. Idempotent."""
    cutoff = retention_cutoff(as_of)
    due = Concern.objects.filter(personal_data_purged_at__isnull=True).filter(
        Q(consultation__isnull=False, consultation__starts_at__lt=cutoff)
        | Q(consultation__isnull=True, created_at__lt=cutoff)
    )
    purged = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            concern = Concern.objects.select_for_update().get(pk=pk)
            if concern.personal_data_purged_at is None:
                _purge(concern, Concern.ClosedBy.RETENTION)
                public_cache.changed()
                purged += 1
    return purged


# --- prioritisation --------------------------------------------------------------------------


def _groupable(council: Council, concerns: Iterable[Concern]) -> list[Concern]:
    concerns = list(concerns)
    if any(c.council_id != council.pk or c.status not in (CS.RECEIVED, CS.PUBLISHED) for c in concerns):
        raise ValidationError({"concerns": _("Choose concerns of this council that are not set aside.")})
    return concerns


@transaction.atomic
@public_cache.invalidates
def problem_create(*, consultation: Consultation, title: str, concerns: Iterable[Concern] = ()) -> Problem:
    """The SKN names a problem and groups concerns under it."""
    if not title.strip():
        raise ValidationError({"title": _("Name the problem.")})
    if consultation.status == Status.CANCELLED:
        raise ValidationError(_("A cancelled consultation has no problems."))
    concerns = _groupable(consultation.council, concerns)
    problem = Problem.objects.create(
        council=consultation.council,
        consultation=consultation,
        title=title.strip(),
        category=proposed_category(concern.category for concern in concerns),  # the SKN may change it
    )
    concerns_assign(problem=problem, concerns=concerns)
    return problem


@transaction.atomic
@public_cache.invalidates
def concerns_assign(*, problem: Problem, concerns: Iterable[Concern]) -> int:
    concerns = _groupable(problem.council, concerns)
    for concern in concerns:
        concern.problem = problem
        if concern.consultation_id is None:
            concern.consultation_id = problem.consultation_id
        concern.save(update_fields=["problem", "consultation", "updated_at"])
    return len(concerns)


@transaction.atomic
@public_cache.invalidates
def concerns_unassign(*, problem: Problem, concerns: Iterable[Concern]) -> int:
    count = 0
    for concern in concerns:
        if concern.problem_id == problem.pk:
            concern.problem = None
            concern.save(update_fields=["problem", "updated_at"])
            count += 1
    return count


@transaction.atomic
@public_cache.invalidates
def problem_assess(
    *,
    problem: Problem,
    title: str,
    description: str = "",
    intensity: str = "",
    reasons: str = "",
    statistics: str = "",
    statistics_source: str = "",
    institutions: Iterable[Institution] = (),
    outcome: str = Problem.Outcome.PENDING,
    outcome_note: str = "",
    category: ProblemCategory | None = None,
) -> Problem:
    """Assess the risk, propose who is responsible, and decide what becomes of the problem (its
    category: given, replaces the problem's; not given, kept)."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    institutions = list(institutions)
    errors = {}
    if category is not None:
        problem.category = checked_category(category, current=problem.category_id)
    if not title.strip():
        errors["title"] = _("Name the problem.")
    if outcome == Problem.Outcome.IN_PLAN and not intensity:
        errors["intensity"] = _("Assess the risk intensity before selecting the problem for the plan.")
    if outcome == Problem.Outcome.IN_PLAN and not institutions:
        errors["institutions"] = _("Propose at least one responsible institution for the plan.")
    if outcome in (Problem.Outcome.REFERRED, Problem.Outcome.NOT_TAKEN) and not outcome_note.strip():
        errors["outcome_note"] = _(
            "Say where it was referred or why it was not taken: citizens will read it."
        )
    if statistics.strip() and not statistics_source.strip():
        errors["statistics_source"] = _("Name the source of the statistics.")
    seated = set(seated_institutions(problem.council).values_list("pk", flat=True))
    if any(institution.pk not in seated for institution in institutions):
        errors["institutions"] = _("Choose institutions that sit on this council.")
    if errors:
        raise ValidationError(errors)
    problem.title = title.strip()
    problem.description = description.strip()
    problem.intensity = intensity
    problem.reasons = reasons.strip()
    problem.statistics = statistics.strip()
    problem.statistics_source = statistics_source.strip()
    decided = outcome != Problem.Outcome.PENDING and (outcome, outcome_note.strip()) != (
        problem.outcome,
        problem.outcome_note,
    )
    problem.outcome = outcome
    problem.outcome_note = "" if outcome == Problem.Outcome.PENDING else outcome_note.strip()
    problem.save()
    problem.institutions.set(institutions)
    if decided:
        # Citizens of published concerns in it (and of concerns merged into those) hear the outcome.
        pks = list(
            Concern.objects.filter(
                Q(problem=problem, status=CS.PUBLISHED)
                | Q(merged_into__problem=problem, merged_into__status=CS.PUBLISHED, status=CS.MERGED)
            ).values_list("pk", flat=True)
        )
        _tell_citizens(pks, CONCERN_OUTCOME, problem=problem)
    return problem
