"""Who may do what in monitoring: the four permissions and the chair's approval rule for every
principal (written out by hand from DESIGN.md "Roles" and "Visibility"), a member updating only
their own institution's activities and only where the council allows it, and an ended membership
leaving no rights."""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from councils import services as council_services
from councils.models import Council, Role
from plans.models import Activity, Indicator
from tests.factories import UserFactory, council, give_role

from .conftest import TODAY

PERMS = (
    "monitoring.view_monitoring",
    "monitoring.view_internal",
    "monitoring.update_activity",
    "monitoring.edit_report",
)
# principal -> (view_monitoring, view_internal, update_activity, edit_report, approve_report), on
# Elbasan's council, with members_update_own_activities off (the default).
EXPECTED = {
    "anonymous": (False, False, False, False, False),
    "plain_user": (False, False, False, False, False),
    "member": (True, True, False, False, False),
    "guest": (False, False, False, False, False),
    "skn_municipality": (True, True, True, True, False),
    "skn_police": (True, True, True, True, False),
    "skn_prosecution": (True, True, True, True, False),
    "secretary": (True, True, False, True, False),
    "chair": (True, True, False, False, True),
    "observer": (True, False, False, False, False),
    "platform_admin": (True, True, True, True, False),
    "other_council_chair": (False, False, False, False, False),
}


@pytest.fixture
def principals(people, platform_admin, user):
    chair_elsewhere = UserFactory(full_name="Kryetari i Belshit")
    give_role(council("belsh"), Role.CHAIR, user=chair_elsewhere)
    return {
        **{key: people[key] for key in EXPECTED if key in people},
        "anonymous": AnonymousUser(),
        "plain_user": user,
        "observer": UserFactory(is_national_observer=True),
        "platform_admin": platform_admin,
        "other_council_chair": chair_elsewhere,
    }


def answers(user, obj) -> tuple:
    return (
        *(user.has_perm(perm, obj) for perm in PERMS),
        rules.test_rule("monitoring.approve_report", user, obj),
    )


@pytest.mark.parametrize("principal", list(EXPECTED))
def test_permissions_on_the_council(principal, principals, elbasan):
    assert answers(principals[principal], elbasan) == EXPECTED[principal]


@pytest.mark.parametrize("principal", list(EXPECTED))
def test_the_same_answers_on_an_activity_of_the_plan(principal, principals, plan):
    """Checked against an activity (the object the update pages pass), the council is its plan's."""
    activity = Activity.objects.select_related("problem__version__plan__council").get(
        pk=plan.activities["h1"].pk
    )
    assert answers(principals[principal], activity) == EXPECTED[principal]


def test_the_rules_follow_the_object_s_council(principals):
    """Elbasan's SKN member has no rights on Belsh's council."""
    assert answers(principals["skn_police"], council("belsh")) == (False,) * 5


# --- members and their own institution's activities --------------------------------------------------


def _allow_members(elbasan, allowed: bool) -> None:
    Council.objects.filter(pk=elbasan.pk).update(members_update_own_activities=allowed)


def _can_update(user, plan, key: str) -> bool:
    """Read every object afresh, so the council's flag is read as it is now."""
    if key == "council":
        return user.has_perm(
            "monitoring.update_activity", Council.objects.get(pk=plan.version.plan.council_id)
        )
    if key.startswith("indicator:"):
        indicator = Indicator.objects.get(pk=plan.indicators[key.split(":")[1]].pk)
        return user.has_perm("monitoring.update_activity", indicator)
    return user.has_perm("monitoring.update_activity", Activity.objects.get(pk=plan.activities[key].pk))


# The school directorate's member: "h1" is led by the school, "date" has it as partner, "q3" neither.
MEMBER_CASES = {
    "h1": True,  # leads
    "date": True,  # partners
    "q3": False,  # neither
    "every2": False,
    "indicator:lessons": True,  # an indicator of an activity it leads
    "indicator:patrols": True,  # ... partners in
    "indicator:reach": False,
    "council": True,  # "some activity": the update pages may open
}


@pytest.mark.parametrize("key", list(MEMBER_CASES))
def test_a_member_updates_their_institution_s_activities_only_when_the_council_allows_it(
    key, plan, people, elbasan
):
    member = people["member"]
    _allow_members(elbasan, False)
    assert _can_update(member, plan, key) is False
    _allow_members(elbasan, True)
    assert _can_update(member, plan, key) is MEMBER_CASES[key]


@pytest.mark.parametrize("key", ["h1", "date", "q3", "council"])
def test_the_skn_updates_every_activity_whatever_the_council_allows(key, plan, people, elbasan):
    for allowed in (False, True):
        _allow_members(elbasan, allowed)
        assert _can_update(people["skn_prosecution"], plan, key) is True


@pytest.mark.parametrize("principal", ["guest", "observer", "plain_user", "other_council_chair"])
def test_others_never_update_even_when_members_may(principal, principals, plan, elbasan):
    _allow_members(elbasan, True)
    for key in ("h1", "date", "council"):
        assert _can_update(principals[principal], plan, key) is False


def test_the_council_s_officers_update_their_institution_s_activities_when_members_may(plan, people, elbasan):
    """The chair and the secretary sit for the municipality, which leads "q3" and partners in
    "every2": with the flag on they update those, as any member."""
    _allow_members(elbasan, True)
    for key in ("chair", "secretary"):
        assert [_can_update(people[key], plan, k) for k in ("q3", "every2", "h1", "date")] == [
            True,
            True,
            False,
            False,
        ]


def test_a_person_sitting_for_two_institutions_updates_the_activities_of_both(plan, people, elbasan):
    """The school's member is also a technical secretary, for the health centre."""
    member = people["member"]
    give_role(elbasan, Role.SECRETARY, user=member, institution=people["health"])
    _allow_members(elbasan, True)
    member = type(member).objects.get(pk=member.pk)  # roles and institutions are kept on the user
    assert [_can_update(member, plan, k) for k in ("h1", "date", "date_later", "q3")] == [
        True,
        True,
        True,
        False,
    ]


# --- an ended membership ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["member", "skn_municipality", "skn_police", "skn_prosecution", "secretary", "chair"]
)
def test_an_ended_membership_leaves_no_rights(key, plan, elbasan, people, monkeypatch):
    """The membership is ended from tomorrow; tomorrow the person has no right left."""
    _allow_members(elbasan, True)
    person = people[key]
    membership = elbasan.memberships.get(person__user=person)
    before = answers(type(person).objects.get(pk=person.pk), Council.objects.get(pk=elbasan.pk))
    assert before[:3] == (True, True, True)  # sees the pages; updates (SKN, or the flag is on)

    council_services.membership_end(membership=membership, end_date=TODAY + timedelta(days=1))
    # Still today: the role lasts until the end date.
    assert answers(type(person).objects.get(pk=person.pk), Council.objects.get(pk=elbasan.pk)) == before
    today_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: today_now() + timedelta(days=1))
    assert timezone.localdate() == TODAY + timedelta(days=1)

    fresh = type(person).objects.get(pk=person.pk)  # roles are kept on the user object for a request
    assert answers(fresh, Council.objects.get(pk=elbasan.pk)) == (False,) * 5
    for key in ("h1", "date", "q3", "every2"):
        assert answers(fresh, Activity.objects.get(pk=plan.activities[key].pk)) == (False,) * 5


# --- Table 1's shape: a row names its institutions once, its activities inherit them -----------------


def test_a_member_of_a_row_s_institution_updates_the_activities_that_name_no_one_themselves(
    plan, people, elbasan
):
    """A row naming the school directorate: its activity that names no one is the school's (its
    member updates it, with the council's flag), one that names an actor of its own is not, and
    the SKN updates both. The rule reads the same set as the reminders and the waiting list."""
    from plans import services as plan_services
    from plans.actors import actors_named

    draft = plan_services.version_revise(version=plan.version, note="Tabela 1")
    row = draft.problems.order_by("position").first()
    plan_services.problem_update(
        problem=row, institutions=[people["school"]], actors=[], new_actors="", deadline_kind="all_year"
    )
    inherits = plan_services.activity_add(problem=row, text="Leksione në shkolla për sigurinë")
    ngo = actors_named(council=elbasan, names=["OJF"])
    own = plan_services.activity_add(problem=row, text="Fushatë ndërgjegjësimi", actors=ngo)
    member, skn = people["member"], people["skn_police"]
    inherits, own = (Activity.objects.get(pk=a.pk) for a in (inherits, own))
    assert inherits.responsible_institution_ids == {people["school"].pk}
    assert own.responsible_institution_ids == set()  # an actor is not a member institution
    _allow_members(elbasan, False)
    assert member.has_perm("monitoring.update_activity", inherits) is False
    _allow_members(elbasan, True)
    member = type(member).objects.get(pk=member.pk)
    assert member.has_perm("monitoring.update_activity", Activity.objects.get(pk=inherits.pk)) is True
    assert member.has_perm("monitoring.update_activity", Activity.objects.get(pk=own.pk)) is False
    assert skn.has_perm("monitoring.update_activity", Activity.objects.get(pk=own.pk)) is True
