"""bench/national.py's data: every council (61) with several years of records, built with
bench/compliance_seed.py's helpers through the services where the records must agree with each
other (members, council meetings with their attendance, minutes and decisions, plans approved at a
meeting, consultations and their problems), and with bulk inserts where only the volume matters:

- status updates, every month of every activity (nothing is derived from them when recorded);
- the quarterly values of the indicators (one per activity, added through the services);
- monthly reports as the SKN and the chair leave them (compliance_seed._reports, without a PDF);
- SKN meetings every month, held;
- concerns, five a consultation, published and grouped.

One council (Elbasan) also gets what the authorization matrix's addresses point at
(tests/authz/matrix_ctx.CouncilPages): signed-in chair and SKN member, a draft revision of the
current year's plan, a document, an update with evidence and reports of the current year in each
state, so every staff page of the matrix can be opened.
"""

from datetime import date, timedelta
from decimal import Decimal

from bench.compliance_seed import (
    _at,
    _concerns,
    _consultation,
    _council_meeting,
    _council_people,
    _plan,
    _reports,
)

MEASURED = "elbasan"
PDF = b"%PDF-1.4 raporti i nenshkruar dhe vulosur"


def _chosen_councils(count: int) -> list:
    from councils.models import Council

    councils = list(Council.objects.select_related("municipality").order_by("municipality__name"))
    measured = [c for c in councils if c.municipality.slug == MEASURED]
    others = [c for c in councils if c.municipality.slug != MEASURED]
    return measured + others[: max(count - 1, 0)]


def _monthly_updates(council, activities, year: int, today: date, user) -> list:
    """An update every month of the year up to ``today`` for each activity (not saved)."""
    from monitoring.models import StatusUpdate

    rows = []
    for a, activity in enumerate(activities):
        for month in range(1, 13):
            day = date(year, month, 15)
            if day > today:
                break
            done = a % 3 == 0 and month == 12
            rows.append(
                StatusUpdate(
                    council=council,
                    activity_lineage=activity.lineage,
                    activity=activity,
                    status="done" if done else ("delayed" if a % 5 == 4 and month > 6 else "in_progress"),
                    progress=100 if done else min(8 * month, 95),
                    note="U zhvilluan takimet e planifikuara me shkollat dhe prindërit.",
                    date=day,
                    author=user,
                )
            )
    return rows


def _values(indicators, today: date, user) -> list:
    """A value for every quarter over of each (quarterly) indicator (not saved)."""
    from monitoring.models import IndicatorValue

    rows = []
    for indicator in indicators:
        year = indicator.activity.problem.version.plan.year
        for q in range(1, 5):
            end = date(year, 3 * q, 28)
            if end > today:
                break
            rows.append(
                IndicatorValue(
                    council_id=indicator.activity.problem.version.plan.council_id,
                    indicator_lineage=indicator.lineage,
                    indicator=indicator,
                    period=f"{year}-Q{q}",
                    period_end=end,
                    value=Decimal(3 * q),
                    author=user,
                )
            )
    return rows


def _skn_meetings(council, year: int, today: date) -> list:
    from councils.meetings.models import Meeting

    return [
        Meeting(
            council=council,
            kind=Meeting.Kind.SKN,
            starts_at=_at(date(year, month, 20), 9),
            place="Zyra e SKN-së",
            restricted=True,
            status=Meeting.Status.HELD if date(year, month, 20) < today else Meeting.Status.PLANNED,
        )
        for month in range(1, 13)
    ]


def _report_states(rows: list) -> None:
    """The measured council's reports of the matrix's months, one in each state (REPORT_MONTHS)."""
    from monitoring.models import MonthlyReport
    from tests.authz.matrix_ctx import PLAN_YEAR, REPORT_MONTHS

    Status = MonthlyReport.Status
    states = dict(zip(REPORT_MONTHS.values(), (Status.DRAFT, Status.SUBMITTED), strict=False))
    for row in rows:
        if row.year == PLAN_YEAR and row.month in states:
            row.status = states[row.month]
            row.approved_at = row.published_at = row.approved_by = None
            row.content, row.sha256 = None, ""
            if row.status == Status.DRAFT:
                row.submitted_at = row.submitted_by = None
        elif row.year == PLAN_YEAR and row.month == REPORT_MONTHS["approved_report"]:
            row.status, row.published_at = Status.APPROVED, None
        elif row.year == PLAN_YEAR and row.month == REPORT_MONTHS["published_report"]:
            row.status, row.published_at = Status.PUBLISHED, row.approved_at


def seed(councils: int, years: int, today: date) -> dict:
    """``councils`` councils (Elbasan first) with ``years`` years of records up to ``today``."""
    from django.contrib.auth import get_user_model

    from consultations.models import Concern
    from councils.meetings import services as meeting_services
    from councils.meetings.models import Meeting
    from councils.models import Council
    from monitoring.models import IndicatorValue, MonthlyReport, StatusUpdate
    from plans.demo import hold_meeting
    from plans.models import Indicator

    user = get_user_model().objects.create_user(
        email="skn@national.bench", full_name="Elona Dervishi", language="sq"
    )
    span = range(today.year - years + 1, today.year + 1)
    founded = date(span[0] - 1, 6, 1)
    data = {"user": user, "years": span, "councils": 0, "measured": None}
    bulk: dict[type, list] = {StatusUpdate: [], Concern: [], MonthlyReport: [], Meeting: []}
    for k, council in enumerate(_chosen_councils(councils)):
        Council.objects.filter(pk=council.pk).update(
            status=Council.Status.ACTIVE,
            founding_decision_number=f"{k + 1}/{founded.year}",
            founding_decision_date=founded,
            founding_decision_body=f"Kryetari i Bashkisë {council.municipality.name}",
        )
        people = _council_people(council, k, founded)
        mine = {"council": council, "people": people, "activities": {}, "meetings": [], "consultations": []}
        for year in span:
            meeting = _council_meeting(council, date(year, 1, 20), people, absent=False)
            activities = _plan(council, year, people, meeting, date(year, 1, 20), user, indicators=True)
            mine["activities"][year] = activities
            mine["meetings"].append(meeting)
            if date(year, 7, 10) < today:
                july = _council_meeting(council, date(year, 7, 10), people, absent=k % 4 == 1)
                meeting_services.decision_add(meeting=july, text="Miratohet raporti i gjashtëmujorit.")
                hold_meeting(july, author=user)
                mine["meetings"].append(july)
            for day in (date(year, 4, 15), date(year, 10, 15)):
                if day < today:
                    consultation, problem = _consultation(
                        council, day, answered=True, institution=people[0][1]
                    )
                    mine["consultations"].append((consultation, problem))
                    bulk[Concern] += _concerns(council, consultation, problem, 5)
            bulk[StatusUpdate] += _monthly_updates(council, activities, year, today, user)
            bulk[Meeting] += _skn_meetings(council, year, today)
            reports = _reports(council, year, today, founded, 0, user)
            if k == 0:
                _report_states(reports)
            bulk[MonthlyReport] += reports
        data["councils"] += 1
        if k == 0:
            data["measured"] = mine
    for model, rows in bulk.items():
        model.objects.bulk_create(rows, batch_size=1000)
    indicators = Indicator.objects.select_related("activity__problem__version__plan")
    values = _values(indicators, today, user)
    IndicatorValue.objects.bulk_create(values, batch_size=1000)
    data["pages"] = _measured_pages(data["measured"], today, user)
    return data


def _signed_in(person, email: str, full_name: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email=email, full_name=full_name, language="sq")
    person.user = user
    person.save(update_fields=["user"])
    return user


def _measured_pages(mine: dict, today: date, user) -> dict:
    """What the matrix's addresses point at, in the measured council: (CouncilPages, principals)."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from councils.meetings import services as meeting_services
    from councils.models import Membership
    from monitoring import services as monitoring_services
    from plans import services as plan_services
    from plans.models import PlanVersion
    from tests.authz.matrix_ctx import PLAN_YEAR, CouncilPages

    council = mine["council"]
    (chair_person, _), (skn_person, _) = mine["people"][:2]
    chair = _signed_in(chair_person, "kryetari@national.bench", "Gazmend Oketa")
    skn = _signed_in(skn_person, "skn@elbasan.national.bench", "Arben Hoxha")
    observer = get_user_model().objects.create_user(
        email="vezhguesi@national.bench",
        full_name="Vëzhguesi Kombëtar",
        language="sq",
        is_national_observer=True,
    )
    principals = {"skn_municipality": skn, "chair": chair, "observer": observer}
    year = PLAN_YEAR if PLAN_YEAR in mine["activities"] else max(mine["activities"])
    activity = mine["activities"][year][0]
    update = monitoring_services.update_record(
        activity=activity,
        user=skn,
        status="in_progress",
        progress=50,
        date=min(today, date(year, 12, 31)) - timedelta(days=1),
        note="Me provë.",
        evidence=ContentFile(PDF, name="prova.pdf"),
    )
    approved = PlanVersion.objects.get(
        plan__council=council, plan__year=year, status=PlanVersion.Status.APPROVED
    )
    draft = plan_services.version_revise(version=approved, note="Rishikimi i gjashtëmujorit.")
    draft_activity = draft.problems.order_by("position").first().activities.order_by("position").first()
    document = meeting_services.document_add(
        council=council,
        title="Procesverbali i mbledhjes",
        file=ContentFile(PDF, name="procesverbali.pdf"),
        visibility="council",
        uploaded_by=user,
        meeting=mine["meetings"][0],
    )
    consultation, problem = mine["consultations"][-1]
    pages = CouncilPages(
        slug=council.slug,
        seat=council.seats.first().pk,
        membership=Membership.objects.filter(council=council).first().pk,
        meeting=mine["meetings"][-1].pk,
        document=document.pk,
        consultation=consultation.pk,
        problem=problem.pk,
        concern=consultation.concerns.first().code,
        row=draft_activity.problem_id,
        activity=draft_activity.pk,
        indicator=draft_activity.indicators.first().pk,
        approved_row=activity.problem_id,
        approved_activity=activity.pk,
        lineage=str(activity.lineage),
        indicator_lineage=str(activity.indicators.first().lineage),
        update=update.pk,
    )
    return {"pages": pages, "principals": principals, "year": year}


def row_counts() -> dict:
    from bench.compliance_seed import row_counts as compliance_counts
    from councils.meetings.models import Decision, Minutes
    from monitoring.models import IndicatorValue

    return {
        **compliance_counts(),
        "minutes": Minutes.objects.count(),
        "decisions": Decision.objects.count(),
        "indicator values": IndicatorValue.objects.count(),
    }
