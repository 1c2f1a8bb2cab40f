"""Reads for the follow-up: the meetings, and what stood before a given meeting."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from gmmp.indicators import definitions, engine, periods

from .models import OPEN_STATUSES, ActionItem, ActionUpdate, Meeting, Milestone


def meetings_timeline():
    """Meetings and milestones together, most recent first."""
    items = [("meeting", m.date, m) for m in Meeting.objects.all()]
    items += [("milestone", m.date, m) for m in Milestone.objects.all()]
    return sorted(items, key=lambda item: item[1], reverse=True)


def meeting_get(pk: int) -> Meeting | None:
    return (
        Meeting.objects.filter(pk=pk)
        .prefetch_related(
            "participants__organisation",
            "agenda",
            "outcomes",
            Prefetch("actions", queryset=ActionItem.objects.select_related("owner")),
        )
        .first()
    )


@dataclass
class IndicatorTrack:
    indicator: definitions.Indicator
    then_period: periods.Period
    now_period: periods.Period
    then: engine.Figure
    now: engine.Figure


def meeting_previous(before: dt.date) -> Meeting | None:
    return Meeting.objects.filter(date__lt=before).order_by("-date").first()


def followup_for(meeting: Meeting | None, today: dt.date) -> dict:
    """Before `meeting` (or before the next one, when None): what the previous meeting decided, where every
    action still open (or decided there) stands, and how the indicators the actions aim to move have
    changed since: the last complete quarter before the previous meeting against the last one now."""
    before = meeting.date if meeting else today + dt.timedelta(days=1)
    previous = meeting_previous(before)
    actions = (
        ActionItem.objects.filter(meeting__date__lt=before)
        .select_related("owner", "meeting", "outcome")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("by")))
        .order_by("meeting__date", "due_date", "pk")
    )
    relevant = [a for a in actions if a.status in OPEN_STATUSES or (previous and a.meeting_id == previous.pk)]
    tracks = []
    indicator_ids = sorted({a.indicator_id for a in relevant if a.indicator_id})
    if indicator_ids and previous is not None:
        then_period = periods.last_complete_quarter(previous.date)
        now_period = periods.last_complete_quarter(min(before, today))
        high_water = engine.ledger_high_water()
        then = engine.compute(then_period, high_water=high_water).total
        now = engine.compute(now_period, high_water=high_water).total
        for i in indicator_ids:
            if i in then.figures:
                tracks.append(
                    IndicatorTrack(
                        definitions.get(i), then_period, now_period, then.figures[i], now.figures[i]
                    )
                )
    return {
        "previous": previous,
        "previous_outcomes": list(previous.outcomes.all()) if previous else [],
        "actions": relevant,
        "overdue": [a for a in relevant if a.is_overdue(today)],
        "tracks": tracks,
    }
