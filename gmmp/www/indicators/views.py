"""The shared indicators dashboard: aggregates for central administrations of both sides and the GMMP
secretariat; the cases behind a number only for users who may see those cases."""

import csv

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gmmp.audit.services import access_log_record
from gmmp.cases.models import Case
from gmmp.core import clock
from gmmp.indicators import charts, definitions, engine, periods
from gmmp.indicators.access import may_drill_down, may_read_indicators
from gmmp.indicators.models import ReportRun
from gmmp.indicators.report import (
    LANGUAGES,
    ReportError,
    check_quarter_started,
    consulate_rows,
    month_label,
    render_pdf,
    report_filename,
    summary_rows,
    theme_sections,
)
from gmmp.indicators.services import report_run_create

from . import themes
from .forms import BREAKDOWN_LABELS, DashboardForm

TREND_IDS = ["requests_received", "replies_positive", "lpc_issued", "departures_executed"]


def _require_reader(request):
    if not may_read_indicators(request.user):
        raise PermissionDenied(
            _("Les indicateurs sont réservés aux administrations centrales et au secrétariat du GMMP.")
        )


def _lang() -> str:
    lang = (get_language() or "fr")[:2]
    return lang if lang in LANGUAGES else "fr"


def _read_form(request) -> tuple[DashboardForm, dict | None]:
    data = request.GET.copy()
    # Opens on the quarter in progress: the current weeks are what people come to see (provisional).
    data.setdefault("period", periods.current_quarter(clock.today()).code)
    form = DashboardForm(data)
    if not form.is_valid():
        return form, None
    c = form.cleaned_data
    filters = engine.Filters(
        consulates=(c["consulate"],) if c["consulate"] else (),
        departements=(c["departement"],) if c["departement"] else (),
    )
    return form, {"period": c["period"], "breakdown": c["breakdown"], "filters": filters}


def _query(params: dict, **extra) -> str:
    f = params["filters"]
    q = {
        "period": params["period"].code,
        "breakdown": params["breakdown"],
        "consulate": f.consulates[0] if f.consulates else "",
        "departement": f.departements[0] if f.departements else "",
    }
    q.update(extra)
    return urlencode({k: v for k, v in q.items() if v})


def dashboard(request):
    _require_reader(request)
    form, params = _read_form(request)
    context = {"form": form, "drill": may_drill_down(request.user), "theme_tabs": themes.tabs("", _lang())}
    if params is None:
        return render(request, "indicators/dashboard.html", context, status=400)
    lang = _lang()
    period, filters = params["period"], params["filters"]
    try:
        tables = engine.compute_many(
            period, breakdowns=tuple({params["breakdown"], "month", "consulate"}), filters=filters
        )
        table, by_month, by_consulate = tables[params["breakdown"]], tables["month"], tables["consulate"]
        today = clock.today()
        compared = periods.comparison_period(period, today)
        previous = engine.compute(compared, filters=filters, high_water=table.high_water)
        # The twelve months up to the period's end, or to today in a period in progress: the months not
        # begun were drawn as zeros (every line fell to 0 at the end of the quarter in progress).
        trend_end = min(period.last_day, today)
        trend_period = periods.custom(periods.add_months(trend_end.replace(day=1), -11), trend_end)
        trend = engine.compute(trend_period, breakdown="month", filters=filters, high_water=table.high_water)
    except engine.FilterError as exc:
        form.add_error(None, str(exc))
        return render(request, "indicators/dashboard.html", context, status=400)

    if request.GET.get("format") == "csv":
        return _csv(table, params)

    months = [month_label(r.key) for r in trend.rows]
    trend_charts = [
        {
            "title": _("Tendance sur douze mois"),
            "uri": charts.data_uri(
                charts.lines(months, [[r.value(i) for r in trend.rows] for i in TREND_IDS])
            ),
            "legend": [
                {"label": definitions.get(i).text("name", lang), "color": charts.color(n)}
                for n, i in enumerate(TREND_IDS)
            ],
        },
        {
            "title": _("Taux de délivrance des LPC, par mois"),
            "uri": charts.data_uri(
                charts.lines(months, [[r.value("lpc_issuance_rate") for r in trend.rows]], percent=True)
            ),
            "legend": [
                {"label": definitions.get("lpc_issuance_rate").text("name", lang), "color": charts.color(0)}
            ],
        },
    ]
    summary = summary_rows(table, previous, lang)
    breakdown_table = consulate_rows(table, lang) if params["breakdown"] != "none" else None
    if context["drill"]:
        for row in summary:
            if row["indicator"].unit != "days":
                row["drill"] = (
                    reverse("indicators:cases") + "?" + _query(params, indicator=row["id"], key="all")
                )
        if breakdown_table:
            for row in breakdown_table["rows"]:
                for cell in row["cells"]:
                    if cell["unit"] != "days":
                        cell["drill"] = (
                            reverse("indicators:cases")
                            + "?"
                            + _query(
                                params, indicator=cell["id"], key="all" if row["is_total"] else row["key"]
                            )
                        )
    context.update(
        {
            "period": period,
            "previous_period": compared,
            "provisional": periods.in_progress(period, today),
            "today": today,
            "any_over_100": any(r["over_100"] for r in summary),
            "breakdown": params["breakdown"],
            "breakdown_label": BREAKDOWN_LABELS[params["breakdown"]],
            "summary": summary,
            "themes": definitions.THEMES,
            "theme_order": list(definitions.THEMES),
            "theme_titles": {k: v.get(lang) or v["fr"] for k, v in definitions.THEMES.items()},
            "sections": theme_sections(table, by_month, by_consulate, lang),
            "trend_charts": trend_charts,
            "breakdown_table": breakdown_table,
            "csv_url": "?" + _query(params, format="csv"),
            "report_quarter": period.code
            if period.kind == "quarter"
            else periods.last_complete_quarter(clock.today()).code,
            "report_quarters": _report_quarters(today),
            "report_languages": [("fr", "Français"), ("ar", "العربية"), ("en", "English")],
            "lang": lang,
            "high_water": table.high_water,
            "runs": ReportRun.objects.filter(kind=ReportRun.Kind.QUARTERLY)[:5],
        }
    )
    return render(request, "indicators/dashboard.html", context)


def _report_quarters(today) -> list[tuple[str, str]]:
    """Quarters a report can be produced for: the one in progress (provisional) and the eight before."""
    out, q = [], periods.current_quarter(today)
    for n in range(9):
        out.append((q.code, _("%(code)s (provisoire)") % {"code": q.code} if n == 0 else q.code))
        q = q.previous()
    return out


def _csv(table: engine.Table, params: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"gmmp-indicateurs-{table.period.code}-{table.breakdown}.csv".replace("..", "_")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # spreadsheet software reads UTF-8 (Arabic names) with the BOM
    writer = csv.writer(response)
    header = ["period", "breakdown", "key", "label"]
    for i in table.indicators:
        header.append(f"{i.id}@v{i.version}")
        if i.unit == "rate":
            header += [f"{i.id}.numerator", f"{i.id}.denominator"]
    writer.writerow(header)
    for row in [*table.rows, table.total]:
        line: list[object] = [table.period.code, table.breakdown, row.key, row.label]
        for i in table.indicators:
            figure = row.figures[i.id]
            line.append("" if figure.value is None else figure.value)
            if i.unit == "rate":
                line += [figure.numerator, figure.denominator]
        writer.writerow(line)
    return response


def cases(request):
    """The cases behind a number, restricted to those the user may see. For anyone who may not see cases
    (the secretariat), this page does not exist."""
    if not may_drill_down(request.user):
        raise Http404
    form, params = _read_form(request)
    if params is None:
        raise Http404
    try:
        indicator = definitions.get(request.GET.get("indicator", ""))
    except definitions.UnknownIndicator as exc:
        raise Http404 from exc
    key = request.GET.get("key", "all")
    try:
        behind = engine.cases_behind(
            indicator,
            params["period"],
            filters=params["filters"],
            row_key=key,
            breakdown=params["breakdown"] if key != "all" else "none",
        )
    except (engine.FilterError, ValueError) as exc:
        raise Http404 from exc
    visible = (
        Case.objects.visible_to(request.user)
        .filter(pk__in=behind)
        .select_related("prefecture", "consulate")
        .order_by("reference")
    )
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    access_log_record(
        user=request.user,
        action="list",
        object_type="case",
        channel="web",
        detail={
            "source": "indicator",
            "indicator": indicator.key,
            "period": params["period"].code,
            "key": key,
            "count": page.paginator.count,
        },
    )
    return render(
        request,
        "indicators/cases.html",
        {
            "indicator": indicator,
            "name": indicator.text("name", _lang()),
            "period": params["period"],
            "key": key,
            "page": page,
            "back": reverse("indicators:dashboard") + "?" + _query(params),
        },
    )


def report_pdf(request):
    """Produce and download the quarterly report (recorded as a report run)."""
    _require_reader(request)
    try:
        period = periods.parse_quarter(request.GET.get("quarter", ""))
    except periods.PeriodError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    lang = request.GET.get("lang", _lang())
    if lang not in LANGUAGES:
        return HttpResponse(_("Langue non disponible."), status=400, content_type="text/plain; charset=utf-8")
    try:
        check_quarter_started(period)
    except ReportError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    run, _table = report_run_create(user=request.user, period=period, language=lang)
    return _pdf_response(run)


def report_rerun(request, pk: int):
    """An earlier report, recomputed with the versions and ledger mark it recorded."""
    _require_reader(request)
    run = ReportRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    return _pdf_response(run)


def _pdf_response(run: ReportRun) -> FileResponse:
    import io

    response = FileResponse(
        io.BytesIO(render_pdf(run)),
        content_type="application/pdf",
        as_attachment=True,
        filename=report_filename(run),
    )
    return response
