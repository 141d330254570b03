"""Builders shared by the test modules: plain functions that make plans through the services.
Fixtures live in tests/fixtures/ (plans.py, plan_files.py); no test module imports another."""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from councils.meetings import services as meeting_services
from councils.meetings.models import Decision, Meeting
from plans import approval, services
from plans.demo import hold_meeting
from plans.models import PlanProblem, PlanVersion

# The year of the plans of tests/fixtures/plans.py.
YEAR = 2026


# --- a plan made by the officers of tests/fixtures/plans.py -------------------------------------


def fill(version, officers, n: int, *, prefix: str = "1") -> list[PlanProblem]:
    """``n`` problems, each with two activities (the second with two partners) and an indicator."""
    rows = []
    start = version.problems.count()
    for i in range(start + 1, start + n + 1):
        row = services.problem_add(
            version=version,
            number=f"{prefix}.{i}",
            title=f"Problemi {i}",
            statistics=f"{i * 10} raste në 2025",
            statistics_source="Drejtoria Vendore e Policisë Elbasan",
            priority="high",
        )
        first = services.activity_add(
            problem=row,
            text=f"Orë edukative {i}",
            lead=officers["prosecution"],
            deadline_kind="period",
            deadline_period="h1",
        )
        services.indicator_add(
            activity=first, name="Orë të zhvilluara", unit="orë", target=10, frequency="quarterly"
        )
        services.activity_add(
            problem=row,
            text=f"Takime me prindërit {i}",
            lead=officers["police"],
            partners=[officers["municipality"], officers["prosecution"]],
            deadline_kind="recurrence",
            deadline_every_months=2,
        )
        rows.append(row)
    return rows


# --- approving a plan by a recorded decision ------------------------------------------------------


def record_decision(
    meeting, text: str = "Miratohet plani shumaktorial vendor.", *, author=None, minutes: bool = True
) -> Decision:
    """A decision recorded at ``meeting`` (marked held, as attendance would mark it), numbered per
    council and year as ``decision_add`` numbers it. With ``minutes`` (and a meeting that has
    started), someone is recorded present and the minutes approved through the meetings services,
    as a plan's approval asks; without it, the meeting is held but its minutes are not approved."""
    if minutes:
        hold_meeting(meeting, author=author)
        meeting.refresh_from_db()
    if meeting.status != Meeting.Status.HELD:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        meeting.status = Meeting.Status.HELD
    year = timezone.localtime(meeting.starts_at).year
    last = Decision.objects.filter(council_id=meeting.council_id, year=year).aggregate(last=Max("number"))
    return Decision.objects.create(
        council_id=meeting.council_id, year=year, meeting=meeting, number=(last["last"] or 0) + 1, text=text
    )


def approve_by_decision(version, *, chair, meeting, submitted_by=None, signed_scan=None) -> PlanVersion:
    """Submit ``version`` (if a draft) and approve it by a decision recorded at ``meeting`` (a
    council meeting that has started). The submission is dated before the meeting when it came
    later, as the approval asks."""
    version.refresh_from_db()
    if version.status == PlanVersion.Status.DRAFT:
        version = approval.version_submit(version=version, user=submitted_by)
    PlanVersion.objects.filter(pk=version.pk, submitted_at__gte=meeting.starts_at).update(
        submitted_at=meeting.starts_at - timedelta(hours=1)
    )
    version.refresh_from_db()
    decision = record_decision(meeting, author=chair)
    return approval.version_approve(version=version, user=chair, decision=decision, signed_scan=signed_scan)


def approve(version, officers, meeting) -> PlanVersion:
    return approve_by_decision(
        version, chair=officers["chair"], meeting=meeting, submitted_by=officers["skn"]
    )


def plan_tree(version) -> list:
    """Everything a version holds, by lineage, without its own ids."""
    return [
        (
            p.lineage,
            p.number,
            p.title,
            p.statistics,
            p.priority,
            sorted(p.concerns.values_list("pk", flat=True)),
            [
                (
                    a.lineage,
                    a.position,
                    a.text,
                    a.lead_id,
                    sorted(a.partners.values_list("pk", flat=True)),
                    str(a.deadline),
                    [
                        (i.lineage, i.name, i.unit, i.baseline, i.target, i.frequency)
                        for i in a.indicators.all()
                    ],
                )
                for a in p.activities.all()
            ],
        )
        for p in version.problems.all()
    ]


# --- a plan made by the people of tests/fixtures/plan_files.py (the file and public-page tests) ---


DEADLINES = [
    {"deadline_kind": "period", "deadline_period": "h1"},
    {"deadline_kind": "recurrence", "deadline_every_months": 2},
    {"deadline_kind": "all_year"},
    {"deadline_kind": "date", "deadline_date": timezone.datetime(2026, 6, 30).date()},
]


def fill_version(version, people, *, problems: int, activities: int, first_number: int = 1, title="Problemi"):
    """Add ``problems`` rows with ``activities`` activities each (every activity one indicator)."""
    rows = []
    for p in range(problems):
        row = services.problem_add(
            version=version,
            number=f"1.{first_number + p}",
            title=f"{title} {first_number + p}: droga te të rinjtë",
            description="Përdorimi i drogës pranë shkollave.",
            statistics=f"{50 + p} raste në 2025",
            statistics_source="Drejtoria Vendore e Policisë",
            provenance="Përditësuar në mbledhjen e këshillit të 03.02.2026",
            priority=("high", "moderate", "low")[p % 3],
        )
        for a in range(activities):
            activity = services.activity_add(
                problem=row,
                text=f"Aktiviteti {first_number + p}.{a + 1}: orë edukative ligjore",
                lead=people["police"],
                partners=[people["municipality"], people["prosecution"]] if a % 2 == 0 else [],
                **DEADLINES[a % len(DEADLINES)],
            )
            services.indicator_add(
                activity=activity,
                name=f"Orë të zhvilluara {first_number + p}.{a + 1}",
                unit="orë",
                baseline=0,
                target=10 + a,
                frequency="quarterly",
            )
        rows.append(row)
    return rows


def council_meeting(people):
    return meeting_services.meeting_create(
        council=people["council"],
        kind="council",
        starts_at=timezone.now() - timedelta(days=1),
        place="Salla e Këshillit",
    )


def approve_plan(version, people):
    """Submitted by the secretary, approved by the chair by a decision of a council meeting held
    yesterday."""
    return approve_by_decision(
        version, chair=people["chair"], meeting=council_meeting(people), submitted_by=people["secretary"]
    )


def published_plan(people, *, year=2026, problems=3, activities=2) -> PlanVersion:
    version = services.plan_start(council=people["council"], year=year)
    fill_version(version, people, problems=problems, activities=activities)
    return approve_plan(version, people)


# --- an open consultation announced as the guide runs it ----------------------------------------


def announce_consultation(consultation, *, agreed_by=None, announced_by=None):
    """The SKN agrees the consultation's agenda (one is written if it has none), then it is
    announced, without the three co-leading heads if they are not recorded (confirmed)."""
    from consultations import lifecycle
    from councils.models import SKN_ROLES
    from councils.selectors import users_with_roles
    from tests.factories import UserFactory

    if not consultation.agenda_items:
        consultation.agenda = "Siguria në lagje\nShqetësimet e banorëve"
        consultation.save(update_fields=["agenda"])
    if not consultation.agenda_agreed:
        skn = users_with_roles(consultation.council, *SKN_ROLES)
        lifecycle.consultation_agenda_agree(
            consultation=consultation, user=agreed_by or (skn[0] if skn else UserFactory())
        )
    return lifecycle.consultation_announce(consultation=consultation, user=announced_by, without_heads=True)


def comment_period_over(period) -> None:
    """The public comment period's last day has passed (as if the days went by): a version opened
    for comment is approved only after it. Its snapshot of the rows is untouched."""
    from plans.comment_models import CommentPeriod

    CommentPeriod.objects.filter(pk=period.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    period.refresh_from_db()


def plan_in_force(the_council, year: int, *, chair=None) -> PlanVersion:
    """An approved plan of ``year`` for ``the_council`` (one row, one activity), for tests whose
    subject needs one in force, such as a monthly report. Its institutions are its own."""
    from councils.models import Institution
    from councils.services import seat_add
    from tests.factories import UserFactory

    people = {"council": the_council, "chair": chair or UserFactory(), "secretary": UserFactory()}
    for key, name, category in [
        ("municipality", "Bashkia", "a"),
        ("police", "Policia", "c"),
        ("prosecution", "Prokuroria", "d"),
    ]:
        people[key] = Institution.objects.create(name=f"{name} (plani) {the_council}", category=category)
        seat_add(council=the_council, institution=people[key])
    return published_plan(people, year=year, problems=1, activities=1)
