"""Fixtures of the "waiting for you" tests (councils/waiting.py and each app's waiting.py).

``seat(slug)`` gives a council a person in every role: ``chair``, ``secretary``, ``skn`` (police
seat), ``skn2`` (municipality seat), ``member`` (the school directorate), ``guest``, and the
institutions ``municipality``, ``police``, ``prosecution``, ``school``, ``guest_institution``.
``make`` builds the records in the states that wait for someone. The list is computed from the
records' state, so the states are written directly where a step's service is another helper's;
the tests that a handled item disappears go through the services.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from consultations.models import Consultation
from councils.meetings.models import AgendaItem, Invitation, Meeting, Minutes
from councils.models import Institution, Person, Role
from monitoring.models import MonthlyReport, StatusUpdate
from plans.models import Activity, Plan, PlanProblem, PlanVersion
from tests.factories import UserFactory, council, give_role

ROLES = [
    ("chair", Role.CHAIR, "municipality"),
    ("secretary", Role.SECRETARY, "municipality"),
    ("skn", Role.SKN_POLICE, "police"),
    ("skn2", Role.SKN_MUNICIPALITY, "municipality"),
    ("member", Role.MEMBER, "school"),
    ("guest", Role.GUEST, "guest_institution"),
]


@pytest.fixture(autouse=True)
def _english():
    """The items' sentences are asserted in English (the lead translates them)."""
    with translation.override("en"):
        yield


@pytest.fixture
def seat(db):
    """``seat(slug, **users)``: the council of ``slug`` with a person in every role (``users``
    gives some roles to people already made, e.g. ``chair=prosecutor``)."""

    def make(slug: str, **given) -> dict:
        target = council(slug)
        institutions = {
            "municipality": Institution.objects.create(name=f"Bashkia {slug}", category="a"),
            "police": Institution.objects.create(name=f"Policia {slug}", category="c"),
            "prosecution": Institution.objects.create(name=f"Prokuroria {slug}", category="d"),
            "school": Institution.objects.create(name=f"Drejtoria Arsimore {slug}", category="f"),
            "guest_institution": Institution.objects.create(name=f"Prefektura {slug}", category="prefect"),
        }
        people = {"council": target, **institutions}
        for key, role, institution in ROLES:
            user = given.get(key) or UserFactory(language="en")
            give_role(target, role, user=user, institution=institutions[institution])
            people[key] = user
        return people

    return make


def person_of(user) -> Person:
    return Person.objects.filter(user=user).first()


@dataclass
class Make:
    """Records in the states that wait for someone, written directly."""

    def meeting(self, people, *, days=3, kind="council", **fields) -> Meeting:
        return Meeting.objects.create(
            council=people["council"],
            kind=kind,
            starts_at=timezone.now() + timedelta(days=days),
            place="Salla e Këshillit",
            **fields,
        )

    def agenda_sent(self, people, **fields) -> Meeting:
        """A planned meeting ahead whose agenda waits for the SKN."""
        meeting = self.meeting(people, **fields)
        AgendaItem.objects.create(meeting=meeting, position=1, title="Plani i sigurisë")
        # Sent to the SKN for agreement.
        Meeting.objects.filter(pk=meeting.pk).update(
            agenda_submitted_at=timezone.now(), agenda_submitted_by=people["secretary"]
        )
        meeting.refresh_from_db()
        return meeting

    def consultation_sent(self, people) -> Consultation:
        """An open consultation in preparation whose agenda was sent to the SKN for agreement."""
        return Consultation.objects.create(
            council=people["council"],
            starts_at=timezone.now() + timedelta(days=20),
            place="Papër",
            agenda="Siguria në shkolla",
            agenda_submitted_at=timezone.now(),
            agenda_submitted_by=people["secretary"],
        )

    def minutes(self, people, *, status, kind="council", author=None) -> Minutes:
        meeting = self.meeting(people, days=-2, kind=kind, status=Meeting.Status.HELD)
        now = timezone.now()
        fields = {"submitted_at": now - timedelta(hours=5), "submitted_by": author or people["secretary"]}
        if status == Minutes.Status.RETURNED:
            fields |= {
                "return_comment": "Shtoni vendimet.",
                "returned_at": now,
                "returned_by": people["chair"],
            }
        return Minutes.objects.create(
            meeting=meeting,
            source="Procesverbali.",
            body="<p>Procesverbali.</p>",
            status=status,
            author=author or people["secretary"],
            **fields,
        )

    def invitation(self, people, user, meeting=None, **fields) -> Invitation:
        meeting = meeting or self.meeting(people)
        return Invitation.objects.create(
            meeting=meeting, person=person_of(user), sent_at=timezone.now() - timedelta(days=1), **fields
        )

    def version(self, people, year, *, status="draft", returned="", rows=True) -> PlanVersion:
        plan, _created = Plan.objects.get_or_create(council=people["council"], year=year)
        version = PlanVersion.objects.create(plan=plan, number=plan.versions.count() + 1)
        if rows:
            problem = PlanProblem.objects.create(
                version=version, position=1, number="1.1", title="Droga pranë shkollave", priority="high"
            )
            Activity.objects.create(
                problem=problem,
                position=1,
                text="Orë edukative",
                lead=people["police"],
                deadline_kind="all_year",
            )
            partnered = Activity.objects.create(
                problem=problem,
                position=2,
                text="Takime me prindërit",
                lead=people["municipality"],
                deadline_kind="all_year",
            )
            partnered.partners.add(people["school"])
        fields = {"status": status, "returned_comment": returned}
        if status in ("submitted", "approved"):
            fields["submitted_at"] = timezone.now() - timedelta(days=2)
            fields["submitted_by"] = people["skn"]
        if status == "approved":
            fields |= {
                "approved_at": timezone.now(),
                "approved_by": people["chair"],
                "decision_number": "12",
                "decision_date": timezone.localdate() - timedelta(days=1),
            }
        PlanVersion.objects.filter(pk=version.pk).update(**fields)
        return PlanVersion.objects.get(pk=version.pk)

    def report(self, people, month, *, status, year=None) -> MonthlyReport:
        now = timezone.now()
        fields = {"submitted_at": now - timedelta(days=1), "submitted_by": people["skn"]}
        if status == MonthlyReport.Status.RETURNED:
            fields |= {
                "returned_comment": "Shtoni treguesit.",
                "returned_at": now,
                "returned_by": people["chair"],
            }
        return MonthlyReport.objects.create(
            council=people["council"],
            year=year or timezone.localdate().year,
            month=month,
            status=status,
            summary="Përmbledhja e muajit.",
            **fields,
        )

    def update(self, people, activity, *, status="in_progress", day=None) -> StatusUpdate:
        return StatusUpdate.objects.create(
            council=people["council"],
            activity=activity,
            activity_lineage=activity.lineage,
            status=status,
            progress=100 if status == "done" else 40,
            date=day or timezone.localdate(),
            author=people["skn"],
        )


@pytest.fixture
def make():
    return Make()
