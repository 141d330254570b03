"""`load_demo`'s councils in different states of compliance with the regulation's rhythm, in 2022
(the year of the guide's Elbasan plan, whose monitoring monitoring/demo.py loads):

- Elbasan keeps the whole rhythm: to the council meeting of 03.02.2022 (plans/demo.py) and the
  Shushicë consultation of January (consultations/demo.py) it adds an SKN meeting every month, the
  June consultation in Gjinar and the council meeting of July that follows it, with attendance.
  What it did after its deadline is "done late" and scores as not met: its monthly reports of 2022
  (monitoring/demo.py approves them the day the demo is loaded), and in 2021 its plan, approved on
  11.02.2021 (due by 31 January);
- Belsh met only once: one council meeting, SKN meetings in the spring only, one consultation;
- Librazhd meets and consults on time but never approved its plan: the 2022 draft stays a draft;
- the other 58 councils are not established: nothing is recorded, nothing is "failing".

Every fact goes through the services. Idempotent: a meeting or consultation is found by its
council and start before anything is created.
"""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations import lifecycle as consultation_lifecycle
from consultations import notices as consultation_notices
from consultations import services as consultation_services
from consultations.demo_categories import category_of
from consultations.models import Concern, Consultation, Problem
from councils.meetings import notices as meeting_notices
from councils.meetings import services as meeting_services
from councils.meetings.models import Attendance, Meeting
from councils.models import SKN_ROLES, Council, Membership, Role
from councils.selectors import users_with_roles
from plans import services as plan_services
from plans.models import Plan

from . import services

YEAR = 2022
SKN_AGENDA = ["Ecuria e aktiviteteve të planit", "Raporti mujor i monitorimit"]
PROBLEM = "Siguria në lagje dhe pranë shkollave"
REFERRED = (
    "U referua te Komisariati i Policisë dhe te Bashkia, që e trajtojnë në aktivitetet e planit në fuqi."
)
COMMENT = (
    "Mbledhja e SKN-së e gushtit u mbajt më 30 gusht, pas pushimeve, me të tre anëtarët. Takimi "
    "konsultativ i qershorit u zhvillua në Gjinar, me banorët e njësive Gjinar dhe Shirgjan."
)


def _at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(datetime(year, month, day).date(), time(hour, minute)))


def _attendees(council: Council) -> list[Membership]:
    """One membership per person sitting on the council (guests aside)."""
    seen, found = set(), []
    for membership in (
        Membership.objects.filter(council=council, end_date__isnull=True)
        .exclude(role=Role.GUEST)
        .select_related("person", "institution")
        .order_by("institution__category", "person__full_name")
    ):
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            found.append(membership)
    return found


def _meeting(
    council, kind, starts_at, place, agenda, attendees, *, title="", chair=None, author=None, agreed_by=None
) -> int:
    """A held meeting with its agenda and attendance (everyone there, one by a deputy), and its
    minutes approved when there is someone to write and approve them. A public meeting's agenda is
    agreed by ``agreed_by`` (an SKN member), or else by ``chair``."""
    if Meeting.objects.filter(council=council, kind=kind, starts_at=starts_at).exists():
        return 0
    meeting = meeting_services.meeting_create(
        council=council, kind=kind, starts_at=starts_at, place=place, title=title
    )
    for item in agenda:
        meeting_services.agenda_item_add(meeting=meeting, title=item)
    if (agreed_by or chair) is not None and kind in Meeting.PUBLIC_KINDS:
        meeting_services.agenda_agree(meeting=meeting, user=agreed_by or chair)
    entries = [
        (
            m.person,
            m.institution,
            Attendance.Status.REPRESENTED if n == 1 else Attendance.Status.PRESENT,
            "Zëvendësi i drejtuesit" if n == 1 else "",
        )
        for n, m in enumerate(attendees)
    ]
    meeting = meeting_services.attendance_record(meeting=meeting, entries=entries)
    if author is not None and chair is not None:
        minutes = meeting_services.minutes_save(
            meeting=meeting,
            body="U shqyrtuan pikat e rendit të ditës: " + ", ".join(agenda).lower() + ".",
            author=author,
            version=None,
        )
        minutes = meeting_services.minutes_submit(minutes=minutes, user=author)
        meeting_services.minutes_approve(minutes=minutes, user=chair)
    meeting_notices.settle(meeting)  # recorded after the fact: none of its hand-offs waits for anyone
    return 1


def _consultation(council, starts_at, place, counts, concerns=()) -> int:
    """A held consultation with its participation; ``concerns``: (category, text) raised at it,
    published by the SKN member who agreed the agenda."""
    if Consultation.objects.filter(council=council, starts_at=starts_at).exists():
        return 0
    consultation = consultation_lifecycle.consultation_create(
        council=council,
        starts_at=starts_at,
        place=place,
        agenda="Ecuria e planit shumaktorial vendor\nShqetësimet e banorëve",
    )
    # The SKN agreed the agenda (an SKN member with an account, else nobody named: entered after
    # the fact), then it was announced without the heads' names, which nobody recorded.
    skn = users_with_roles(council, *SKN_ROLES)
    consultation_lifecycle.consultation_agenda_agree(consultation=consultation, user=skn[0] if skn else None)
    consultation = consultation_lifecycle.consultation_announce(consultation=consultation, without_heads=True)
    raised = []
    for category, text in concerns:
        concern = consultation_services.concern_submit(
            council=council,
            consultation=consultation,
            text=text,
            category=category,
            source=Concern.Source.ORAL,
            entered_by=skn[0] if skn else None,
        )
        if skn:
            raised.append(
                consultation_services.concern_publish(concern=concern, public_text=text, user=skn[0])
            )
    if raised:  # the SKN grouped them and decided what becomes of them
        problem = consultation_services.problem_create(
            consultation=consultation, title=PROBLEM, concerns=raised
        )
        consultation_services.problem_assess(
            problem=problem,
            title=PROBLEM,
            outcome=Problem.Outcome.REFERRED,
            outcome_note=REFERRED,
            category=category_of(PROBLEM),
        )
    consultation_lifecycle.participation_record(consultation=consultation, counts=counts)
    consultation_notices.settle(consultation)  # recorded after the fact: no hand-off waits, no e-mail
    return 1 + len(concerns) + bool(raised)


def _skn_months(council, months, attendees, place, year: int = YEAR) -> int:
    skn = [m for m in attendees if m.is_officer] or attendees
    return sum(
        _meeting(
            council,
            Meeting.Kind.SKN,
            _at(year, month, 20 if month != 8 else 30, 9, 30),
            place,
            SKN_AGENDA,
            skn,
        )
        for month in months
    )


def _elbasan(users) -> int:
    council = Council.objects.get(municipality__slug="elbasan")
    chair, secretary = users.get("kryetari@elbasan.kvsp.demo"), users.get("sekretari@elbasan.kvsp.demo")
    attendees = _attendees(council)
    place = "Salla e Këshillit Bashkiak, Elbasan"
    created = _skn_months(council, range(1, 13), attendees, "Zyra e SKN-së, Bashkia Elbasan")
    created += _consultation(
        council,
        _at(YEAR, 6, 16, 17, 0),
        "Qendra shëndetësore Gjinar",
        {
            "village_heads": (1, 5, 0),
            "schools_parents": (9, 4, 0),
            "youth": (6, 7, 1),
            "other_citizens": (8, 11, 2),
        },
    )
    created += _meeting(
        council,
        Meeting.Kind.COUNCIL,
        _at(YEAR, 7, 7),
        place,
        ["Rezultatet e takimit të hapur konsultativ në Gjinar", "Raporti gjashtëmujor i monitorimit"],
        attendees,
        title="Raporti gjashtëmujor i monitorimit të planit 2022",
        chair=chair,
        author=secretary,
    )
    if chair is not None and not council.compliance_comments.filter(year=YEAR).exists():
        services.compliance_comment_save(council=council, year=YEAR, text=COMMENT, user=chair, revision=None)
        created += 1
    return created


def _belsh(users) -> int:
    council = Council.objects.get(municipality__slug="belsh")
    attendees = _attendees(council)
    place = "Salla e mbledhjeve, Bashkia Belsh"
    created = _meeting(
        council,
        Meeting.Kind.COUNCIL,
        _at(YEAR, 3, 10),
        place,
        ["Situata e sigurisë publike në bashkinë Belsh"],
        attendees,
        title="Mbledhja e parë e vitit",
    )
    created += _skn_months(council, (3, 4, 5), attendees, place)
    created += _consultation(
        council, _at(YEAR, 4, 14, 17, 0), "Shkolla 9-vjeçare Belsh", {"other_citizens": (7, 12, 0)}
    )
    return created


def _librazhd(users) -> int:
    council = Council.objects.get(municipality__slug="librazhd")
    attendees = _attendees(council)
    place = "Salla e Këshillit Bashkiak, Librazhd"
    created = 0
    for starts, title in (
        (_at(YEAR, 2, 17), "Prioritetet e vitit 2022"),
        (_at(YEAR, 9, 22), "Ecuria e vitit"),
    ):
        created += _meeting(council, Meeting.Kind.COUNCIL, starts, place, [title], attendees, title=title)
    created += _skn_months(council, range(1, 13), attendees, place)
    created += _consultation(
        council, _at(YEAR, 1, 27, 17, 0), "Pallati i Kulturës, Librazhd", {"youth": (10, 9, 0)}
    )
    created += _consultation(
        council, _at(YEAR, 7, 21, 17, 0), "Qendra komunitare Qukës", {"other_citizens": (6, 14, 0)}
    )
    if not Plan.objects.filter(council=council, year=YEAR).exists():
        draft = plan_services.plan_start(council=council, year=YEAR)
        title = "Vjedhjet në banesa në zonat periferike"
        plan_services.problem_add(
            version=draft, number="1.1", title=title, priority="moderate", category=category_of(title)
        )
        created += 1
    return created


def load() -> int:
    """Create the councils' 2022 records once; returns how many records were created."""
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith=".kvsp.demo")}
    return _elbasan(users) + _belsh(users) + _librazhd(users)
