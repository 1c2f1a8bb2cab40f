"""The quarterly report: the figures of a recorded run laid out for the Group's table, in HTML then PDF.

The dashboard uses the same pieces (`summary_rows`, `theme_sections`, `consulate_rows`): the same charts,
the same formatting, the same numbers.
"""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from gmmp.core import clock

from . import charts, definitions, engine
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


def fmt_change(indicator, now: engine.Figure, before: engine.Figure) -> tuple[str, str]:
    """Change from the previous period and its direction (up/down/flat) for styling."""
    if now.value is None or before.value is None:
        return "—", "flat"
    delta = now.value - before.value
    direction = "up" if delta > 0 else "down" if delta < 0 else "flat"
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
        }
        if previous is not None:
            before = previous.total.figures[indicator.id]
            row["previous"] = fmt_value(indicator, before)
            row["change"], row["direction"] = fmt_change(indicator, now, before)
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
    sections = {
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


def consulate_rows(by_consulate: engine.Table, lang: str, columns=CONSULATE_COLUMNS) -> dict:
    indicators = [
        by_consulate.indicator(c) for c in columns if any(i.id == c for i in by_consulate.indicators)
    ]
    rows = []
    for row in [*by_consulate.rows, by_consulate.total]:
        rows.append(
            {
                "key": row.key,
                "label": row.label,
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


def quarter_label(period: Period) -> str:
    number = (period.first_day.month - 1) // 3 + 1
    names = {1: _("1er trimestre"), 2: _("2e trimestre"), 3: _("3e trimestre"), 4: _("4e trimestre")}
    return f"{names[number]} {period.first_day.year}"


def quarterly_context(run: ReportRun) -> dict:
    lang = run.language
    period = run.period
    previous_period: Period = period.previous()
    tables = report_run_tables(run, breakdowns=("none", "month", "consulate"))
    total, by_month, by_consulate = tables["none"], tables["month"], tables["consulate"]
    previous = report_run_table(run, period=previous_period, breakdown="none")
    created = run.created_at.astimezone(display_zone())
    return {
        "run": run,
        "lang": lang,
        "bidi": lang == "ar",
        "period": period,
        "previous_period": previous_period,
        "quarter_label": quarter_label(period),
        "first_day": period.first_day,
        "last_day": period.last_day,
        "created_at": created,
        "summary": summary_rows(total, previous, lang),
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
    return f"gmmp-indicateurs-{run.period.code}-{run.language}.pdf"


def generated_on() -> dt.date:
    return clock.today()
