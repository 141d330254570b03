"""Public comment on a plan (plans/comments.py), at its public addresses (DESIGN.md "Public
addresses", a contract):

- ``/<municipality>/plan/<year>/v<n>/comment/``: a version opened for public comment. While the
  period is open: the draft as it was opened (the period's snapshot), marked as a draft under
  public comment, with the form to comment on the whole plan or on a row. After: the published
  comments and the SKN's answers; once the version is approved, also "what changed after public
  comment" (the rows added, removed or changed since). A version never opened for comment: 404.
- ``/<municipality>/plan/comments/?code=...``: follow a comment by its reference code.
- ``/<municipality>/plan/comments/<code>/``: what became of one comment, and nothing private.

The comment form has the concern form's protections: the trap field for robots, the per-address
limit on posts, moderation before anything is public, the reference code. A comment sent after
the period closed comes back with the reason and everything typed kept.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from consultations.forms import LookupForm
from consultations.services import normalise_code
from kvsp.core.forms import apply_errors
from kvsp.core.ratelimit import client_address, limit_posts, refused_for
from plans import comments as comment_services
from plans.comment_forms import CommentForm
from plans.comment_models import CommentPeriod, PlanComment
from plans.models import PlanVersion

from .lookups import plan_version_path, public_council


def _period(council, year: int, number: int) -> CommentPeriod:
    period = (
        CommentPeriod.objects.filter(
            version__plan__council=council, version__plan__year=year, version__number=number
        )
        .select_related("version__plan")
        .first()
    )
    if period is None:
        raise Http404
    period.version.plan.council = council
    return period


def _by_row(comments: list[PlanComment]) -> dict[str, list[PlanComment]]:
    found: dict[str, list[PlanComment]] = {}
    for comment in comments:
        found.setdefault(str(comment.row_lineage or ""), []).append(comment)
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("plan-comment", "CONCERN_RATE_LIMIT", "CONCERN_RATE_WINDOW")
def plan_comment_page(request, slug, year, number):
    """/<municipality>/plan/<year>/v<n>/comment/: the draft under public comment, and its comments."""
    council = public_council(slug)
    period = _period(council, year, number)
    version = period.version
    now = timezone.now()
    closed = comment_services.closed_message(period, now)
    form = None
    if request.method == "POST":
        form = CommentForm(request.POST, period=period)
        if form.is_valid():
            if closed:
                form.add_error(None, closed)
            else:
                try:
                    comment = comment_services.comment_submit(period=period, now=now, **form.service_data())
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("Thank you. Your comment was received."))
                    return HttpResponseRedirect(
                        reverse("portal:plan-comment", args=[council.slug, comment.code])
                    )
    elif not closed:
        wanted = request.GET.get("row", "")
        form = CommentForm(
            period=period, initial={"row": wanted if period.row(wanted) else ""} if wanted else None
        )
    comments = comment_services.published_comments(period)
    approved = version.status == PlanVersion.Status.APPROVED
    return render(
        request,
        "portal/plan_comment.html",
        {
            "council": council,
            "period": period,
            "version": version,
            "rows": period.snapshot,
            "is_open": closed is None,
            "closed": closed,
            "form": form,
            "general": _by_row(comments).get("", []),
            "by_row": _by_row(comments),
            "comments": comments,
            "approved": approved,
            "changes": comment_services.what_changed(period) if approved else None,
            "approved_url": plan_version_path(version) if approved else "",
        },
    )


def _too_many(request, council, form, window: int):
    minutes = max(1, window // 60)
    message = ngettext(
        "Too many look-ups from your connection or for this code. Please wait %(minutes)d minute "
        "and try again.",
        "Too many look-ups from your connection or for this code. Please wait %(minutes)d minutes "
        "and try again.",
        minutes,
    )
    form.add_error("code", message % {"minutes": minutes})
    response = render(
        request, "portal/plan_comment_lookup.html", {"council": council, "form": form}, status=429
    )
    response["Retry-After"] = str(window)
    return response


@require_safe
def plan_comment_lookup(request, slug):
    """/<municipality>/plan/comments/?code=...: follow a comment on the plan by its code, slowed per
    address and per code as the concerns' look-up is."""
    council = public_council(slug)
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        window = refused_for(
            "plan-comment-lookup",
            [
                ("address", client_address(request), settings.CONCERN_LOOKUP_RATE_LIMIT_ADDRESS),
                (
                    "code",
                    f"{council.pk}:{code or form.cleaned_data['code']}",
                    settings.CONCERN_LOOKUP_RATE_LIMIT_CODE,
                ),
            ],
            settings.CONCERN_LOOKUP_RATE_WINDOW,
        )
        if window is not None:
            return _too_many(request, council, form, window)
        if code and PlanComment.objects.filter(council=council, code=code).exists():
            return HttpResponseRedirect(reverse("portal:plan-comment", args=[council.slug, code]))
        form.add_error("code", _("No comment on this council's plan has this code. Check it and try again."))
    return render(request, "portal/plan_comment_lookup.html", {"council": council, "form": form})


@require_safe
def plan_comment_status(request, slug, code):
    """/<municipality>/plan/comments/<code>/: a comment's status and, once given, the SKN's answer."""
    council = public_council(slug)
    comment = get_object_or_404(
        PlanComment.objects.filter(council=council).select_related("period__version__plan"),
        code=normalise_code(code) or "",
    )
    version = comment.period.version
    return render(
        request,
        "portal/plan_comment_status.html",
        {
            "council": council,
            "comment": comment,
            "version": version,
            "approved": version.status == PlanVersion.Status.APPROVED,
        },
    )
