"""What monitoring asks of a person ("waiting for you", councils/waiting.py):

- a monthly report submitted waits for the chair (``monitoring.approve_report``);
- a report returned with comments waits for the SKN and the technical secretary
  (``monitoring.edit_report``), who rework and submit it again;
- a report template submitted waits for the chair (``monitoring.approve_template``); one returned
  waits for the SKN and the technical secretary (``monitoring.draft_template``);
- this month's status updates: the activities of the plan in force, neither done nor cancelled,
  with no update dated this month, wait for whoever may update them (``monitoring.update_activity``:
  the SKN any activity; a member the activities their institution is responsible for: leads,
  partners in, or is named on the activity's row when the activity names no one itself, where the
  council lets members update their own). One item per council, to the monitoring dashboard.

At most eight queries for every council of the person together (one for the annual reports,
monitoring/annual/waiting.py).
"""

from collections import defaultdict

import rules
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from councils.models import SKN_ROLES, Membership, Role
from councils.waiting import Waiting
from plans.models import Activity, PlanVersion

from .models import MonthlyReport, ReportTemplate, StatusUpdate
from .progress import month_label
from .selectors import CLOSED_STATUSES


def _councils(roles: dict, wanted) -> list[int]:
    return [council_id for council_id, held in roles.items() if held & set(wanted)]


def report_items(user, roles: dict, now) -> list[Waiting]:
    chair = _councils(roles, (Role.CHAIR,))
    editors = _councils(roles, (Role.SECRETARY, *SKN_ROLES))
    if not chair and not editors:
        return []
    found = []
    for report in MonthlyReport.objects.filter(
        Q(status=MonthlyReport.Status.SUBMITTED, council_id__in=chair)
        | Q(status=MonthlyReport.Status.RETURNED, council_id__in=editors)
    ).select_related("council__municipality"):
        args = [report.council.slug, report.year, report.month]
        month = {"month": month_label(report.year, report.month)}
        if report.status == MonthlyReport.Status.SUBMITTED:
            if rules.test_rule("monitoring.approve_report", user, report):
                found.append(
                    Waiting(
                        council=report.council,
                        kind="report_to_approve",
                        text=_("The monitoring report of %(month)s waits for your approval.") % month,
                        url=reverse("monitoring:report-approve", args=args),
                        since=report.submitted_at or report.updated_at,
                    )
                )
        elif user.has_perm("monitoring.edit_report", report):
            found.append(
                Waiting(
                    council=report.council,
                    kind="report_returned",
                    text=_(
                        "The monitoring report of %(month)s was returned with comments: rework it and "
                        "submit it again."
                    )
                    % month,
                    url=reverse("monitoring:report", args=args),
                    since=report.returned_at or report.updated_at,
                )
            )
    return found


def _plans_in_force(council_ids: list[int], today) -> dict[int, PlanVersion]:
    """{council id: its plan of this year in force today} (the newest approved version whose
    decision is dated by today), as monitoring/selectors.py ``plan_in_force``."""
    in_force: dict[int, PlanVersion] = {}
    for version in (
        PlanVersion.objects.published()
        .filter(plan__council_id__in=council_ids, plan__year=today.year, decision_date__lte=today)
        .select_related("plan__council__municipality")
        .order_by("number")
    ):
        in_force[version.plan.council_id] = version
    return in_force


def updates_due(user, roles: dict, now) -> list[Waiting]:
    """One item per council: how many activities the person may update wait for this month's
    status update."""
    skn = set(_councils(roles, SKN_ROLES))
    members = [council_id for council_id, held in roles.items() if held - {Role.GUEST}]
    if not members:
        return []
    today = timezone.localdate(now)
    month_start = today.replace(day=1)
    in_force = _plans_in_force(members, today)
    # Where the person is not in the SKN, only their institutions' activities, if the council allows.
    own = [c for c, v in in_force.items() if c not in skn and v.plan.council.members_update_own_activities]
    in_force = {c: v for c, v in in_force.items() if c in skn or c in own}
    if not in_force:
        return []
    institutions: dict[int, set[int]] = defaultdict(set)
    if own:
        for council_id, institution_id in (
            Membership.objects.active()
            .filter(person__user=user, council_id__in=own)
            .exclude(role=Role.GUEST)
            .values_list("council_id", "institution_id")
        ):
            institutions[council_id].add(institution_id)
    activities = Activity.objects.filter(problem__version_id__in=[v.pk for v in in_force.values()])
    activities = list(
        activities.select_related("problem__version__plan").prefetch_related(
            "partners", "actors", "problem__institutions"
        )
        if own
        else activities.select_related("problem__version__plan")
    )
    last_status: dict = {}
    updated_this_month: set = set()
    for update in (
        StatusUpdate.objects.filter(activity_lineage__in=[a.lineage for a in activities], date__lte=today)
        .order_by("date", "id")
        .values("activity_lineage", "date", "status")
    ):
        last_status[update["activity_lineage"]] = update["status"]
        if update["date"] >= month_start:
            updated_this_month.add(update["activity_lineage"])
    due: dict[int, int] = defaultdict(int)
    for activity in activities:
        council_id = activity.problem.version.plan.council_id
        if activity.lineage in updated_this_month or last_status.get(activity.lineage) in CLOSED_STATUSES:
            continue
        if council_id not in skn and not activity.responsible_institution_ids & institutions[council_id]:
            continue
        due[council_id] += 1
    return [
        Waiting(
            council=in_force[council_id].plan.council,
            kind="updates_due",
            text=ngettext(
                "%(count)d activity waits for this month's status update.",
                "%(count)d activities wait for this month's status update.",
                count,
            )
            % {"count": count},
            url=reverse("monitoring:dashboard", args=[in_force[council_id].plan.council.slug]),
            since=month_start,
        )
        for council_id, count in due.items()
    ]


def template_items(user, roles: dict, now) -> list[Waiting]:
    """A template version submitted, for the chair; one returned, for the SKN and the secretary."""
    chair = _councils(roles, (Role.CHAIR,))
    editors = _councils(roles, (Role.SECRETARY, *SKN_ROLES))
    if not chair and not editors:
        return []
    found = []
    for template in ReportTemplate.objects.filter(
        Q(status=ReportTemplate.Status.SUBMITTED, council_id__in=chair)
        | Q(status=ReportTemplate.Status.RETURNED, council_id__in=editors)
    ).select_related("council__municipality"):
        url = reverse("monitoring:template", args=[template.council.slug])
        number = {"number": template.number}
        if template.status == ReportTemplate.Status.SUBMITTED:
            if rules.test_rule("monitoring.approve_template", user, template.council):
                found.append(
                    Waiting(
                        council=template.council,
                        kind="template_to_approve",
                        text=_("The monthly report template, version %(number)s, waits for your approval.")
                        % number,
                        url=url,
                        since=template.submitted_at or template.updated_at,
                    )
                )
        elif user.has_perm("monitoring.draft_template", template.council):
            found.append(
                Waiting(
                    council=template.council,
                    kind="template_returned",
                    text=_(
                        "The monthly report template, version %(number)s, was returned with comments: "
                        "rework it and submit it again."
                    )
                    % number,
                    url=url,
                    since=template.returned_at or template.updated_at,
                )
            )
    return found


def monitoring_items(user, roles: dict, now) -> list[Waiting]:
    from .annual.waiting import annual_items

    return [
        *report_items(user, roles, now),
        *annual_items(user, roles, now),
        *template_items(user, roles, now),
        *updates_due(user, roles, now),
    ]
