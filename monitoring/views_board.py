"""Staff pages of monitoring, under /app/<municipality>/monitoring/: the council's dashboard, each
activity's timeline with its update form, each indicator's values with theirs, and the evidence
files of updates. Thin: form -> service -> redirect.

Who sees what (monitoring/rules.py, declared to councils/scoping.py): another council's pages are a
404, as in plans.
Reading needs ``monitoring.view_monitoring`` on the council; recording an update or a value needs
``monitoring.update_activity`` on the activity (else 403); evidence files need
``monitoring.view_internal``. Activities and indicators are addressed by their lineage: the page
shows the row of the newest approved version that has it, with the history of every version.
"""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from councils.scoping import CouncilScopedMixin
from kvsp.core import public_cache
from kvsp.core.forms import apply_errors
from kvsp.core.security_log import security_event
from kvsp.core.uploads import EXTENSIONS
from plans.groups import field_name, split_keys
from plans.models import Activity, Indicator
from plans.money import latest_spent
from plans.services import RowConflict, row_revision

from . import selectors, services
from .forms import IndicatorValueForm, StatusUpdateForm
from .models import ActivityStatus, StatusUpdate
from .progress import period_label, periods


def _year(value: str | None, years: list[int]) -> int | None:
    """The year asked for when the council monitors it, else the newest one (or None)."""
    if value and value.isdecimal() and len(value) <= 4 and int(value) in years:
        return int(value)
    return years[0] if years else None


def _seen(value: str | None) -> int | None:
    """The newest update id the form was opened on. Missing: no check (None); anything else than a
    small number counts as "none seen" (0), so a tampered form meets the conflict check."""
    if value is None:
        return None
    return int(value) if value.isdecimal() and len(value) <= 18 else 0


def standing_of(activity: Activity, updates: list[StatusUpdate], as_of) -> selectors.Standing:
    """Where an activity stands on ``as_of``, from its updates (any order)."""
    ordered = sorted(updates, key=lambda update: (update.date, update.pk))
    fields = ("date", "status", "progress", "note")
    return selectors.standing(
        activity, [{name: getattr(update, name) for name in fields} for update in ordered], as_of
    )


class BoardMixin(CouncilScopedMixin):
    """A council's monitoring: its council (else 404) and ``monitoring.view_monitoring`` on it
    (else 403)."""

    permission_required = "monitoring.view_monitoring"


class DashboardView(BoardMixin, TemplateView):
    """The plan in force of a year (the newest by default) with every activity's standing today:
    totals, the two charts, what is overdue, the latest updates and every activity. A fixed number
    of queries whatever the plan's size."""

    template_name = "monitoring/dashboard.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, council = self.request.user, self.council
        today = timezone.localdate()
        years = selectors.monitored_years(council)
        year = _year(self.request.GET.get("year"), years)
        version = selectors.plan_in_force(council, year) if year else None
        context.update(years=years, year=year, version=version, today=today)
        if version is None:
            return context
        board, recent = selectors.dashboard_data(council, version, today)
        numbers = {}
        for problem in board.problems:
            for position, activity in enumerate(problem.activities.all(), start=1):
                activity.number = numbers[activity.lineage] = f"{problem.number}.{position}"
                # The prefetched rows (partners included): the rule reads them without a query.
                activity.can_update = user.has_perm("monitoring.update_activity", activity)
                for indicator in activity.indicators.all():
                    if indicator.latest is not None:
                        indicator.latest.label = period_label(indicator.latest.period)
        for update in recent:
            update.number = numbers.get(update.activity_lineage, update.activity.problem.number)
        totals = board.totals()
        context.update(
            board=board,
            totals=totals,
            done=dict(totals["counts"])[ActivityStatus.DONE],
            by_priority=board.by_priority(),
            by_institution=board.by_institution(),
            overdue=board.overdue,
            recent=recent,
            can_view_plan=user.has_perm("plans.view_plans", council),
        )
        context["board_html"] = self.board_html(context, board)
        return context

    def board_html(self, context: dict, board: selectors.Board) -> str:
        """The board's part of the page, kept in the cache under the public generation for the
        same version, day, language and reader's rights (the plan's link, the activities they may
        update): rendered once, not at every visit."""
        updatable = ",".join(str(activity.lineage) for activity in board.activities if activity.can_update)
        key = public_cache.key(
            "monitoring-dashboard-html",
            board.version.pk,
            context["today"].isoformat(),
            translation.get_language(),
            int(context["can_view_plan"]),
            hashlib.sha256(updatable.encode()).hexdigest(),
        )
        html = public_cache.get(key)
        if html is None:
            html = render_to_string("monitoring/partials/_dashboard_board.html", context)
            public_cache.put(key, html, selectors.DASHBOARD_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 -- rendered by the template engine above, escaped there


class ActivityView(BoardMixin, TemplateView):
    """An activity (the row of the newest approved version with its lineage): where it stands, its
    indicators, the timeline of every update of the lineage and, for those who may, the update
    form. A conflicting save (someone updated it meanwhile) comes back with their update in the
    timeline and this user's text kept; saving again adds it after theirs."""

    template_name = "monitoring/activity.html"

    @cached_property
    def activity(self) -> Activity:
        activities = Activity.objects.for_user(self.request.user)
        found = selectors.newest_activity(activities, self.council, self.kwargs["lineage"])
        if found is None:
            raise Http404
        return found

    def check(self):
        # Found (else 404) before anything else; its council is the URL's, already loaded.
        self.activity.problem.version.plan.council = self.council
        return None

    @cached_property
    def can_update(self) -> bool:
        return self.request.user.has_perm("monitoring.update_activity", self.activity)

    def activity_url(self) -> str:
        return reverse(
            "monitoring:activity", kwargs={"slug": self.council.slug, "lineage": self.activity.lineage}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity, today = self.activity, timezone.localdate()
        updates = selectors.timeline(self.council, activity)
        indicators = list(activity.indicators.all())
        if indicators:
            selectors.latest_values(self.council, indicators)
        standing = standing_of(activity, updates, today)
        if self.can_update and "form" not in kwargs:
            context["form"] = StatusUpdateForm(
                initial={"status": standing.status, "progress": standing.progress}
            )
            context["seen"] = services.newest_update_id(activity)
        context.update(
            activity=activity,
            problem=activity.problem,
            version=activity.problem.version,
            number=selectors.activity_number(activity),
            standing=standing,
            updates=updates,
            spent_to_date=latest_spent((u.activity_lineage, u.date, u.pk, u.spent) for u in updates).get(
                str(activity.lineage)
            ),
            indicators=indicators,
            can_update=self.can_update,
            can_view_internal=self.request.user.has_perm("monitoring.view_internal", self.council),
            today=today,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_update:
            raise PermissionDenied
        form = StatusUpdateForm(request.POST, request.FILES)
        seen = _seen(request.POST.get("seen"))
        conflict = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_record(
                    activity=self.activity,
                    user=request.user,
                    status=data["status"],
                    progress=data["progress"],
                    date=data["date"],
                    note=data["note"],
                    evidence=data["evidence"],
                    seen=seen,
                    confirm=data["confirm"],
                    spent=data["spent"],
                    confirm_spent=data["confirm_spent"],
                )
            except services.UpdateConflict as error:
                # Theirs is saved and now in the timeline; this form keeps what this user typed
                # and the newest id, so saving again adds this update after theirs.
                form.add_error(None, error)
                conflict, seen = error.newest, error.newest.pk
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The update was recorded."))
                return HttpResponseRedirect(self.activity_url())
        context = self.get_context_data(
            form=form,
            seen="" if seen is None else seen,
            conflict=conflict,
            file_dropped=bool(request.FILES.get("evidence")),
        )
        return self.render_to_response(context)


class IndicatorView(BoardMixin, TemplateView):
    """An indicator (the row of the newest approved version with its lineage): its values by
    period and, for those who may update its activity, the form to record or correct one. Each
    period's value carries its revision, so a correction made meanwhile is a conflict."""

    template_name = "monitoring/indicator.html"

    @cached_property
    def indicator(self) -> Indicator:
        indicators = Indicator.objects.for_user(self.request.user)
        found = selectors.newest_indicator(indicators, self.council, self.kwargs["lineage"])
        if found is None:
            raise Http404
        return found

    def check(self):
        # Found (else 404) before anything else; its council is the URL's, already loaded.
        self.indicator.activity.problem.version.plan.council = self.council
        return None

    @cached_property
    def can_update(self) -> bool:
        return self.request.user.has_perm("monitoring.update_activity", self.indicator.activity)

    @cached_property
    def periods(self):
        """The periods of the plan's year that have begun: those a value can be recorded for."""
        today = timezone.localdate()
        year = self.indicator.activity.problem.version.plan.year
        return [period for period in periods(self.indicator.frequency, year) if period.start <= today]

    def indicator_url(self) -> str:
        return reverse(
            "monitoring:indicator", kwargs={"slug": self.council.slug, "lineage": self.indicator.lineage}
        )

    def get_form(self, data=None, values=()):
        initial = {}
        asked = self.request.GET.get("period", "")
        codes = [period.code for period in self.periods]
        if asked in codes:
            initial["period"] = asked
            existing = next((value for value in values if value.period == asked), None)
            if existing is not None:
                initial.update(value=existing.value, note=existing.note)
                initial.update({field_name(key): part for key, part in existing.breakdown.items()})
        elif codes:
            initial["period"] = codes[-1]
        splits = split_keys(self.indicator.disaggregation)
        return IndicatorValueForm(data, periods=self.periods, initial=initial, splits=splits)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.indicator
        values = selectors.indicator_values(self.council, indicator)
        if self.can_update:
            context.setdefault("form", self.get_form(values=values))
            # One revision per period (empty for a period without a value): whichever the user
            # picks, a value saved meanwhile for it is a conflict, not a silent overwrite.
            revisions = {value.period: row_revision(value) for value in values}
            context["revisions"] = [(period.code, revisions.get(period.code, "")) for period in self.periods]
        activity = indicator.activity
        context.update(
            indicator=indicator,
            activity=activity,
            problem=activity.problem,
            version=activity.problem.version,
            values=values,
            can_update=self.can_update,
            has_periods=bool(self.periods),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_update:
            raise PermissionDenied
        form = self.get_form(request.POST)
        if form.is_valid():
            period = form.cleaned_data["period"]
            revision = request.POST.get(f"revision_{period}")
            try:
                services.value_record(
                    indicator=self.indicator,
                    user=request.user,
                    period=period,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                    revision=None if revision is None else revision[:40],
                    breakdown=form.breakdown(),
                )
            except RowConflict as error:
                # Both survive: theirs is saved and shown in the table; the form keeps this
                # user's value and now carries the new revision, so saving again replaces theirs.
                form.add_error(None, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The value for %(period)s was saved.") % {"period": period_label(period)}
                )
                return HttpResponseRedirect(self.indicator_url())
        return self.render_to_response(self.get_context_data(form=form))


class EvidenceView(BoardMixin, View):
    """The evidence file of one of the council's status updates, as an attachment (never shown
    inline), for the council's people: ``monitoring.view_internal``."""

    permission_required = "monitoring.view_internal"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        updates = StatusUpdate.objects.for_user(request.user).filter(council=self.council)
        update = get_object_or_404(updates.exclude(evidence=""), pk=self.kwargs["pk"])
        try:
            handle = update.evidence.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        content_type = update.evidence_type or "application/octet-stream"
        extension = EXTENSIONS.get(content_type, "bin")
        name = f"{slugify(_('evidence')) or 'evidence'}-{update.date.isoformat()}-{update.pk}.{extension}"
        security_event(request, "read", obj=update, kind="evidence")
        return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
