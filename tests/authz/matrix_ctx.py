"""The objects the authorization matrix's addresses point at (``ctx``: built once per module and
worker, rolled back at its end) and the matrix's principals signed in (``login_as``). Used by
tests/authz/test_matrix.py, the security tests and the browser audits of every page."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from consultations.models import Concern
from councils.meetings import services as meeting_services
from councils.models import Role
from tests.authz.annual_ctx import annual_reports
from tests.authz.matrix_lib import ADMIN, COUNCIL_PRINCIPALS, OBSERVER, USER
from tests.builders import announce_consultation
from tests.factories import UserFactory, council, give_role


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
    # v1 was open for public comment before its approval (plans/comments.py): {comment} is a
    # published comment on it, answered by the SKN, {comment_code} its reference code.
    comment: int
    comment_code: str
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
            comment=self.comment,
            comment_code=self.comment_code,
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


def _actors_and_task_force(the_council) -> None:
    """An actor on the council's list (not a member), and a task force ahead with an outside
    specialist (the one tests/authz/rows_task_forces.py's rows open)."""
    from councils.meetings import task_forces
    from plans.actors import actor_add
    from tests.authz.rows_task_forces import TITLE

    actor_add(council=the_council, name="Qendra Sociale Shpresa", kind="ngo")
    meeting = task_forces.task_force_call(
        council=the_council, title=TITLE, starts_at=timezone.now() + timedelta(days=5), place="Salla 2"
    )
    task_forces.specialist_invite(
        meeting=meeting,
        full_name="Mirela Hoxha",
        function="punonjëse sociale",
        institution="Qendra Sociale Shpresa",
        email="mirela.hoxha@example.al",
    )


def _registers(the_council) -> None:
    """A referral figure and a cooperation agreement with its signed PDF (the objects of
    tests/authz/rows_registers.py's rows)."""
    from datetime import date

    from councils.registers import services as registers

    registers.referral_add(
        council=the_council,
        year=2025,
        month=11,
        issue_type="domestic_violence",
        body="referral_mechanism",
        outcome="assisted",
        cases=3,
    )
    registers.agreement_add(
        council=the_council,
        title="Memorandum bashkëpunimi për sigurinë në shkolla",
        scope="Patrullime dhe orë edukative pranë shkollave.",
        institutions=[the_council.seats.first().institution],
        other_parties="Drejtoria Rajonale e Arsimit Parauniversitar",
        signed_on=date(2025, 3, 10),
        document=ContentFile(b"%PDF-1.4 memorandum", name="memorandum.pdf"),
    )


def _plan(the_council, meeting, user) -> dict[str, int]:
    """The council's plan: v1 approved at ``meeting``, v2 a draft revising it."""
    from plans import services as plan_services
    from tests.builders import approve_by_decision, comment_period_over

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
    comment = _public_comment(v1, user)
    comment_period_over(comment.period)  # approved after its public comment, as the service asks
    approve_by_decision(
        v1,
        chair=user,
        meeting=meeting,
        submitted_by=user,
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
        "comment": comment.pk,
        "comment_code": comment.code,
    }


def _public_comment(version, user):
    """``version`` submitted and opened for public comment, with one published, answered comment."""
    from plans import approval, comments

    approval.version_submit(version=version, user=user)
    period = comments.period_open(
        version=version, closes_on=timezone.localdate() + timedelta(days=14), user=user
    )
    comment = comments.comment_submit(
        period=period, text="Më shumë orë edukative.", row=period.snapshot[0]["lineage"]
    )
    comments.comment_publish(comment=comment, public_text=comment.text, user=user)
    return comments.comment_answer(comment=comment, answer="taken_up", reason="U shtuan.", user=user)


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
    # The council's annual reports, one in each state (tests/authz/annual_ctx.py).
    annual_reports(the_council, skn)
    # The council's report template: version 1 approved, version 2 in the making, returned by the
    # chair with a comment (the SKN may still edit and submit it; the chair may neither approve nor
    # return it again: the same answers as for a draft).
    from monitoring import template_services

    sections = [{"kind": "summary", "heading": "Përmbledhje"}, {"kind": "overdue", "heading": ""}]
    template_services.template_save(council=the_council, user=skn, sections=sections)
    template_services.template_submit(council=the_council, user=skn)
    template_services.template_approve(council=the_council, user=skn)
    template_services.template_save(council=the_council, user=skn, sections=sections[:1])
    template_services.template_submit(council=the_council, user=skn)
    template_services.template_return(council=the_council, user=skn, comment="Shtoni veprimtaritë e vonuara.")
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
            yield build_ctx()
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


def build_ctx():
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
        consultation = announce_consultation(
            consultation_lifecycle.consultation_create(
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
        # The plan is approved at a meeting of its own, whose minutes the approval needs approved:
        # ``meeting`` keeps its draft minutes, which the rows read as a draft.
        plan_meeting = meeting_services.meeting_create(
            council=the_council,
            kind="council",
            starts_at=timezone.now() - timedelta(hours=2),
            place="Salla e Këshillit",
        )
        plan = _plan(the_council, plan_meeting, target)
        _actors_and_task_force(the_council)
        _registers(the_council)
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
    from consultations.taxonomy import ProblemCategory
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
        "problem_category": ProblemCategory.objects.first(),
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
    # "This is my problem too" (rows_similar.py): a published concern in each council, and the
    # own council's concern above, still received (not published).
    similar = {"own_received_concern": Concern.objects.get(code=pages["own"].concern).pk}
    for key, slug in (("own", "elbasan"), ("other", "belsh")):
        raised = consultation_services.concern_submit(
            council=council(slug), text="Mungon ndriçimi te shkolla", category="school_safety"
        )
        similar[f"{key}_published_concern"] = consultation_services.concern_publish(
            concern=raised, public_text="Mungon ndriçimi te shkolla", user=target
        ).pk
    # A concern's photo (rows_photo.py): on the concerns above, published ones and received ones.
    from tests.consultations.photo_helpers import attach_photo

    for pk in (*similar.values(), Concern.objects.get(code=pages["other"].concern).pk):
        attach_photo(pk)
    return {
        **pages,
        **similar,
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
    notify.deliver_pending()  # with the other messages of the set-up (receipts, announcements)
    message = OutboxMessage.objects.get(user=target, key__startswith="plan_not_approved:matrix")
    return {
        "notification": Notification.objects.get(user=target).pk,
        "outbox_message": message.pk,
        "sent_log": SentLog.objects.get(key=message.key).pk,
    }


def login_as(principal, client):
    """``client`` signed in as a new person who is ``principal`` (as the matrix's principals are)."""
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


def send(client, method, path, row=None, pages=None):
    """A GET, or a POST with the data of ``row`` (built from the council ``pages`` it goes to)."""
    if method == "GET":
        return client.get(path)
    return client.post(path, row.data(pages) if row is not None and row.data else {})
