"""Who moderates, who prioritises: rules checked directly (the matrix checks the pages)."""

from datetime import timedelta

import pytest
import rules
from django.utils import timezone

from councils import services as council_services
from councils.models import Membership, Role
from councils.predicates import forget_council_roles
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


def test_moderators_are_the_secretary_and_the_skn_of_that_council_only(elbasan, officers):
    admin = UserFactory(is_superuser=True, is_staff=True)
    observer = UserFactory(is_national_observer=True)
    belsh_secretary = UserFactory()
    give_role(council("belsh"), Role.SECRETARY, user=belsh_secretary)

    def moderates(user, where=elbasan):
        return rules.test_rule("consultations.moderate", user, where)

    assert moderates(officers["secretary"]) and moderates(officers["skn"])
    assert not any(
        moderates(u) for u in (officers["chair"], officers["member"], observer, admin, belsh_secretary)
    )
    assert moderates(belsh_secretary, council("belsh"))
    # A superuser holds every Django permission, which is why moderation is a rule, not a permission.
    assert admin.has_perm("consultations.prioritise", elbasan)


def test_prioritising_is_the_skn_s(elbasan, officers):
    assert officers["skn"].has_perm("consultations.prioritise", elbasan)
    assert not officers["secretary"].has_perm("consultations.prioritise", elbasan)
    assert not officers["chair"].has_perm("consultations.prioritise", elbasan)


def test_a_moderator_whose_role_ended_no_longer_moderates(elbasan, officers):
    secretary = officers["secretary"]
    membership = Membership.objects.get(council=elbasan, role=Role.SECRETARY, person__user=secretary)
    council_services.membership_end(membership=membership, end_date=timezone.localdate() + timedelta(days=1))
    forget_council_roles(secretary)
    assert rules.test_rule("consultations.moderate", secretary, elbasan)  # until the end day
    Membership.objects.filter(pk=membership.pk).update(
        start_date=timezone.localdate() - timedelta(days=10), end_date=timezone.localdate()
    )
    forget_council_roles(secretary)
    assert not rules.test_rule("consultations.moderate", secretary, elbasan)
