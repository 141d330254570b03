"""Each role's named permissions in its own council, written out by hand, and for_user agreeing
with the rule that opens the working page."""

import pytest

from councils.models import Council, Role
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db

PERMS = (
    "councils.list_council",
    "councils.view_council",
    "councils.change_council",
    "councils.manage_composition",
)
# role -> (list, view, change, manage), in the role's own council
EXPECTED = {
    Role.MEMBER: (True, True, False, False),
    Role.GUEST: (True, False, False, False),
    Role.SKN_MUNICIPALITY: (True, True, False, False),
    Role.SKN_POLICE: (True, True, False, False),
    Role.SKN_PROSECUTION: (True, True, False, False),
    Role.SECRETARY: (True, True, True, True),
    Role.CHAIR: (True, True, True, False),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_permissions_in_own_and_other_council(role):
    user = UserFactory()
    elbasan, belsh = council("elbasan"), council("belsh")
    give_role(elbasan, role, user=user)
    assert tuple(user.has_perm(p, elbasan) for p in PERMS) == EXPECTED[role]
    assert not any(user.has_perm(p, belsh) for p in PERMS)
    # for_user lists the councils one belongs to; the view rule decides what opens.
    assert list(Council.objects.for_user(user)) == [elbasan]


def test_national_roles():
    observer = UserFactory(is_national_observer=True)
    admin = UserFactory(is_superuser=True, is_staff=True)
    elbasan = council("elbasan")
    assert [observer.has_perm(p, elbasan) for p in PERMS] == [True, True, False, False]
    assert [admin.has_perm(p, elbasan) for p in PERMS] == [True, True, True, True]
    assert Council.objects.for_user(observer).count() == Council.objects.for_user(admin).count() == 61


def test_a_deactivated_user_loses_every_permission():
    user = UserFactory()
    elbasan = council("elbasan")
    give_role(elbasan, Role.SECRETARY, user=user)
    user.is_active = False
    assert not any(user.has_perm(p, elbasan) for p in PERMS)
    assert not Council.objects.for_user(user).exists()


def test_no_permission_without_a_council():
    user = UserFactory()
    assert not any(user.has_perm(p) for p in PERMS)
    assert not any(user.has_perm(p, None) for p in PERMS)


def test_council_of_follows_the_models_council_path():
    from councils.predicates import council_of

    elbasan = council("elbasan")
    membership = give_role(elbasan, Role.MEMBER)
    assert council_of(elbasan) == elbasan
    assert council_of(membership) == elbasan
    assert council_of(membership.institution) is None  # an institution may serve several councils
    assert council_of(None) is None and council_of(object()) is None
