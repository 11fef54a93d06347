"""The dates on which a group meets in a year, from its cadence.

A group that meets every N weeks meets on a fixed weekday from the second
week of January on, N weeks apart. A group that meets a number of times a
year meets on the second such weekday of months spread evenly over the ten
months outside July and August. A date on a Belgian public holiday moves to
the next working day.
"""

import datetime


def easter_sunday(year: int) -> datetime.date:
    """Return Easter Sunday (anonymous Gregorian algorithm).

    >>> easter_sunday(2026)
    datetime.date(2026, 4, 5)
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def public_holidays(year: int) -> set[datetime.date]:
    """The ten Belgian legal public holidays of the year."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + datetime.timedelta(days=d) for d in (1, 39, 50)]
    return {datetime.date(year, m, d) for m, d in fixed} | set(moving)


def _working_day(day: datetime.date, holidays: set[datetime.date]) -> datetime.date:
    while day in holidays or day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (n - 1))


WORKING_MONTHS = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]


def meeting_dates(group, year: int, *, weekday: int = 1) -> list[datetime.date]:
    """Return the year's meeting dates; empty when the group has no cadence.

    `weekday` counts from Monday = 0 (default Tuesday).
    """
    holidays = public_holidays(year)
    if group.every_weeks:
        day = datetime.date(year, 1, 8)
        day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
        dates = []
        while day.year == year:
            dates.append(_working_day(day, holidays))
            day += datetime.timedelta(weeks=group.every_weeks)
        return dates
    if group.per_year:
        count = group.per_year
        if count > len(WORKING_MONTHS):
            step = 52 // count
            start = _nth_weekday(year, 1, weekday, 2)
            return [
                _working_day(start + datetime.timedelta(weeks=step * i), holidays)
                for i in range(count)
            ]
        months = [
            WORKING_MONTHS[(i * len(WORKING_MONTHS)) // count] for i in range(count)
        ]
        return [
            _working_day(_nth_weekday(year, m, weekday, 2), holidays) for m in months
        ]
    return []
