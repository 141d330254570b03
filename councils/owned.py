"""Records that belong to a council, and the one way to read them as staff: ``for_user``.

Every council-owned model derives from ``CouncilOwned``; its default manager is a
``CouncilOwnedQuerySet`` (or a subclass) that names the way from a row to its council
(``council_path``, e.g. ``"problem__version__plan__council"`` for an activity). ``for_user(user)``
returns, in one query, exactly the rows the model's view rule lets that user read on the staff
pages: inside the councils the user reaches (``Council.objects.for_user``), and allowed by the
model's ``readable(user)``. The default reader is the rule of most working pages: the council's
people (any role but invited guest), the national observer and the platform admin; a model with a
narrower rule (SKN meetings, restricted documents, drafts...) overrides ``readable``.

The roles are the facts that councils/predicates.py reads (``held_roles``), so the rules and these
queries cannot drift; tests/authz/test_for_user.py checks, model by model and principal by
principal, that ``for_user`` returns what ``user.has_perm`` allows.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A condition every row meets: "everywhere" for the national observer or the platform admin. (An
# empty Q() would vanish from an OR instead of making it true.)
EVERYWHERE = Q(pk__isnull=False)


def held_roles(user):
    """The user's memberships that are current today: what every role check reads."""
    from .models import Membership

    return Membership.objects.active().filter(person__user=user)


def councils_where(user, roles=None, *, guests: bool = False):
    """A subquery of the ids of the councils where ``user`` holds today one of ``roles``; without
    ``roles``, any role but invited guest (any role at all with ``guests``)."""
    from .models import Role

    memberships = held_roles(user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    elif not guests:
        memberships = memberships.exclude(role=Role.GUEST)
    return memberships.values("council_id")


def at(path: str, lookup: str) -> str:
    """``lookup`` reached through ``path`` ("" for the row itself)."""
    return f"{path}__{lookup}" if path else lookup


class CouncilOwnedQuerySet(models.QuerySet):
    """Rows of a council-owned model. ``council_path`` leads from a row to its council."""

    council_path = "council"

    def for_user(self, user):
        """What ``user`` may read as staff (see the module's docstring)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(self.roles_q(user, guests=True, observer=True) & self.readable(user))

    def readable(self, user) -> Q:
        """The model's view rule, as a condition on rows: by default the council's people, the
        national observer and the platform admin (``is_council_member | is_national_observer |
        is_platform_admin``)."""
        return self.roles_q(user, observer=True)

    def roles_q(self, user, roles=None, *, guests=False, observer=False, admin=True) -> Q:
        """Rows whose council is one where ``user`` holds one of ``roles`` (as ``councils_where``);
        every row for the national observer when ``observer``, and for the platform admin unless
        ``admin`` is False (a rule, which Django does not grant a superuser as it grants every
        permission)."""
        if (admin and user.is_superuser) or (observer and user.is_national_observer):
            return EVERYWHERE
        return Q(**{at(self.council_path, "in"): councils_where(user, roles, guests=guests)})


class CouncilOwned(models.Model):
    """An abstract record of one council; its manager reads it through ``for_user``.

    A subclass declares its queryset (a ``CouncilOwnedQuerySet`` with its ``council_path``) as
    ``objects = ThatQuerySet.as_manager()``; this base only gives the default."""

    objects = CouncilOwnedQuerySet.as_manager()

    class Meta:
        abstract = True


def council_link(related_name: str) -> models.ForeignKey:
    """The council a record belongs to (``council_path = "council"``): protected, since a council's
    records are its history."""
    return models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, related_name=related_name, verbose_name=_("council")
    )
