"""The quarterly report: the figures of a recorded run laid out for the Group's table, in HTML then PDF.

The dashboard uses the same pieces (`summary_rows`, `theme_sections`, `consulate_rows`): the same charts,
the same formatting, the same numbers.
"""

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gmmp.core import clock

from . import charts, definitions, engine, periods
from . import minors as minors_indicators
from .models import ReportRun
from .periods import Period, display_zone
from .services import report_run_table, report_run_tables

LANGUAGES = ("fr", "ar", "en")


class ReportError(ValueError):
    pass


def short_consulate(code: str) -> str:
    """Chart label for a consulate: its city from the code (language-neutral, see charts.py)."""
    return code.removeprefix("CG-").replace("-", " ").title() if code != "-" else "—"


def month_label(key: str) -> str:
    return f"{key[5:7]}/{key[2:4]}"


def fmt_number(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


def fmt_value(indicator, figure: engine.Figure | None) -> str:
    if figure is None or figure.value is None:
        return "—"
    if indicator.unit == "rate":
        return f"{fmt_number(figure.value * 100, 1)} %"
    if indicator.unit == "days":
        return _("%(n)s j") % {"n": fmt_number(figure.value)}
    return fmt_number(figure.value)


def fmt_ratio(figure: engine.Figure | None) -> str:
    if figure is None or figure.denominator is None:
        return ""
    return f"{fmt_number(figure.numerator)} / {fmt_number(figure.denominator)}"


# What a rise means, per indicator: better (+1), worse (-1); volumes not listed are neither (a rise in
# requests received is not good or bad news). Colours follow the meaning, never the sign alone.
RISE_MEANS = {
    "replies_positive": 1,
    "identification_rate": 1,
    "identification_reversals": -1,
    "replies_none": -1,
    "reply_delay_median": -1,
    "reply_delay_p90": -1,
    "lpc_issued": 1,
    "lpc_in_time": 1,
    "lpc_in_time_rate": 1,
    "lpc_issuance_rate": 1,
    "departures_executed": 1,
    "departures_failed": -1,
    "departures_per_lpc": 1,
    "readmissions_confirmed": 1,
    "ready_without_departure": -1,
}


def change_meaning(indicator_id: str, delta: float) -> str:
    """better | worse | neutral: the CSS class and the words read out for a change."""
    sense = RISE_MEANS.get(indicator_id, 0)
    if not delta or not sense:
        return "neutral"
    return "better" if (delta > 0) == (sense > 0) else "worse"


def meaning_label(meaning: str) -> str:
    return {"better": _("amélioration"), "worse": _("dégradation")}.get(meaning, "")


def fmt_change(indicator, now: engine.Figure, before: engine.Figure) -> tuple[str, str]:
    """Change from the previous period and what it means (better/worse/neutral) for styling."""
    if now.value is None or before.value is None:
        return "—", "neutral"
    delta = now.value - before.value
    direction = change_meaning(indicator.id, delta)
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if indicator.unit == "rate":
        return _("%(sign)s%(n)s pts") % {"sign": sign, "n": fmt_number(abs(delta) * 100, 1)}, direction
    if indicator.unit == "days":
        return _("%(sign)s%(n)s j") % {"sign": sign, "n": fmt_number(abs(delta))}, direction
    text = f"{sign}{fmt_number(abs(delta))}"
    if before.value:
        text += f" ({sign}{fmt_number(abs(delta) / before.value * 100, 0)} %)"
    return text, direction


def summary_rows(table: engine.Table, previous: engine.Table | None, lang: str) -> list[dict]:
    rows = []
    for indicator in table.indicators:
        now = table.total.figures[indicator.id]
        row = {
            "indicator": indicator,
            "id": indicator.id,
            "name": indicator.text("name", lang),
            "theme": indicator.theme,
            "value": fmt_value(indicator, now),
            "ratio": fmt_ratio(now),
            "figure": now,
            "over_100": indicator.unit == "rate" and now.value is not None and now.value > 1,
        }
        if previous is not None:
            before = previous.total.figures[indicator.id]
            row["previous"] = fmt_value(indicator, before)
            row["change"], direction = fmt_change(indicator, now, before)
            row["direction"] = direction
            row["meaning"] = meaning_label(direction)
        rows.append(row)
    return rows


def _legend(ids: list[str], lang: str) -> list[dict]:
    return [
        {"label": definitions.get(i).text("name", lang), "color": charts.color(n)} for n, i in enumerate(ids)
    ]


def theme_sections(
    total: engine.Table, by_month: engine.Table, by_consulate: engine.Table, lang: str
) -> list[dict]:
    """One section per theme: its indicators and its charts (SVG), titles in the page's language."""
    months = [month_label(r.key) for r in by_month.rows]

    def series(ids):
        return [[r.value(i) for r in by_month.rows] for i in ids]

    consulates = sorted(
        (r for r in by_consulate.rows if r.key != "-"), key=lambda r: -(r.value("requests_received") or 0)
    )
    median = total.total.value("reply_delay_median")
    p90 = total.total.value("reply_delay_p90")
    ids_requests = ["requests_received", "replies_positive", "replies_negative"]
    ids_lpc = ["lpc_issued", "lpc_in_time"]
    ids_departures = ["departures_executed", "departures_failed", "readmissions_confirmed"]
    by_rate = sorted(
        (r for r in consulates if r.figures["lpc_issuance_rate"].denominator),
        key=lambda r: -(r.value("lpc_issuance_rate") or 0),
    )
    sections: dict[str, list[dict[str, Any]]] = {
        "identification": [
            {
                "title": _("Demandes et réponses par mois"),
                "svg": charts.grouped_bars(months, series(ids_requests)),
                "legend": _legend(ids_requests, lang),
            },
            {
                "title": _("Répartition des délais de réponse (jours, tranches de 5 jours)"),
                "svg": charts.histogram(total.histogram, marks=[median, p90]),
                "legend": [
                    {"label": _("décisions"), "color": charts.color(0)},
                    {"label": _("médiane"), "color": charts.color(1)},
                    {"label": _("90e centile"), "color": charts.color(2)},
                ],
            },
            {
                "title": _("Demandes reçues par consulat"),
                "svg": charts.horizontal_bars(
                    [short_consulate(r.key) for r in consulates],
                    [r.value("requests_received") for r in consulates],
                ),
                "legend": [],
            },
        ],
        "lpc": [
            {
                "title": _("Laissez-passer délivrés par mois"),
                "svg": charts.grouped_bars(months, series(ids_lpc)),
                "legend": _legend(ids_lpc, lang),
            },
            {
                "title": _("Taux de délivrance des LPC par consulat"),
                "svg": charts.horizontal_bars(
                    [short_consulate(r.key) for r in by_rate],
                    [r.value("lpc_issuance_rate") for r in by_rate],
                    percent=True,
                ),
                "legend": [],
            },
        ],
        "departures": [
            {
                "title": _("Départs et réadmissions par mois"),
                "svg": charts.grouped_bars(months, series(ids_departures)),
                "legend": _legend(ids_departures, lang),
            },
            {
                "title": _("Personnes prêtes au retour sans départ, en fin de mois"),
                "svg": charts.grouped_bars(months, series(["ready_without_departure"])),
                "legend": _legend(["ready_without_departure"], lang),
            },
        ],
    }
    for chart_list in sections.values():
        for chart in chart_list:
            chart["uri"] = charts.data_uri(chart["svg"])
    out = []
    for theme, texts in definitions.THEMES.items():
        out.append(
            {
                "id": theme,
                "title": texts.get(lang) or texts["fr"],
                "indicators": [i for i in total.indicators if i.theme == theme],
                "charts": sections[theme],
            }
        )
    return out


CONSULATE_COLUMNS = [
    "requests_received",
    "replies_positive",
    "replies_negative",
    "replies_none",
    "reply_delay_median",
    "lpc_issued",
    "lpc_in_time",
    "lpc_issuance_rate",
    "departures_executed",
    "readmissions_confirmed",
]


def organisation_labels(keys, lang: str) -> dict[str, str]:
    """Names of the organisations whose codes are row keys, in `lang` (rows were labelled in the language
    active when the figures were computed, which need not be the report's)."""
    from gmmp.organisations.models import Organisation

    names = {}
    for o in Organisation.objects.filter(code__in=[k for k in keys if k]):
        names[o.code] = {"ar": o.name_ar, "en": o.name_en}.get(lang) or o.name
    return names


def consulate_rows(by_consulate: engine.Table, lang: str, columns=CONSULATE_COLUMNS) -> dict:
    indicators = [
        by_consulate.indicator(c) for c in columns if any(i.id == c for i in by_consulate.indicators)
    ]
    names = organisation_labels([r.key for r in by_consulate.rows], lang)
    rows = []
    for row in [*by_consulate.rows, by_consulate.total]:
        label = names.get(row.key, row.label)
        if row is by_consulate.total:
            label = _("Ensemble")
        elif row.key == "-":
            label = _("Sans consulat")
        rows.append(
            {
                "key": row.key,
                "label": label,
                "is_total": row is by_consulate.total,
                "cells": [
                    {
                        "id": i.id,
                        "unit": i.unit,
                        "value": fmt_value(i, row.figures[i.id]),
                        "ratio": fmt_ratio(row.figures[i.id]),
                    }
                    for i in indicators
                ],
            }
        )
    return {"columns": [{"id": i.id, "name": i.text("name", lang)} for i in indicators], "rows": rows}


def minors_chapter(run: ReportRun, lang: str) -> dict:
    """The chapter "Mineurs non accompagnés": the track's figures by month and for the quarter, every figure
    below 5 published as "< 5". No chart: a bar's height would show what the small-cell rule hides."""
    table = minors_indicators.compute(
        run.period,
        breakdown="month",
        high_water=run.minors_high_water,
    )
    data = table.as_dict(lang)
    return {
        "title": minors_indicators.THEME_TITLE.get(lang) or minors_indicators.THEME_TITLE["fr"],
        "rule": data["small_cell_rule"],
        "months": [month_label(r["key"]) for r in data["rows"]],
        "lines": table.lines(lang),
        "definitions": [
            {
                "id": i.id,
                "version": i.version,
                "name_text": i.text("name", lang),
                "definition_text": i.text("definition", lang),
            }
            for i in table.indicators
        ],
    }


def quarter_label(period: Period) -> str:
    number = (period.first_day.month - 1) // 3 + 1
    names = {1: _("1er trimestre"), 2: _("2e trimestre"), 3: _("3e trimestre"), 4: _("4e trimestre")}
    return f"{names[number]} {period.first_day.year}"


def report_number(run: ReportRun) -> str:
    """The report's number: one per quarter, the same in French, Arabic and English (the run's own id
    only tells editions apart, with the ledger mark). A provisional report carries the day it stops at."""
    period = run.period
    number = f"GMMP-IND-{period.first_day.year}-T{(period.first_day.month - 1) // 3 + 1}"
    if run.kind != ReportRun.Kind.QUARTERLY or period.kind != "quarter":
        number = f"GMMP-IND-{period.code}"
    if is_provisional(run):
        number += f"-P{run_day(run):%Y%m%d}"
    return number


def run_day(run: ReportRun) -> dt.date:
    return run.created_at.astimezone(display_zone()).date()


def is_provisional(run: ReportRun) -> bool:
    return periods.in_progress(run.period, run_day(run))


def check_quarter_started(period: Period, today: dt.date | None = None) -> None:
    """A report of a quarter that has not started would be pages of zeros: refused with a reason."""
    today = today or clock.today()
    if periods.not_started(period, today):
        raise ReportError(
            _(
                "Le trimestre %(quarter)s n'a pas encore commencé (il commence le %(start)s) : aucun chiffre à rapporter."
            )
            % {"quarter": period.code, "start": f"{period.first_day:%d/%m/%Y}"}
        )


def quarterly_context(run: ReportRun) -> dict:
    lang = run.language
    period = run.period
    provisional = is_provisional(run)
    previous_period: Period = periods.comparison_period(period, run_day(run))
    tables = report_run_tables(run, breakdowns=("none", "month", "consulate"))
    total, by_month, by_consulate = tables["none"], tables["month"], tables["consulate"]
    previous = report_run_table(run, period=previous_period, breakdown="none")
    created = run.created_at.astimezone(display_zone())
    summary = summary_rows(total, previous, lang)
    return {
        "run": run,
        "lang": lang,
        "bidi": lang == "ar",
        "period": period,
        "previous_period": previous_period,
        "provisional": provisional,
        "figures_until": run_day(run),
        # Isolated left-to-right: in the Arabic report its hyphenated parts must not be reordered.
        "report_number": format_html('<bdi dir="ltr">{}</bdi>', report_number(run)),
        "any_over_100": any(r["over_100"] for r in summary),
        "quarter_label": quarter_label(period),
        "first_day": period.first_day,
        "last_day": period.last_day,
        "created_at": created,
        "summary": summary,
        "themes": theme_sections(total, by_month, by_consulate, lang),
        "consulates": consulate_rows(by_consulate, lang),
        "annex": [
            i.as_dict(lang)
            | {"name_text": i.text("name", lang), "definition_text": i.text("definition", lang)}
            for i in total.indicators
        ],
        "general_rules": definitions.GENERAL_RULES.get(lang) or definitions.GENERAL_RULES["fr"],
        "themes_titles": definitions.THEMES,
        "chapters": _domain_chapters(run),
        "minors": minors_chapter(run, lang),
    }


def _domain_chapters(run: ReportRun) -> list[dict]:
    """ "Mobilité légale" and "Migration irrégulière": figures in force when the run was made, its versions."""
    from .chapters import chapters

    return chapters(
        run.period,
        run.language,
        as_of=run.created_at,
        versions=run.versions,
        core_high_water=run.ledger_high_water,
    )


def render_html(run: ReportRun) -> str:
    with translation.override(run.language):
        return render_to_string("indicators_report/quarterly.html", quarterly_context(run))


def render_pdf(run: ReportRun) -> bytes:
    import logging

    from weasyprint import HTML

    # WeasyPrint narrates every step at INFO; the report's own messages are enough.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(run)
    return HTML(string=html, base_url=None).write_pdf()


def validate_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ReportError(_("Langue « %(lang)s » non disponible : choisir fr, ar ou en.") % {"lang": lang})
    return lang


def report_filename(run: ReportRun) -> str:
    suffix = "-provisoire" if is_provisional(run) else ""
    return f"gmmp-indicateurs-{run.period.code}{suffix}-{run.language}.pdf"


def generated_on() -> dt.date:
    return clock.today()
