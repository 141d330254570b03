"""The workbook's vocabulary: its sheets and columns (with the other names a header may have), and
the words people type for priorities, frequencies and deadlines, in Albanian or English, with or
without ë and ç. Reading (``reading``) and the template (``plans.exports.workbook``) both speak it,
so a plan exported and imported again is the same.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import translation

from consultations.models import Intensity

from ..deadlines import Deadline
from ..models import Indicator
from .cells import cell_text

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
    Column(
        "activity",
        "Aktiviteti",
        (
            "aktivitetet",
            "aktivitete",
            "activity",
            "activities",
            "aktivitetet qe duhet te ndermerren per adresimin e problematikes",
        ),
        45,
    ),
    # Optional: an activity's own lead, one of the council's member institutions.
    Column("lead", "Institucioni drejtues", ("lead institution", "lead", "drejtues"), 32),
    # Who is responsible, as Table 1's "Institucioni përgjegjës": member institutions and other
    # actors, separated by ";". On a problem's first line the row's, on a later line the activity's.
    Column(
        "partners",
        "Institucioni përgjegjës",
        (
            "institucionet pergjegjese",
            "pergjegjes",
            "pergjegjesit",
            "institucionet aktoret pergjegjes",
            "institucione aktore pergjegjes",
            "partneret",
            "institucionet partnere",
            "partners",
            "partner institutions",
            "responsible",
            "responsible institution",
            "responsible institutions",
            "responsible institutions actors",
            "responsible actors",
        ),
        36,
    ),
    Column("deadline", "Afati", ("afati kohor", "deadline", "timeframe", "time frame"), 20),
    Column("indicator", "Treguesi", ("treguesit", "indicator", "indicators"), 30),
    Column("unit", "Njësia", ("njesia matese", "unit"), 10),
    Column("baseline", "Vlera bazë", ("vlera fillestare", "baseline"), 11),
    Column("target", "Synimi", ("vlera e synuar", "target"), 10),
    Column("frequency", "Shpeshtësia", ("shpeshtesia e matjes", "frequency", "measured"), 14),
)
COLUMN = {column.key: column for column in COLUMNS}
REQUIRED = ("number", "title", "priority", "activity", "deadline")
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


def header_key(text) -> str | None:
    if text is None:
        return None
    cleaned = re.sub(r"\(.*?\)", " ", str(text))
    wanted = " ".join(re.sub(r"[^\w ]", " ", fold(cleaned)).split())
    for column in COLUMNS:
        names = {" ".join(re.sub(r"[^\w ]", " ", fold(column.header)).split()), *column.aliases}
        if wanted in names:
            return column.key
    return None


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


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
    text = fold(cell_text(value)).rstrip(".;,")
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
