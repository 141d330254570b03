"""The facts a council recorded, as plain data: what the rules (``checks``) read. ``compliance_data``
gathers them in a fixed number of queries, and the cache keeps them as they are.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class MeetingFact:
    pk: int
    kind: str  # "council" (ordinary or extraordinary) or "skn"
    day: date  # in Europe/Tirane
    status: str  # planned / held / cancelled; never held before its start (compliance_data)
    public: bool = False


@dataclass(frozen=True)
class ConsultationFact:
    pk: int
    day: date
    status: str  # draft / announced / held / cancelled; never held before its start
    public: bool = False


@dataclass(frozen=True)
class VersionFact:
    """An approved plan version."""

    year: int
    number: int
    decision_date: date
    meeting_id: int | None
    pk: int | None = None
    meeting_held: bool = True  # the cited meeting was held (and its start has come)


@dataclass(frozen=True)
class ReportFact:
    year: int
    month: int
    status: str  # draft / submitted / returned / approved / published
    approved_on: date | None = None


@dataclass(frozen=True)
class OverdueFact:
    """The standing of the plan in force at a year's end (or on ``as_of`` during the year)."""

    number: int  # the plan version
    total: int  # activities, cancelled ones aside
    overdue: int


@dataclass(frozen=True)
class ConcernFact:
    day: date  # the consultation's day, or when it was raised online
    answered: bool  # published, and its problem has an outcome other than "pending"


@dataclass
class CouncilFacts:
    """What a council recorded, as plain data (kept in the cache as it is)."""

    council_id: int
    slug: str
    name: str
    county: str
    county_slug: str
    status: str
    founded: date | None = None
    first_meeting: date | None = None
    first_council_meeting: date | None = None
    first_consultation: date | None = None
    first_plan_year: int | None = None
    first_report: date | None = None
    first_approval: date | None = None
    meetings: list[MeetingFact] = field(default_factory=list)
    consultations: list[ConsultationFact] = field(default_factory=list)
    versions: list[VersionFact] = field(default_factory=list)
    reports: list[ReportFact] = field(default_factory=list)
    # held council meeting id -> {institution id: whether it was there (present or represented)},
    # for the institutions whose attendance was recorded.
    attendance: dict[int, dict[int, bool]] = field(default_factory=dict)
    institutions: dict[int, str] = field(default_factory=dict)  # id -> name, of those recorded
    overdue: dict[int, OverdueFact] = field(default_factory=dict)  # by year
    concerns: list[ConcernFact] = field(default_factory=list)
    comments: dict[int, str] = field(default_factory=dict)  # by year: the council's public comment
