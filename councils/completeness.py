"""Completeness of a council's composition (model regulation, art. 4): what the council lacks to
work as the regulation sets it up. A council is complete when it has a chair, a technical
secretary, the three SKN seats (municipality, police, prosecution) held today, and at least one
member institution in each of the categories (a) to (o) of art. 4. The invited categories (the
prefecture, the court, other institutions) are never missing.

``evaluate`` is pure (what the council holds today -> what it lacks); ``of_composition`` reads the
composition the working page has already loaded (no query); ``for_councils`` reads each
council's in two queries, whatever their number (the national overview).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .models import SKN_ROLES, CouncilInstitution, Institution, Membership, Role

# The roles a working council needs someone in, in the order the warnings name them.
REQUIRED_ROLES: tuple[str, ...] = (Role.CHAIR, Role.SECRETARY, *SKN_ROLES)
# Art. 4's member categories (a) to (o); the invited ones are not required.
INVITED_CATEGORIES = (
    Institution.Category.PREFECT,
    Institution.Category.COURT,
    Institution.Category.OTHER,
)
ART4_CATEGORIES: tuple[str, ...] = tuple(
    category for category in Institution.Category if category not in INVITED_CATEGORIES
)


@dataclass(frozen=True)
class Completeness:
    """What a council lacks today: roles nobody holds, art. 4 categories with no institution."""

    missing_roles: tuple[str, ...] = ()
    missing_categories: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing_roles and not self.missing_categories

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.missing_roles]

    @property
    def category_labels(self) -> list[str]:
        return [str(Institution.Category(category).label) for category in self.missing_categories]

    @property
    def warnings(self) -> list[str]:
        """One sentence per gap, in the reader's language."""
        sentences = [_("Nobody holds the role: %(role)s.") % {"role": label} for label in self.role_labels]
        sentences += [
            _("No member institution in category %(category)s.") % {"category": label}
            for label in self.category_labels
        ]
        return sentences

    @property
    def count(self) -> int:
        return len(self.missing_roles) + len(self.missing_categories)


def evaluate(roles, categories) -> Completeness:
    """What is missing, given the roles held today and the categories of the institutions seated
    today (any iterables of their values)."""
    roles, categories = set(roles), set(categories)
    return Completeness(
        missing_roles=tuple(role for role in REQUIRED_ROLES if role not in roles),
        missing_categories=tuple(category for category in ART4_CATEGORIES if category not in categories),
    )


def of_composition(seats: list[CouncilInstitution], memberships: list[Membership]) -> Completeness:
    """From what councils.selectors.composition returned (seats with their institution, active
    memberships): no query."""
    return evaluate(
        (membership.role for membership in memberships),
        (seat.institution.category for seat in seats),
    )


def for_councils(council_ids, on: date | None = None) -> dict[int, Completeness]:
    """The completeness of each council of ``council_ids`` on ``on`` (default today): two queries,
    whatever the number of councils. A council with nothing recorded lacks everything."""
    council_ids = list(council_ids)
    roles: dict[int, set] = defaultdict(set)
    for council_id, role in (
        Membership.objects.active(on)
        .filter(council_id__in=council_ids, role__in=REQUIRED_ROLES)
        .values_list("council_id", "role")
    ):
        roles[council_id].add(role)
    categories: dict[int, set] = defaultdict(set)
    for council_id, category in (
        CouncilInstitution.objects.active(on)
        .filter(council_id__in=council_ids, institution__category__in=ART4_CATEGORIES)
        .values_list("council_id", "institution__category")
    ):
        categories[council_id].add(category)
    return {pk: evaluate(roles[pk], categories[pk]) for pk in council_ids}
