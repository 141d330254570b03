"""Reads for consultation pages, each in a fixed number of queries."""

import re
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.functional import Promise

from kvsp.core.text import fold

from .models import CONCERN_MAX_CHARS, Concern, Consultation, ParticipantGroup, Participation, Problem

INTENSITY_ORDER = Case(
    When(intensity="high", then=Value(0)),
    When(intensity="moderate", then=Value(1)),
    When(intensity="low", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass
class Heard:
    """What was heard at a consultation: problems (highest risk first) with their concerns, and the
    concerns not grouped yet."""

    problems: list[Problem]
    ungrouped: list[Concern]
    count: int = 0
    by_problem: dict[int, list[Concern]] = field(default_factory=dict)


def heard(consultation: Consultation, *, published_only: bool = True) -> Heard:
    heard_ones = Concern.objects.filter(consultation=consultation).select_related("unit")
    if published_only:
        heard_ones = heard_ones.filter(status=Concern.Status.PUBLISHED)
    else:
        heard_ones = heard_ones.exclude(status__in=[Concern.Status.REJECTED, Concern.Status.MERGED])
    concerns = list(heard_ones.order_by("created_at"))
    problems: list[Problem] = list(
        consultation.problems.annotate(rank=INTENSITY_ORDER)
        .prefetch_related(Prefetch("institutions"))
        .order_by("rank", "pk")
    )
    by_problem: dict[int, list[Concern]] = {p.pk: [] for p in problems}
    ungrouped = []
    for concern in concerns:
        if concern.problem_id in by_problem:
            by_problem[concern.problem_id].append(concern)
        else:
            ungrouped.append(concern)
    for problem in problems:
        problem.heard = by_problem[problem.pk]  # type: ignore[attr-defined]
    return Heard(problems=problems, ungrouped=ungrouped, count=len(concerns), by_problem=by_problem)


@dataclass
class Turnout:
    rows: list[tuple[str | Promise, Participation | None]]
    women: int
    men: int
    unspecified: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified


def turnout(consultation: Consultation) -> Turnout:
    """Participation by group (every group, zero where none came) and by gender."""
    found = {p.group: p for p in Participation.objects.filter(consultation=consultation)}
    rows: list[tuple[str | Promise, Participation | None]] = [
        (group.label, found.get(group.value)) for group in ParticipantGroup
    ]
    return Turnout(
        rows=rows,
        women=sum(p.women for p in found.values()),
        men=sum(p.men for p in found.values()),
        unspecified=sum(p.unspecified for p in found.values()),
    )


def consultations_of(council):
    """The council's consultations, newest first, each with ``concern_count`` (not counting merged
    concerns) and ``problem_count``."""
    from django.db.models import Count, Q

    return (
        Consultation.objects.filter(council=council)
        .select_related("unit")
        .annotate(
            concern_count=Count("concerns", filter=~Q(concerns__status=Concern.Status.MERGED), distinct=True),
            problem_count=Count("problems", distinct=True),
        )
        .order_by("-starts_at")
    )


def concern_counts(**where) -> dict[str, int]:
    """{status: how many concerns} among the concerns ``where`` selects (e.g. ``council=``)."""
    from django.db.models import Count

    return {
        row["status"]: row["n"]
        for row in Concern.objects.filter(**where).values("status").annotate(n=Count("pk"))
    }


def groupable_concerns(consultation: Consultation):
    """The concerns the SKN may group into the consultation's problems: received or published, in
    no problem yet, raised at this consultation or outside any."""
    from django.db.models import Q

    return Concern.objects.filter(
        council_id=consultation.council_id,
        status__in=[Concern.Status.RECEIVED, Concern.Status.PUBLISHED],
        problem__isnull=True,
    ).filter(Q(consultation=consultation) | Q(consultation__isnull=True))


def skn_candidates(consultation: Consultation):
    """Who may be recorded as the SKN present at the consultation: the council's SKN members on its
    day or today, and whoever is recorded already (a seat may have changed hands since), by name.
    One query when evaluated."""
    from django.db.models import Q
    from django.utils import timezone

    from councils.models import SKN_ROLES, Membership, Person

    seats = Membership.objects.filter(council_id=consultation.council_id, role__in=SKN_ROLES)
    seats = seats.active(on=timezone.localdate(consultation.starts_at)) | seats.active()
    recorded = Consultation.skn_present.through.objects.filter(consultation_id=consultation.pk)
    return Person.objects.filter(
        Q(pk__in=seats.values("person_id")) | Q(pk__in=recorded.values("person_id"))
    ).order_by("full_name")


# --- similar published concerns (the concern form's duplicate hints) ----------------------------

SIMILAR_POOL = 500  # the council's newest published concerns compared with what the citizen types
SIMILAR_MAX = 5
_WORD = re.compile(r"\w+")
# Frequent words (folded) that say nothing about the problem, in Albanian and English.
_STOPWORD_TEXT = (
    "eshte jane ishte ishin kemi kane keni edhe gjithe shume kete keto ketu atje jone tone tona "
    "juaj mund duhet prej nder rreth prane para pasi sepse kur deri nese cdo sidomos gjithmone "
    "shpesh naten diten dite nate njerez njerezit lagje lagjen lagjja rruge rruga rrugen problem "
    "problemi problemet there this that with have from they what when where very also about their "
    "them which would people every"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _stems(text: str) -> set[str]:
    """Significant words, folded (no accents, lower case) and cut to a crude stem, so that
    "shkollës", "shkolla" and "Shkolla" meet, and "drogë", "droga" and "drogat" too."""
    stems = set()
    for word in _WORD.findall(fold(text)):
        if len(word) < 4 or word.isdigit() or word in _STOPWORDS:
            continue
        stems.add(word[:4] if len(word) <= 6 else word[:5])
    return stems


def similar_published(council, text: str, category: str = "", limit: int = SIMILAR_MAX) -> list[Concern]:
    """Up to ``limit`` published concerns of the council sharing significant words with ``text``
    (most shared words first; the same category, then more support, break ties). One query over
    the council's newest published concerns; only what is public is loaded."""
    wanted = _stems(text[:CONCERN_MAX_CHARS])
    if not wanted:
        return []
    pool = (
        Concern.objects.filter(council=council, status=Concern.Status.PUBLISHED)
        .order_by("-created_at", "-pk")
        .only("pk", "code", "category", "public_text", "public_neighbourhood", "support_count", "created_at")[
            :SIMILAR_POOL
        ]
    )
    scored = []
    for position, concern in enumerate(pool):
        shared = len(wanted & _stems(concern.public_text))
        if shared:
            same = bool(category) and concern.category == category
            scored.append(((-shared, not same, -concern.support_count, position), concern))
    scored.sort(key=lambda item: item[0])
    return [concern for _key, concern in scored[:limit]]
