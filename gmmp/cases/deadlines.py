"""Deadline arithmetic: pure functions of dates and the rules in force (no database access here).

Day counting: the detention start is day 0; a stage of N days ends on start + N days. On that date the
detention must have been extended by a judge, or the person is released. The last stage is the hard cap.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DetentionClock:
    start: dt.date
    today: dt.date
    days_elapsed: int
    stage_days: int | None  # the stage the detention is in (4, 30, 60…), None when the cap has passed
    stage_end: dt.date | None  # when the current stage ends (a judge must extend, or release)
    release_by: dt.date  # hard cap: the date by which the person will be released
    ended: bool

    @property
    def days_left(self) -> int:
        return (self.release_by - self.today).days


def detention_clock(start: dt.date, today: dt.date, stages: list[int]) -> DetentionClock:
    ordered = sorted(stages)
    elapsed = (today - start).days
    release_by = start + dt.timedelta(days=ordered[-1])
    current = next((s for s in ordered if elapsed < s), None)
    return DetentionClock(
        start=start,
        today=today,
        days_elapsed=elapsed,
        stage_days=current,
        stage_end=start + dt.timedelta(days=current) if current is not None else None,
        release_by=release_by,
        ended=current is None,
    )


def detention_end(start: dt.date | None, stages: list[int]) -> dt.date | None:
    return start + dt.timedelta(days=max(stages)) if start else None


def reply_due(routed_on: dt.date, reply_deadline_days: int) -> dt.date:
    return routed_on + dt.timedelta(days=reply_deadline_days)


@dataclass(frozen=True)
class Urgency:
    overdue: bool
    due_soon: bool
    due_date: dt.date | None  # the earliest date that matters: the reply due or the release


def urgency(*, today: dt.date, due_dates: list[dt.date | None], due_soon_days: int) -> Urgency:
    dates = [d for d in due_dates if d is not None]
    if not dates:
        return Urgency(False, False, None)
    first = min(dates)
    return Urgency(
        overdue=first < today,
        due_soon=today <= first <= today + dt.timedelta(days=due_soon_days),
        due_date=first,
    )
