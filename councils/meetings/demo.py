"""A year of Elbasan meetings for `load_demo`: two council meetings, a monthly SKN meeting and one
task force, with agendas, attendance, approved minutes and decisions numbered per council and year
("Vendimi nr. 2/2025"); the last council meeting, held twelve days before the load, whose minutes
the technical secretary submitted and which wait for the chair's approval; and the next council
meeting, a week ahead, with its invitations sent. Only meetings whose start has passed are held.
Idempotent: a meeting is found by its council, kind and start before anything is created."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from councils.models import OFFICER_ROLES, Council, Membership, Role

from . import invitations, notices, services, task_forces
from .models import Attendance, Meeting, Reach

YEAR = 2025
COUNCIL_MEETINGS = [
    (
        datetime(YEAR, 2, 3, 10, 0),
        "Miratimi i planit shumaktorial vendor 2025",
        ["Rezultatet e takimit të hapur konsultativ të janarit", "Plani shumaktorial vendor 2025"],
        ["Miratohet plani shumaktorial vendor për parandalimin e krimit për vitin 2025."],
    ),
    (
        datetime(YEAR, 7, 14, 10, 0),
        "Rishikimi i planit pas konsultimit të qershorit",
        ["Raporti gjashtëmujor i monitorimit", "Rishikimi i prioriteteve 1.4 dhe 1.5"],
        [
            "Përditësohet prioriteti 1.4 (përdorimi i drogës nga të rinjtë): mbetet i lartë.",
            "Ngarkohet SKN-ja të raportojë çdo muaj për aktivitetet e vonuara.",
        ],
    ),
]
SKN_AGENDA = ["Ecuria e aktiviteteve të planit", "Raporti mujor i monitorimit"]
DISCUSSED = "Përfaqësuesit e institucioneve përgjegjëse paraqitën ecurinë; u ra dakord për hapat e radhës."
# Held twelve days before the load; its minutes wait for the chair's approval.
RECENT_MEETING = (
    "Mbledhja e Këshillit për ecurinë e planit",
    ["Raporti i monitorimit të tremujorit të fundit", "Masat për sigurinë pranë shkollave"],
    [
        "Miratohet raporti i monitorimit të tremujorit të fundit.",
        "Ngarkohet Komisariati i Policisë të shtojë patrullimin pranë shkollave në orët e mësimit.",
    ],
)
# A task force the chair called for ten days after the first load (regulation art. 7.3), with two
# specialists from outside the council: one is e-mailed the invitation, the other is phoned.
TASK_FORCE_AHEAD = "Fëmijët që lypin pranë tregut të qytetit"
TASK_FORCE_AGENDA = [
    "Situata pranë tregut: të dhënat e Komisariatit dhe të shërbimit social",
    "Ndarja e detyrave ndërmjet institucioneve dhe afatet",
]
SPECIALISTS = [
    (
        "Mirela Hoxha",
        "punonjëse sociale",
        "Qendra “Të Drejtat e Fëmijëve” (OJF)",
        "m.hoxha@ojf-elbasan.kvsp.demo",
    ),
    ("Besnik Gjoka", "psikolog shkollor", "Drejtoria Rajonale e Arsimit Parauniversitar Elbasan", ""),
]
NEXT_MEETING_TITLE = "Mbledhja e radhës e Këshillit"
NEXT_MEETING_AGENDA = ["Ecuria e zbatimit të planit", "Përgatitja e takimit të hapur konsultativ"]


def _at(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def _meeting(
    council, kind, starts_at, title, agenda, decisions, author, approver, attendees, *, approve=True
) -> int:
    """A held meeting: nothing is recorded of one whose start has not come (facts before approvals)."""
    if (
        starts_at > timezone.now()
        or Meeting.objects.filter(council=council, kind=kind, starts_at=starts_at).exists()
    ):
        return 0
    meeting = services.meeting_create(
        council=council,
        kind=kind,
        starts_at=starts_at,
        place="Salla e Këshillit Bashkiak, Elbasan",
        title=title,
    )
    for item in agenda:
        services.agenda_item_add(meeting=meeting, title=item)
    if approver is not None and kind in Meeting.PUBLIC_KINDS:
        services.agenda_agree(meeting=meeting, user=approver)
        notices.settle(meeting)  # agreed long ago: the secretary's notice of it is not news
    entries = [
        (m.person, m.institution, Attendance.Status.EXCUSED if n % 7 == 6 else Attendance.Status.PRESENT, "")
        for n, m in enumerate(attendees)
    ]
    meeting = services.attendance_record(meeting=meeting, entries=entries)
    items = list(meeting.agenda_items.all())
    body = (
        f"Mbledhja u hap nga kryesuesi. U diskutuan pikat e rendit të ditës: {', '.join(agenda).lower()}.\n\n"
        "Anëtarët paraqitën të dhënat e institucioneve të tyre dhe propozimet për muajt në vijim."
    )
    for text in decisions:
        services.decision_add(meeting=meeting, text=text, agenda_item=items[-1] if items else None)
    minutes = services.minutes_save(meeting=meeting, body=_outline(items, body), author=author, version=None)
    if approver is not None:
        minutes = services.minutes_submit(minutes=minutes, user=author)
        if not approve:
            # Waiting for the chair since two days ago (never before the meeting began): the
            # waiting list then says how long, not "just now".
            stamp = max(timezone.now() - timedelta(days=2), meeting.starts_at)
            type(minutes).objects.filter(pk=minutes.pk).update(submitted_at=stamp)
        if approve:
            services.minutes_approve(minutes=minutes, user=approver)
            notices.settle(meeting)  # a past year: nothing of it waits for anyone
    return 1


def _outline(items, body: str) -> str:
    """The minutes as the secretary writes them: the opening, then one heading per agenda item."""
    headings = "\n\n".join(f"{item.position}. {item.title}\n\n{DISCUSSED}" for item in items)
    return f"{body}\n\n{headings}" if headings else body


def load() -> int:
    """Create the demo meetings once; returns how many were created."""
    council = Council.objects.get(municipality__slug="elbasan")
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith="elbasan.kvsp.demo")}
    secretary = users.get("sekretari@elbasan.kvsp.demo")
    chair = users.get("kryetari@elbasan.kvsp.demo")
    skn_prosecutor = users.get("skn.prokuroria@elbasan.kvsp.demo")
    if not (secretary and chair and skn_prosecutor):
        return 0
    members = list(
        Membership.objects.filter(council=council, end_date__isnull=True)
        .exclude(role=Role.GUEST)
        .select_related("person", "institution")
        .order_by("institution__category", "person__full_name")
    )
    unique, seen = [], set()
    for membership in members:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            unique.append(membership)
    officers = [m for m in unique if m.role in OFFICER_ROLES]
    created = 0
    for starts, title, agenda, decisions in COUNCIL_MEETINGS:
        created += _meeting(
            council, Meeting.Kind.COUNCIL, _at(starts), title, agenda, decisions, secretary, chair, unique
        )
    for month in range(1, 12):
        starts = _at(datetime.combine(datetime(YEAR, month, 20).date(), time(9, 30)))
        created += _meeting(
            council, Meeting.Kind.SKN, starts, "", SKN_AGENDA, [], secretary, skn_prosecutor, officers
        )
    created += _meeting(
        council,
        Meeting.Kind.TASK_FORCE,
        _at(datetime(YEAR, 4, 9, 11, 0)),
        "Rastet e dhunës në familje në njësinë administrative Shushicë",
        ["Rastet e raportuara në tremujorin e parë", "Koordinimi me njësinë për mbrojtjen e fëmijëve"],
        ["Ngrihet grupi teknik ndërsektorial për ndjekjen e rasteve."],
        secretary,
        chair,
        officers,
    )
    created += _task_force_ahead(council)
    created += _recent_meeting(council, unique, secretary, chair)
    created += _next_meeting(council, unique, secretary, skn_prosecutor)
    return created


def _recent_meeting(council, members, secretary, chair) -> int:
    """The last council meeting, twelve days before the first load: held, its decisions recorded
    and its minutes submitted by the technical secretary, waiting for the chair's approval (the
    chair finds them in "waiting for you" and in a notice). Not made again while one is recent."""
    if Meeting.objects.filter(
        council=council,
        kind=Meeting.Kind.COUNCIL,
        status=Meeting.Status.HELD,
        starts_at__gte=timezone.now() - timedelta(days=30),
    ).exists():
        return 0
    title, agenda, decisions = RECENT_MEETING
    day = timezone.localdate() - timedelta(days=12)
    starts_at = _at(datetime.combine(day, time(10, 0)))
    return _meeting(
        council,
        Meeting.Kind.COUNCIL,
        starts_at,
        title,
        agenda,
        decisions,
        secretary,
        chair,
        members,
        approve=False,
    )


def _next_meeting(council, members, secretary, skn) -> int:
    """A council meeting a week from the day of the first load, its agenda agreed and everyone
    invited: the invitations wait in the outbox for the worker (var/worker.log), and today's sweep
    reminds the invited of it. Not made again while it is still ahead."""
    if Meeting.objects.filter(
        council=council,
        kind=Meeting.Kind.COUNCIL,
        status=Meeting.Status.PLANNED,
        starts_at__gt=timezone.now(),
    ).exists():
        return 0
    day = timezone.localdate() + timedelta(days=7)
    meeting = services.meeting_create(
        council=council,
        kind=Meeting.Kind.COUNCIL,
        starts_at=_at(datetime.combine(day, time(10, 0))),
        place="Salla e Këshillit Bashkiak, Elbasan",
        title=NEXT_MEETING_TITLE,
    )
    for item in NEXT_MEETING_AGENDA:
        services.agenda_item_add(meeting=meeting, title=item)
    # The guide's order: the secretary sends the agenda to the SKN, the SKN agrees it, then invitations.
    services.agenda_submit(meeting=meeting, user=secretary)
    services.agenda_agree(meeting=meeting, user=skn)
    notices.settle(meeting)  # handled: the invitations went out
    # Everyone with an e-mail address, and two members without one: the invitation step lists them
    # with their letters; the technical secretary phoned the first, the second waits to be reached.
    with_email = [m.person for m in members if m.person.email]
    without_email = [m.person for m in members if not m.person.email][:2]
    invitations.invitations_send(meeting=meeting, people=with_email + without_email, sent_by=secretary)
    # Sent three days ago, so "how long it has waited" reads as it would (not "just now").
    meeting.invitations.filter(sent_at__isnull=False).update(sent_at=timezone.now() - timedelta(days=3))
    if without_email:
        phoned = meeting.invitations.get(person=without_email[0])
        invitations.invitations_reached(
            meeting=meeting, entries=[(phoned, Reach.PHONE, timezone.now() - timedelta(hours=2))]
        )
    return 1


def _task_force_ahead(council) -> int:
    """The task force ten days after the first load, with its outside specialists. Not made again
    while one is ahead."""
    if Meeting.objects.filter(
        council=council, kind=Meeting.Kind.TASK_FORCE, title=TASK_FORCE_AHEAD, starts_at__gt=timezone.now()
    ).exists():
        return 0
    day = timezone.localdate() + timedelta(days=10)
    meeting = task_forces.task_force_call(
        council=council,
        title=TASK_FORCE_AHEAD,
        starts_at=_at(datetime.combine(day, time(11, 0))),
        place="Bashkia Elbasan, salla e mbledhjeve 2",
    )
    for item in TASK_FORCE_AGENDA:
        services.agenda_item_add(meeting=meeting, title=item)
    for full_name, function, institution, email in SPECIALISTS:
        task_forces.specialist_invite(
            meeting=meeting, full_name=full_name, function=function, institution=institution, email=email
        )
    return 1
