"""Elbasan's open consultations for `load_demo`, after Table 1 of the IDM guide (the Elbasan plan;
the data are in consultations/demo_data.py): two held consultations (November 2021 and January
2022), co-led by the mayor, the police chief and the chief prosecutor, their agenda agreed by the
SKN, with participation, the SKN present, citizens' concerns and the problems the SKN drew from
them; one announced consultation ahead, with concerns awaiting moderation; and one in preparation
whose agenda waits for the SKN's agreement.

Idempotent: a held consultation is found by its council and start, the upcoming one as any
announced consultation of Elbasan still ahead, the one in preparation as any draft ahead; their
participation, concerns and problems are created only together with them, so a second run writes
nothing (concerns have random codes, and their original wording is purged after the retention
period, so they cannot be found by text)."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from councils.meetings.models import Meeting
from councils.models import SKN_ROLES, AdministrativeUnit, Council, Institution
from councils.selectors import users_with_roles

from . import lifecycle, notices, photos, selectors, services
from .demo_categories import category_of
from .demo_data import HEADS, HELD, MERGE, PREPARING, PUBLISH, REDACT, REJECT, TRIANGLE, UPCOMING, Src
from .models import Concern, Consultation


def _at(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def _next_consultation_day(today: date) -> date:
    """The first Thursday of the month after next."""
    year, month = divmod(today.month + 1, 12)
    first = date(today.year + year, month + 1, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7)


def _concerns(council, consultation, rows, units, moderator) -> tuple[int, dict[str, Concern]]:
    concerns = {}
    for key, source, category, unit, neighbourhood, text, contact, moderation, argument in rows:
        name, email, phone = contact or ("", "", "")
        concern = services.concern_submit(
            council=council,
            consultation=consultation,
            text=text,
            category=category,
            source=source,
            unit=units.get(unit),
            neighbourhood=neighbourhood,
            contact_name=name,
            contact_email=email,
            contact_phone=phone,
            entered_by=None if source == Src.ONLINE else moderator,
        )
        if moderation in (PUBLISH, REDACT):
            concern = services.concern_publish(
                concern=concern, public_text=text if moderation == PUBLISH else argument, user=moderator
            )
        elif moderation == REJECT:
            concern = services.concern_reject(concern=concern, reason=argument, user=moderator)
        elif moderation == MERGE:
            concern = services.concern_merge(concern=concern, into=concerns[argument], user=moderator)
        concerns[key] = concern
    return len(concerns), concerns


def _held(council, spec, units, institutions, moderator) -> int:
    starts_at = _at(spec["starts_at"])
    if Consultation.objects.filter(council=council, starts_at=starts_at).exists():
        return 0
    follow_up = None
    if spec["follow_up"]:
        follow_up = (
            Meeting.objects.filter(
                council=council, kind__in=Meeting.PUBLIC_KINDS, starts_at__date=spec["follow_up"]
            )
            .order_by("starts_at")
            .first()
        )
    consultation = lifecycle.consultation_create(
        council=council,
        starts_at=starts_at,
        place=spec["place"],
        title=spec["title"],
        unit=units.get(spec["unit"]),
        co_leads=[institutions[c] for c in TRIANGLE if c in institutions],
        **HEADS,
        agenda="\n".join(spec["agenda"]),
        follow_up_meeting=follow_up,
    )
    consultation = _agreed_and_announced(consultation, moderator)
    created = 1
    n, concerns = _concerns(council, consultation, spec["concerns"], units, moderator)
    created += n
    for title, keys, assessment in spec["problems"]:
        problem = services.problem_create(
            consultation=consultation, title=title, concerns=[concerns[k] for k in keys]
        )
        wanted = assessment.get("institutions", ())
        services.problem_assess(
            problem=problem,
            title=title,
            **{k: v for k, v in assessment.items() if k != "institutions"},
            institutions=[institutions[k] for k in wanted if k in institutions],
            category=category_of(title),
        )
        created += 1
    lifecycle.participation_record(
        consultation=consultation,
        counts={str(group): counts for group, counts in spec["participation"].items()},
        summary=spec["summary"],
        skn_present=selectors.skn_candidates(consultation),
    )
    notices.settle(consultation)  # held long ago: no hand-off waits for anyone, no e-mail goes out
    return created + len(spec["participation"])


def _upcoming(council, units, institutions, moderator) -> int:
    if lifecycle.open_consultation(council) is not None:
        return 0
    day = _next_consultation_day(timezone.localdate())
    consultation = lifecycle.consultation_create(
        council=council,
        starts_at=_at(datetime.combine(day, time(17, 0))),
        place=UPCOMING["place"],
        title=UPCOMING["title"],
        unit=units.get(UPCOMING["unit"]),
        co_leads=[institutions[c] for c in TRIANGLE if c in institutions],
        **HEADS,
        agenda="\n".join(UPCOMING["agenda"]),
    )
    _agreed_and_announced(consultation, moderator)
    n, _concerns_by_key = _concerns(council, consultation, UPCOMING["concerns"], units, moderator)
    return 1 + n


def _preparing(council, units, institutions, moderator) -> int:
    """Two weeks after the announced one, in Papër: the secretary sent its agenda to the SKN,
    which has not agreed it yet; the police chief is not confirmed yet."""
    ahead = Consultation.objects.filter(
        council=council, status=Consultation.Status.DRAFT, starts_at__gt=timezone.now()
    )
    if ahead.exists():
        return 0
    day = _next_consultation_day(timezone.localdate()) + timedelta(days=14)
    consultation = lifecycle.consultation_create(
        council=council,
        starts_at=_at(datetime.combine(day, time(17, 0))),
        place=PREPARING["place"],
        title=PREPARING["title"],
        unit=units.get(PREPARING["unit"]),
        co_leads=[institutions[c] for c in TRIANGLE if c in institutions],
        mayor_name=HEADS["mayor_name"],
        prosecutor_name=HEADS["prosecutor_name"],
        agenda="\n".join(PREPARING["agenda"]),
    )
    lifecycle.consultation_agenda_submit(consultation=consultation, user=moderator)
    # Sent to the SKN yesterday: the waiting list says how long it has waited, not "just now".
    Consultation.objects.filter(pk=consultation.pk).update(
        agenda_submitted_at=timezone.now() - timedelta(days=1)
    )
    return 1


def _agreed_and_announced(consultation: Consultation, secretary) -> Consultation:
    """The guide's order: the SKN agrees the agenda (its first member with an account), then the
    technical secretary announces the consultation."""
    skn = users_with_roles(consultation.council, *SKN_ROLES)
    consultation = lifecycle.consultation_agenda_submit(consultation=consultation, user=secretary)
    consultation = lifecycle.consultation_agenda_agree(
        consultation=consultation, user=skn[0] if skn else None
    )
    return lifecycle.consultation_announce(consultation=consultation, user=secretary)


# "This is my problem too": citizens who found their problem already raised and published, and
# were counted with it instead of raising a second concern (issue 23 item 4).
SUPPORT = (9, 4, 2, 6, 1, 3, 5)


def _support(council) -> None:
    if Concern.objects.filter(council=council, support_count__gt=0).exists():
        return  # counted on the first run
    published = Concern.objects.filter(council=council, status=Concern.Status.PUBLISHED).order_by(
        "created_at", "pk"
    )
    for concern, times in zip(published, SUPPORT, strict=False):
        for _citizen in range(times):
            services.concern_support(concern=concern)


# A citizen's photo (issue 23 item 4), drawn at load time (no image file in the repository): one
# published with its concern and a description, one awaiting moderation with its concern.
STREET_LIGHTS = "Rrugët e brendshme të lagjes Kristoforidhi"
STREET_LIGHTS_ALT = "Rrugë e errët mes pallatesh, me një shtyllë ndriçimi pa llambë"
SCHOOL_CROSSING = "Para shkollës 9-vjeçare të lagjes nuk ka vijë për këmbësorë"


def _drawing(*, night: bool) -> bytes:
    """A small picture of a street: at night with a dark street light, or by day before a school
    with no zebra crossing."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (24, 30, 58) if night else (150, 196, 230))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(0, 320), (480, 320), (300, 190), (180, 190)], fill=(60, 60, 64) if night else (110, 110, 116)
    )
    for x, top in ((20, 70), (330, 90)):  # blocks of flats
        draw.rectangle([x, top, x + 120, 200], fill=(52, 48, 60) if night else (214, 190, 160))
        for wy in range(top + 15, 190, 28):
            for wx in range(x + 12, x + 110, 26):
                lit = night and (wx + wy) % 3 == 0
                draw.rectangle([wx, wy, wx + 12, wy + 14], fill=(230, 200, 90) if lit else (70, 80, 100))
    if night:
        draw.rectangle([236, 80, 242, 240], fill=(120, 120, 126))  # the pole
        draw.rectangle([222, 72, 262, 84], fill=(90, 90, 96))  # the lamp, off
    else:
        draw.rectangle([170, 110, 310, 190], fill=(200, 120, 90))  # the school
        draw.rectangle([225, 150, 255, 190], fill=(90, 60, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _photos(council, moderator) -> int:
    if Concern.objects.filter(council=council).exclude(photo="").exists():
        return 0  # drawn on the first run
    created = 0
    from django.core.files.uploadedfile import SimpleUploadedFile

    lights = Concern.objects.filter(
        council=council, status=Concern.Status.PUBLISHED, public_text__startswith=STREET_LIGHTS
    ).first()
    if lights is not None:
        photos.store(lights, SimpleUploadedFile("rruga.jpg", _drawing(night=True)))
        lights.save(update_fields=["photo", "updated_at"])
        services.concern_publish(
            concern=lights,
            public_text=lights.public_text,
            user=moderator,
            photo="publish",
            photo_alt=STREET_LIGHTS_ALT,
        )
        created += 1
    crossing = Concern.objects.filter(
        council=council, status=Concern.Status.RECEIVED, text__startswith=SCHOOL_CROSSING
    ).first()
    if crossing is not None:
        photos.store(crossing, SimpleUploadedFile("shkolla.jpg", _drawing(night=False)))
        crossing.save(update_fields=["photo", "updated_at"])
        created += 1
    return created


def load() -> int:
    """Create the demo consultations once; returns how many records were created."""
    council = Council.objects.get(municipality__slug="elbasan")
    moderator = get_user_model().objects.filter(email="sekretari@elbasan.kvsp.demo").first()
    if moderator is None:
        return 0
    units = {u.name: u for u in AdministrativeUnit.objects.filter(municipality__slug="elbasan")}
    # Seated institutions, by category (the first of each) and by name.
    institutions: dict[str, Institution] = {}
    for seat in council.seats.active().select_related("institution").order_by("institution__name"):
        institutions.setdefault(seat.institution.category, seat.institution)
        institutions[seat.institution.name] = seat.institution
    created = 0
    for spec in HELD:
        created += _held(council, spec, units, institutions, moderator)
    created += _upcoming(council, units, institutions, moderator)
    created += _preparing(council, units, institutions, moderator)
    _support(council)
    created += _photos(council, moderator)
    return created
