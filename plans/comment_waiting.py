"""What public comment on a plan asks of a person ("waiting for you", councils/waiting.py):
comments waiting for moderation (the technical secretary and the SKN), published comments waiting
for the SKN's answer. One query for every council of the person together."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import ngettext

from councils.models import SKN_ROLES, Role
from councils.waiting import Waiting

from .comment_models import CommentPeriod, PlanComment

CS = PlanComment.Status


def _councils(roles: dict, wanted) -> list[int]:
    return [council_id for council_id, held in roles.items() if held & set(wanted)]


def comment_items(user, roles: dict, now) -> list[Waiting]:
    moderators = _councils(roles, (Role.SECRETARY, *SKN_ROLES))
    skn = set(_councils(roles, SKN_ROLES))
    if not moderators:
        return []
    to_answer = Q(comments__status=CS.PUBLISHED, comments__answer="")
    periods = (
        CommentPeriod.objects.filter(version__plan__council_id__in=moderators)
        .annotate(
            received=Count("comments", filter=Q(comments__status=CS.RECEIVED)),
            received_since=Min("comments__created_at", filter=Q(comments__status=CS.RECEIVED)),
            unanswered=Count("comments", filter=to_answer),
            unanswered_since=Min("comments__moderated_at", filter=to_answer),
        )
        .filter(Q(received__gt=0) | Q(unanswered__gt=0))
        .select_related("version__plan__council__municipality")
    )
    found = []
    for period in periods:
        version = period.version
        council = version.plan.council
        url = reverse("plans:comments", args=[council.slug, version.plan.year, version.number])
        if period.received:
            found.append(
                Waiting(
                    council=council,
                    kind="plan_comments_to_moderate",
                    text=ngettext(
                        "%(count)d public comment on the plan waits for moderation.",
                        "%(count)d public comments on the plan wait for moderation.",
                        period.received,
                    )
                    % {"count": period.received},
                    url=url,
                    since=period.received_since,
                )
            )
        if period.unanswered and council.pk in skn:
            found.append(
                Waiting(
                    council=council,
                    kind="plan_comments_to_answer",
                    text=ngettext(
                        "%(count)d published comment on the plan waits for the SKN's answer.",
                        "%(count)d published comments on the plan wait for the SKN's answer.",
                        period.unanswered,
                    )
                    % {"count": period.unanswered},
                    url=url,
                    since=period.unanswered_since or period.opens_at,
                )
            )
    return found
