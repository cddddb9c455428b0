"""When a campaign's rounds open: pure date arithmetic, no queries."""

from __future__ import annotations

import datetime

from feedback.models import Schedule

# A round opens early in each term (fall, spring) or each school quarter.
TERM_OPENINGS = ((10, 1), (3, 1))
QUARTER_OPENINGS = ((9, 15), (11, 15), (2, 1), (4, 15))


def opening_dates(*, schedule: str, dates: list[datetime.date], start: datetime.date, end: datetime.date):
    """The days in [start, end] on which a round of this schedule opens, in order."""
    if schedule == Schedule.DATES:
        return sorted(day for day in set(dates) if start <= day <= end)
    if schedule == Schedule.ONCE:
        return [start] if start <= end else []
    pattern = TERM_OPENINGS if schedule == Schedule.TERM else QUARTER_OPENINGS
    found = []
    for year in range(start.year, end.year + 1):
        for month, day in pattern:
            candidate = datetime.date(year, month, day)
            if start <= candidate <= end:
                found.append(candidate)
    return sorted(found)


def due_opening(
    *,
    schedule: str,
    dates: list[datetime.date],
    starts_on: datetime.date,
    open_days: int,
    today: datetime.date,
) -> datetime.date | None:
    """The opening day whose round should be open today, if any: the latest on or before today whose
    open window has not passed (a dispatcher that was down for a day still opens it; a window that
    ended meanwhile is skipped rather than opened late)."""
    window_start = max(starts_on, today - datetime.timedelta(days=open_days - 1))
    found = opening_dates(schedule=schedule, dates=dates, start=window_start, end=today)
    return found[-1] if found else None
