"""Reads of the registers: a year of referral figures grouped by month with their totals, and the
council's agreements. A few queries whatever the number of rows."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from ..models import Council
from .models import MONTH_CHOICES, CooperationAgreement, IssueType, ReferralBody, ReferralCount

MONTH_NAMES = dict(MONTH_CHOICES)


@dataclass
class Month:
    number: int
    rows: list[ReferralCount] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(MONTH_NAMES[self.number])

    @property
    def total(self) -> int:
        return sum(row.cases for row in self.rows)


@dataclass
class ReferralYear:
    year: int
    months: list[Month]
    by_issue: list[tuple[str, int]]
    by_body: list[tuple[str, int]]
    total: int


def referral_years(council: Council) -> list[int]:
    """The years with figures, newest first."""
    return list(
        ReferralCount.objects.filter(council=council)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def referral_year(council: Council, year: int) -> ReferralYear:
    """The council's figures of ``year``: by month (newest first), and totals per issue and per body
    (in the order of the lists, only those with cases)."""
    rows = list(
        ReferralCount.objects.filter(council=council, year=year).order_by("-month", "issue_type", "body")
    )
    months: dict[int, Month] = {}
    issues: Counter[str] = Counter()
    bodies: Counter[str] = Counter()
    for row in rows:
        months.setdefault(row.month, Month(row.month)).rows.append(row)
        issues[row.issue_type] += row.cases
        bodies[row.body] += row.cases
    return ReferralYear(
        year=year,
        months=list(months.values()),
        by_issue=[(str(label), issues[value]) for value, label in IssueType.choices if issues[value]],
        by_body=[(str(label), bodies[value]) for value, label in ReferralBody.choices if bodies[value]],
        total=sum(issues.values()),
    )


def agreements(council: Council) -> list[CooperationAgreement]:
    """The council's agreements, newest signed first, with their member-institution parties."""
    return list(CooperationAgreement.objects.filter(council=council).prefetch_related("institutions"))


def agreement_count(council: Council) -> int:
    return CooperationAgreement.objects.filter(council=council).aggregate(n=Count("pk"))["n"]
