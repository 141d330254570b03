"""Plans in and out of Excel: the XLSX template, a version as a workbook, and reading one back.

The sheet "Plani" follows the guide's Table 1, one line per activity: the problem's columns are
repeated or left empty on the following lines of the same problem, and a line with no activity but
an indicator adds a further indicator to the activity above it. Header labels are Albanian (the
format is a document councils exchange); English headers are read too. The values a person types —
priorities, deadlines, frequencies — are read in Albanian or English, with or without ë and ç.

Reading is defensive: the content must be an XLSX (by its content, never its name), the archive may
not unpack to more than ``MAX_UNPACKED_BYTES``, and at most ``MAX_ROWS`` lines are read; formulas
are read as their last computed values. Every problem found is reported per line and column, in the
active language. Writing goes through ``plans.services`` only, in one transaction: all or nothing.
"""

import difflib
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from consultations.models import Intensity
from councils.models import Council, Institution
from kvsp.core.exports import FORMULA_STARTS, safe_cell
from kvsp.core.uploads import OFFICE_TYPES, archive_document_type

from . import services
from .deadlines import Deadline
from .models import Activity, Indicator, Plan, PlanProblem, PlanVersion

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = OFFICE_TYPES["xlsx"]
# At most this many non-empty lines are read from the sheet, and the sheet is read no further
# than MAX_LINES (empty lines included): a sheet that goes on for ever is refused, not read whole.
MAX_ROWS = 2000
MAX_LINES = 10_000
# What the archive may unpack to, judged from its directory before anything is unpacked.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2000
# The header row is looked for among the first lines (a title may stand above it).
HEADER_SEARCH_LINES = 10
MAX_COLUMNS = 60

SHEET_PLAN = "Plani"
SHEET_INSTITUTIONS = "Institucionet"
SHEET_GUIDE = "Udhëzime"


def fold(text: str) -> str:
    """Lower case, without diacritics (ë -> e, ç -> c), single spaces: how typed words compare."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


# --- the columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template (Albanian)
    aliases: tuple[str, ...]  # other headers read as this column, Albanian and English
    width: int


COLUMNS = (
    Column("number", "Nr.", ("nr", "no", "number", "numri", "nr i problemit"), 7),
    Column(
        "title",
        "Problematika e identifikuar",
        ("problematika", "problemi", "identified problem", "problem", "problematika identifikuar"),
        32,
    ),
    Column("description", "Përshkrimi", ("pershkrimi", "description"), 40),
    Column("statistics", "Statistikat", ("statistika", "statistics"), 30),
    Column(
        "statistics_source",
        "Burimi i statistikave",
        ("burimi", "source of the statistics", "statistics source", "source"),
        22,
    ),
    Column("provenance", "Shënim", ("shenime", "provenance", "provenance note", "note"), 28),
    Column("priority", "Prioriteti", ("priority",), 13),
    Column("activity", "Aktiviteti", ("aktivitetet", "aktivitete", "activity", "activities"), 45),
    Column(
        "lead",
        "Institucioni drejtues",
        ("institucioni pergjegjes", "lead institution", "lead", "responsible institution"),
        32,
    ),
    Column("partners", "Partnerët", ("institucionet partnere", "partners", "partner institutions"), 36),
    Column("deadline", "Afati", ("afati kohor", "deadline", "timeframe", "time frame"), 20),
    Column("indicator", "Treguesi", ("treguesit", "indicator", "indicators"), 30),
    Column("unit", "Njësia", ("njesia matese", "unit"), 10),
    Column("baseline", "Vlera bazë", ("vlera fillestare", "baseline"), 11),
    Column("target", "Synimi", ("vlera e synuar", "target"), 10),
    Column("frequency", "Shpeshtësia", ("shpeshtesia e matjes", "frequency", "measured"), 14),
)
COLUMN = {column.key: column for column in COLUMNS}
REQUIRED = ("number", "title", "priority", "activity", "lead", "deadline")
PROBLEM_KEYS = ("title", "description", "statistics", "statistics_source", "provenance", "priority")
INDICATOR_KEYS = ("indicator", "unit", "baseline", "target", "frequency")
# Lengths the database holds (services leave them to the model; a file may carry anything).
LIMITS = {
    "number": 10,
    "title": 300,
    "description": 4000,
    "statistics": 2000,
    "statistics_source": 200,
    "provenance": 300,
    "activity": 2000,
    "indicator": 300,
    "unit": 50,
}


def _header_key(text) -> str | None:
    if text is None:
        return None
    cleaned = re.sub(r"\(.*?\)", " ", str(text))
    wanted = " ".join(re.sub(r"[^\w ]", " ", fold(cleaned)).split())
    for column in COLUMNS:
        names = {" ".join(re.sub(r"[^\w ]", " ", fold(column.header)).split()), *column.aliases}
        if wanted in names:
            return column.key
    return None


# --- the words people type ----------------------------------------------------------------------

PRIORITY_WORDS = {
    "high": ("i larte", "e larte", "larte", "i lart", "high", "high priority", "prioritet i larte"),
    "moderate": (
        "i moderuar",
        "e moderuar",
        "moderuar",
        "i mesem",
        "mesatar",
        "moderate",
        "medium",
        "moderate priority",
        "prioritet i moderuar",
    ),
    "low": ("i ulet", "e ulet", "ulet", "low", "low priority", "prioritet i ulet"),
}
PRIORITY_TEXT = {"high": "i lartë", "moderate": "i moderuar", "low": "i ulët"}

FREQUENCY_WORDS = {
    Indicator.Frequency.MONTHLY: ("mujore", "mujor", "cdo muaj", "monthly", "every month"),
    Indicator.Frequency.QUARTERLY: ("tremujore", "tremujor", "cdo tremujor", "quarterly", "every quarter"),
    Indicator.Frequency.SEMIANNUAL: (
        "gjashtemujore",
        "gjashtemujor",
        "6 mujore",
        "6-mujore",
        "cdo gjashte muaj",
        "cdo 6 muaj",
        "semiannual",
        "semi-annual",
        "half-yearly",
        "every six months",
        "every 6 months",
    ),
    Indicator.Frequency.ANNUAL: (
        "vjetore",
        "vjetor",
        "cdo vit",
        "annual",
        "yearly",
        "annually",
        "every year",
    ),
    Indicator.Frequency.ONCE: ("nje here", "njehere", "once", "one time", "one-off"),
}
FREQUENCY_TEXT = {
    Indicator.Frequency.MONTHLY: "mujore",
    Indicator.Frequency.QUARTERLY: "tremujore",
    Indicator.Frequency.SEMIANNUAL: "gjashtëmujore",
    Indicator.Frequency.ANNUAL: "vjetore",
    Indicator.Frequency.ONCE: "një herë",
}

PERIOD_TEXT = {
    "h1": "6 mujori i parë",
    "h2": "6 mujori i dytë",
    "q1": "tremujori i parë",
    "q2": "tremujori i dytë",
    "q3": "tremujori i tretë",
    "q4": "tremujori i katërt",
}
ALL_YEAR_TEXT = "gjatë gjithë vitit"

_ORDINALS = {
    "1": 1,
    "pare": 1,
    "first": 1,
    "1st": 1,
    "2": 2,
    "dyte": 2,
    "second": 2,
    "2nd": 2,
    "3": 3,
    "trete": 3,
    "third": 3,
    "3rd": 3,
    "4": 4,
    "katert": 4,
    "fourth": 4,
    "4th": 4,
}
_NUMBER_WORDS = (
    "nje dy tre kater pese gjashte shtate tete nente dhjete njembedhjete dymbedhjete "
    "one two three four five six seven eight nine ten eleven twelve"
)
_NUMBERS = {
    **{str(n): n for n in range(1, 100)},
    **{name: index % 12 + 1 for index, name in enumerate(_NUMBER_WORDS.split())},
}
_MONTH_WORDS = (
    "janar shkurt mars prill maj qershor korrik gusht shtator tetor nentor dhjetor "
    "january february march april may june july august september october november december"
)
_MONTHS = {name: index % 12 + 1 for index, name in enumerate(_MONTH_WORDS.split())}
ALL_YEAR_WORDS = {
    "gjate gjithe vitit",
    "gjithe vitin",
    "gjithe vitit",
    "gjate vitit",
    "per gjithe vitin",
    "ne vazhdimesi",
    "vazhdimisht",
    "i vazhdueshem",
    "e vazhdueshme",
    "all year",
    "all year round",
    "all the year",
    "throughout the year",
    "the whole year",
    "whole year",
    "year round",
    "ongoing",
    "continuous",
    "continuously",
}
_PREFIXES = ("deri me ", "deri ne ", "deri ", "brenda ", "gjate ", "ne ", "by ", "until ", "before ")
_PREFIXES += ("within the ", "within ", "during the ", "during ", "in the ", "in ")


def _words_in_all_languages(label_of) -> set[str]:
    """How the interface itself writes a value, in each of its languages (folded)."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(fold(label_of()))
    return found


def parse_priority(text: str) -> str | None:
    wanted = fold(text)
    for value, words in PRIORITY_WORDS.items():
        if wanted in words or wanted in _words_in_all_languages(lambda v=value: str(Intensity(v).label)):
            return value
    return None


def parse_frequency(text: str) -> str | None:
    wanted = fold(text)
    for value, words in FREQUENCY_WORDS.items():
        if wanted in words or wanted in _words_in_all_languages(
            lambda v=value: str(Indicator.Frequency(v).label)
        ):
            return value
    return None


def _date_from_text(text: str) -> date | None:
    patterns = (
        (r"(\d{1,2})[./](\d{1,2})[./](\d{4})", ("d", "m", "y")),
        (r"(\d{1,2})-(\d{1,2})-(\d{4})", ("d", "m", "y")),
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?", ("y", "m", "d")),
    )
    for pattern, order in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    match = re.fullmatch(r"(\d{1,2})\.? ([a-z]+) (\d{4})", text)
    if match and match.group(2) in _MONTHS:
        try:
            return date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
        except ValueError:
            return None
    return None


def _period_from_text(text: str) -> str | None:
    match = re.fullmatch(r"(?:6|gjashte)[ -]?mujori i (\w+)", text) or re.fullmatch(
        r"(?:6|gjashte) muajt e (\w+)", text
    )
    if match and _ORDINALS.get(match.group(1)) in (1, 2):
        return f"h{_ORDINALS[match.group(1)]}"
    match = re.fullmatch(r"(\w+) (?:6|six) months", text) or re.fullmatch(
        r"(\w+) half(?: of the year)?", text
    )
    if match and _ORDINALS.get(match.group(1)) in (1, 2):
        return f"h{_ORDINALS[match.group(1)]}"
    if re.fullmatch(r"gjysma e (pare|dyte) e vitit", text):
        return "h1" if "pare" in text else "h2"
    match = (
        re.fullmatch(r"(?:tremujori|3[ -]?mujori) i (\w+)", text)
        or re.fullmatch(r"(?:tremujori|3[ -]?mujori) (\d)", text)
        or re.fullmatch(r"(\w+) quarter(?: of the year)?", text)
        or re.fullmatch(r"(?:q|quarter |tm)(\d)", text)
    )
    if match and _ORDINALS.get(match.group(1)) in (1, 2, 3, 4):
        return f"q{_ORDINALS[match.group(1)]}"
    if text in ("h1", "h2"):
        return text
    return None


def _every_from_text(text: str) -> int | None:
    """Every how many months; 0 for a recurrence whose count is not 1 to 12."""
    if text in ("cdo muaj", "every month", "monthly", "mujore", "cdo muaj te vitit"):
        return 1
    if text in ("cdo tremujor", "every quarter", "quarterly", "tremujore"):
        return 3
    if text in ("cdo vit", "every year", "annually", "yearly", "vjetore"):
        return 12
    match = re.fullmatch(r"(?:cdo|every) (\w+) (?:muaj|muajt|months?)", text)
    if match:
        number = _NUMBERS.get(match.group(1))
        if number is None:
            return None
        return number if 1 <= number <= 12 else 0
    return None


class DeadlineError(ValueError):
    """The text is a recurrence, but not every 1 to 12 months."""


def parse_deadline(value) -> Deadline | None:
    """A deadline from a cell: a date (typed or a date cell), a half or a quarter of the year, a
    recurrence ("çdo 2 muaj") or all year — in Albanian or English. ``None`` if not understood."""
    if isinstance(value, datetime):
        return Deadline(kind="date", day=value.date())
    if isinstance(value, date):
        return Deadline(kind="date", day=value)
    text = fold(_text(value)).rstrip(".;,")
    if not text:
        return None
    candidates = [text]
    stripped = text
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if stripped.startswith(prefix) and len(stripped) > len(prefix):
                stripped = stripped[len(prefix) :]
                candidates.append(stripped)
                changed = True
    for candidate in candidates:
        if candidate in ALL_YEAR_WORDS:
            return Deadline(kind="all_year")
        day = _date_from_text(candidate)
        if day:
            return Deadline(kind="date", day=day)
        period = _period_from_text(candidate)
        if period:
            return Deadline(kind="period", period=period)
        every = _every_from_text(candidate)
        if every == 0:
            raise DeadlineError(candidate)
        if every:
            return Deadline(kind="recurrence", every_months=every)
    return _deadline_as_rendered(text)


def _deadline_as_rendered(text: str) -> Deadline | None:
    """The deadline the interface renders as ``text`` in one of its languages (a plan copied from
    the plan's own page reads back)."""
    known = [Deadline(kind="period", period=p) for p in PERIOD_TEXT]
    known += [Deadline(kind="recurrence", every_months=n) for n in range(1, 13)]
    known.append(Deadline(kind="all_year"))
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for deadline in known:
                if fold(str(deadline)).rstrip(".") == text:
                    return deadline
    return None


def deadline_text(deadline: Deadline) -> str:
    """The deadline as the template writes it (Albanian, read back by ``parse_deadline``)."""
    if deadline.kind == "date" and deadline.day:
        return deadline.day.strftime("%d.%m.%Y")
    if deadline.kind == "period":
        return PERIOD_TEXT.get(deadline.period, "")
    if deadline.kind == "recurrence" and deadline.every_months:
        return "çdo muaj" if deadline.every_months == 1 else f"çdo {deadline.every_months} muaj"
    if deadline.kind == "all_year":
        return ALL_YEAR_TEXT
    return ""


# --- cells --------------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as text: numbers without a spurious ".0", dates as dd.mm.yyyy, and the apostrophe
    the export put before formula-looking text taken off again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.hour or value.minute or value.second:
            return value.strftime("%d.%m.%Y %H:%M")
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


class NumberError(ValueError):
    pass


NUMBER_LIMIT = Decimal(10) ** 10  # max_digits=12, decimal_places=2


def parse_number(value) -> Decimal | None:
    """12, 12.5, "12,5", "1 250", "1.250,5" or "45%" as a decimal with two places; ``None`` when
    empty; NumberError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise NumberError(str(value))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = _text(value)
        cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).rstrip("%")
        if "," in cleaned and "." in cleaned:
            if cleaned.rfind(",") > cleaned.rfind("."):
                cleaned = cleaned.replace(".", "").replace(",", ".")
            else:
                cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
        if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", cleaned):
            raise NumberError(text)
        try:
            number = Decimal(cleaned)
        except InvalidOperation as error:
            raise NumberError(text) from error
    if not number.is_finite():
        raise NumberError(str(value))
    if abs(number) >= NUMBER_LIMIT:  # before quantize, which fails on numbers this large
        raise NumberError(str(value))
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(number) >= NUMBER_LIMIT:
        raise NumberError(str(value))
    return number


# --- what a file holds --------------------------------------------------------------------------


@dataclass
class RowError:
    row: int | None  # the spreadsheet's line number; None for the file as a whole
    column: str  # the column letter, "" if none
    label: str  # the column's header, as in the file
    message: str


@dataclass
class IndicatorRow:
    line: int
    name: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    frequency: str = Indicator.Frequency.QUARTERLY
    errors: list[str] = field(default_factory=list)

    @property
    def frequency_label(self) -> str:
        return Indicator.Frequency(self.frequency).label if self.frequency else ""


@dataclass
class ActivityRow:
    line: int
    text: str
    lead: Institution | None = None
    partners: list[Institution] = field(default_factory=list)
    deadline: Deadline | None = None
    lead_text: str = ""
    partners_text: str = ""
    deadline_raw: str = ""
    indicators: list[IndicatorRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def deadline_display(self) -> str:
        return str(self.deadline) if self.deadline else self.deadline_raw


@dataclass
class ProblemRow:
    line: int
    number: str
    title: str = ""
    description: str = ""
    statistics: str = ""
    statistics_source: str = ""
    provenance: str = ""
    priority: str = ""
    priority_raw: str = ""
    activities: list[ActivityRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # For each problem field: the line that gave its value (to point at conflicts).
    given_on: dict[str, int] = field(default_factory=dict)

    @property
    def priority_label(self) -> str:
        return Intensity(self.priority).label if self.priority else self.priority_raw

    def service_fields(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "description": self.description,
            "statistics": self.statistics,
            "statistics_source": self.statistics_source,
            "provenance": self.provenance,
            "priority": self.priority,
        }


@dataclass
class ImportResult:
    problems: list[ProblemRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The letter of each column found in the file, by key.
    letters: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.problems)

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is not None]

    @property
    def activity_count(self) -> int:
        return sum(len(p.activities) for p in self.problems)

    @property
    def indicator_count(self) -> int:
        return sum(len(a.indicators) for p in self.problems for a in p.activities)

    # The checked rows wait in the session between the preview and the confirmation: plain JSON
    # with institution ids, never the file or its path.
    def to_data(self) -> dict:
        return {
            "problems": [
                {
                    **problem.service_fields(),
                    "line": problem.line,
                    "activities": [
                        {
                            "line": activity.line,
                            "text": activity.text,
                            "lead": activity.lead.pk,
                            "partners": [p.pk for p in activity.partners],
                            "deadline": {
                                "kind": activity.deadline.kind,
                                "day": activity.deadline.day.isoformat() if activity.deadline.day else None,
                                "period": activity.deadline.period,
                                "every_months": activity.deadline.every_months,
                            },
                            "indicators": [
                                {
                                    "line": indicator.line,
                                    "name": indicator.name,
                                    "unit": indicator.unit,
                                    "baseline": _decimal_data(indicator.baseline),
                                    "target": _decimal_data(indicator.target),
                                    "frequency": indicator.frequency,
                                }
                                for indicator in activity.indicators
                            ],
                        }
                        for activity in problem.activities
                    ],
                }
                for problem in self.problems
            ]
        }

    @classmethod
    def from_data(cls, data: dict, council: Council) -> "ImportResult":
        """Rows kept by ``to_data``; ValueError if they no longer make sense (an institution is
        gone, or was never one of the council's). The services check everything again when the
        rows are written."""
        try:
            ids = {
                pk
                for problem in data["problems"]
                for activity in problem["activities"]
                for pk in (activity["lead"], *activity["partners"])
            }
            institutions = Institution.objects.filter(seats__council=council).in_bulk(ids)
            problems = []
            for problem in data["problems"]:
                row = ProblemRow(
                    line=int(problem["line"]),
                    **{key: str(problem[key]) for key in services.PROBLEM_FIELDS},
                )
                for activity in problem["activities"]:
                    deadline = activity["deadline"]
                    row.activities.append(
                        ActivityRow(
                            line=int(activity["line"]),
                            text=str(activity["text"]),
                            lead=institutions[activity["lead"]],
                            partners=[institutions[pk] for pk in activity["partners"]],
                            deadline=Deadline(
                                kind=deadline["kind"],
                                day=date.fromisoformat(deadline["day"]) if deadline["day"] else None,
                                period=deadline["period"],
                                every_months=deadline["every_months"],
                            ),
                            indicators=[
                                IndicatorRow(
                                    line=int(indicator["line"]),
                                    name=str(indicator["name"]),
                                    unit=str(indicator["unit"]),
                                    baseline=_decimal_from_data(indicator["baseline"]),
                                    target=_decimal_from_data(indicator["target"]),
                                    frequency=str(indicator["frequency"]),
                                )
                                for indicator in activity["indicators"]
                            ],
                        )
                    )
                problems.append(row)
        except (KeyError, TypeError, ValueError, InvalidOperation) as error:
            raise ValueError("stale import data") from error
        return cls(problems=problems)


def _decimal_data(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal_from_data(value) -> Decimal | None:
    return None if value is None else Decimal(value)


# --- reading a file -----------------------------------------------------------------------------


def _as_file(file):
    if isinstance(file, bytes | bytearray):
        return ContentFile(bytes(file), name="plan.xlsx")
    if not hasattr(file, "size"):
        return File(file)
    return file


def _file_error(result: ImportResult, message: str) -> ImportResult:
    result.errors.append(RowError(None, "", "", message))
    return result


def _not_xlsx() -> str:
    return _(
        "This file is not an Excel workbook (XLSX). Open it in Excel or LibreOffice and save it as "
        "“Excel Workbook (.xlsx)”, or start from the template."
    )


def _check_archive(file) -> str | None:
    """A message if the archive is too large once unpacked; read from its directory only."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _not_xlsx()
    finally:
        file.seek(0)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        return _(
            "This workbook unpacks to more than %(limit)s, so it is not read. Keep only the plan in it."
        ) % {"limit": filesizeformat(MAX_UNPACKED_BYTES)}
    return None


def parse(file, council: Council, *, into: PlanVersion | None = None) -> ImportResult:
    """Read a plan workbook. Returns the rows found, each problem with its activities and their
    indicators, and every error: per line and column, or for the whole file. ``into``: the draft
    the rows would join (its problem numbers must not repeat)."""
    result = ImportResult()
    file = _as_file(file)
    if not file.size:
        return _file_error(result, _("The file is empty."))
    limit = settings.DOCUMENT_MAX_BYTES
    if file.size > limit:
        return _file_error(
            result,
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    try:
        content_type = archive_document_type(file)
    except ValidationError:
        content_type = None
    if content_type != XLSX_CONTENT_TYPE:
        return _file_error(result, _not_xlsx())
    problem = _check_archive(file)
    if problem:
        return _file_error(result, problem)

    from openpyxl import load_workbook

    workbook = None
    try:
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = _plan_sheet(workbook)
        if sheet is None:
            return _file_error(result, _not_xlsx())
        _read_sheet(sheet, council, result)
    except Exception:  # a damaged workbook may fail anywhere inside openpyxl
        logger.warning("An uploaded plan workbook could not be read.", exc_info=True)
        return ImportResult(
            errors=[
                RowError(
                    None,
                    "",
                    "",
                    _(
                        "The workbook could not be read; it may be damaged. Open it in Excel or "
                        "LibreOffice, save it again as XLSX and upload it once more."
                    ),
                )
            ]
        )
    finally:
        if workbook is not None:
            workbook.close()
    if into is not None:
        _check_against(result, into)
    if not result.problems and not result.errors:
        _file_error(
            result,
            _("The file holds no plan rows. Fill in the sheet “%(sheet)s” below its header row.")
            % {"sheet": SHEET_PLAN},
        )
    return result


def _plan_sheet(workbook):
    sheets = workbook.worksheets
    for sheet in sheets:
        if fold(sheet.title) in ("plani", "plan", "plani i veprimit", "action plan"):
            return sheet
    return sheets[0] if sheets else None


def _find_header(lines) -> tuple[int, dict[str, int], dict[str, str]] | None:
    for number, values in lines:
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for index, value in enumerate(values):
            key = _header_key(value)
            if key and key not in columns:
                columns[key] = index
                labels[key] = " ".join(str(value).split())
        if len(columns) >= 3 and {"number", "title", "activity"} & columns.keys():
            return number, columns, labels
        if number >= HEADER_SEARCH_LINES:
            return None
    return None


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Reader:
    """Turns the sheet's lines into problems, activities and indicators, noting every error."""

    def __init__(self, council: Council, result: ImportResult, columns: dict, labels: dict):
        self.result = result
        self.columns = columns
        self.labels = labels
        self.problems: dict[str, ProblemRow] = {}
        self.current: ProblemRow | None = None
        self.activity: ActivityRow | None = None
        seated = Institution.objects.filter(pk__in=council.seats.active().values("institution_id"))
        self.institutions: dict[str, list[Institution]] = {}
        for institution in seated.order_by("name"):
            self.institutions.setdefault(fold(institution.name), []).append(institution)

    def error(self, line: int, key: str, message: str, item=None) -> None:
        index = self.columns.get(key)
        self.result.errors.append(
            RowError(
                line,
                _column_letter(index) if index is not None else "",
                self.labels.get(key, COLUMN[key].header),
                message,
            )
        )
        if item is not None:
            item.errors.append(message)

    def text(self, line: int, values: dict, key: str, item=None) -> str:
        text = _text(values.get(key))
        limit = LIMITS.get(key)
        if limit and len(text) > limit:
            self.error(
                line,
                key,
                _("Keep this to %(limit)d characters; it has %(count)d.")
                % {"limit": limit, "count": len(text)},
                item,
            )
            text = text[:limit]
        return text

    # -- one line

    def line(self, line: int, values: dict) -> None:
        number = self.text(line, values, "number")
        problem = self.problem(line, number, values)
        if problem is None:
            return
        if problem is not self.current:
            self.current = problem
            self.activity = problem.activities[-1] if problem.activities else None
        has_activity = bool(_text(values.get("activity")))
        names_more = any(_text(values.get(key)) for key in ("lead", "partners", "deadline"))
        has_indicator = any(_text(values.get(key)) for key in INDICATOR_KEYS)
        if has_activity:
            self.activity = self.new_activity(line, values, problem)
            if has_indicator:
                self.new_indicator(line, values, self.activity)
        elif names_more:
            self.error(
                line,
                "activity",
                _("Describe the activity: this line names an institution or a deadline but no activity."),
            )
        elif has_indicator:
            if self.activity is None:
                self.error(
                    line,
                    "activity",
                    _(
                        "Describe the activity: an indicator on a line of its own belongs to the "
                        "activity above it, and problem %(number)s has none yet."
                    )
                    % {"number": problem.number},
                )
            else:
                self.new_indicator(line, values, self.activity)

    def problem(self, line: int, number: str, values: dict) -> ProblemRow | None:
        title = " ".join(_text(values.get("title")).split())
        if not number:
            if self.current is None:
                self.error(line, "number", _("Give the problem's number (Nr.), for example 1.4."))
                return None
            if title and fold(title) != fold(self.current.title):
                self.error(
                    line,
                    "number",
                    _(
                        "Give this problem's number (Nr.). Lines without a number belong to the "
                        "problem above them, %(number)s, which has another name."
                    )
                    % {"number": self.current.number},
                )
                return None
            problem = self.current
        else:
            problem = self.problems.get(number)
            if problem is None:
                problem = ProblemRow(line=line, number=number)
                self.problems[number] = problem
                self.result.problems.append(problem)
        self.merge(line, problem, values)
        return problem

    def merge(self, line: int, problem: ProblemRow, values: dict) -> None:
        """Fill in the problem's fields from this line; a different value for a field already
        given on another line of the same number is an error."""
        for key in PROBLEM_KEYS:
            raw = values.get(key)
            text = self.text(line, values, key)
            if key == "title":
                text = " ".join(text.split())
            if not text:
                continue
            current = problem.priority_raw if key == "priority" else getattr(problem, key)
            if current:
                if fold(current) != fold(text):
                    if key == "title":
                        message = _(
                            "Problem %(number)s is named “%(title)s” on line %(line)d. One number "
                            "stands for one problem: give this one another number or the same name."
                        ) % {"number": problem.number, "title": current, "line": problem.given_on[key]}
                    else:
                        message = _(
                            "Problem %(number)s has a different value here than on line %(line)d. "
                            "Leave it empty on the following lines of the problem."
                        ) % {"number": problem.number, "line": problem.given_on[key]}
                    self.error(line, key, message)
                continue
            problem.given_on[key] = line
            if key == "priority":
                problem.priority_raw = text
                problem.priority = parse_priority(text) or ""
                if not problem.priority:
                    self.error(
                        line,
                        key,
                        _("“%(value)s” is not a priority. Write i lartë, i moderuar or i ulët.")
                        % {"value": _text(raw)},
                        problem,
                    )
            else:
                setattr(problem, key, text)

    def finish_problems(self) -> None:
        for problem in self.result.problems:
            if not problem.title:
                self.error(problem.line, "title", _("Name the problem."), problem)
            if not problem.priority_raw:
                self.error(
                    problem.line, "priority", _("Give the priority: i lartë, i moderuar or i ulët."), problem
                )
            if problem.statistics and not problem.statistics_source:
                self.error(
                    problem.given_on.get("statistics", problem.line),
                    "statistics_source",
                    _("Name the source of the statistics."),
                    problem,
                )

    # -- activities and indicators

    def institution(self, line: int, key: str, name: str, item) -> Institution | None:
        found = self.institutions.get(fold(name), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.error(
                line,
                key,
                _("Two institutions of this council are called “%(name)s”: the import cannot tell which.")
                % {"name": name},
                item,
            )
            return None
        message = _("“%(name)s” is not an institution that sits on this council.") % {"name": name}
        suggestions = self.suggest(name)
        if suggestions:
            message += " " + _("Did you mean: %(names)s?") % {"names": "; ".join(suggestions)}
        message += " " + _("The sheet “%(sheet)s” of the template lists the names to use.") % {
            "sheet": SHEET_INSTITUTIONS
        }
        self.error(line, key, message, item)
        return None

    def suggest(self, name: str) -> list[str]:
        """Up to three seated institutions whose name is close to ``name``: by spelling, else by
        the most words in common (their first five letters, so "Policia" finds "Policisë")."""
        names = {key: found[0].name for key, found in self.institutions.items()}
        wanted = fold(name)
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
        if not close:
            stems = {w[:5] for w in re.findall(r"\w+", wanted) if len(w) >= 4}
            scores = {key: sum(stem in key for stem in stems) for key in names}
            best = max(scores.values(), default=0)
            close = [key for key, score in scores.items() if score and score == best][:3]
        return [names[key] for key in close]

    def new_activity(self, line: int, values: dict, problem: ProblemRow) -> ActivityRow:
        activity = ActivityRow(line=line, text=self.text(line, values, "activity"))
        problem.activities.append(activity)
        activity.lead_text = " ".join(_text(values.get("lead")).split())
        if not activity.lead_text:
            self.error(line, "lead", _("Choose the lead institution."), activity)
        else:
            activity.lead = self.institution(line, "lead", activity.lead_text, activity)
        activity.partners_text = _text(values.get("partners"))
        for name in re.split(r"[;\n]", activity.partners_text):
            name = " ".join(name.split())
            if not name:
                continue
            partner = self.institution(line, "partners", name, activity)
            if partner and partner not in activity.partners and partner != activity.lead:
                activity.partners.append(partner)
        raw = values.get("deadline")
        activity.deadline_raw = _text(raw)
        example = _(
            "Write, for example, 30.06.2025, 6 mujori i parë, tremujori i dytë, çdo 2 muaj, çdo muaj "
            "or gjatë gjithë vitit."
        )
        if not activity.deadline_raw:
            self.error(line, "deadline", _("Give the deadline.") + " " + example, activity)
            return activity
        try:
            activity.deadline = parse_deadline(raw)
        except DeadlineError:
            self.error(line, "deadline", _("Say every how many months (1 to 12)."), activity)
            return activity
        if activity.deadline is None:
            self.error(
                line,
                "deadline",
                _("“%(value)s” is not a deadline the import understands.") % {"value": activity.deadline_raw}
                + " "
                + example,
                activity,
            )
        return activity

    def new_indicator(self, line: int, values: dict, activity: ActivityRow) -> None:
        indicator = IndicatorRow(line=line, name=self.text(line, values, "indicator"))
        activity.indicators.append(indicator)
        if not indicator.name:
            self.error(line, "indicator", _("Name the indicator."), indicator)
        indicator.unit = self.text(line, values, "unit")
        for key in ("baseline", "target"):
            raw = values.get(key)
            try:
                setattr(indicator, key, parse_number(raw))
            except NumberError:
                self.error(
                    line,
                    key,
                    _("“%(value)s” is not a number (or it is too large). Write, for example, 12 or 12,5.")
                    % {"value": _text(raw)},
                    indicator,
                )
        frequency = _text(values.get("frequency"))
        if frequency:
            indicator.frequency = parse_frequency(frequency) or ""
            if not indicator.frequency:
                self.error(
                    line,
                    "frequency",
                    _(
                        "“%(value)s” is not a frequency. Write mujore, tremujore, gjashtëmujore, "
                        "vjetore or një herë."
                    )
                    % {"value": frequency},
                    indicator,
                )


def _read_sheet(sheet, council: Council, result: ImportResult) -> None:
    # The size a sheet declares may be wrong either way: read to its real end, within MAX_LINES.
    sheet.reset_dimensions()
    lines = enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1)
    header = _find_header(lines)
    if header is None:
        _file_error(
            result,
            _(
                "The header row was not found. The first row of the sheet “%(sheet)s” must hold the "
                "column names of the template: %(names)s."
            )
            % {"sheet": SHEET_PLAN, "names": ", ".join(c.header for c in COLUMNS)},
        )
        return
    _line, columns, labels = header
    missing = [COLUMN[key].header for key in REQUIRED if key not in columns]
    if missing:
        _file_error(
            result,
            _("These columns are missing: %(names)s. Start from the template.")
            % {"names": ", ".join(missing)},
        )
        return
    result.letters = {key: _column_letter(index) for key, index in columns.items()}
    reader = _Reader(council, result, columns, labels)
    rows = 0
    for number, values in lines:
        if number > MAX_LINES:
            _file_error(
                result,
                _("The sheet goes on past line %(lines)d. Delete the lines below the plan and upload again.")
                % {"lines": MAX_LINES},
            )
            break
        cells = {key: values[index] if index < len(values) else None for key, index in columns.items()}
        if all(_text(value) == "" for value in cells.values()):
            continue
        rows += 1
        if rows > MAX_ROWS:
            _file_error(
                result,
                _("The plan has more than %(count)d lines; the import reads at most %(count)d.")
                % {"count": MAX_ROWS},
            )
            break
        reader.line(number, cells)
    reader.finish_problems()
    result.errors.sort(key=lambda e: (e.row or 0, e.column))


def _check_against(result: ImportResult, version: PlanVersion) -> None:
    taken = set(version.problems.values_list("number", flat=True))
    for problem in result.problems:
        if problem.number in taken:
            message = _(
                "Version %(version)d already has a problem numbered %(number)s. Give this one another "
                "number, or remove that row from the draft first."
            ) % {"version": version.number, "number": problem.number}
            result.errors.append(
                RowError(problem.line, result.letters.get("number", ""), COLUMN["number"].header, message)
            )
            problem.errors.append(message)
    result.errors.sort(key=lambda e: (e.row or 0, e.column))


# --- where the rows go --------------------------------------------------------------------------


@dataclass
class ImportTarget:
    """Where an import of the year's plan lands: the open draft (or a new first draft), or why it
    cannot land anywhere now."""

    version: PlanVersion | None
    blocked: str = ""


def import_target(council: Council, year: int) -> ImportTarget:
    plan = Plan.objects.filter(council=council, year=year).first()
    if plan is None:
        return ImportTarget(None)
    versions = list(plan.versions.order_by("-number"))
    open_version = next((v for v in versions if v.status in PlanVersion.OPEN_STATUSES), None)
    if open_version is None:
        if versions:
            return ImportTarget(
                versions[0],
                _(
                    "The %(year)d plan is approved and has no draft. Revise the approved version first; "
                    "the import then adds its rows to the new draft."
                )
                % {"year": year},
            )
        return ImportTarget(None)
    if open_version.status != PlanVersion.Status.DRAFT:
        return ImportTarget(
            open_version,
            _(
                "Version %(version)d is with the chair for approval. Rows can be imported once the "
                "chair returns it as a draft."
            )
            % {"version": open_version.number},
        )
    return ImportTarget(open_version)


@transaction.atomic
def plan_import(*, council: Council, year: int, result: ImportResult) -> PlanVersion:
    """Write the checked rows into the year's open draft (started if there is none), through the
    services: every row or none. A ValidationError names the line it failed on."""
    if not result.problems:
        raise ValidationError(_("There is nothing to import."))
    version = services.plan_start(council=council, year=year)
    if version.status != PlanVersion.Status.DRAFT:
        raise ValidationError(import_target(council, year).blocked or _("Only a draft can be edited."))
    for problem in result.problems:
        with _at_line(problem.line):
            row = services.problem_add(version=version, **problem.service_fields())
        for activity in problem.activities:
            deadline = activity.deadline
            with _at_line(activity.line):
                added = services.activity_add(
                    problem=row,
                    partners=activity.partners,
                    text=activity.text,
                    lead=activity.lead,
                    deadline_kind=deadline.kind,
                    deadline_date=deadline.day,
                    deadline_period=deadline.period,
                    deadline_every_months=deadline.every_months,
                )
            for indicator in activity.indicators:
                with _at_line(indicator.line):
                    services.indicator_add(
                        activity=added,
                        name=indicator.name,
                        unit=indicator.unit,
                        baseline=indicator.baseline,
                        target=indicator.target,
                        frequency=indicator.frequency,
                    )
    return version


class _at_line:
    """Re-raise a service's ValidationError with the spreadsheet line it came from."""

    def __init__(self, line: int):
        self.line = line

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, ValidationError) and not isinstance(error, services.VersionLocked):
            raise ValidationError(
                _("Line %(line)d: %(problem)s") % {"line": self.line, "problem": " ".join(error.messages)}
            ) from error
        return False


# --- writing a workbook -------------------------------------------------------------------------


def template_workbook(council: Council) -> bytes:
    """The empty template: the sheet "Plani", the council's institutions and the instructions."""
    return _workbook(council, [])


def plan_workbook(version: PlanVersion) -> bytes:
    """The version in the template's format, so a plan exported and imported again is the same."""
    from django.db.models import Prefetch

    problems = version.problems.prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.select_related("lead").prefetch_related("partners", "indicators"),
        )
    ).order_by("position")
    return _workbook(version.plan.council, list(problems))


def _plan_lines(problems: list[PlanProblem]) -> list[list]:
    lines = []
    for problem in problems:
        head = [
            problem.number,
            problem.title,
            problem.description,
            problem.statistics,
            problem.statistics_source,
            problem.provenance,
            PRIORITY_TEXT.get(problem.priority, problem.priority),
        ]
        # The following lines of a problem repeat its number and name only.
        follow = [problem.number, problem.title, "", "", "", "", ""]
        activities = list(problem.activities.all())
        if not activities:
            lines.append(head + [""] * 9)
        for a_index, activity in enumerate(activities):
            partners = sorted(activity.partners.all(), key=lambda p: p.name)
            indicators = list(activity.indicators.all())
            base = (head if a_index == 0 else follow) + [
                activity.text,
                activity.lead.name,
                "; ".join(p.name for p in partners),
                deadline_text(activity.deadline),
            ]
            if not indicators:
                lines.append(base + [""] * 5)
            for i_index, indicator in enumerate(indicators):
                values = [
                    indicator.name,
                    indicator.unit,
                    indicator.baseline,
                    indicator.target,
                    FREQUENCY_TEXT.get(indicator.frequency, indicator.frequency),
                ]
                lines.append((base if i_index == 0 else follow + [""] * 4) + values)
    return lines


def _workbook(council: Council, problems: list[PlanProblem]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    workbook.properties.creator = "KVSP"
    workbook.properties.title = f"{SHEET_PLAN} — {council}"

    sheet = workbook.active
    sheet.title = SHEET_PLAN
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = wrap
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("number", "deadline"):
            # Typed as text, so 1.10 stays 1.10 and a date stays as written.
            sheet.column_dimensions[letter].number_format = "@"
    numeric = {"baseline", "target"}
    for line in _plan_lines(problems):
        row = []
        for column, value in zip(COLUMNS, line, strict=True):
            if column.key in numeric:
                row.append(value)
            else:
                row.append(safe_cell(value) if value not in (None, "") else None)
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if COLUMNS[cell.column - 1].key in ("number", "deadline"):
                cell.number_format = "@"
    last = max(MAX_ROWS, sheet.max_row) + 1
    letters = {column.key: _column_letter(i) for i, column in enumerate(COLUMNS)}
    priorities = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(PRIORITY_TEXT.values())),
        allow_blank=True,
        errorStyle="warning",
    )
    priorities.add(f"{letters['priority']}2:{letters['priority']}{last}")
    frequencies = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(FREQUENCY_TEXT.values())),
        allow_blank=True,
        errorStyle="warning",
    )
    frequencies.add(f"{letters['frequency']}2:{letters['frequency']}{last}")
    sheet.add_data_validation(priorities)
    sheet.add_data_validation(frequencies)

    seated = list(
        Institution.objects.filter(pk__in=council.seats.active().values("institution_id")).order_by("name")
    )
    institutions = workbook.create_sheet(SHEET_INSTITUTIONS)
    institutions.append(["Institucioni", "Kategoria"])
    for cell in institutions[1]:
        cell.font = bold
        cell.fill = fill
    for institution in seated:
        institutions.append([safe_cell(institution.name), safe_cell(institution.get_category_display())])
    institutions.freeze_panes = "A2"
    institutions.column_dimensions["A"].width = 60
    institutions.column_dimensions["B"].width = 45
    if seated:
        leads = DataValidation(
            type="list",
            formula1=f"{SHEET_INSTITUTIONS}!$A$2:$A${len(seated) + 1}",
            allow_blank=True,
            errorStyle="warning",
        )
        leads.add(f"{letters['lead']}2:{letters['lead']}{last}")
        sheet.add_data_validation(leads)

    guide = workbook.create_sheet(SHEET_GUIDE)
    guide.column_dimensions["A"].width = 120
    for index, text in enumerate(_instructions(council)):
        guide.append([safe_cell(text)])
        cell = guide.cell(row=index + 1, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if index == 0:
            cell.font = Font(bold=True, size=13)
    guide.append([])
    guide.append([_("An example (do not copy it into the sheet “%(sheet)s” as is):") % {"sheet": SHEET_PLAN}])
    guide.cell(row=guide.max_row, column=1).font = bold
    example_start = guide.max_row + 1
    guide.append([column.header for column in COLUMNS])
    for cell in guide[example_start]:
        cell.font = bold
    for line in _example_lines():
        guide.append(line)

    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(council: Council) -> list[str]:
    return [
        _("How to fill in the plan of %(council)s") % {"council": council},
        _(
            "Write the plan in the sheet “%(sheet)s”, one line per activity, as in Table 1 of the guide. "
            "Do not change the column names in the first row."
        )
        % {"sheet": SHEET_PLAN},
        _(
            "Nr.: the problem's number, for example 1.4. The following lines of the same problem repeat "
            "its number; its other columns may stay empty on those lines."
        ),
        _(
            "Problematika e identifikuar, Përshkrimi, Statistikat, Burimi i statistikave, Shënim: the "
            "problem, its description, its statistics and their source, and a note on where it comes "
            "from (for example: updated at the council meeting of 03.02.2022). Statistics need a source."
        ),
        _("Prioriteti: i lartë, i moderuar or i ulët."),
        _(
            "Institucioni drejtues and Partnerët: the names exactly as in the sheet “%(sheet)s”, only "
            "institutions that sit on the council. Separate partners with a semicolon (;)."
        )
        % {"sheet": SHEET_INSTITUTIONS},
        _(
            "Afati: a date (30.06.2025), “6 mujori i parë”, “6 mujori i dytë”, “tremujori i parë” to "
            "“tremujori i katërt”, “çdo 2 muaj”, “çdo muaj” or “gjatë gjithë vitit”. English works "
            "too: “first six months”, “third quarter”, “every 2 months”, “all year”."
        ),
        _(
            "Treguesi, Njësia, Vlera bazë, Synimi, Shpeshtësia: the activity's indicator. For another "
            "indicator of the same activity add a line with the problem's number, leave Aktiviteti "
            "empty and fill in only these columns."
        ),
        _(
            "Vlera bazë and Synimi are numbers (12 or 12,5). Shpeshtësia: mujore, tremujore, "
            "gjashtëmujore, vjetore or një herë."
        ),
        _(
            "Formulas are read as their values. At most %(count)d lines are read. Upload the file on "
            "the plan's import page: every line is checked and shown before anything is saved."
        )
        % {"count": MAX_ROWS},
    ]


def _example_lines() -> list[list]:
    return [
        [
            "1.4",
            "Përdorimi i drogës te të rinjtë",
            "Raste të shtuara pranë shkollave.",
            "12 raste në 2021",
            "Drejtoria Vendore e Policisë",
            "Përditësuar në mbledhjen e KVSP të datës 03.02.2022",
            "i lartë",
            "Orë edukative ligjore në shkolla",
            "Drejtoria Vendore e Policisë",
            "Bashkia; Zyra Arsimore Vendore",
            "6 mujori i parë",
            "Orë të zhvilluara",
            "orë",
            0,
            10,
            "tremujore",
        ],
        [
            "1.4",
            "Përdorimi i drogës te të rinjtë",
            "",
            "",
            "",
            "",
            "",
            "Patrullime pranë shkollave",
            "Drejtoria Vendore e Policisë",
            "",
            "çdo muaj",
            "Patrullime",
            "patrullime",
            "",
            12,
            "mujore",
        ],
    ]
