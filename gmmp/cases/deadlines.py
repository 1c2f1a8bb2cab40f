"""Deadline arithmetic: pure functions of dates and the rules in force (no database access here).

Day counting: the detention start is day 0; a stage of N days ends on start + N days. On that date the
detention must have been extended by a judge, or the person is released. The last stage is the hard cap.
Only what a judge actually authorised counts (DOMAIN.md): the release date is the end of the last
extension granted (the first stage without one), or the day of a recorded release, never the cap by default.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DetentionClock:
    start: dt.date
    today: dt.date
    days_elapsed: int
    stage_days: int | None  # days of detention authorised so far (4, then 30 after an extension…)
    stage_end: dt.date | None  # end of the authorised period (a judge must extend, or the person is released)
    release_by: dt.date  # the release date: end of the period actually authorised, or the recorded release
    ended: bool  # the authorised period is over or the person was released
    cap: dt.date  # the legal maximum (start + last stage): never beyond it
    released_on: dt.date | None = None  # a recorded release (judge, cap reached, appeal, asylum…)
    next_stage_days: int | None = None  # the next extension a judge may grant, None at the cap

    @property
    def days_left(self) -> int:
        return (self.release_by - self.today).days


RELEASING = frozenset({"extension_refused", "release_ordered", "released"})


def authorised_end(start: dt.date, stages: list[int], events=()) -> tuple[dt.date, dt.date | None]:
    """(end of the period a judge actually authorised, release date if one was recorded).

    Without any decision, the first stage (the préfecture's own placement) is all that is authorised; each
    extension granted moves the end to its date, never beyond the cap; a refusal, a release order or a
    release ends it on its date. `events`: objects with `kind`, `on`, `extended_to`, in time order."""
    ordered = sorted(stages)
    cap = start + dt.timedelta(days=ordered[-1])
    end = start + dt.timedelta(days=ordered[0])
    released = None
    for event in events:
        if event.kind == "extension_granted" and event.extended_to:
            end = min(max(end, event.extended_to), cap)
        elif event.kind in RELEASING:
            released = event.on if released is None else min(released, event.on)
    if released is not None:
        end = min(end, released)
    return end, released


def detention_clock(start: dt.date, today: dt.date, stages: list[int], events=()) -> DetentionClock:
    ordered = sorted(stages)
    elapsed = (today - start).days
    end, released = authorised_end(start, ordered, events)
    authorised = (end - start).days
    return DetentionClock(
        start=start,
        today=today,
        days_elapsed=elapsed,
        stage_days=authorised,
        stage_end=end,
        release_by=end,
        ended=released is not None or today >= end,
        cap=start + dt.timedelta(days=ordered[-1]),
        released_on=released,
        next_stage_days=next((s for s in ordered if s > authorised), None) if released is None else None,
    )


def detention_end(start: dt.date | None, stages: list[int], events=()) -> dt.date | None:
    """The release date kept on the case (to sort queues in SQL): end of the authorised period."""
    return authorised_end(start, stages, events)[0] if start else None


def pending_suspensive(events) -> dict:
    """Suspensive procedures still pending: {"appeal": n, "asylum": n}; no removal while any is."""
    appeals = asylum = 0
    for event in events:
        if event.kind == "appeal_lodged" and event.suspensive:
            appeals += 1
        elif event.kind == "appeal_decided":
            appeals = max(0, appeals - 1)
        elif event.kind == "asylum_claimed":
            asylum += 1
        elif event.kind == "asylum_decided":
            asylum = max(0, asylum - 1)
    return {"appeal": appeals, "asylum": asylum}


def pending_suspensive_events(events) -> list:
    """The suspensive procedures still pending, as the events that lodged them (oldest first): as many of the
    latest suspensive appeals and asylum claims as `pending_suspensive` counts pending (a decision is not tied
    to one claim; the latest ones stay pending)."""
    events = list(events)
    pending = pending_suspensive(events)
    appeals = [e for e in events if e.kind == "appeal_lodged" and e.suspensive]
    claims = [e for e in events if e.kind == "asylum_claimed"]
    kept = appeals[len(appeals) - pending["appeal"] :] + claims[len(claims) - pending["asylum"] :]
    return sorted(kept, key=events.index)


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
