"""Calendar arithmetic for the rules: months and half-years of a year, when a period counts for a
council that began during it, and from when a part of the model is measured.
"""

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def halves(year: int) -> list[tuple[date, date]]:
    return [(date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))]


def months(year: int) -> list[tuple[date, date]]:
    return [(date(year, month, 1), month_end(year, month)) for month in range(1, 13)]


def month_starts(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]


def covered(period: tuple[date, date], since: date) -> bool:
    """A period counts when the council existed, and kept that part here, for at least half of it
    (counted in whole days: 15 of April's 30 are half)."""
    start, end = period
    if since <= start:
        return True
    existed = (end - since).days + 1
    return 2 * existed >= (end - start).days + 1


def is_over(period: tuple[date, date], as_of: date) -> bool:
    return period[1] < as_of


def divmod_month(year: int, month: int) -> tuple[int, int]:
    """(year, month) of a month number that may run past December."""
    return year + (month - 1) // 12, (month - 1) % 12 + 1


def measured_from(*starts: date | None, founded: date | None) -> date | None:
    """When a part is measured from: its first recorded fact, or the founding if that is later."""
    known = [start for start in starts if start is not None]
    if not known:
        return None
    first = min(known)
    return max(first, founded) if founded else first
