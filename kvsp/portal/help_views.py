"""The user guide: /help/ (choose your role) and /help/<role>/, public.

The guide is long prose, so each role's text is a template per language
(templates/help/<language>/<role>.html), chosen by the active language and falling back to
Albanian; only the page around it (titles, navigation) goes through gettext.
"""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import select_template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

# slug -> (title, one line for the index). The slugs are Albanian: they are public addresses.
ROLES = {
    "sekretari": (
        _("Technical secretary"),
        _("Plans the meetings and consultations, keeps the records and the archive."),
    ),
    "skn": (
        _("Member of the coordinating secretariat (SKN)"),
        _("Prioritises the risks, drafts the plan, records progress and writes the monthly reports."),
    ),
    "kryetari": (
        _("Chair of the council"),
        _("Approves the plan, the minutes and the monthly reports, and decides what is published."),
    ),
    "qytetari": (
        _("Citizen"),
        _("Raises a concern, follows it, and reads what the council heard, decided and did."),
    ),
    "vezhguesi": (
        _("National observer"),
        _("Reads every council's work and the national overview of compliance."),
    ),
}
FALLBACK_LANGUAGE = "sq"


def role_guide_template(slug: str) -> str:
    """The guide of a role in the active language, or in Albanian when there is none."""
    language = (get_language() or FALLBACK_LANGUAGE).split("-")[0]
    names = [f"help/{language}/{slug}.html", f"help/{FALLBACK_LANGUAGE}/{slug}.html"]
    return select_template(names).template.name


@require_safe
def index(request):
    """/help/: choose your role."""
    roles = [{"slug": slug, "title": title, "summary": summary} for slug, (title, summary) in ROLES.items()]
    return render(request, "help/index.html", {"roles": roles})


@require_safe
def role(request, role: str):
    """/help/<role>/: the steps of the yearly cycle for one role, where to click for each."""
    if role not in ROLES:
        raise Http404
    title, _summary = ROLES[role]
    others = [{"slug": slug, "title": other} for slug, (other, _s) in ROLES.items() if slug != role]
    return render(
        request,
        "help/role.html",
        {"role": role, "title": title, "guide": role_guide_template(role), "others": others},
    )
