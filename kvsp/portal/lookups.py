"""What the public pages find at an address, shared by the portal's views and its API (so that no
view imports another): a council that has public pages, one of its public consultations, the
files beside a published plan, and the permanent address of an approved version."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from consultations.models import Consultation
from councils.models import Council
from plans.models import PlanVersion

# The files beside each published plan page (plan.pdf, plan.csv...), in the order the API lists them.
PLAN_FILES = ("pdf", "csv", "json", "docx")


def public_council(slug: str) -> Council:
    """The council of a public address, else 404."""
    return get_object_or_404(Council.objects.public(), municipality__slug=slug)


def public_consultation(slug: str, pk: int) -> Consultation:
    """A public consultation of the council of a public address, else 404."""
    council = public_council(slug)
    return get_object_or_404(
        Consultation.objects.public().filter(council=council).select_related("council__municipality", "unit"),
        pk=pk,
    )


def plan_version_path(version: PlanVersion) -> str:
    """The permanent public address of an approved version (DESIGN.md "Public addresses")."""
    plan = version.plan
    return reverse("portal:plan-version", args=[plan.council.slug, plan.year, version.number])
