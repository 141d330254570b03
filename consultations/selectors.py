"""Reads for consultation pages, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Value, When

from .models import Concern, Consultation, ParticipantGroup, Participation, Problem

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
    concerns = Concern.objects.filter(consultation=consultation).select_related("unit")
    if published_only:
        concerns = concerns.filter(status=Concern.Status.PUBLISHED)
    else:
        concerns = concerns.exclude(status__in=[Concern.Status.REJECTED, Concern.Status.MERGED])
    concerns = list(concerns.order_by("created_at"))
    problems = list(
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
        problem.heard = by_problem[problem.pk]
    return Heard(problems=problems, ungrouped=ungrouped, count=len(concerns), by_problem=by_problem)


@dataclass
class Turnout:
    rows: list[tuple[str, Participation | None]]
    women: int
    men: int
    unspecified: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified


def turnout(consultation: Consultation) -> Turnout:
    """Participation by group (every group, zero where none came) and by gender."""
    found = {p.group: p for p in Participation.objects.filter(consultation=consultation)}
    rows = [(group.label, found.get(group.value)) for group in ParticipantGroup]
    return Turnout(
        rows=rows,
        women=sum(p.women for p in found.values()),
        men=sum(p.men for p in found.values()),
        unspecified=sum(p.unspecified for p in found.values()),
    )
