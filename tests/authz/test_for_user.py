"""``Model.objects.for_user(user)`` returns exactly what the view rule lets that user read as staff.

For every council-owned model (councils/owned.py) and every principal of the authorization matrix,
the rows ``for_user`` returns are compared with the rows for which the user reaches the council
(``councils.list_council``, as the staff pages' 404) and the model's view rule, asked through
``user.has_perm`` / ``rules.test_rule`` as the views ask it. The rows cover both councils (the
principal's own, Elbasan, and Belsh) in their various states: council, restricted, SKN and
task-force meetings with draft and approved minutes; public, council and participants' documents,
also on closed meetings; received and published concerns; approved and draft plan versions;
monthly reports in every state. Council principals are also invited to a task force and a council
meeting of Elbasan and to a task force of Belsh; the plain user is invited to an Elbasan task force
without holding any role there.

A model with a way to a council that is not listed in VIEW_RULES fails
``test_every_council_owned_model_is_checked``.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consultations.models import Concern, ConcernContact, Consultation, Participation, Problem
from consultations.services import new_code
from councils.meetings.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Decision,
    Document,
    Invitation,
    Meeting,
    Minutes,
    Specialist,
)
from councils.models import Council, CouncilInstitution, Membership, Person, Role
from councils.owned import CouncilOwned, CouncilOwnedQuerySet
from councils.registers.models import CooperationAgreement, ReferralCount
from kvsp.portal.models import Subscription
from monitoring.models import (
    AnnualReport,
    ComplianceComment,
    IndicatorValue,
    MonthlyReport,
    ReminderSetting,
    ReportTemplate,
    StatusUpdate,
)
from plans.models import (
    Activity,
    Actor,
    CommentPeriod,
    Indicator,
    Plan,
    PlanComment,
    PlanCommentContact,
    PlanFile,
    PlanProblem,
    PlanVersion,
    Publication,
)
from tests.authz.matrix_lib import ADMIN, ANON, COUNCIL_PRINCIPALS, OBSERVER, PRINCIPALS, USER
from tests.factories import InstitutionFactory, UserFactory, council, give_role


def perm(name, user, obj) -> bool:
    return user.has_perm(name, obj)


def _meeting_settled(user, meeting, approved: bool) -> bool:
    """Rows that wait for the minutes: drafts for ``meetings.view_drafts``, approved for readers."""
    return perm("meetings.view_drafts", user, meeting) or (
        approved and perm("meetings.view_meeting", user, meeting)
    )


def _minutes_approved(meeting) -> bool:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return minutes is not None and minutes.is_approved


def _version(user, version) -> bool:
    council_ = version.plan.council
    return perm("plans.view_plans", user, council_) and (
        version.is_published or perm("plans.view_drafts", user, council_)
    )


# model: (the row's council, found by hand; the view rule, as the views ask it).
VIEW_RULES = {
    Council: (lambda o: o, lambda u, o: perm("councils.list_council", u, o)),
    CouncilInstitution: (lambda o: o.council, lambda u, o: perm("councils.view_council", u, o.council)),
    Membership: (lambda o: o.council, lambda u, o: perm("councils.view_council", u, o.council)),
    Meeting: (lambda o: o.council, lambda u, o: perm("meetings.view_meeting", u, o)),
    AgendaItem: (lambda o: o.meeting.council, lambda u, o: perm("meetings.view_meeting", u, o.meeting)),
    # Who was invited: the meeting's drafts; the invited person answers their own invitation.
    Invitation: (
        lambda o: o.meeting.council,
        lambda u, o: (
            perm("meetings.view_drafts", u, o.meeting)
            or (o.person.user_id == u.pk and perm("meetings.view_meeting", u, o.meeting))
        ),
    ),
    Attendance: (
        lambda o: o.meeting.council,
        lambda u, o: _meeting_settled(u, o.meeting, _minutes_approved(o.meeting)),
    ),
    Decision: (
        lambda o: o.meeting.council,
        lambda u, o: _meeting_settled(u, o.meeting, _minutes_approved(o.meeting)),
    ),
    Minutes: (lambda o: o.meeting.council, lambda u, o: _meeting_settled(u, o.meeting, o.is_approved)),
    Amendment: (
        lambda o: o.minutes.meeting.council,
        lambda u, o: _meeting_settled(u, o.minutes.meeting, o.minutes.is_approved),
    ),
    Document: (lambda o: o.council, lambda u, o: perm("meetings.view_document", u, o)),
    Consultation: (lambda o: o.council, lambda u, o: perm("consultations.view_consultation", u, o.council)),
    Participation: (
        lambda o: o.consultation.council,
        lambda u, o: perm("consultations.view_consultation", u, o.consultation.council),
    ),
    Problem: (lambda o: o.council, lambda u, o: perm("consultations.view_consultation", u, o.council)),
    # Published concerns with the consultation; every concern, and the contact, for the moderators.
    Concern: (
        lambda o: o.council,
        lambda u, o: (
            (o.status == Concern.Status.PUBLISHED and perm("consultations.view_consultation", u, o.council))
            or rules.test_rule("consultations.moderate", u, o.council)
        ),
    ),
    # A follower's address is shown on no staff page (kvsp/portal/models.py).
    Subscription: (lambda o: o.council, lambda u, o: False),
    ConcernContact: (
        lambda o: o.concern.council,
        lambda u, o: rules.test_rule("consultations.moderate", u, o.concern.council),
    ),
    Plan: (lambda o: o.council, lambda u, o: perm("plans.view_plans", u, o.council)),
    PlanVersion: (lambda o: o.plan.council, _version),
    PlanFile: (lambda o: o.version.plan.council, lambda u, o: _version(u, o.version)),
    PlanProblem: (lambda o: o.version.plan.council, lambda u, o: _version(u, o.version)),
    Activity: (lambda o: o.problem.version.plan.council, lambda u, o: _version(u, o.problem.version)),
    Indicator: (
        lambda o: o.activity.problem.version.plan.council,
        lambda u, o: _version(u, o.activity.problem.version),
    ),
    Publication: (lambda o: o.plan.council, lambda u, o: perm("plans.view_plans", u, o.plan.council)),
    # Public comment (plans/comment_models.py): a period is public (its draft is shown to all), read
    # as staff like the plans page; a comment when published like the plans page, else by the
    # moderators (SKN, technical secretary: a rule), who alone read the citizen's e-mail.
    CommentPeriod: (
        lambda o: o.version.plan.council,
        lambda u, o: perm("plans.view_plans", u, o.version.plan.council),
    ),
    PlanComment: (
        lambda o: o.council,
        lambda u, o: (
            (o.status == PlanComment.Status.PUBLISHED and perm("plans.view_plans", u, o.council))
            or rules.test_rule("plans.moderate_comments", u, o.council)
        ),
    ),
    PlanCommentContact: (
        lambda o: o.comment.council,
        lambda u, o: rules.test_rule("plans.moderate_comments", u, o.comment.council),
    ),
    StatusUpdate: (lambda o: o.council, lambda u, o: perm("monitoring.view_monitoring", u, o.council)),
    IndicatorValue: (lambda o: o.council, lambda u, o: perm("monitoring.view_monitoring", u, o.council)),
    MonthlyReport: (
        lambda o: o.council,
        lambda u, o: (
            perm("monitoring.view_monitoring", u, o.council)
            and (o.is_frozen or perm("monitoring.view_internal", u, o.council))
        ),
    ),
    # The annual report: as the monthly ones (approved: whoever reads monitoring; else the council's).
    AnnualReport: (
        lambda o: o.council,
        lambda u, o: (
            perm("monitoring.view_monitoring", u, o.council)
            and (o.is_approved or perm("monitoring.view_internal", u, o.council))
        ),
    ),
    ComplianceComment: (lambda o: o.council, lambda u, o: perm("monitoring.view_monitoring", u, o.council)),
    ReminderSetting: (lambda o: o.council, lambda u, o: perm("monitoring.manage_reminders", u, o.council)),
    # The council's report template: its people (a working document, not the observer's).
    ReportTemplate: (lambda o: o.council, lambda u, o: perm("monitoring.view_internal", u, o.council)),
    # The council's list of actors beside its members: whoever reads the plan's drafts.
    Actor: (lambda o: o.council, lambda u, o: perm("plans.view_drafts", u, o.council)),
    # A task force's outside specialists: whoever reads the meeting's drafts (its officers).
    Specialist: (lambda o: o.meeting.council, lambda u, o: perm("meetings.view_drafts", u, o.meeting)),
    # The registers: referral figures for the SKN and the chair, and the observer (for its totals);
    # agreements for the SKN, the chair and the technical secretary.
    ReferralCount: (lambda o: o.council, lambda u, o: perm("councils.view_referral_totals", u, o.council)),
    CooperationAgreement: (lambda o: o.council, lambda u, o: perm("councils.view_agreements", u, o.council)),
}


def _reaches_a_council(model, depth: int = 6) -> bool:
    """Whether a chain of foreign keys leads from ``model`` to a council."""
    seen, frontier = set(), [model]
    for _ in range(depth):
        found = []
        for current in frontier:
            for field in current._meta.get_fields():
                if (field.many_to_one or field.one_to_one) and field.concrete and field.related_model:
                    found.append(field.related_model)
        if Council in found:
            return True
        frontier = [m for m in found if m not in seen]
        seen.update(frontier)
    return False


def _is_history(model) -> bool:
    """The audit trail's tables (django-simple-history): read through kvsp/audit, not for_user."""
    return hasattr(model, "instance_type") or model.__name__.startswith("Historical")


def test_every_council_owned_model_is_checked():
    owned = {m for m in apps.get_models() if not _is_history(m) and _reaches_a_council(m)}
    missing = sorted(m._meta.label for m in owned - VIEW_RULES.keys())
    assert not missing, f"add these council-owned models to VIEW_RULES: {missing}"
    for model in owned:
        assert issubclass(model, CouncilOwned), f"{model._meta.label} does not derive from CouncilOwned"
        assert isinstance(model._default_manager.all(), CouncilOwnedQuerySet), model._meta.label


@pytest.mark.parametrize("model", [m for m in VIEW_RULES if m is not Council], ids=lambda m: m._meta.label)
def test_the_council_path_leads_to_the_council(model, db, ctx):
    path = model._default_manager.all().council_path
    rows = list(model._default_manager.all())
    assert rows, f"the context has no {model._meta.label}"
    council_of = VIEW_RULES[model][0]
    found = dict(model._default_manager.values_list("pk", path))
    assert found == {row.pk: council_of(row).pk for row in rows}


# --- the context ---------------------------------------------------------------------------------

PLAN_YEAR = 2026


def _meetings(the_council, person, institution, author) -> dict:
    """Meetings of every kind, held, each with its agenda, attendance and an invitation of
    ``person``; minutes (draft or approved), decisions and an amendment; documents of every
    visibility, alone and on meetings."""
    past = timezone.now() - timedelta(days=3)
    kinds = {
        "held": ("council", False, Minutes.Status.DRAFT),
        "approved": ("council", False, Minutes.Status.APPROVED),
        "restricted": ("council", True, Minutes.Status.DRAFT),
        "skn": ("skn", True, Minutes.Status.APPROVED),
        "task_force_invited": ("task_force", True, Minutes.Status.APPROVED),
        "task_force": ("task_force", True, Minutes.Status.DRAFT),
        "planned": ("council", False, None),
    }
    meetings = {}
    for name, (kind, restricted, minutes_status) in kinds.items():
        meeting = Meeting.objects.create(
            council=the_council,
            kind=kind,
            starts_at=past,
            place="Salla",
            restricted=restricted,
            status=Meeting.Status.PLANNED if minutes_status is None else Meeting.Status.HELD,
        )
        meetings[name] = meeting
        item = AgendaItem.objects.create(meeting=meeting, position=1, title="Pika e rendit")
        Invitation.objects.create(meeting=meeting, person=person)
        if minutes_status is None:
            continue
        Attendance.objects.create(meeting=meeting, person=person, institution=institution)
        Decision.objects.create(
            council=meeting.council,
            year=2026,
            meeting=meeting,
            agenda_item=item,
            number=meeting.pk,
            text="Vendim",
        )
        minutes = Minutes.objects.create(
            meeting=meeting, body="Procesverbal", status=minutes_status, author=author
        )
        if minutes.is_approved:
            Amendment.objects.create(minutes=minutes, text="Korrigjim", author=author)
    documents = [
        (None, "public"),
        (None, "council"),
        (None, "participants"),
        ("held", "public"),
        ("held", "council"),
        ("held", "participants"),
        ("restricted", "public"),
        ("restricted", "participants"),
        ("skn", "council"),
        ("skn", "public"),
        ("task_force_invited", "council"),
        ("task_force", "participants"),
    ]
    for meeting, visibility in documents:
        Document.objects.create(
            council=the_council,
            meeting=meetings[meeting] if meeting else None,
            title=f"Dokument {visibility}",
            file="documents/x.pdf",
            content_type="application/pdf",
            size=1,
            visibility=visibility,
            search_text="dokument",
            uploaded_by=author,
        )
    return meetings


def _consultations(the_council, slug: str) -> None:
    """A draft and a held consultation; received, published and rejected concerns with contacts."""
    draft = Consultation.objects.create(council=the_council, starts_at=timezone.now(), place="Salla")
    held = Consultation.objects.create(
        council=the_council,
        starts_at=timezone.now() - timedelta(days=2),
        place="Shushicë",
        status=Consultation.Status.HELD,
        agenda_status=Consultation.AgendaStatus.AGREED,
        agenda_agreed_at=timezone.now() - timedelta(days=21),
        announced_at=timezone.now() - timedelta(days=20),
    )
    Participation.objects.create(consultation=held, group="youth", women=3, men=2)
    problem = Problem.objects.create(council=the_council, consultation=held, title="Droga")
    Problem.objects.create(council=the_council, consultation=draft, title="Trafiku")
    for n, status in enumerate((Concern.Status.RECEIVED, Concern.Status.PUBLISHED, Concern.Status.REJECTED)):
        concern = Concern.objects.create(
            council=the_council,
            consultation=held,
            code=f"{slug[:3].upper()}-{n:05d}",
            source=Concern.Source.ONLINE,
            category=Concern.Category.HOTSPOTS,
            text="Drogë te parku",
            public_text="Drogë te parku" if status == Concern.Status.PUBLISHED else "",
            status=status,
            status_reason="Rast individual" if status == Concern.Status.REJECTED else "",
            problem=problem,
        )
        ConcernContact.objects.create(concern=concern, email=f"qytetar{n}@{slug}.example.al")
    # A follower's address (kvsp/portal/models.py): read by nobody as staff.
    Subscription.objects.create(council=the_council, email=f"ndjekes@{slug}.example.al", topics=["plans"])


def _comments(the_council, version) -> None:
    """Public comment on ``version``: a period, a published comment and one waiting, with an e-mail."""
    period = CommentPeriod.objects.create(
        version=version, opens_at=timezone.now(), closes_on=timezone.localdate(), snapshot=[]
    )
    for n, status in enumerate(PlanComment.Status.values):
        comment = PlanComment.objects.create(
            council=the_council,
            period=period,
            code=new_code(),
            text="Koment",
            status=status,
        )
        PlanCommentContact.objects.create(comment=comment, email=f"komentues{n}@example.al")


def _plans(the_council, institution, meeting, author) -> None:
    """The plan of PLAN_YEAR: v1 approved (with its PDF and a publication), v2 a draft; each with a
    problem, an activity and an indicator; monitoring of v1 and reports in every state."""
    plan = Plan.objects.create(council=the_council, year=PLAN_YEAR)
    versions = []
    for number in (1, 2):
        version = PlanVersion.objects.create(
            plan=plan, number=number, based_on=versions[-1] if versions else None
        )
        row = PlanProblem.objects.create(
            version=version, position=1, number="1.1", title="Droga", priority="high"
        )
        activity = Activity.objects.create(
            problem=row, position=1, text="Orë edukative", lead=institution, deadline_kind="all_year"
        )
        Indicator.objects.create(activity=activity, position=1, name="Orë")
        versions.append(version)
        if number == 1:
            _comments(the_council, version)
            PlanVersion.objects.filter(pk=version.pk).update(
                status=PlanVersion.Status.APPROVED,
                approved_at=timezone.now(),
                approved_by=author,
                meeting=meeting,
                decision_number="7",
                decision_date=timezone.localdate(),
            )
            PlanFile.objects.create(
                version=version, kind="pdf", language="sq", file="plans/files/x.pdf", sha256="0" * 64
            )
            Publication.objects.create(
                plan=plan,
                institution=institution,
                url="https://example.al/plani",
                published_on=date(PLAN_YEAR, 2, 1),
            )
            StatusUpdate.objects.create(
                council=the_council,
                activity_lineage=activity.lineage,
                activity=activity,
                status="in_progress",
                progress=40,
                date=date(PLAN_YEAR, 2, 10),
                author=author,
            )
            indicator = activity.indicators.get()
            IndicatorValue.objects.create(
                council=the_council,
                indicator_lineage=indicator.lineage,
                indicator=indicator,
                period=f"{PLAN_YEAR}-Q1",
                period_end=date(PLAN_YEAR, 3, 31),
                value=Decimal(3),
                author=author,
            )
    for month, status in enumerate(MonthlyReport.Status.values, start=1):
        frozen = status in MonthlyReport.FROZEN_STATUSES
        MonthlyReport.objects.create(
            council=the_council,
            year=PLAN_YEAR,
            month=month,
            status=status,
            content={} if frozen else None,
            sha256="0" * 64 if frozen else "",
            approved_at=timezone.now() if frozen else None,
        )
    for offset, status in enumerate(AnnualReport.Status.values):
        approved = status == AnnualReport.Status.APPROVED
        AnnualReport.objects.create(
            council=the_council,
            year=PLAN_YEAR - offset,
            status=status,
            content={} if approved else None,
            sha256="0" * 64 if approved else "",
            approved_at=timezone.now() if approved else None,
        )
    ComplianceComment.objects.create(council=the_council, year=PLAN_YEAR, text="Koment", author=author)
    kind = ReminderSetting._meta.get_field("kind")
    ReminderSetting.objects.create(
        council=the_council, kind=kind.choices[0][0] if kind.choices else "reminder", enabled=False
    )


@pytest.fixture(scope="module")
def ctx(django_db_setup, django_db_blocker):
    """The rows, built once for the module inside a transaction rolled back at its end; each test
    runs in a savepoint within it."""
    from importlib import import_module

    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # The councils again (idempotently), should a transactional test have flushed them.
            import_module("councils.migrations.0002_reference_data").load(apps, None)
            author = UserFactory(full_name="Sekretari")
            meetings = {}
            for slug in ("elbasan", "belsh"):
                the_council = council(slug)
                institution = InstitutionFactory()
                membership = give_role(
                    the_council, Role.MEMBER, institution=institution, full_name=f"Anëtar {slug}"
                )
                meetings[slug] = _meetings(the_council, membership.person, institution, author)
                _consultations(the_council, slug)
                _plans(the_council, institution, meetings[slug]["approved"], author)
                _newer_parts(the_council, author)
            yield {"meetings": meetings}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _newer_parts(the_council, author) -> None:
    """An actor, an approved report template and a task force with an outside specialist."""
    from councils.meetings import task_forces
    from monitoring import template_services
    from plans.actors import actor_add

    actor_add(council=the_council, name="Përfaqësues të komunitetit", kind="community")
    sections = [{"kind": "summary", "heading": "Përmbledhje"}]
    template_services.template_save(council=the_council, user=author, sections=sections)
    template_services.template_submit(council=the_council, user=author)
    template_services.template_approve(council=the_council, user=author)
    task_force = task_forces.task_force_call(
        council=the_council, title="Lypja", starts_at=timezone.now() + timedelta(days=3), place="S1"
    )
    task_forces.specialist_invite(
        meeting=task_force, full_name="Besnik Gjoka", function="psikolog", institution="DRAP"
    )
    ReferralCount.objects.create(
        council=the_council,
        year=2025,
        month=5,
        issue_type="drugs",
        body="health_centre",
        outcome="assisted",
        cases=2,
    )
    CooperationAgreement.objects.create(
        council=the_council,
        title="Memorandum",
        scope="Siguria",
        other_parties="OJF",
        signed_on=date(2025, 2, 1),
    )


def _principal(name: str, ctx):
    """The matrix's principal; council principals hold their role in Elbasan and are invited to
    an Elbasan task force and council meeting and to a Belsh task force."""
    own, other = ctx["meetings"]["elbasan"], ctx["meetings"]["belsh"]
    if name == ANON:
        return AnonymousUser()
    if name == ADMIN:
        return UserFactory(full_name="Platform Admin", is_staff=True, is_superuser=True)
    if name == OBSERVER:
        return UserFactory(full_name="National Observer", is_national_observer=True)
    user = UserFactory(full_name=f"Elbasan {name}")
    if name == USER:
        person = Person.objects.create(full_name=user.full_name, institution=InstitutionFactory(), user=user)
        Invitation.objects.create(meeting=own["task_force_invited"], person=person)
        return user
    assert name in COUNCIL_PRINCIPALS
    person = give_role(council("elbasan"), name, user=user).person
    for meeting in (own["task_force_invited"], own["held"], other["task_force_invited"]):
        Invitation.objects.create(meeting=meeting, person=person)
    return user


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("model", list(VIEW_RULES), ids=lambda m: m._meta.label)
def test_for_user_returns_what_the_view_rule_allows(model, principal, db, ctx):
    user = _principal(principal, ctx)
    council_of, rule = VIEW_RULES[model]
    expected = {
        row.pk
        for row in model._default_manager.all()
        if perm("councils.list_council", user, council_of(row)) and rule(user, row)
    }
    found = set(model._default_manager.for_user(user).values_list("pk", flat=True))
    assert found == expected, (
        f"{model._meta.label} for {principal}: for_user also returns {sorted(found - expected)}, "
        f"misses {sorted(expected - found)}"
    )
