"""The authorization matrix: every URL pattern x every principal x GET and POST, in the
principal's own council and in another one.

Expected answers are written here by hand, per URL, from what each principal should be allowed to
do (DESIGN.md "Roles" and "Visibility"); they are never computed from the rules or recorded from
the code's replies. A URL pattern missing here fails the suite, so every new page adds its row.

Council principals hold their role in Elbasan ("own"). A council URL is also tried on Belsh
("other") with objects that exist there, and the test checks that Belsh's own secretary reaches
that same address, so a 404 proves isolation, not absence.

POSTs are sent without a CSRF token check (the test client's default) because this matrix is about
authorization; CSRF is tested on its own in tests/core/test_security_baseline.py. A POST carries no
data unless its row gives some (Row.data), so that success, not a form error, is what is answered.
A pattern may have further rows, "name [case]", trying it on other objects or in other states.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from consultations import services as consultation_services
from councils.meetings import services as meeting_services
from councils.models import Role
from tests.authz.matrix_lib import (
    ADD_DOCUMENT,
    ADD_MEMBER,
    ADMIN,
    ADMIN_ONLY,
    AGREE_GET,
    AGREE_POST,
    APPROVE_GET,
    APPROVE_POST,
    CHAIR,
    CHANGE,
    COUNCIL_PRINCIPALS,
    DOCUMENT_GET,
    DRAFT_PDF,
    INVITE_GET,
    INVITE_POST,
    MANAGE,
    MANAGE_CONSULTATION,
    MANAGE_CONSULTATION_DONE,
    MANAGE_MEETING,
    MODERATE,
    MODERATE_DONE,
    MODERATE_NO_METHOD,
    NO_INVITATION,
    NO_POST,
    OBSERVER,
    PRINCIPALS,
    PRIORITISE,
    READ,
    READ_POST,
    SECRETARY,
    USER,
    Row,
    by,
    council_row,
    elsewhere,
    pattern_of,
    same,
)
from tests.factories import UserFactory, council, give_role


def _admin_model_rows(
    app: str,
    model: str,
    key: str,
    *,
    can_add: bool = True,
    read_only: bool = False,
    can_delete: bool = True,
    audited: bool = False,
):
    """The five admin pages of one model, as written by hand for the platform admin."""
    base = f"/admin/{app}/{model}/"

    def obj(ctx):
        return f"{base}{ctx[key]}/"

    rows = {}
    if audited:
        # One past version of the record, from its django-simple-history trail: read only, a POST
        # (which would revert the record) is refused (kvsp/core/history_admin.py).
        rows[f"admin:{app}_{model}_simple_history"] = Row(
            ADMIN_ONLY, by(302, 302, 405), lambda ctx: obj(ctx) + f"history/{ctx[key + '_history']}/"
        )
    return rows | {
        f"admin:{app}_{model}_changelist": Row(ADMIN_ONLY, by(302, 302, 200), base),
        f"admin:{app}_{model}_add": Row(
            by(302, 302, 200 if can_add else 403), by(302, 302, 200 if can_add else 403), base + "add/"
        ),
        f"admin:{app}_{model}_history": Row(ADMIN_ONLY, by(302, 302, 200), lambda ctx: obj(ctx) + "history/"),
        # GET asks for confirmation; a POST without the confirmation field asks again.
        f"admin:{app}_{model}_delete": Row(
            by(302, 302, 200 if can_delete else 403),
            by(302, 302, 200 if can_delete else 403),
            lambda ctx: obj(ctx) + "delete/",
        ),
        # POST with no data: the form comes back with its errors; a record whose every field
        # is read-only has nothing to save and goes back to the list unchanged.
        f"admin:{app}_{model}_change": Row(
            ADMIN_ONLY, by(302, 302, 302 if read_only else 200), lambda ctx: obj(ctx) + "change/"
        ),
        # /admin/<app>/<model>/<id>/ is an old address: it redirects to the change page.
        f"route:admin/{app}/{model}/<path:object_id>/": Row(by(302, 302, 302), by(302, 302, 302), obj),
    }


MATRIX: dict[str, Row] = {
    # --- public -----------------------------------------------------------------------------
    "portal:home": Row(same(200), same(405), "/"),
    "portal:council": Row(same(200), same(405), "/elbasan/"),
    "portal:council-regulation": Row(same(200), same(405), "/elbasan/regulation/"),
    # A public council meeting of Elbasan (its draft minutes stay hidden: see tests/meetings).
    "portal:meeting": Row(same(200), same(405), lambda ctx: f"/elbasan/meetings/{ctx['own'].meeting}/"),
    "portal:meetings-calendar": Row(same(200), same(405), "/elbasan/meetings.ics"),
    "portal:document": Row(same(200), same(405), lambda ctx: f"/elbasan/documents/{ctx['public_document']}/"),
    # Consultations and concerns: announced consultations and published outcomes are public; the
    # concern form answers an empty POST with its errors (200). A code's page shows no private data.
    "portal:consultations": Row(same(200), same(405), "/elbasan/consultations/"),
    "portal:consultation": Row(
        same(200), same(405), lambda ctx: f"/elbasan/consultations/{ctx['own'].consultation}/"
    ),
    "portal:consultation-csv": Row(
        same(200), same(405), lambda ctx: f"/elbasan/consultations/{ctx['own'].consultation}/concerns.csv"
    ),
    "portal:consultation-json": Row(
        same(200), same(405), lambda ctx: f"/elbasan/consultations/{ctx['own'].consultation}/concerns.json"
    ),
    "portal:concern-lookup": Row(same(200), same(405), "/elbasan/concerns/"),
    "portal:concern-create": Row(same(200), same(200), "/elbasan/concerns/new/"),
    "portal:concern-form-pdf": Row(same(200), same(405), "/elbasan/concerns/form.pdf"),
    "portal:concern": Row(same(200), same(405), lambda ctx: f"/elbasan/concerns/{ctx['own'].concern}/"),
    "healthz": Row(same(200), same(405), "/healthz/"),
    # --- accounts ---------------------------------------------------------------------------
    # A signed-in person who opens the login page is sent on to their councils.
    "accounts:login": Row(by(200, 302, 302), by(200, 302, 302), "/accounts/login/"),
    "accounts:logout": Row(same(405), same(302), "/accounts/logout/"),
    "accounts:password-change": Row(by(302, 200, 200), by(302, 200, 200), "/accounts/password/change/"),
    "accounts:password-change-done": Row(
        by(302, 200, 200), by(302, 405, 405), "/accounts/password/change/done/"
    ),
    "accounts:password-reset": Row(same(200), same(200), "/accounts/password/reset/"),
    "accounts:password-reset-done": Row(same(200), same(405), "/accounts/password/reset/sent/"),
    # A forged reset link shows "no longer valid" (200), never a form that works.
    "accounts:password-reset-confirm": Row(same(200), same(200), "/accounts/password/reset/MQ/forged-token/"),
    "accounts:password-reset-complete": Row(same(200), same(405), "/accounts/password/reset/complete/"),
    "accounts:invitation-accept": Row(same(404), same(404), "/accounts/invitation/forged-token/"),
    "accounts:language": Row(same(302), same(405), "/accounts/language/en/?next=/"),
    # --- staff pages ------------------------------------------------------------------------
    "councils:dashboard": Row(by(302, 200, 200), by(302, 405, 405), "/app/"),
    # Anyone signed in has a private calendar address; a POST replaces it (and redirects back).
    "meetings:calendar": Row(by(302, 200, 200), by(302, 302, 302), "/app/calendar/"),
    # The secret is the key: a wrong one is 404 for everybody (tests/meetings checks a right one).
    "meetings:calendar-feed": Row(same(404), same(405), "/app/calendar/not-a-secret.ics"),
    "councils:council-detail": council_row(READ, READ_POST, ""),
    "councils:council-update": council_row(CHANGE, CHANGE, "settings/"),
    "councils:seat-create": council_row(MANAGE, MANAGE, "institutions/add/"),
    "councils:seat-end": council_row(MANAGE, MANAGE, "institutions/{seat}/end/"),
    "councils:membership-create": council_row(ADD_MEMBER, ADD_MEMBER, "members/add/"),
    "councils:membership-import": council_row(MANAGE, MANAGE, "members/import/"),
    # {membership} is a member's role: the secretary or the chair may end it.
    "councils:membership-end": council_row(ADD_MEMBER, ADD_MEMBER, "members/{membership}/end/"),
    "councils:membership-invite": council_row(INVITE_GET, INVITE_POST, "members/{membership}/invite/"),
    "meetings:archive": council_row(READ, READ_POST, "documents/"),
    "meetings:document-create": council_row(ADD_DOCUMENT, ADD_DOCUMENT, "documents/new/"),
    "meetings:document-download": council_row(DOCUMENT_GET, NO_POST, "documents/{document}/"),
    "meetings:meeting-list": council_row(READ, READ_POST, "meetings/"),
    "meetings:meeting-create": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/new/"),
    "meetings:meeting-detail": council_row(READ, READ_POST, "meetings/{meeting}/"),
    # The meeting was held: the form opens, and an empty POST comes back with its error.
    "meetings:meeting-cancel": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/cancel/"),
    "meetings:agenda-add": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/agenda/add/"),
    "meetings:agenda-agree": council_row(AGREE_GET, AGREE_POST, "meetings/{meeting}/agenda/agree/"),
    "meetings:attendance": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/attendance/"),
    "meetings:invitation-send": council_row(
        MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/invitations/"
    ),
    # Only an invited person answers, and only their own invitation: nobody here is invited, so
    # whoever may read the meeting gets 404 (tests/meetings covers the invited person's answer).
    "meetings:invitation-answer": council_row(NO_INVITATION, NO_INVITATION, "meetings/{meeting}/answer/"),
    "meetings:minutes-edit": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/minutes/"),
    "meetings:minutes-approve": council_row(APPROVE_GET, APPROVE_POST, "meetings/{meeting}/minutes/approve/"),
    # The minutes here are a draft: the observer (and a guest) may not have them before approval.
    "meetings:minutes-pdf": council_row(DRAFT_PDF, READ_POST, "meetings/{meeting}/minutes.pdf"),
    "meetings:amendment-add": council_row(
        MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/amendments/add/"
    ),
    "meetings:decision-add": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/decisions/add/"),
    # {consultation} was held two days ago and announced; {concern} awaits moderation in it and
    # belongs to {problem}. Empty POSTs to forms come back with their errors (200).
    "consultations:list": council_row(READ, READ_POST, "consultations/"),
    "consultations:create": council_row(MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/new/"),
    "consultations:detail": council_row(READ, READ_POST, "consultations/{consultation}/"),
    "consultations:update": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/{consultation}/edit/"
    ),
    "consultations:announce": council_row(
        INVITE_GET, MANAGE_CONSULTATION_DONE, "consultations/{consultation}/announce/"
    ),
    "consultations:cancel": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/{consultation}/cancel/"
    ),
    # An empty participation form counts nobody: it is saved and the page goes back (302).
    "consultations:participation": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION_DONE, "consultations/{consultation}/participation/"
    ),
    "consultations:concern-enter": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/{consultation}/concerns/new/"
    ),
    "consultations:concern-export": council_row(
        MODERATE, MODERATE_NO_METHOD, "consultations/{consultation}/concerns.csv"
    ),
    "consultations:priorities": council_row(
        PRIORITISE, PRIORITISE, "consultations/{consultation}/priorities/"
    ),
    "consultations:problem-edit": council_row(
        PRIORITISE, PRIORITISE, "consultations/{consultation}/priorities/{problem}/"
    ),
    "consultations:concern-list": council_row(MODERATE, MODERATE_NO_METHOD, "concerns/"),
    # A POST without an action changes nothing and goes back to the concern.
    "consultations:concern-detail": council_row(MODERATE, MODERATE_DONE, "concerns/{concern}/"),
    "consultations:concern-forget": council_row(
        MODERATE_NO_METHOD, MODERATE_DONE, "concerns/{concern}/forget/"
    ),
    # --- platform administration ------------------------------------------------------------
    "admin:index": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/"),
    # The admin has no login of its own: anonymous visitors go to the site's login (password, then
    # the second factor), a signed-in admin on to the index, anyone else is refused.
    "admin:login": Row(by(302, 403, 302), by(302, 403, 302), "/admin/login/"),
    # Logging out needs a POST; anyone who is not staff is simply sent to the admin index.
    "admin:logout": Row(by(302, 302, 405), same(302), "/admin/logout/"),
    "admin:password_change": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/password_change/"),
    "admin:password_change_done": Row(ADMIN_ONLY, by(302, 302, 405), "/admin/password_change/done/"),
    # Without its query parameters the autocomplete refuses even the admin.
    "admin:autocomplete": Row(by(302, 302, 403), by(302, 302, 405), "/admin/autocomplete/"),
    "admin:jsi18n": Row(ADMIN_ONLY, by(302, 302, 405), "/admin/jsi18n/"),
    # Users have no public page, so "view on site" has nowhere to go.
    "admin:view_on_site": Row(
        by(302, 302, 404), by(302, 302, 404), lambda ctx: f"/admin/r/{ctx['user_ct']}/{ctx['target_user']}/"
    ),
    "admin:app_list": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/core/"),
    "route:admin/(?P<url>.*)$": Row(by(302, 302, 404), by(302, 302, 404), "/admin/no-such-page/"),
    "admin:auth_user_password_change": Row(
        ADMIN_ONLY, by(302, 302, 200), lambda ctx: f"/admin/core/user/{ctx['target_user']}/password/"
    ),
    **_admin_model_rows("core", "user", "target_user", audited=True),
    **_admin_model_rows("auth", "group", "group"),
    # The lockout records are written by django-axes only: the admin can read and delete them.
    **_admin_model_rows("axes", "accessattempt", "access_attempt", can_add=False, read_only=True),
    **_admin_model_rows("axes", "accesslog", "access_log", can_add=False, read_only=True),
    **_admin_model_rows("axes", "accessfailurelog", "access_failure_log", can_add=False, read_only=True),
    # The outbox and the sent-log: the platform admin reads them; nothing is added, changed or deleted.
    **_admin_model_rows(
        "notify", "outboxmessage", "outbox_message", can_add=False, read_only=True, can_delete=False
    ),
    **_admin_model_rows("notify", "sentlog", "sent_log", can_add=False, read_only=True, can_delete=False),
    **_admin_model_rows("django_celery_beat", "periodictask", "periodic_task"),
    **_admin_model_rows("django_celery_beat", "intervalschedule", "interval"),
    **_admin_model_rows("django_celery_beat", "crontabschedule", "crontab"),
    **_admin_model_rows("django_celery_beat", "solarschedule", "solar"),
    **_admin_model_rows("django_celery_beat", "clockedschedule", "clocked"),
    # Reference data: names can be corrected, but counties and municipalities are never added or
    # removed by hand (their slugs are public addresses). Units can be corrected freely.
    **_admin_model_rows("councils", "county", "county", can_add=False, can_delete=False, audited=True),
    **_admin_model_rows(
        "councils", "municipality", "municipality", can_add=False, can_delete=False, audited=True
    ),
    **_admin_model_rows("councils", "administrativeunit", "unit", audited=True),
    # Every municipality has its council from the reference data.
    **_admin_model_rows("councils", "council", "council", can_add=False, can_delete=False, audited=True),
    **_admin_model_rows("councils", "institution", "institution", can_delete=False, audited=True),
    # Ending keeps the record: composition and memberships are never deleted.
    **_admin_model_rows("councils", "councilinstitution", "seat", can_delete=False, audited=True),
    **_admin_model_rows("councils", "person", "person", can_delete=False, audited=True),
    **_admin_model_rows("councils", "membership", "membership", can_delete=False, audited=True),
}


def _app_rows() -> dict[str, Row]:
    """Rows kept beside the others, one module per app: tests/authz/rows_<app>.py with ROWS."""
    import importlib
    import pkgutil

    import tests.authz

    rows: dict[str, Row] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(tests.authz.__path__)):
        if module.startswith("rows_"):
            found = importlib.import_module(f"tests.authz.{module}").ROWS
            assert not rows.keys() & found.keys(), f"{module} repeats rows"
            rows |= found
    return rows


_EXTRA = _app_rows()
assert not MATRIX.keys() & _EXTRA.keys(), "a row is both in test_matrix.py and in a rows_ module"
MATRIX |= _EXTRA


def _pattern_keys(patterns=None, prefix="", namespace=None):
    """Every URL pattern of the project: 'ns:name', or 'route:<full route>' when it has no name."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if namespace and pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}"
            yield from _pattern_keys(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield f"route:{prefix}{pattern.pattern}"


def test_every_url_pattern_is_in_the_matrix():
    keys = set(_pattern_keys())
    missing = sorted(keys - {pattern_of(key) for key in MATRIX})
    assert not missing, f"add these URL patterns to the authorization matrix: {missing}"


def test_the_matrix_has_no_stale_rows():
    # A row "name [case]" tries the pattern "name" once more, on another object or state.
    assert sorted(key for key in MATRIX if pattern_of(key) not in set(_pattern_keys())) == []


@dataclass
class CouncilPages:
    slug: str
    seat: int
    membership: int
    meeting: int
    document: int
    consultation: int
    problem: int
    concern: str
    # The plan of PLAN_YEAR: v1 approved (published), v2 a draft revising it. {row}, {activity}
    # and {indicator} are in the draft; {approved_row} and {approved_activity} in v1.
    row: int
    activity: int
    indicator: int
    approved_row: int
    approved_activity: int
    # Monitoring of v1: {lineage} and {indicator_lineage} are its activity's and indicator's
    # lineages; {update} a status update of that activity, with a PDF as evidence, by the SKN.
    # The monthly reports of PLAN_YEAR are at "{year}/{month}" (REPORT_MONTHS).
    lineage: str
    indicator_lineage: str
    update: int

    def path(self, page: str) -> str:
        return f"/app/{self.slug}/" + self.fill(page)

    def fill(self, page: str) -> str:
        return page.format(
            seat=self.seat,
            membership=self.membership,
            meeting=self.meeting,
            document=self.document,
            consultation=self.consultation,
            problem=self.problem,
            concern=self.concern,
            year=PLAN_YEAR,
            approved=1,
            draft=2,
            row=self.row,
            activity=self.activity,
            indicator=self.indicator,
            approved_row=self.approved_row,
            approved_activity=self.approved_activity,
            lineage=self.lineage,
            indicator_lineage=self.indicator_lineage,
            update=self.update,
            **{name: f"{PLAN_YEAR}/{month}" for name, month in REPORT_MONTHS.items()},
        )


PLAN_YEAR = 2026
# The council's monthly reports, one in each state, in months that are over: {draft_report} has
# its summary written (so it can be submitted), {approved_report} is not published and has no
# signed copy yet, {published_report} has one. The current month has no report.
REPORT_MONTHS = {"draft_report": 1, "submitted_report": 2, "approved_report": 3, "published_report": 4}


def _plan(the_council, meeting, user) -> dict[str, int]:
    """The council's plan: v1 approved at ``meeting``, v2 a draft revising it."""
    from plans import services as plan_services

    institution = the_council.seats.first().institution
    v1 = plan_services.plan_start(council=the_council, year=PLAN_YEAR)
    row = plan_services.problem_add(version=v1, number="1.4", title="Droga te të rinjtë", priority="high")
    activity = plan_services.activity_add(
        problem=row,
        text="Orë edukative ligjore",
        lead=institution,
        deadline_kind="period",
        deadline_period="h1",
    )
    plan_services.indicator_add(
        activity=activity, name="Orë të zhvilluara", unit="orë", target=10, frequency="quarterly"
    )
    plan_services.version_submit(version=v1, user=user)
    plan_services.version_approve(
        version=v1,
        user=user,
        meeting=meeting,
        decision_number="7",
        decision_date=timezone.localdate(),
        signed_scan=ContentFile(b"%PDF-1.4 vendimi", name="vendimi.pdf"),
    )
    v2 = plan_services.version_revise(version=v1)
    draft_row = v2.problems.get()
    draft_activity = draft_row.activities.get()
    return {
        "row": draft_row.pk,
        "activity": draft_activity.pk,
        "indicator": draft_activity.indicators.get().pk,
        "approved_row": row.pk,
        "approved_activity": activity.pk,
    }


def _monitoring(the_council, plan) -> dict:
    """The monitoring of the council's approved plan (v1): a status update of its activity, with
    evidence, and the monthly reports of REPORT_MONTHS in their states."""
    from datetime import date

    from councils import services as council_services
    from monitoring import services as monitoring_services
    from plans.models import Activity

    # The SKN seat is held by each test's own SKN principal, so the author held it until today.
    skn = UserFactory(full_name=f"SKN {the_council.municipality.slug}")
    council_services.membership_end(
        membership=give_role(the_council, Role.SKN_MUNICIPALITY, user=skn, start_date=date(PLAN_YEAR, 1, 1)),
        end_date=timezone.localdate(),
    )
    activity = Activity.objects.get(pk=plan["approved_activity"])
    update = monitoring_services.update_record(
        activity=activity,
        user=skn,
        status="in_progress",
        progress=40,
        date=date(PLAN_YEAR, 2, 10),
        note="Dy orë të zhvilluara në shkollën 9-vjeçare.",
        evidence=ContentFile(b"%PDF-1.4 procesverbal", name="prova.pdf"),
    )
    reports = {}
    for name, month in REPORT_MONTHS.items():
        report = monitoring_services.report_start(council=the_council, year=PLAN_YEAR, month=month)
        reports[name] = monitoring_services.report_update(
            report=report, summary="Përmbledhja e muajit.", difficulties="", proposals=""
        )
    for name in ("submitted_report", "approved_report", "published_report"):
        reports[name] = monitoring_services.report_submit(report=reports[name], user=skn)
    monitoring_services.report_approve(report=reports["approved_report"], user=skn)
    monitoring_services.report_publish(
        report=monitoring_services.report_approve(
            report=reports["published_report"],
            user=skn,
            signed_scan=ContentFile(b"%PDF-1.4 raporti i nenshkruar", name="raporti.pdf"),
        )
    )
    return {
        "lineage": str(activity.lineage),
        "indicator_lineage": str(activity.indicators.get().lineage),
        "update": update.pk,
    }


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, matrix_media):
    """The documents of ``ctx`` live for the whole module, so its tests share one media folder
    (this replaces the suite's per-test folder, tests/conftest.py)."""
    settings.MEDIA_ROOT = matrix_media


@pytest.fixture(scope="module")
def ctx(django_db_setup, django_db_blocker, matrix_media):
    """The objects, built once for the module inside a transaction that is rolled back at its
    end (as Django's TestCase.setUpTestData does); each test runs in a savepoint within it, so
    what a test changes is undone before the next one."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=matrix_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _reference_data()
            yield _build_ctx()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _reference_data():
    """The councils of the data migration, loaded again (idempotently) when a transactional test
    that ran before this module flushed them: pytest may place a module that uses ``ctx`` after
    the browser tests."""
    from importlib import import_module

    from django.apps import apps

    import_module("councils.migrations.0002_reference_data").load(apps, None)


def _build_ctx():
    """Objects the URLs point at: each exists, so a refusal is about permission, not absence."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.contenttypes.models import ContentType
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    target = UserFactory(full_name="Target Person")
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    attempt_fields = {
        "user_agent": "test",
        "ip_address": "10.9.9.9",
        "username": "x@example.al",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    pages = {}
    for key, slug in (("own", "elbasan"), ("other", "belsh")):
        the_council = council(slug)
        target_membership = give_role(
            the_council, Role.MEMBER, full_name=f"Anëtar {slug}", email=f"anetar@{slug}.example.al"
        )
        meeting = meeting_services.meeting_create(
            council=the_council,
            kind="council",
            starts_at=timezone.now() - timedelta(hours=1),  # held: the plan is approved at it
            place="Salla e Këshillit",
        )
        meeting_services.agenda_item_add(meeting=meeting, title="Plani i vitit")
        meeting = meeting_services.attendance_record(meeting=meeting, entries=[])
        meeting_services.minutes_save(meeting=meeting, body="Procesverbal.", author=target, version=None)
        document = meeting_services.document_add(
            council=the_council,
            title="Procesverbali i skanuar",
            file=ContentFile(b"%PDF-1.4 x", name="pv.pdf"),
            visibility="council",
            uploaded_by=target,
            meeting=meeting,
        )
        consultation = consultation_services.consultation_announce(
            consultation=consultation_services.consultation_create(
                council=the_council, starts_at=timezone.now() - timedelta(days=2), place="Shushicë"
            )
        )
        concern = consultation_services.concern_submit(
            council=the_council,
            consultation=consultation,
            text="Drogë te parku",
            category="hotspots",
            contact_email=f"qytetar@{slug}.example.al",
        )
        problem = consultation_services.problem_create(
            consultation=consultation, title="Droga", concerns=[concern]
        )
        plan = _plan(the_council, meeting, target)
        pages[key] = CouncilPages(
            slug,
            the_council.seats.first().pk,
            target_membership.pk,
            meeting.pk,
            document.pk,
            consultation.pk,
            problem.pk,
            concern.code,
            **plan,
            **_monitoring(the_council, plan),
        )
    own = council("elbasan")
    own.regulation_document.save("rregullorja.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    other_secretary = UserFactory(full_name="Sekretarja e Belshit")
    give_role(council("belsh"), Role.SECRETARY, user=other_secretary)
    from councils.models import AdministrativeUnit, County, Institution, Membership, Municipality, Person

    refs = {
        "county": County.objects.first(),
        "municipality": Municipality.objects.first(),
        "unit": AdministrativeUnit.objects.first(),
        "council": own,
        "institution": Institution.objects.first(),
        "seat": own.seats.first(),
        "person": Person.objects.first(),
        "membership": Membership.objects.first(),
        "target_user": target,
    }
    for record in refs.values():
        record.save()  # a history row to open, also for reference data loaded by a migration
    public_document = meeting_services.document_add(
        council=own,
        title="Rregullorja e KVSP",
        file=ContentFile(b"%PDF-1.4 y", name="r.pdf"),
        visibility="public",
        uploaded_by=target,
    )
    return {
        **pages,
        "public_document": public_document.pk,
        **{key: record.pk for key, record in refs.items()},
        **{f"{key}_history": record.history.latest().history_id for key, record in refs.items()},
        "other_secretary": other_secretary,
        "user_ct": ContentType.objects.get_for_model(target).pk,
        "group": Group.objects.create(name="Test group").pk,
        "access_attempt": AccessAttempt.objects.create(failures_since_start=1, **attempt_fields).pk,
        "access_log": AccessLog.objects.create(**attempt_fields).pk,
        "access_failure_log": AccessFailureLog.objects.create(**attempt_fields).pk,
        "interval": interval.pk,
        "periodic_task": PeriodicTask.objects.create(name="t", task="x", interval=interval).pk,
        "crontab": CrontabSchedule.objects.create(minute="0", hour="6").pk,
        "solar": SolarSchedule.objects.create(event="sunrise", latitude=41.1, longitude=20.1).pk,
        "clocked": ClockedSchedule.objects.create(clocked_time=timezone.now()).pk,
        **_notifications(target),
    }


def _notifications(target) -> dict:
    """A notification of ``target`` (nobody else may read or mark it), and its outbox message and
    sent-log entry, delivered."""
    from kvsp.notify import services as notify
    from kvsp.notify.models import Notification, OutboxMessage, SentLog
    from monitoring.reminder_kinds import Reminder

    notify.notify(
        [
            notify.Pending(
                user=target,
                kind=Reminder.PLAN_NOT_APPROVED,
                key="plan_not_approved:matrix",
                render=lambda: {"subject": "Plani", "lines": [], "url": "/app/"},
            )
        ]
    )
    notify.deliver_pending()
    return {
        "notification": Notification.objects.get(user=target).pk,
        "outbox_message": OutboxMessage.objects.get(user=target).pk,
        "sent_log": SentLog.objects.get().pk,
    }


def _client_for(principal, client):
    if principal == USER:
        client.force_login(UserFactory(full_name="Plain User"))
    elif principal == ADMIN:
        client.force_login(UserFactory(full_name="Platform Admin", is_staff=True, is_superuser=True))
    elif principal == OBSERVER:
        client.force_login(UserFactory(full_name="National Observer", is_national_observer=True))
    elif principal in COUNCIL_PRINCIPALS:
        person = UserFactory(full_name=f"Elbasan {principal}")
        give_role(council("elbasan"), principal, user=person)
        client.force_login(person)
    return client


# The admin's pages (Django's, celery-beat's, simple-history's, django-otp's) belong to no council:
# there a council role answers as a plain signed-in user does (by()), so two council principals,
# the secretary and the chair, stand for the seven; any council principal whose expected answer
# differs from the plain user's is still tried.
COUNCIL_STAND_INS = (SECRETARY, CHAIR)


def _principals(key: str) -> tuple[str, ...]:
    """Who a row is tried as: everyone, except on the admin's pages (COUNCIL_STAND_INS)."""
    if not key.startswith(("admin:", "route:admin")):
        return PRINCIPALS
    row = MATRIX[key]
    return tuple(
        principal
        for principal in PRINCIPALS
        if principal not in COUNCIL_PRINCIPALS
        or principal in COUNCIL_STAND_INS
        or row.get[principal] != row.get[USER]
        or row.post[principal] != row.post[USER]
    )


CASES = [
    pytest.param(key, principal, method, where, id=f"{key}|{principal}|{method}|{where}")
    for key in sorted(MATRIX)
    for principal in _principals(key)
    for method in ("GET", "POST")
    for where in (("own", "other") if MATRIX[key].other_path else ("own",))
]


def _request(client, method, path, row=None, pages=None):
    if method == "GET":
        return client.get(path)
    return client.post(path, row.data(pages) if row is not None and row.data else {})


@pytest.mark.parametrize(("key", "principal", "method", "where"), CASES)
def test_matrix(key, principal, method, where, db, client, ctx):
    row = MATRIX[key]
    expected = row.get if method == "GET" else row.post
    if where == "other":
        path = row.other_path(ctx)
        expected = elsewhere(expected)
    else:
        path = row.path(ctx) if callable(row.path) else row.path
    response = _request(_client_for(principal, client), method, path, row, ctx[where])
    assert response.status_code == expected[principal], f"{method} {path} as {principal}"
    if key == "admin:login" and expected[principal] == 302 and principal != ADMIN:
        # The admin's login hands over to the site's login, which asks for the second factor.
        assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
    elif expected[principal] == 302 and principal != ADMIN and key.startswith(("admin:", "route:admin")):
        # Refused admin pages send the visitor to the admin login, never into the admin.
        assert response["Location"].startswith("/admin/"), response["Location"]
        if key != "admin:logout":
            assert response["Location"].startswith("/admin/login/")
    if where == "other" and expected[principal] == 404:
        # The refused address exists: the other council's own secretary reaches it.
        client.logout()
        client.force_login(ctx["other_secretary"])
        reached = _request(client, method, path, row, ctx[where])
        assert reached.status_code == (row.get if method == "GET" else row.post)[SECRETARY]
