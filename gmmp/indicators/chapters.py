"""The theme indicators (legal mobility, irregular migration) laid out for the dashboard's tabs and the
quarterly report's chapters: the same rows, charts and formatting in both."""

import datetime as dt

from django.utils.translation import gettext as _

from . import charts, domains, engine
from .periods import Period
from .report import fmt_change, fmt_ratio, fmt_value, month_label

# The counts drawn month by month in each theme's chart.
CHART_IDS = {
    "students": ["student_visa_applications", "student_visas_issued", "student_visas_refused"],
    "seasonal": ["seasonal_arrivals", "seasonal_contracts_ended", "seasonal_returned"],
    "irregular": [],
}
# Readmission figures shown beside each side's irregular migration figures.
BESIDE = {"irregular": ["departures_executed", "readmissions_confirmed"]}


def _rows(table: domains.SetTable, previous: domains.SetTable | None, lang: str) -> list[dict]:
    rows = []
    for indicator in table.indicators:
        now = table.total.figures[indicator.id]
        row = {
            "id": indicator.id,
            "version": indicator.version,
            "name": indicator.text("name", lang),
            "value": fmt_value(indicator, now),
            "ratio": fmt_ratio(now),
            "unit": indicator.unit,
        }
        if previous is not None:
            before = previous.total.figures[indicator.id]
            row["previous"] = fmt_value(indicator, before)
            row["change"], row["direction"] = fmt_change(indicator, now, before)
        rows.append(row)
    return rows


def theme_block(
    set_id: str,
    period: Period,
    lang: str,
    *,
    breakdown: str = "",
    as_of: dt.datetime | None = None,
    versions: dict | None = None,
    core_high_water: int | None = None,
    with_charts: bool = True,
) -> dict:
    """One theme for a period: summary against the previous period, its own breakdown, a monthly chart."""
    indicator_set = domains.SETS[set_id]
    breakdown = breakdown or next(iter(indicator_set.breakdowns), "none")
    table = domains.compute_set(
        set_id, period, breakdown=breakdown, as_of=as_of, versions=versions, lang=lang
    )
    previous = domains.compute_set(set_id, period.previous(), as_of=table.as_of, versions=versions, lang=lang)
    block = {
        "id": set_id,
        "title": indicator_set.text(lang),
        "period": period,
        "previous_period": period.previous(),
        "rows": _rows(table, previous, lang),
        "breakdown": breakdown,
        "breakdown_label": (indicator_set.breakdowns.get(breakdown) or {}).get(lang, breakdown),
        "columns": [{"id": i.id, "name": i.text("name", lang)} for i in table.indicators],
        "breakdown_rows": [
            {
                "label": r.label,
                "cells": [
                    {"value": fmt_value(i, r.figures[i.id]), "ratio": fmt_ratio(r.figures[i.id])}
                    for i in table.indicators
                ],
            }
            for r in table.rows
        ],
        "definitions": [
            {
                "id": i.id,
                "version": i.version,
                "name": i.text("name", lang),
                "definition": i.text("definition", lang),
            }
            for i in table.indicators
        ],
        "charts": [],
        "beside": [],
        "table": table,
    }
    ids = CHART_IDS.get(set_id) or []
    if with_charts and ids:
        by_month = domains.compute_set(
            set_id, period, breakdown="month", as_of=table.as_of, versions=versions
        )
        months = [month_label(r.key) for r in by_month.rows]
        by_month_names = {x.id: x.text("name", lang) for x in by_month.indicators}
        svg = charts.grouped_bars(months, [[r.value(i) for r in by_month.rows] for i in ids])
        block["charts"].append(
            {
                "title": _("Par mois"),
                "uri": charts.data_uri(svg),
                "legend": [{"label": by_month_names[i], "color": charts.color(n)} for n, i in enumerate(ids)],
            }
        )
    if set_id in BESIDE:
        core = engine.compute(period, high_water=core_high_water)
        block["beside"] = [
            {
                "name": core.indicator(i).text("name", lang),
                "value": fmt_value(core.indicator(i), core.total.figures[i]),
            }
            for i in BESIDE[set_id]
        ]
    return block


def chapters(period: Period, lang: str, *, as_of=None, versions=None, core_high_water=None) -> list[dict]:
    """The report's two chapters, each with its themes."""
    out = []
    for chapter, title in domains.CHAPTERS.items():
        out.append(
            {
                "id": chapter,
                "title": title.get(lang) or title["fr"],
                "themes": [
                    theme_block(
                        s.id, period, lang, as_of=as_of, versions=versions, core_high_water=core_high_water
                    )
                    for s in domains.sets_in_chapter(chapter)
                ],
            }
        )
    return out
