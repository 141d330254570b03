"""Reminders that keep the regulation's rhythm (DESIGN.md: the rules live in monitoring, delivery
in kvsp/notify). ``due(as_of)`` lists what is due on a day for every council, in a fixed number of
queries whatever the number of activities; ``send(as_of)`` hands it to kvsp.notify.services.notify,
whose keys (recipient, kind, object, period) make a sweep run twice give everything once.

What is due, and to whom (each kind can be switched off per council, ``ReminderSetting``):

- a planned meeting 7 days and 1 day ahead: its invitees;
- an activity's deadline in 14 and in 3 days, and every week an overdue activity: the people of
  its lead and partner institutions in the council (or its row's, when it names no one itself),
  and the SKN;
- from the 20th, a month without an SKN meeting scheduled: the SKN and the technical secretary;
- last month's report not yet submitted (a plan was in force): the SKN and the secretary;
- a report waiting for approval: the chair, with a link straight to the approval;
- an open consultation due (five months after the last one, none planned), a council meeting due
  (the last month of a half-year without one) and the year's plan not approved after 31 January
  (monitoring/compliance/): the chair, the secretary and the SKN.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from councils.meetings.models import Invitation, Meeting
from councils.models import SKN_ROLES, Council, Membership, Role
from kvsp.notify import services as notify
from plans.models import Activity

from . import compliance, compliance_data
from .models import MonthlyReport, ReminderSetting, StatusUpdate
from .progress import month_label
from .reminder_kinds import Reminder
from .selectors import standing

MEETING_DAYS = (7, 1)
DEADLINE_DAYS = (14, 3)
SKN_BY_DAY = 20
CONSULTATION_AFTER_MONTHS = 5
COUNCIL_MEETING_DAYS_LEFT = 30


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


class _People:
    """Who holds which role, and who represents which institution, in each council today."""

    def __init__(self, council_ids, as_of: date):
        self.by_role = defaultdict(lambda: defaultdict(list))
        self.by_institution = defaultdict(lambda: defaultdict(list))
        for membership in (
            Membership.objects.active(as_of)
            .filter(council_id__in=council_ids, person__user__isnull=False, person__user__is_active=True)
            .select_related("person__user")
        ):
            user = membership.person.user
            self.by_role[membership.council_id][membership.role].append(user)
            if membership.role != Role.GUEST:
                self.by_institution[membership.council_id][membership.institution_id].append(user)

    def roles(self, council_id: int, *roles) -> list:
        users = {}
        for role in roles:
            for user in self.by_role[council_id][role]:
                users[user.pk] = user
        return list(users.values())

    def skn(self, council_id: int) -> list:
        return self.roles(council_id, *SKN_ROLES)

    def institutions(self, council_id: int, institution_ids) -> list:
        users = {}
        for institution_id in institution_ids:
            for user in self.by_institution[council_id][institution_id]:
                users[user.pk] = user
        return list(users.values())


def _pending(council_id, users, kind, key, render) -> list[tuple[int, notify.Pending]]:
    """The notification for each person, with the council it is about (for its settings)."""
    return [
        (council_id, notify.Pending(user=user, kind=kind, key=f"{kind}:{key}", render=render))
        for user in users
    ]


def _meetings(council_ids, as_of: date) -> list:
    """Planned meetings on the day 7 days or 1 day ahead: to their invitees."""
    days = {as_of + timedelta(days=n): n for n in MEETING_DAYS}
    start = timezone.make_aware(datetime.combine(min(days), time.min))
    end = timezone.make_aware(datetime.combine(max(days) + timedelta(days=1), time.min))
    meetings = list(
        Meeting.objects.filter(
            council_id__in=council_ids, status=Meeting.Status.PLANNED, starts_at__gte=start, starts_at__lt=end
        ).select_related("council__municipality")
    )
    meetings = [m for m in meetings if timezone.localtime(m.starts_at).date() in days]
    invitees = defaultdict(list)
    for invitation in Invitation.objects.filter(
        meeting__in=meetings, person__user__isnull=False, person__user__is_active=True
    ).select_related("person__user"):
        if invitation.response != Invitation.Response.NOT_ATTENDING:
            invitees[invitation.meeting_id].append(invitation.person.user)
    found = []
    for meeting in meetings:
        ahead = days[timezone.localtime(meeting.starts_at).date()]
        slug = meeting.council.municipality.slug

        def render(meeting=meeting, ahead=ahead, slug=slug):
            when = timezone.localtime(meeting.starts_at)
            subject = (_("Tomorrow: %(meeting)s") if ahead == 1 else _("In a week: %(meeting)s")) % {
                "meeting": meeting.get_kind_display()
            }
            return {
                "subject": subject,
                "lines": [
                    _("%(council)s, %(date)s at %(time)s, %(place)s.")
                    % {
                        "council": meeting.council,
                        "date": _day(when.date()),
                        "time": when.strftime("%H:%M"),
                        "place": meeting.place,
                    },
                    meeting.title,
                ],
                "url": reverse("meetings:meeting-detail", args=[slug, meeting.pk]),
                "action": _("Open the meeting"),
            }

        found += _pending(
            meeting.council_id, invitees[meeting.pk], Reminder.MEETING_SOON, f"{meeting.pk}:{ahead}", render
        )
    return found


def _activities(councils: dict, facts: dict, people: _People, as_of: date) -> list:
    """Deadlines in 14 and 3 days, and overdue activities once a week, of each council's plan in
    force: three queries for every council and activity."""
    in_force = {}
    for council_id, item in facts.items():
        versions = [v for v in item.versions if v.year == as_of.year and v.decision_date <= as_of]
        if versions:
            in_force[council_id] = max(versions, key=lambda v: v.number).pk
    if not in_force:
        return []
    activities = list(
        Activity.objects.filter(problem__version_id__in=in_force.values())
        .select_related("problem__version__plan")
        .prefetch_related("partners", "actors", "problem__institutions")
    )
    updates = defaultdict(list)
    for row in (
        StatusUpdate.objects.filter(activity_lineage__in=[a.lineage for a in activities], date__lte=as_of)
        .order_by("date", "id")
        .values("activity_lineage", "date", "status", "progress")
    ):
        updates[row["activity_lineage"]].append(row)
    iso = as_of.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    found = []
    for activity in activities:
        council_id = activity.problem.version.plan.council_id
        slug = councils[council_id].municipality.slug
        now = standing(activity, updates.get(activity.lineage, []), as_of)
        if now.status in ("done", "cancelled"):
            continue
        users = {
            u.pk: u
            for u in people.institutions(council_id, sorted(activity.responsible_institution_ids))
            + people.skn(council_id)
        }.values()
        url = reverse("monitoring:activity", args=[slug, activity.lineage])
        number = f"{activity.problem.number}.{activity.position}"
        for due in activity.deadline.due_dates(activity.problem.version.plan.year):
            ahead = (due - as_of).days
            if ahead in DEADLINE_DAYS:

                def render(activity=activity, due=due, ahead=ahead, number=number, url=url):
                    return {
                        "subject": _("Activity %(number)s is due in %(days)d days")
                        % {"number": number, "days": ahead},
                        "lines": [activity.text, _("Deadline: %(date)s.") % {"date": _day(due)}],
                        "url": url,
                        "action": _("Record its status"),
                    }

                found += _pending(
                    council_id, users, Reminder.ACTIVITY_DUE, f"{activity.lineage}:{due}:{ahead}", render
                )
        if now.is_overdue:

            def render(activity=activity, missed=now.missed, number=number, url=url):
                return {
                    "subject": _("Activity %(number)s is overdue") % {"number": number},
                    "lines": [
                        activity.text,
                        _("Missed: %(dates)s.") % {"dates": ", ".join(_day(day) for day in missed)},
                    ],
                    "url": url,
                    "action": _("Record its status"),
                }

            found += _pending(
                council_id, users, Reminder.ACTIVITY_OVERDUE, f"{activity.lineage}:{week}", render
            )
    return found


def _council_rhythm(council, item: compliance.CouncilFacts, people: _People, as_of: date) -> list:
    """The council-wide reminders: SKN meeting, report due, consultation, council meeting, plan."""
    slug, pk = council.municipality.slug, council.pk
    found = []
    officers = people.roles(pk, Role.CHAIR, Role.SECRETARY, *SKN_ROLES)
    skn_and_secretary = people.roles(pk, Role.SECRETARY, *SKN_ROLES)
    meetings_url = reverse("meetings:meeting-list", args=[slug])
    month_start = as_of.replace(day=1)
    # An SKN meeting this month, from the 20th.
    if item.first_meeting is not None and as_of.day >= SKN_BY_DAY:
        this_month = [
            m for m in item.meetings if m.kind == "skn" and m.status != "cancelled" and m.day >= month_start
        ]
        if not [m for m in this_month if m.day.month == as_of.month and m.day.year == as_of.year]:
            found += _pending(
                pk,
                skn_and_secretary,
                Reminder.SKN_NOT_SCHEDULED,
                f"{pk}:{as_of:%Y-%m}",
                lambda: {
                    "subject": _("No SKN meeting is scheduled this month"),
                    "lines": [
                        _("The SKN meets every month to monitor the plan (%(council)s).")
                        % {"council": council}
                    ],
                    "url": meetings_url,
                    "action": _("Plan the meeting"),
                },
            )
    # Last month's report, when a plan was in force in it.
    last = month_start - timedelta(days=1)
    decided = [v for v in item.versions if v.year == last.year and v.decision_date <= last]
    report = next((r for r in item.reports if (r.year, r.month) == (last.year, last.month)), None)
    if decided and (report is None or report.status in ("draft", "returned")):
        found += _pending(
            pk,
            skn_and_secretary,
            Reminder.REPORT_DUE,
            f"{pk}:{last:%Y-%m}",
            lambda: {
                "subject": _("The monitoring report of %(month)s is due")
                % {"month": month_label(last.year, last.month)},
                "lines": [_("Write it and send it to the chair by the end of this month.")],
                "url": reverse("monitoring:reports", args=[slug]),
                "action": _("Open the monthly reports"),
            },
        )
    # An open consultation: five months after the last one, with none planned.
    held = sorted(c.day for c in item.consultations if c.status == "held" and c.day <= as_of)
    ahead = [c for c in item.consultations if c.status in ("draft", "announced") and c.day >= as_of]
    if held and not ahead and as_of >= compliance.add_months(held[-1], CONSULTATION_AFTER_MONTHS):
        limit = compliance.consultation_gap_limit(held[-1])
        found += _pending(
            pk,
            officers,
            Reminder.CONSULTATION_DUE,
            f"{pk}:{held[-1]}",
            lambda: {
                "subject": _("An open consultation with citizens is due"),
                "lines": [
                    _("The last one was on %(date)s; the next should take place by %(limit)s.")
                    % {"date": _day(held[-1]), "limit": _day(limit)}
                ],
                "url": reverse("consultations:list", args=[slug]),
                "action": _("Plan the consultation"),
            },
        )
    # A council meeting in each half-year: in its last month, if none was held or planned.
    half_end = date(as_of.year, 6, 30) if as_of.month <= 6 else date(as_of.year, 12, 31)
    half_start = date(as_of.year, 1, 1) if as_of.month <= 6 else date(as_of.year, 7, 1)
    if item.first_meeting is not None and (half_end - as_of).days < COUNCIL_MEETING_DAYS_LEFT:
        this_half = [
            m
            for m in item.meetings
            if m.kind == "council" and m.status != "cancelled" and half_start <= m.day <= half_end
        ]
        if not this_half:
            found += _pending(
                pk,
                people.roles(pk, Role.CHAIR, Role.SECRETARY),
                Reminder.COUNCIL_MEETING_DUE,
                f"{pk}:{as_of.year}-H{1 if as_of.month <= 6 else 2}",
                lambda: {
                    "subject": _("A council meeting is due by %(date)s") % {"date": _day(half_end)},
                    "lines": [_("The council meets at least twice a year, once in each half-year.")],
                    "url": meetings_url,
                    "action": _("Plan the meeting"),
                },
            )
    # The year's plan, after 31 January.
    plan = compliance.check_plan(item, as_of.year, as_of)
    if plan.state == compliance.State.NOT_MET:
        found += _pending(
            pk,
            officers,
            Reminder.PLAN_NOT_APPROVED,
            f"{pk}:{as_of.year}",
            lambda: {
                "subject": _("The plan of %(year)d is not approved yet") % {"year": as_of.year},
                "lines": [
                    _("It was due by %(date)s, approved at a council meeting.")
                    % {"date": _day(plan.figures["due"])}
                ],
                "url": reverse("plans:index", args=[slug]),
                "action": _("Open the plans"),
            },
        )
    return found


def _waiting_reports(council_ids, councils, people: _People) -> list:
    found = []
    for report in MonthlyReport.objects.filter(
        council_id__in=council_ids, status=MonthlyReport.Status.SUBMITTED
    ):
        found += report_waiting(
            report, councils[report.council_id], people.roles(report.council_id, Role.CHAIR)
        )
    return found


def report_waiting(report: MonthlyReport, council: Council, chairs: list) -> list:
    """A submitted report, for the chair: a link straight to its approval."""
    # Once per submission: the sweep finds the notice given at the submission; a report returned
    # and submitted again, even the same day, is a new one.
    submitted = report.submitted_at.strftime("%Y%m%dT%H%M%S") if report.submitted_at else None
    url = reverse("monitoring:report-approve", args=[council.municipality.slug, report.year, report.month])
    return _pending(
        council.pk,
        chairs,
        Reminder.REPORT_WAITING,
        f"{report.pk}:{submitted}",
        lambda: {
            "subject": _("The monitoring report of %(month)s waits for your approval")
            % {"month": month_label(report.year, report.month)},
            "lines": [_("The SKN submitted it (%(council)s).") % {"council": council}],
            "url": url,
            "action": _("Approve or return it"),
        },
    )


def notify_report_submitted(report: MonthlyReport) -> int:
    """At once, in the submitting transaction: tell the chair a report waits for them."""
    council = Council.objects.select_related("municipality").get(pk=report.council_id)
    people = _People([council.pk], timezone.localdate())
    if Reminder.REPORT_WAITING in switched_off(council.pk):
        return 0
    return notify.notify(
        item for _council, item in report_waiting(report, council, people.roles(council.pk, Role.CHAIR))
    )


def withdraw_report_waiting(report: MonthlyReport) -> int:
    """The chair approved or returned the report: the notice that it waits is done, and its
    e-mail, if still in the outbox, is not sent."""
    return notify.withdraw(f"{Reminder.REPORT_WAITING}:{report.pk}:")


def due(as_of: date | None = None) -> list[notify.Pending]:
    """Every reminder due on ``as_of`` (default today), for every established council."""
    as_of = as_of or timezone.localdate()
    councils = {
        c.pk: c
        for c in Council.objects.exclude(status=Council.Status.NOT_ESTABLISHED).select_related("municipality")
    }
    if not councils:
        return []
    off = defaultdict(set)
    for council_id, kind in ReminderSetting.objects.filter(
        council_id__in=councils, enabled=False
    ).values_list("council_id", "kind"):
        off[council_id].add(kind)
    facts = {
        pk: item
        for pk, item in compliance_data.gather(range(as_of.year - 1, as_of.year + 1), as_of).items()
        if pk in councils
    }
    people = _People(list(councils), as_of)
    found = _meetings(list(councils), as_of)
    found += _activities(councils, facts, people, as_of)
    for pk, item in facts.items():
        found += _council_rhythm(councils[pk], item, people, as_of)
    found += _waiting_reports(list(councils), councils, people)
    return [item for council_id, item in found if item.kind not in off[council_id]]


def switched_off(council_id: int) -> set[str]:
    """The kinds of reminder a council switched off."""
    return set(
        ReminderSetting.objects.filter(council_id=council_id, enabled=False).values_list("kind", flat=True)
    )


def send(as_of: date | None = None) -> int:
    """Give every reminder due on ``as_of``; running it twice gives nothing twice."""
    return notify.notify(due(as_of))
