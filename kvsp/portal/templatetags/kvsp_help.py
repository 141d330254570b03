"""{% help_url %}: the address of the user guide for the page being shown.

On a council's staff page it is the guide of the person's role there (chair, technical
secretary, SKN), and for a national observer the observer's guide; elsewhere the index. It reads
the roles the page's permission checks already loaded and never queries the database itself, so
the navbar adds no query to any page.
"""

from django import template
from django.urls import reverse

from councils.models import SKN_ROLES, Role
from councils.predicates import loaded_roles_in

register = template.Library()

# Whose guide a person with several roles in a council reads first.
ROLE_GUIDES = ((Role.CHAIR, "kryetari"), (Role.SECRETARY, "sekretari"), *((r, "skn") for r in SKN_ROLES))


def guide_for(user, council) -> str | None:
    """The guide slug for this user on this council's pages, or None for the index."""
    if not getattr(user, "is_authenticated", False):
        return None
    held = loaded_roles_in(user, council)
    for role, slug in ROLE_GUIDES:
        if role in held:
            return slug
    if getattr(user, "is_national_observer", False):
        return "vezhguesi"
    return None


@register.simple_tag(takes_context=True)
def help_url(context) -> str:
    request = context.get("request")
    on_staff_page = request is not None and request.path.startswith(reverse("councils:dashboard"))
    slug = guide_for(context.get("user"), context.get("council")) if on_staff_page else None
    return reverse("portal:help-role", args=[slug]) if slug else reverse("portal:help")
