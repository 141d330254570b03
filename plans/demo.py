"""Elbasan's multi-actor plans for `load_demo`, after Table 1 of the IDM guide (rows 1.2, 1.4, 1.5
and 1.7; /work/shared/seed, "Praktika të mira: plani vendor shumaktorial").

- 2021: one version, approved at the council meeting of 11.02.2021.
- 2022, version 1: rows 1.2 and 1.4 drawn from the open consultation of 18.11.2021 (the problems the
  SKN selected for the plan in consultations/demo.py), 1.5 and 1.7 carried over from 2021;
  approved at the next council meeting, 16.12.2021.
- 2022, version 2: revised after the consultation in Shushicë (20.01.2022), which reworked 1.5
  (domestic violence) and 1.7 (hotspots); approved at the council meeting of 03.02.2022, the date
  the guide prints on both rows.
- 2022, version 3: a small update, submitted and waiting for the chair's approval.

Each version is approved by choosing the decision its council meeting recorded (plans/approval.py),
not by typing a number and a date.

As in Table 1, each row names its responsible institutions and actors and its deadline once, and
its activities inherit them; the actors that are not members ("OJF", "Përfaqësues të komunitetit")
are in the council's list of actors (plans/actors.py), not in its composition. A few activities
name their own lead (the prosecution's lessons, the police's database, the contact numbers): they
override their row. No activity is given a lead the guide does not name.

Each activity carries one or two measurable indicators (the guide's table has none; these are
plausible ones); the pupils who attended the legal lessons are counted by sex. Rows and activities
name the groups they serve (plans/demo_groups.py). The council meetings that approve the plans are
created first (``load_meetings``, before the consultations, so that the Shushicë consultation
finds its follow-up meeting), the plans after the consultations (``load``). Everything goes
through services.

Idempotent: a meeting is found by its council, kind and start; a year's plan is built only if the
council has no plan for that year, all in one go (load_demo runs in one transaction).
"""

import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations.demo_categories import category_of
from consultations.models import Problem as ConsultationProblem
from councils.demo import PROSECUTION
from councils.meetings import notices as meeting_notices
from councils.meetings import services as meeting_services
from councils.meetings.models import Attendance, Meeting, Minutes
from councils.models import AdministrativeUnit, Council, Institution, Membership, Person, Role

from . import actors, approval, services
from .demo_comments import open_for_comment
from .demo_groups import ACTIVITY_GROUPS, ROW_GROUPS, SPLIT_BY_SEX
from .demo_money import money_of
from .demo_units import unit_of
from .models import Actor, Plan, PlanVersion

MUNICIPALITY = "Bashkia Elbasan"
POLICE = "Komisariati i Policisë Elbasan"
EDUCATION = "Zyra Vendore Arsimore Elbasan"
WOMEN = "Shoqata e Grave të Elbasanit"
YOUTH = "Qendra Rinore e Elbasanit"
CHILD_PROTECTION = "Njësia për Mbrojtjen e Fëmijëve dhe kundër Dhunës në Familje, Bashkia Elbasan"
POLICE_SOURCE = "Drejtoria Vendore e Policisë Elbasan"
PLACE = "Salla e Këshillit Bashkiak, Elbasan"
UPDATED_AT_MEETING = (
    "Përditësuar nga takimi i Këshillit Vendor të Sigurisë Publike, mbajtur më datë 03 Shkurt 2022"
)

# The council meetings that approve the plans: (start, title, agenda, decision).
MEETINGS = {
    "2021": (
        datetime(2021, 2, 11, 10, 0),
        "Miratimi i planit shumaktorial vendor 2021",
        ["Prioritetet e sigurisë publike për vitin 2021", "Plani shumaktorial vendor 2021"],
        "Miratohet plani shumaktorial vendor për parandalimin e krimit për vitin 2021.",
    ),
    "2022": (
        datetime(2021, 12, 16, 10, 0),
        "Miratimi i planit shumaktorial vendor 2022",
        [
            "Rezultatet e takimit të hapur konsultativ të 18 nëntorit 2021",
            "Plani shumaktorial vendor 2022",
        ],
        "Miratohet plani shumaktorial vendor për parandalimin e krimit për vitin 2022.",
    ),
    "2022-revised": (
        datetime(2022, 2, 3, 10, 0),
        "Përditësimi i planit shumaktorial vendor 2022",
        [
            "Rezultatet e takimit të hapur konsultativ në Shushicë, 20 janar 2022",
            "Përditësimi i prioriteteve 1.5 dhe 1.7 të planit shumaktorial vendor 2022",
        ],
        "Miratohet përditësimi i prioriteteve 1.5 (dhuna në familje) dhe 1.7 (zonat e \u201cnxehta\u201d) "
        "të planit shumaktorial vendor 2022.",
    ),
}

EVERY_2_MONTHS = {"deadline_kind": "recurrence", "deadline_every_months": 2}  # "Çdo 2 muaj"
FIRST_HALF = {"deadline_kind": "period", "deadline_period": "h1"}  # "6 Mujori i parë"
ALL_YEAR = {"deadline_kind": "all_year"}  # "Gjatë gjithë vitit"

# The actors of Table 1 that are not members of the council, with their kind.
NGO = "OJF"
COMMUNITY = "Përfaqësues të komunitetit"
ACTORS = [(NGO, Actor.Kind.NGO), (COMMUNITY, Actor.Kind.COMMUNITY)]
TRIANGLE = [POLICE, PROSECUTION, MUNICIPALITY]
# Who Table 1 names responsible for each row: (member institutions, other actors).
ROW_RESPONSIBLE = {
    "1.2": (TRIANGLE, []),
    "1.4": ([*TRIANGLE, EDUCATION], []),
    "1.5": (TRIANGLE, [NGO]),
    "1.7": (TRIANGLE, [COMMUNITY, NGO]),
}
# Activities that name their own lead and partners (else their row's, with no lead).
OWN_RESPONSIBLE = {
    "Zhvillimi i orëve edukative ligjore nga Prokuroria për të rinjtë.",
    "Drejtoria vendore e Policisë Elbasan do të ndërmarrë krijimin e një databaze.",
    "Vendosja e numrave të kontaktit me viktimat e dhunës dhe përfaqësues të Komisariatit të Policisë.",
}

# An activity: (text, lead, partners, [(indicator, unit, baseline, target, frequency)]).
# "{units}" in a target stands for the number of Elbasan's administrative units.
A_1_2 = [
    (
        "Rritja e komunikimit dhe transparencës të çdo institucioni në mënyrë periodike me qytetarët.",
        MUNICIPALITY,
        [POLICE, PROSECUTION],
        [
            ("Takime informuese të institucioneve me qytetarët", "takime", 2, 6, "quarterly"),
            ("Njoftime publike për ecurinë e ankesave të qytetarëve", "njoftime", 0, 12, "quarterly"),
        ],
    ),
    (
        "Mbajtja e takimeve periodike me OJF-të dhe grupe të tjera të interesit nga institucionet e "
        "\u201ctrekëndëshit\u201d.",
        POLICE,
        [MUNICIPALITY, PROSECUTION],
        [
            ("Takime me OJF-të dhe grupet e interesit", "takime", 1, 6, "quarterly"),
            ("Organizata pjesëmarrëse në takime", "organizata", 3, 10, "semiannual"),
        ],
    ),
    (
        "Rritja e komunikimit dhe partneritetit të policisë me qytetarët.",
        POLICE,
        [MUNICIPALITY],
        [("Takime të policisë me banorët në lagje dhe fshatra", "takime", 4, 12, "quarterly")],
    ),
]
A_1_4 = [
    (
        "Zhvillimi i orëve edukative ligjore nga Prokuroria për të rinjtë.",
        PROSECUTION,
        [EDUCATION],
        [
            ("Orë edukative ligjore të zhvilluara në shkolla", "orë", 6, 20, "quarterly"),
            ("Nxënës që ndoqën orët edukative", "nxënës", 180, 600, "quarterly"),
        ],
    ),
    (
        "Përmirësimi i komunikimit dhe bashkëpunimit midis policisë, shkollës, nxënësve dhe prindërve.",
        POLICE,
        [EDUCATION, MUNICIPALITY],
        [("Takime të përbashkëta policia–shkolla–prindër", "takime", 2, 10, "quarterly")],
    ),
    (
        "Konsultimi me liderët e komuniteteve, dhe grupet e interesit.",
        MUNICIPALITY,
        [POLICE, PROSECUTION],
        [("Takime konsultative me liderët e komuniteteve", "takime", 0, 4, "quarterly")],
    ),
]
A_1_5 = [
    (
        "Konsultimi midis bashkisë dhe OJF-ve për të identifikuar problematikat/fushat prioritare.",
        MUNICIPALITY,
        [WOMEN],
        [("Takime konsultative bashki–OJF", "takime", 1, 4, "quarterly")],
    ),
    (
        "Nxitja e partneritetit midis policisë dhe strukturave komunitare/ ndërlidhësit komunitar.",
        POLICE,
        [MUNICIPALITY],
        [("Ndërlidhës komunitarë në kontakt të rregullt me policinë", "ndërlidhës", 8, 25, "semiannual")],
    ),
    (
        "Drejtoria vendore e Policisë Elbasan do të ndërmarrë krijimin e një databaze.",
        POLICE,
        [PROSECUTION],
        [("Databaza e rasteve e krijuar dhe në përdorim", "databazë", 0, 1, "once")],
    ),
    (
        "Vendosja e numrave të kontaktit me viktimat e dhunës dhe përfaqësues të Komisariatit të Policisë.",
        POLICE,
        [MUNICIPALITY, WOMEN, CHILD_PROTECTION],
        [
            ("Njësi administrative ku janë publikuar numrat e kontaktit", "njësi", 0, "{units}", "quarterly"),
            ("Telefonata të marra në numrat e kontaktit", "telefonata", 0, None, "monthly"),
        ],
    ),
]
A_1_7 = [
    (
        "Identifikimi i zonave të nxehta dhe publikimi i tyre.",
        POLICE,
        [MUNICIPALITY],
        [("Harta e zonave të nxehta e publikuar", "hartë", 0, 1, "once")],
    ),
    (
        "Përmirësimi i një sistemi vëzhgues të kamerave në qytet.",
        MUNICIPALITY,
        [POLICE],
        [("Kamera vëzhgimi të reja në zonat e nxehta", "kamera", 0, 20, "quarterly")],
    ),
    (
        "Evidentimi individual i frekuentuesve të këtyre zonave dhe bashkëpunimi ndërinstitucional për "
        "të ulur intensitetin e përfshirjes individuale në grupe.",
        POLICE,
        [PROSECUTION, YOUTH],
        [("Të rinj të referuar në programe parandalimi", "të rinj", 0, 30, "quarterly")],
    ),
    (
        "Ndjekja në vazhdimësi të dinamikës së lëvizjes dhe ndryshimit të zonave të \u201cnxehta\u201d.",
        POLICE,
        [MUNICIPALITY, YOUTH],
        [("Rishikime të hartës së zonave të nxehta", "rishikime", 0, 4, "quarterly")],
    ),
]

TITLE_1_2 = (
    "Përballja me dukurinë e \u201ckulturës së heshtjes\u201d nga institucionet e \u201ctrekëndëshit\u201d"
)
TITLE_1_4 = "Konsumi i lëndëve narkotike, alkoolit, dhe duhanit nga të rinjtë"
TITLE_1_5 = "Dhuna në familje"
TITLE_1_7 = "Zonat e \u201cnxehta\u201d/hotspotet për përdoruesit dhe shpërndarësit e drogës apo të krimit"
STATISTICS_1_4 = (
    "Gjatë vitit 2021, janë konstatuar 63 raste të prodhimit dhe shpërndarjes së lëndëve narkotike, me "
    "102 autorë të evidentuar si të përfshirë në këto vepra penale."
)
STATISTICS_1_5_2020 = "Për vitin 2020 janë evidentuar 63 raste të dhunës në familje në këtë bashki."
STATISTICS_1_5_2021 = (
    "Për vitin 2021 janë evidentuar 56 raste të dhunës në familje në këtë bashki/ 7 vepra penale më pak "
    "se në vitin 2020."
)
FROM_2021 = "Nga plani shumaktorial vendor 2021"

# A row: (number, title, priority, statistics, provenance, deadline, activities).
PLAN_2021 = [
    ("1.2", TITLE_1_2, "moderate", "", "", EVERY_2_MONTHS, A_1_2[:2]),
    ("1.4", TITLE_1_4, "high", "", "", FIRST_HALF, A_1_4[:2]),
    ("1.5", TITLE_1_5, "high", STATISTICS_1_5_2020, "", ALL_YEAR, A_1_5[:3]),
    ("1.7", TITLE_1_7, "moderate", "", "", FIRST_HALF, A_1_7[:2]),
]
# 2022: 1.2 and 1.4 from the consultation of 18.11.2021; 1.5 and 1.7 as in 2021 until version 2.
PLAN_2022 = [
    (
        "1.2",
        TITLE_1_2,
        "moderate",
        "",
        "Nga takimi i hapur konsultativ i 18 nëntorit 2021",
        EVERY_2_MONTHS,
        A_1_2,
    ),
    (
        "1.4",
        TITLE_1_4,
        "high",
        STATISTICS_1_4,
        "Nga takimi i hapur konsultativ i 18 nëntorit 2021",
        FIRST_HALF,
        A_1_4,
    ),
    ("1.5", TITLE_1_5, "high", STATISTICS_1_5_2020, FROM_2021, ALL_YEAR, A_1_5[:3]),
    ("1.7", TITLE_1_7, "moderate", "", FROM_2021, FIRST_HALF, A_1_7[:2]),
]
# Version 2: what the consultation in Shushicë changed, by row.
REVISION_2022 = {
    "1.5": ({"statistics": STATISTICS_1_5_2021}, A_1_5[3:]),
    "1.7": ({"priority": "high"}, A_1_7[2:]),
}
WAITING_NOTE = "Përditësim i statistikave të vitit 2022 për rreshtin 1.2, për miratim nga këshilli."
WAITING_PROVENANCE = "Përditësuar me të dhënat e policisë për vitin 2022"
REVISION_NOTE = (
    "Përditësuar pas takimit të hapur konsultativ në Shushicë (20.01.2022): të dhënat e vitit 2021 për "
    "dhunën në familje, numrat e kontaktit për viktimat, dhe prioriteti i lartë dhe dy aktivitete të reja "
    "për zonat e \u201cnxehta\u201d."
)
PUBLICATIONS_2022 = [
    (MUNICIPALITY, "https://bashkia.elbasan.kvsp.demo/siguria-publike/plani-2022", datetime(2022, 2, 10)),
    (POLICE, "https://policia.elbasan.kvsp.demo/komunitet/plani-shumaktorial-2022", datetime(2022, 2, 14)),
]


def _at(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def _people():
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith="elbasan.kvsp.demo")}
    return (
        users.get("kryetari@elbasan.kvsp.demo"),
        users.get("sekretari@elbasan.kvsp.demo"),
        users.get("skn.prokuroria@elbasan.kvsp.demo"),
    )


def _attendees(council: Council) -> list[Membership]:
    """Each person once, as the meetings demo records them (guests do not attend)."""
    unique, seen = [], set()
    memberships = (
        Membership.objects.filter(council=council, end_date__isnull=True)
        .exclude(role=Role.GUEST)
        .select_related("person", "institution")
        .order_by("institution__category", "person__full_name")
    )
    for membership in memberships:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            unique.append(membership)
    return unique


def _meeting(council, key, *, secretary, chair, skn, attendees) -> tuple[Meeting, int]:
    """A held council meeting with its agreed agenda, attendance, approved minutes and decision."""
    starts, title, agenda, decision = MEETINGS[key]
    starts_at = _at(starts)
    found = Meeting.objects.filter(council=council, kind=Meeting.Kind.COUNCIL, starts_at=starts_at).first()
    if found is not None:
        return found, 0
    meeting = meeting_services.meeting_create(
        council=council, kind=Meeting.Kind.COUNCIL, starts_at=starts_at, place=PLACE, title=title
    )
    for item in agenda:
        meeting_services.agenda_item_add(meeting=meeting, title=item)
    meeting_services.agenda_agree(meeting=meeting, user=skn)
    entries = [
        (m.person, m.institution, Attendance.Status.EXCUSED if n % 6 == 5 else Attendance.Status.PRESENT, "")
        for n, m in enumerate(attendees)
    ]
    meeting = meeting_services.attendance_record(meeting=meeting, entries=entries)
    body = (
        f"Mbledhja u hap nga kryesuesi. Rendi i ditës: {'; '.join(agenda).lower()}.\n\n"
        "Sekretari teknik paraqiti projektplanin e përgatitur nga SKN-ja mbi bazën e shqetësimeve të "
        "qytetarëve. Anëtarët diskutuan prioritetet, aktivitetet, institucionet përgjegjëse dhe afatet, "
        "dhe e miratuan atë njëzëri."
    )
    minutes = meeting_services.minutes_save(meeting=meeting, body=body, author=secretary, version=None)
    meeting_services.decision_add(meeting=meeting, text=decision, agenda_item=meeting.agenda_items.last())
    minutes = meeting_services.minutes_submit(minutes=minutes, user=secretary)
    meeting_services.minutes_approve(minutes=minutes, user=chair)
    meeting_notices.settle(meeting)  # years ago: none of its hand-offs waits for anyone
    return meeting, 1


def load_meetings() -> int:
    """Create the council meetings that approve the demo plans; returns how many were created."""
    chair, secretary, skn = _people()
    if not (chair and secretary and skn):
        return 0
    council = Council.objects.get(municipality__slug="elbasan")
    attendees = _attendees(council)
    created = 0
    for key in MEETINGS:
        _found, new = _meeting(council, key, secretary=secretary, chair=chair, skn=skn, attendees=attendees)
        created += new
    return created


def _institutions(council: Council) -> dict[str, Institution]:
    seats = council.seats.active().select_related("institution")
    return {seat.institution.name: seat.institution for seat in seats}


def _targets(council: Council) -> dict[str, int]:
    return {"{units}": AdministrativeUnit.objects.filter(municipality=council.municipality).count()}


def _add_activities(problem, activities, institutions, targets) -> int:
    """The row's activities: its deadline, and its institutions and actors, unless they name their
    own (``OWN_RESPONSIBLE``)."""
    created = 0
    for text, lead, partners, indicators in activities:
        own = text in OWN_RESPONSIBLE
        activity = services.activity_add(
            problem=problem,
            text=text,
            lead=institutions[lead] if own else None,
            partners=[institutions[name] for name in partners] if own else [],
            groups=ACTIVITY_GROUPS.get(text, []),
            **money_of(text),
        )
        created += 1
        for name, unit, baseline, target, frequency in indicators:
            services.indicator_add(
                activity=activity,
                name=name,
                unit=unit,
                baseline=baseline,
                target=targets.get(target, target),
                frequency=frequency,
                disaggregation="sex" if name in SPLIT_BY_SEX else "",
            )
            created += 1
    return created


def _row(version, spec, institutions, targets, source: ConsultationProblem | None) -> int:
    """Add one row: pulled from the consultation's prioritisation when it has a source (so it links
    to that problem and its published concerns), written by hand otherwise."""
    number, title, priority, statistics, provenance, deadline, activities = spec
    members, others = ROW_RESPONSIBLE[number]
    fields = {
        "title": title,
        "priority": priority,
        "description": "",
        "statistics": statistics,
        "statistics_source": POLICE_SOURCE if statistics else "",
        "provenance": provenance,
        "institutions": [institutions[name] for name in members],
        "new_actors": others,
        "groups": ROW_GROUPS.get(number, []),
        "unit": unit_of(version.plan.council, number),
        "category": category_of(title),
        **deadline,
    }
    if source is not None:
        (problem,) = services.problems_pull(version=version, problems=[source])
        problem = services.problem_update(problem=problem, number=number, **fields)
    else:
        problem = services.problem_add(version=version, number=number, **fields)
    return 1 + _add_activities(problem, activities, institutions, targets)


def _selected(council: Council) -> dict[str, ConsultationProblem]:
    """The consultation problems the SKN selected for the plan, by the plan row their outcome note
    names ("Rreshti 1.4 i planit shumaktorial 2022")."""
    selected = {}
    for problem in ConsultationProblem.objects.filter(
        council=council, outcome=ConsultationProblem.Outcome.IN_PLAN
    ):
        found = re.search(r"\b(1\.\d+)\b", problem.outcome_note)
        if found:
            selected[found.group(1)] = problem
    return selected


def hold_meeting(meeting: Meeting, *, author=None, approver=None) -> None:
    """Make ``meeting`` (started, not cancelled) a fact through the meetings services: someone
    recorded present, and its minutes written, submitted and approved (by ``approver``, else by
    their ``author``) — what a plan's approval asks of the meeting whose decision it cites. Does
    nothing for a meeting that has not started."""
    meeting.refresh_from_db()
    if not meeting.has_started or meeting.status == Meeting.Status.CANCELLED:
        return
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.is_approved:
        return
    present = (Attendance.Status.PRESENT, Attendance.Status.REPRESENTED)
    if not meeting.attendance.filter(status__in=present).exists():
        seat = (
            Membership.objects.filter(council_id=meeting.council_id)
            .select_related("person", "institution")
            .order_by("pk")
            .first()
        )
        if seat is not None:
            person, institution = seat.person, seat.institution
        else:
            institution = Institution.objects.order_by("pk").first()
            person = Person.objects.create(full_name="Anëtar i këshillit", institution=institution)
        meeting_services.attendance_record(
            meeting=meeting, entries=[(person, institution, Attendance.Status.PRESENT, "")]
        )
    if author is None:
        author, _created = get_user_model().objects.get_or_create(
            email="procesverbali@kvsp.invalid", defaults={"full_name": "Sekretari teknik"}
        )
    minutes = Minutes.objects.filter(meeting=meeting).first()  # recording attendance moved its version on
    if minutes is None or not minutes.is_submitted:
        minutes = meeting_services.minutes_save(
            meeting=meeting,
            body=(minutes.source if minutes else "") or "Procesverbali i mbledhjes.",
            author=author,
            version=minutes.version if minutes else None,
        )
        minutes = meeting_services.minutes_submit(minutes=minutes, user=author)
    meeting_services.minutes_approve(minutes=minutes, user=approver or author, version=minutes.version)


def approve_at_meeting(
    version, meeting: Meeting, *, submitted_by, chair, text: str = "", minutes_by=None
) -> PlanVersion:
    """Approve ``version`` (submitted first if a draft) by a decision of ``meeting``, a council
    meeting that has started: history and benchmarks, where the plan was submitted before the
    meeting — the submission is dated a week before it — and the meeting recorded the decision
    (the last one it recorded, or a new one: ``text``). ``minutes_by`` (the technical secretary)
    writes the meeting's minutes and the chair approves them; without it the chair does both."""
    version.refresh_from_db()
    if version.status == PlanVersion.Status.DRAFT:
        version = approval.version_submit(version=version, user=submitted_by)
    PlanVersion.objects.filter(pk=version.pk, submitted_at__gte=meeting.starts_at).update(
        submitted_at=meeting.starts_at - timedelta(days=7)
    )
    version.refresh_from_db()
    decision = meeting.decisions.filter(plan_version__isnull=True).order_by("number").last()
    if decision is None:
        decision = meeting_services.decision_add(
            meeting=meeting, text=text or "Miratohet plani shumaktorial vendor për parandalimin e krimit."
        )
    # Its decisions are public once someone was recorded present and the minutes approved.
    if minutes_by is not None:
        hold_meeting(meeting, author=minutes_by, approver=chair)
    else:
        hold_meeting(meeting, author=chair or submitted_by)
    return approval.version_approve(version=version, user=chair, decision=decision)


def _approve(version, meeting: Meeting, *, secretary, chair) -> None:
    approve_at_meeting(version, meeting, submitted_by=secretary, chair=chair)


def _waiting(version, *, secretary) -> None:
    """Version 3 of 2022, revised and submitted: it waits for the chair's approval."""
    draft = services.version_revise(version=version, note=WAITING_NOTE)
    problem = draft.problems.get(number="1.2")
    services.problem_update(problem=problem, provenance=WAITING_PROVENANCE)
    approval.version_submit(version=draft, user=secretary)


def _meetings(council) -> dict[str, Meeting]:
    return {
        key: Meeting.objects.get(council=council, kind=Meeting.Kind.COUNCIL, starts_at=_at(starts))
        for key, (starts, *_rest) in MEETINGS.items()
    }


def load() -> int:
    """Create the demo plans once; returns how many records were created."""
    chair, secretary, skn = _people()
    if not (chair and secretary and skn):
        return 0
    council = Council.objects.select_related("municipality").get(municipality__slug="elbasan")
    created = load_meetings()  # found, not made again, when load_demo has already run it
    meetings = _meetings(council)
    institutions = _institutions(council)
    targets = _targets(council)
    for name, kind in ACTORS:  # the council's list of actors, kept apart from its composition
        if not Actor.objects.filter(council=council, key=actors.actor_key(name)).exists():
            actors.actor_add(council=council, name=name, kind=kind)
            created += 1
    if not Plan.objects.filter(council=council, year=2021).exists():
        version = services.plan_start(council=council, year=2021)
        for spec in PLAN_2021:
            created += _row(version, spec, institutions, targets, None)
        _approve(version, meetings["2021"], secretary=secretary, chair=chair)
        created += 2
    if not Plan.objects.filter(council=council, year=2022).exists():
        created += _plan_2022(council, meetings, institutions, targets, secretary=secretary, chair=chair)
    return created


def _plan_2022(council, meetings, institutions, targets, *, secretary, chair) -> int:
    selected = _selected(council)
    first = services.plan_start(council=council, year=2022)
    created = 2
    for spec in PLAN_2022:
        # Rows 1.2 and 1.4 come from the autumn consultation; 1.5 and 1.7 wait for Shushicë.
        source = selected.get(spec[0]) if spec[4] != FROM_2021 else None
        created += _row(first, spec, institutions, targets, source)
    _approve(first, meetings["2022"], secretary=secretary, chair=chair)
    second = services.version_revise(version=first, note=REVISION_NOTE)
    created += 1
    # Open for public comment before it was reworked and approved (plans/demo_comments.py).
    created += open_for_comment(second, secretary=secretary, skn=_people()[2], chair=chair)
    for problem in second.problems.all():
        if problem.number not in REVISION_2022:
            continue
        changes, new_activities = REVISION_2022[problem.number]
        spec = next(s for s in PLAN_2022 if s[0] == problem.number)
        # Same lineage as in version 1, so the comparison shows the row as changed.
        problem = services.problem_update(
            problem=problem,
            provenance=UPDATED_AT_MEETING,
            source_problem=selected.get(problem.number),
            **changes,
        )
        created += _add_activities(problem, new_activities, institutions, targets)
    _approve(second, meetings["2022-revised"], secretary=secretary, chair=chair)
    _waiting(second, secretary=secretary)
    created += 1
    plan = first.plan
    for name, url, published_on in PUBLICATIONS_2022:
        services.publication_record(
            plan=plan, institution=institutions[name], url=url, published_on=published_on.date()
        )
        created += 1
    return created
