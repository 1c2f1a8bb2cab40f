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


# ---------------------------------------------------------------- recommendations and assessments (#14)


def figures_for(period: periods.Period, indicator_ids, *, high_water=None, as_of=None) -> dict:
    """{indicator id: (Indicator, Figure)} for core and theme indicators alike (the same definitions)."""
    from gmmp.indicators import domains

    out = {}
    core_ids = [i for i in indicator_ids if i in definitions.ORDER]
    if core_ids:
        table = engine.compute(period, high_water=high_water)
        for i in core_ids:
            out[i] = (table.indicator(i), table.total.figures[i])
    theme_ids = [i for i in indicator_ids if i not in out]
    for indicator_set in domains.SETS.values():
        wanted = [i for i in theme_ids if i in indicator_set.ids]
        if wanted:
            set_table = domains.compute_set(indicator_set.id, period, as_of=as_of)
            for i in wanted:
                out[i] = (definitions.get(i), set_table.total.figures[i])
    return out


@dataclass
class RecommendationTrend:
    recommendation: object
    baseline: periods.Period
    quarters: list  # periods since adoption, oldest first
    series: dict  # indicator id -> [(Indicator, Figure)] : baseline then each quarter


def recommendations_with_trend(today: dt.date, *, max_quarters: int = 8) -> list[RecommendationTrend]:
    """Each tracked recommendation with, for each indicator it aims at, the last complete quarter before its
    adoption (baseline) then every complete quarter since (at most `max_quarters`, the most recent)."""
    from .models import Recommendation

    recommendations = list(
        Recommendation.objects.select_related("milestone", "outcome__meeting", "owner").prefetch_related(
            "updates"
        )
    )
    last = periods.last_complete_quarter(today)
    high_water = engine.ledger_high_water()
    cache: dict = {}

    def figures(period, ids):
        missing = [i for i in ids if (period, i) not in cache]
        if missing:
            for i, pair in figures_for(period, missing, high_water=high_water).items():
                cache[(period, i)] = pair
        return {i: cache.get((period, i)) for i in ids}

    out = []
    for rec in recommendations:
        baseline = periods.last_complete_quarter(rec.adopted_on)
        quarters, q = [], baseline
        while q.last_day < last.last_day:
            following = periods.add_months(q.first_day, 3)
            q = periods.quarter(following.year, (following.month - 1) // 3 + 1)
            quarters.append(q)
        quarters = quarters[-max_quarters:]
        ids = [i for i in rec.indicator_ids if i in definitions.REGISTRY]
        series: dict[str, list] = {i: [] for i in ids}
        for period in [baseline, *quarters]:
            for i, pair in figures(period, ids).items():
                series[i].append(pair)
        out.append(RecommendationTrend(rec, baseline, quarters, series))
    return out


def assessment_figures(assessment, lang: str) -> dict:
    """The quarter's figures beside the readings: the core summary and each theme, frozen at the first
    signature (ledger mark and instant), live before."""
    from gmmp.indicators import chapters
    from gmmp.indicators.report import summary_rows

    period = periods.quarter(assessment.quarter.year, (assessment.quarter.month - 1) // 3 + 1)
    high_water = assessment.ledger_high_water
    table = engine.compute(period, high_water=high_water)
    previous = engine.compute(period.previous(), high_water=table.high_water)
    return {
        "period": period,
        "summary": summary_rows(table, previous, lang),
        "themes": [
            chapters.theme_block(
                s,
                period,
                lang,
                as_of=assessment.figures_as_of,
                core_high_water=table.high_water,
                with_charts=False,
            )
            for s in chapters.domains.SETS
        ],
    }
