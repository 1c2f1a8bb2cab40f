"""Computes a set of indicators for a period, with a breakdown, in a handful of SQL aggregations.

Every computation is aggregated once at the finest grain (consulate × préfecture × month of the event)
and rolled up in Python into the breakdown asked for: counts and delay histograms add up, so the
consulate, préfecture, département, month and total views all come from the same rows.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gmmp.cases.models import CaseEvent
from gmmp.organisations.models import Departement, Organisation

from . import definitions
from .computations import Delay, EventCount, OpenAtEnd, Ratio, StockAtEnd, Window, ledger, nearest_rank
from .definitions import Indicator
from .periods import Period, display_zone

BREAKDOWNS = ("none", "consulate", "prefecture", "departement", "month")

Grain = tuple  # (consulate_id | None, prefecture_id, "YYYY-MM")


@dataclass
class Figure:
    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None

    def as_dict(self) -> dict:
        out = {"value": self.value}
        if self.denominator is not None:
            out.update(numerator=self.numerator, denominator=self.denominator)
        return out


@dataclass
class Row:
    key: str
    label: str
    figures: dict[str, Figure] = field(default_factory=dict)

    def value(self, indicator_id: str):
        figure = self.figures.get(indicator_id)
        return figure.value if figure else None


@dataclass
class Filters:
    consulates: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"consulates": list(self.consulates), "prefectures": list(self.prefectures),
                "departements": list(self.departements)}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Filters":
        data = data or {}
        return cls(tuple(data.get("consulates", ())), tuple(data.get("prefectures", ())),
                   tuple(data.get("departements", ())))


@dataclass
class Table:
    period: Period
    breakdown: str
    indicators: list[Indicator]
    rows: list[Row]
    total: Row
    high_water: int
    filters: Filters
    histogram: dict[int, int]  # reply delays (days -> decisions), all rows together

    @property
    def versions(self) -> dict[str, int]:
        return {i.id: i.version for i in self.indicators}

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def as_dict(self, lang: str = "fr") -> dict:
        def row(r: Row) -> dict:
            return {"key": r.key, "label": r.label, "figures": {k: f.as_dict() for k, f in r.figures.items()}}

        return {
            "period": self.period.as_dict(),
            "breakdown": self.breakdown,
            "filters": self.filters.as_dict(),
            "ledger_high_water": self.high_water,
            "versions": self.versions,
            "indicators": [i.as_dict(lang) for i in self.indicators],
            "total": row(self.total),
            "rows": [row(r) for r in self.rows],
            "reply_delay_histogram": {str(k): v for k, v in sorted(self.histogram.items())},
        }


class FilterError(ValueError):
    pass


def ledger_high_water() -> int:
    return CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def _month_key(value) -> str:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, display_zone())
        return f"{value:%Y-%m}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return str(value)[:7]


def _resolve_filters(filters: Filters) -> dict:
    out = {}
    for attr, model, kind in (("consulates", Organisation, "consulate"), ("prefectures", Organisation, "prefecture")):
        codes = getattr(filters, attr)
        if codes:
            found = dict(model.objects.filter(code__in=codes, kind=kind).values_list("code", "pk"))
            missing = sorted(set(codes) - set(found))
            if missing:
                raise FilterError(_("Code inconnu : %(codes)s.") % {"codes": ", ".join(missing)})
            out[attr] = tuple(found.values())
    if filters.departements:
        found = dict(Departement.objects.filter(code__in=filters.departements).values_list("code", "pk"))
        missing = sorted(set(filters.departements) - set(found))
        if missing:
            raise FilterError(_("Département inconnu : %(codes)s.") % {"codes": ", ".join(missing)})
        out["departements"] = tuple(found.values())
    return out


def _grain_values(qs, *extra):
    return qs.annotate(month=TruncMonth("at", tzinfo=display_zone())).values(
        "consulate_id", "prefecture_id", "month", *extra)


def _flows(indicators: list[Indicator], window: Window) -> dict[Grain, Counter]:
    flows = [i for i in indicators if isinstance(i.computation, EventCount)]
    out: dict[Grain, Counter] = defaultdict(Counter)
    if not flows:
        return out
    kinds = sorted({k for i in flows for k in i.computation.kinds})
    # One scan of the period's events of the kinds needed; each indicator is a filtered COUNT over it.
    base = ledger(window).filter(at__gte=window.start, at__lt=window.end, kind__in=kinds)
    aggregates = {f"n_{n}": Count("pk", filter=i.computation.selection()) for n, i in enumerate(flows)}
    for row in _grain_values(base).annotate(**aggregates):
        grain = (row["consulate_id"], row["prefecture_id"], _month_key(row["month"]))
        for n, i in enumerate(flows):
            out[grain][i.id] += row[f"n_{n}"]
    return out


def _cohorts(indicators, window) -> dict[Grain, Counter]:
    out: dict[Grain, Counter] = defaultdict(Counter)
    for i in indicators:
        if isinstance(i.computation, OpenAtEnd):
            for row in _grain_values(i.computation.events(window)).annotate(n=Count("pk")):
                out[(row["consulate_id"], row["prefecture_id"], _month_key(row["month"]))][i.id] += row["n"]
    return out


def _stocks(indicators, window, period: Period) -> dict[Grain, Counter]:
    """Stock indicators at the end of each month of the period (the last one is the period's end)."""
    out: dict[Grain, Counter] = defaultdict(Counter)
    for i in indicators:
        if not isinstance(i.computation, StockAtEnd):
            continue
        for month in period.months():
            instant = period.month_end(month)
            rows = i.computation.events(window.at(instant)).values("consulate_id", "prefecture_id").annotate(n=Count("pk"))
            for row in rows:
                out[(row["consulate_id"], row["prefecture_id"], f"{month:%Y-%m}")][i.id] += row["n"]
    return out


def _delays(indicators, window) -> dict[Delay, dict[Grain, Counter]]:
    """Histogram of delays (days -> count) per grain, once per distinct delay measure."""
    out: dict = {}
    for i in indicators:
        comp = i.computation
        if not isinstance(comp, Delay):
            continue
        key = (comp.start_kind, str(comp.end))
        if key in out:
            continue
        hist: dict[Grain, Counter] = defaultdict(Counter)
        rows = _grain_values(comp.events(window), "days").annotate(n=Count("pk"))
        for row in rows:
            hist[(row["consulate_id"], row["prefecture_id"], _month_key(row["month"]))][row["days"]] += row["n"]
        out[key] = hist
    return out


def _labels(breakdown: str, grains) -> tuple:
    """key function grain -> row key, and row key -> (label, sort key)."""
    org_ids = {g[0] for g in grains if g[0]} | {g[1] for g in grains}
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=org_ids).select_related("departement")}
    if breakdown == "none":
        return (lambda g: "all"), (lambda k: (_("Ensemble"), ""))
    if breakdown == "consulate":
        def label(k):
            o = next((o for o in orgs.values() if o.code == k), None)
            return (o.display_name if o else _("Sans consulat"), (o is None, o.name if o else ""))
        return (lambda g: orgs[g[0]].code if g[0] in orgs else "-"), label
    if breakdown == "prefecture":
        by_code = {o.code: o for o in orgs.values()}
        return (lambda g: orgs[g[1]].code), (lambda k: (by_code[k].display_name, by_code[k].departement.code
                                                          if by_code[k].departement else k))
    if breakdown == "departement":
        deps = {o.departement.code: o.departement for o in orgs.values() if o.departement_id}
        return ((lambda g: orgs[g[1]].departement.code if orgs[g[1]].departement_id else "-"),
                (lambda k: (str(deps[k]) if k in deps else k, k)))
    if breakdown == "month":
        return (lambda g: g[2]), (lambda k: (k, k))
    raise FilterError(_("Ventilation inconnue : %(name)s.") % {"name": breakdown})


def compute(period: Period, *, breakdown: str = "none", versions: dict[str, int] | None = None,
            high_water: int | None = None, filters: Filters | None = None) -> Table:
    return compute_many(period, breakdowns=(breakdown,), versions=versions, high_water=high_water,
                        filters=filters)[breakdown]


def compute_many(period: Period, *, breakdowns=("none",), versions: dict[str, int] | None = None,
                 high_water: int | None = None, filters: Filters | None = None) -> dict[str, Table]:
    """Several breakdowns of the same figures from one set of queries (they differ only in the roll-up)."""
    for breakdown in breakdowns:
        if breakdown not in BREAKDOWNS:
            raise FilterError(_("Ventilation inconnue : %(name)s.") % {"name": breakdown})
    filters = filters or Filters()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # These are short analytic queries: PostgreSQL's JIT compilation costs more (≈1.5 s per query on the
            # 10M-event benchmark) than it saves. SET LOCAL ends with this transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        gathered = _gather(period, versions=versions, high_water=high_water, filters=filters)
    return {b: _rollup(gathered, period, b, filters) for b in breakdowns}


@dataclass
class _Gathered:
    indicators: list
    high_water: int
    counts: dict
    stocks: dict
    delays: dict


def _gather(period: Period, *, versions, high_water, filters: Filters) -> _Gathered:
    indicators = definitions.resolve(versions)
    high_water = ledger_high_water() if high_water is None else high_water
    ids = _resolve_filters(filters)
    window = Window(period.start, period.end, high_water, ids.get("consulates", ()), ids.get("prefectures", ()),
                    ids.get("departements", ()))
    counts: dict[Grain, Counter] = defaultdict(Counter)
    for part in (_flows(indicators, window), _cohorts(indicators, window)):
        for grain, c in part.items():
            counts[grain].update(c)
    return _Gathered(indicators, high_water, counts, _stocks(indicators, window, period), _delays(indicators, window))


def _rollup(g: _Gathered, period: Period, breakdown: str, filters: Filters) -> Table:
    indicators = g.indicators
    grains = set(g.counts) | set(g.stocks) | {gr for h in g.delays.values() for gr in h}
    key_of, label_of = _labels(breakdown, grains)
    last_month = f"{period.months()[-1]:%Y-%m}"

    row_counts: dict[str, Counter] = defaultdict(Counter)
    total_counts: Counter = Counter()
    for grain, c in g.counts.items():
        row_counts[key_of(grain)].update(c)
        total_counts.update(c)
    for grain, c in g.stocks.items():
        # A stock is read at the end of the row's span: each month's end by month, the period's end otherwise.
        if breakdown == "month" or grain[2] == last_month:
            row_counts[key_of(grain)].update(c)
        if grain[2] == last_month:
            total_counts.update(c)
    row_hist: dict = defaultdict(lambda: defaultdict(Counter))
    total_hist: dict = defaultdict(Counter)
    for dkey, hist in g.delays.items():
        for grain, h in hist.items():
            row_hist[key_of(grain)][dkey].update(h)
            total_hist[dkey].update(h)

    def figures(c: Counter, hists) -> dict[str, Figure]:
        out = {}
        for i in indicators:
            comp = i.computation
            if isinstance(comp, Ratio):
                num = c.get(comp.numerator, 0)
                den = sum(c.get(d, 0) for d in comp.denominators)
                out[i.id] = Figure(round(num / den, 4) if den else None, num, den)
            elif isinstance(comp, Delay):
                out[i.id] = Figure(nearest_rank(hists.get((comp.start_kind, str(comp.end)), {}), comp.percentile))
            else:
                out[i.id] = Figure(c.get(i.id, 0))
        return out

    keys = set(row_counts) | set(row_hist)
    if breakdown == "month":
        keys |= {f"{m:%Y-%m}" for m in period.months()}
    rows = []
    for key in keys:
        label, _sort = label_of(key)
        rows.append((_sort, Row(key, label, figures(row_counts.get(key, Counter()), row_hist.get(key, {})))))
    rows.sort(key=lambda pair: (str(pair[0]), pair[1].label))
    total = Row("all", _("Ensemble"), figures(total_counts, total_hist))
    first_delay = next((k for k in total_hist), None)
    return Table(period, breakdown, indicators, [r for _s, r in rows], total, g.high_water, filters,
                 dict(total_hist[first_delay]) if first_delay else {})


def cases_behind(indicator: Indicator, period: Period, *, high_water: int | None = None,
                 filters: Filters | None = None, row_key: str = "all", breakdown: str = "none"):
    """Case ids behind a figure (for a ratio: its numerator). Access control is the caller's job."""
    comp = indicator.computation
    if isinstance(comp, Ratio):
        return cases_behind(definitions.get(comp.numerator), period, high_water=high_water, filters=filters,
                            row_key=row_key, breakdown=breakdown)
    ids = _resolve_filters(filters or Filters())
    window = Window(period.start, period.end, ledger_high_water() if high_water is None else high_water,
                    ids.get("consulates", ()), ids.get("prefectures", ()), ids.get("departements", ()))
    if breakdown == "month" and row_key != "all":
        month_first = dt.date.fromisoformat(f"{row_key}-01")
        if isinstance(comp, StockAtEnd):
            window = window.at(period.month_end(month_first))
        else:
            sub = Period("custom", max(month_first, period.first_day),
                         min(period.month_end(month_first).date() - dt.timedelta(days=1), period.last_day))
            window = Window(sub.start, sub.end, window.high_water, window.consulates, window.prefectures,
                            window.departements)
            if isinstance(comp, OpenAtEnd):
                window = Window(sub.start, period.end, window.high_water, window.consulates, window.prefectures,
                                window.departements)
                qs = comp.events(window).filter(at__lt=sub.end)
                return qs.values_list("case_id", flat=True)
    qs = comp.events(window)
    if row_key != "all":
        if breakdown == "consulate":
            qs = qs.filter(consulate__code=row_key) if row_key != "-" else qs.filter(consulate__isnull=True)
        elif breakdown == "prefecture":
            qs = qs.filter(prefecture__code=row_key)
        elif breakdown == "departement":
            qs = qs.filter(prefecture__departement__code=row_key)
    return qs.values_list("case_id", flat=True)
