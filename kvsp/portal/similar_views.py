"""The concern form's duplicate hints: similar published concerns of the council as the citizen
types (htmx), and "this is my problem too", which counts support without a second concern."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from consultations import selectors as consultation_selectors
from consultations import services as consultation_services
from consultations.models import CONCERN_MAX_CHARS, Concern
from kvsp.core.ratelimit import limit_posts

from .lookups import public_council

# The published concerns this browser session has supported (pks, newest last, bounded).
SUPPORTED = "kvsp-supported-concerns"
SUPPORTED_KEEP = 200


def _supported(request) -> list[int]:
    value = request.session.get(SUPPORTED, [])
    return [pk for pk in value if isinstance(pk, int)] if isinstance(value, list) else []


@require_safe
def concern_similar(request, slug):
    """/<municipality>/concerns/similar/?text=...&category=...: the published concerns that look
    like what the citizen is typing (their published, redacted text only)."""
    council = public_council(slug)
    text = request.GET.get("text", "")[:CONCERN_MAX_CHARS]
    category = request.GET.get("category", "")
    if category not in Concern.Category.values:
        category = ""
    context = {
        "council": council,
        "similar": consultation_selectors.similar_published(council, text, category),
        "supported": set(_supported(request)),
        "text": text,
    }
    if request.htmx:
        return render(request, "portal/partials/similar_concerns.html", context)
    return render(request, "portal/concern_similar.html", context)


@require_POST
@limit_posts("concern-support", "CONCERN_RATE_LIMIT", "CONCERN_RATE_WINDOW")
def concern_support(request, slug, pk):
    """/<municipality>/concerns/<id>/support/: "this is my problem too" on a published concern,
    counted once per browser session. Works with htmx (the item is replaced) and without."""
    council = public_council(slug)
    concern = get_object_or_404(
        Concern.objects.filter(council=council, status=Concern.Status.PUBLISHED).only(
            "pk", "code", "category", "public_text", "public_neighbourhood", "support_count", "status"
        ),
        pk=pk,
    )
    supported = _supported(request)
    if concern.pk in supported:
        message = _("You have already said this is your problem too. It is counted once.")
        level = messages.INFO
    else:
        try:
            concern.support_count = consultation_services.concern_support(concern=concern)
        except Concern.DoesNotExist:  # set aside between the page and the click
            raise Http404 from None
        request.session[SUPPORTED] = [*supported, concern.pk][-SUPPORTED_KEEP:]
        supported.append(concern.pk)
        message = _("Thank you. You were counted with this concern; the council sees how many share it.")
        level = messages.SUCCESS
    if request.htmx:
        return render(
            request,
            "portal/partials/similar_concern.html",
            {"council": council, "concern": concern, "supported": set(supported), "message": message},
        )
    messages.add_message(request, level, message)
    return HttpResponseRedirect(reverse("portal:concern-create", args=[council.slug]))
