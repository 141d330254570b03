"""django-rules predicates about a user and a council. Each takes (user, obj), where obj is a
council or anything that belongs to one (a meeting, a plan version, an activity, an indicator...):
``council_of(obj)`` finds the council, so no app needs wrappers of its own.

A user's active roles are read once per request (one query) and kept on the user object: the same
memberships (``owned.held_roles``) that ``for_user`` reads in SQL (councils/owned.py).
"""

import functools

import rules

from .models import SKN_ROLES, Council, Role
from .owned import held_roles

_CACHE = "_kvsp_council_roles"


def council_roles(user) -> dict[int, frozenset[str]]:
    """{council id: the roles the user holds there today}."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        for council_id, role in held_roles(user).values_list("council_id", "role"):
            roles.setdefault(council_id, set()).add(role)
        cached = {council_id: frozenset(found) for council_id, found in roles.items()}
        setattr(user, _CACHE, cached)
    return cached


def loaded_roles_in(user, council) -> frozenset[str]:
    """The roles already read in this request (by a permission check), without a query: empty
    when none was read. For the navbar, which must not add a query to every page."""
    return (getattr(user, _CACHE, None) or {}).get(getattr(council, "pk", None), frozenset())


def forget_council_roles(user) -> None:
    """Drop the cached roles after a membership of this user changed."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


@functools.cache
def _council_path(model: type) -> tuple[str, ...] | None:
    """The attributes from a row of ``model`` to its council, read once per model."""
    manager = getattr(model, "_default_manager", None)
    path = getattr(manager.get_queryset(), "council_path", None) if manager is not None else None
    return tuple(path.split("__")) if path else None


def council_of(obj) -> Council | None:
    """The council an object belongs to: the object itself for a council, else along its model's
    ``council_path`` (councils/owned.py: e.g. an indicator's ``activity__problem__version__plan__
    council``), the same way ``for_user`` goes in SQL; None for anything else."""
    if obj is None or isinstance(obj, Council):
        return obj
    path = _council_path(type(obj))
    if path is None:
        return None
    for name in path:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def roles_in(user, obj) -> frozenset[str]:
    """The roles the user holds today in the council of ``obj``."""
    council = council_of(obj)
    if council is None or not getattr(user, "is_active", False):
        return frozenset()
    return council_roles(user).get(council.pk, frozenset())


@rules.predicate
def is_platform_admin(user):
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_national_observer(user):
    return bool(user.is_authenticated and user.is_active and user.is_national_observer)


@rules.predicate
def is_council_chair(user, council):
    return Role.CHAIR in roles_in(user, council)


@rules.predicate
def is_skn_member(user, council):
    return bool(roles_in(user, council) & set(SKN_ROLES))


@rules.predicate
def is_technical_secretary(user, council):
    return Role.SECRETARY in roles_in(user, council)


@rules.predicate
def is_council_member(user, council):
    """Any role but invited guest: members, SKN, secretary and chair read the working pages."""
    return bool(roles_in(user, council) - {Role.GUEST})


@rules.predicate
def is_invited_guest(user, council):
    return Role.GUEST in roles_in(user, council)


@rules.predicate
def is_council_editor(user, council):
    """The SKN and the technical secretary: they draft plans and reports."""
    return is_skn_member(user, council) or is_technical_secretary(user, council)
