"""Periods as explicit values: parse the text a file or a caller gives
('2024', '2024-Q1', '2024-03', '2024-01-01', '2024-01-01/2024-06-30') into a
kind with a first and last day, and find or create the matching rows."""

import calendar
import datetime
import re

from .models import Period, PeriodKind, period_label

PERIOD_ALLOWED = (
    "een jaar (2024), kwartaal (2024-Q1), maand (2024-03), datum (2024-01-01) "
    "of periode (2024-01-01/2024-06-30)"
)
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?[QqKk]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

PeriodKey = tuple[str, datetime.date, datetime.date]


def parse_period(text) -> PeriodKey:
    """Return (kind, start, end) or raise ValueError.

    >>> parse_period("2024-Q2")
    ('quarter', datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
    >>> parse_period(2023)[0]
    'year'
    """
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    value = str(text).strip()
    if match := _YEAR.match(value):
        year = int(match[1])
        _check_year(year, value)
        return (
            PeriodKind.YEAR.value,
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
        )
    if match := _QUARTER.match(value):
        year, quarter = int(match[1]), int(match[2])
        _check_year(year, value)
        first = 3 * (quarter - 1) + 1
        last = first + 2
        end = datetime.date(year, last, calendar.monthrange(year, last)[1])
        return PeriodKind.QUARTER.value, datetime.date(year, first, 1), end
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        _check_year(year, value)
        if not 1 <= month <= 12:
            raise ValueError(value)
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        return PeriodKind.MONTH.value, datetime.date(year, month, 1), end
    if match := _DATE.match(value):
        day = _date(value)
        return PeriodKind.DATE.value, day, day
    if "/" in value:
        first, _, last = value.partition("/")
        start, end = _date(first.strip()), _date(last.strip())
        if end < start:
            raise ValueError(value)
        return PeriodKind.RANGE.value, start, end
    raise ValueError(value)


def _check_year(year: int, value: str) -> None:
    if not 1800 <= year <= 2200:
        raise ValueError(value)


def _date(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(value) from exc
    _check_year(day.year, value)
    return day


def label(key: PeriodKey) -> str:
    return period_label(*key)


def ensure_periods(keys: set[PeriodKey]) -> dict[PeriodKey, int]:
    """Return the ids of the periods, creating the missing ones."""
    existing = {
        (p.kind, p.start, p.end): p.pk
        for p in Period.objects.filter(start__in={k[1] for k in keys})
    }
    missing = [
        Period(kind=k, start=s, end=e) for k, s, e in keys if (k, s, e) not in existing
    ]
    if missing:
        Period.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {
            (p.kind, p.start, p.end): p.pk
            for p in Period.objects.filter(start__in={k[1] for k in keys})
        }
    return {k: existing[k] for k in keys}
