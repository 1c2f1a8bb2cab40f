"""Computes a set of indicators for a period, with a breakdown, in a handful of SQL aggregations.

Every computation is aggregated once at the finest grain (consulate × préfecture × month of the event)
and rolled up in Python into the breakdown asked for: counts and delay histograms add up, so the
consulate, préfecture, département, month and total views all come from the same rows.
"""

import bisect
import contextlib
import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from gmmp.cases.models import CaseEvent
from gmmp.organisations.models import Departement, Organisation

from . import definitions
from .computations import (
    Delay,
    EventCount,
    OpenAtEnd,
    Ratio,
    StockAtEnd,
    Window,
    ledger,
    nearest_rank,
    same_case_before,
)
from .definitions import Indicator
from .periods import Period

BREAKDOWNS = ("none", "consulate", "prefecture", "departement", "month")

Grain = tuple  # (consulate_id | None, prefecture_id, "YYYY-MM")


@dataclass
class Figure:
    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None

    @classmethod
    def ratio(cls, ratio: Ratio, counts: Mapping[str, int]) -> "Figure":
        """The numerator's count ÷ the sum of the denominators' counts (4 places); no value over zero."""
        num = counts.get(ratio.numerator, 0)
        den = sum(counts.get(d, 0) for d in ratio.denominators)
        return cls(round(num / den, 4) if den else None, num, den)

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
        return {
            "consulates": list(self.consulates),
            "prefectures": list(self.prefectures),
            "departements": list(self.departements),
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> "Filters":
        data = data or {}
        return cls(
            tuple(data.get("consulates", ())),
            tuple(data.get("prefectures", ())),
            tuple(data.get("departements", ())),
        )


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
    """A filter or breakdown that does not exist; `code`: `unknown_organisation` (a code the database does
    not hold) or `invalid_breakdown`."""

    def __init__(self, message: str, code: str = "unknown_organisation"):
        super().__init__(message)
        self.code = code


def ledger_high_water() -> int:
    return CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def _resolve_filters(filters: Filters) -> dict:
    out = {}
    for attr, model, kind in (
        ("consulates", Organisation, "consulate"),
        ("prefectures", Organisation, "prefecture"),
    ):
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


def _month_bucket(period: Period):
    """Index of the period's month an event falls in, from its instant: each month ends at a known instant (Paris
    midnight), so comparisons replace a time-zone conversion per row. Only for events inside the period."""
    months = period.months()
    if len(months) == 1:
        return Value(0, output_field=IntegerField())
    return DbCase(
        *(When(at__lt=period.month_end(m), then=Value(n)) for n, m in enumerate(months[:-1])),
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )


def _grain_values(qs, period: Period, *extra):
    return qs.annotate(month=_month_bucket(period)).values("consulate_id", "prefecture_id", "month", *extra)


def _month_keys(period: Period) -> list[str]:
    return [f"{m:%Y-%m}" for m in period.months()]


def _disjuncts(q: Q) -> list[Q]:
    """`A | B | C` as [A, B, C] (anything else as itself): `NOT EXISTS (A or B)` is written as `NOT EXISTS A AND NOT
    EXISTS B`, which PostgreSQL answers with one index-only anti-join per part instead of a heap scan."""
    if q.connector == Q.OR and not q.negated and len(q.children) > 1:
        return [child if isinstance(child, Q) else Q(child) for child in q.children]
    return [q]


def _flows(indicators: list[Indicator], window: Window, period: Period) -> dict[Grain, Counter]:
    flows = [(i.id, i.computation) for i in indicators if isinstance(i.computation, EventCount)]
    out: dict[Grain, Counter] = defaultdict(Counter)
    months = _month_keys(period)
    # One scan of the period's events of the kinds needed; each indicator is a filtered COUNT over it. A count
    # with a correlated subquery (`unless_later`) gets a query of its own over its kinds only: in the shared
    # scan it would make the whole query parallel-restricted on PostgreSQL.
    plain = [f for f in flows if f[1].unless_later is None]
    groups = [plain] if plain else []
    groups += [[f] for f in flows if f[1].unless_later is not None]
    for group in groups:
        kinds = sorted({k for _id, count in group for k in count.kinds})
        base = ledger(window).filter(at__gte=window.start, at__lt=window.end, kind__in=kinds)
        aggregates = {
            f"n_{n}": Count("pk", filter=count.selection(window)) for n, (_id, count) in enumerate(group)
        }
        for row in _grain_values(base, period).annotate(**aggregates):
            grain = (row["consulate_id"], row["prefecture_id"], months[row["month"]])
            for n, (indicator_id, _count) in enumerate(group):
                out[grain][indicator_id] += row[f"n_{n}"]
    return out


def _cohorts(indicators, window, period: Period) -> dict[Grain, Counter]:
    out: dict[Grain, Counter] = defaultdict(Counter)
    months = _month_keys(period)
    for i in indicators:
        comp = i.computation
        if isinstance(comp, OpenAtEnd):
            opened = ledger(window).filter(kind=comp.kind, at__gte=window.start, at__lt=window.end)
            qs = opened
            for part in _disjuncts(comp.closed_by):
                # The cases of the period's events that were closed before its end: looked up from the period's
                # few cases (a hash of them) rather than by hashing every closing event of the history.
                closed = (
                    ledger(window, filtered=False)
                    .filter(part, at__lt=window.end, case_id__in=opened.values("case_id"))
                    .values("case_id")
                )
                qs = qs.exclude(case_id__in=closed)
            for row in _grain_values(qs, period).annotate(n=Count("pk")):
                out[(row["consulate_id"], row["prefecture_id"], months[row["month"]])][i.id] += row["n"]
    return out


def _instant_index(instants: list[dt.datetime], field: str = "at"):
    """SQL for bisect_right(instants, field): the index of the first instant after the field's value."""
    return DbCase(
        *(When(**{f"{field}__lt": instant}, then=Value(k)) for k, instant in enumerate(instants)),
        default=Value(len(instants)),
        output_field=IntegerField(),
    )


def _stocks(indicators, window, period: Period) -> dict[Grain, Counter]:
    """Stock indicators at the end of each month of the period (the last one is the period's end).

    The history is read once, not once per month end: the entries that had not exited by the end of the first
    month (one anti-join over the history) are the only ones that can be in stock at any month end; each is in
    stock from the first month end after its entry up to the first month end after its case's first exit of the
    period (the period's exits, read once), unless suspended at that month end. The database returns month
    indexes, not instants. Same figures as `StockAtEnd.events()` at each month end (tests/indicators)."""
    out: dict[Grain, Counter] = defaultdict(Counter)
    months = _month_keys(period)
    instants = [period.month_end(m) for m in period.months()]
    first, last, n = instants[0], instants[-1], len(instants)
    for i in indicators:
        comp = i.computation
        if not isinstance(comp, StockAtEnd):
            continue
        entries = ledger(window).filter(comp.entry, at__lt=last)
        for part in _disjuncts(comp.exit):
            entries = entries.filter(~Exists(same_case_before(window, first).filter(part)))
        exits: dict[int, int] = {}  # case -> index of the first month end at or after its first exit
        if len(instants) > 1:
            for part in _disjuncts(comp.exit):
                rows = (
                    ledger(window, filtered=False)
                    .filter(part, at__gte=first, at__lt=last)
                    .annotate(k=_instant_index(instants))
                    .values("case_id")
                    .annotate(k_to=Min("k"))
                    .values_list("case_id", "k_to")
                )
                for case_id, k_to in rows:
                    exits[case_id] = min(k_to, exits.get(case_id, k_to))
        # Suspensions are few: each with the first resumption of its rule after it (before the period's end).
        suspensions: dict[int, list] = defaultdict(list)
        for suspended, resumed_by in comp.suspension_rules:
            resumed = (
                ledger(window, filtered=False)
                .filter(case_id=OuterRef("case_id"), sequence__gt=OuterRef("sequence"), at__lt=last)
                .filter(resumed_by)
                .values("case_id")
                .annotate(first=Min("at"))
                .values("first")
            )
            rows = (
                ledger(window, filtered=False)
                .filter(suspended, at__lt=last)
                .annotate(resumed_at=Subquery(resumed, output_field=DateTimeField()))
                .values_list("case_id", "at", "resumed_at")
            )
            for case_id, at, resumed_at in rows:
                suspensions[case_id].append((at, resumed_at))

        if comp.ends_entry is not None:
            # The first event after the entry (by sequence) that ends it, if any.
            ended = (
                ledger(window, filtered=False)
                .filter(case_id=OuterRef("case_id"), sequence__gt=OuterRef("sequence"), at__lt=last)
                .filter(comp.ends_entry)
                .values("case_id")
                .annotate(first=Min("at"))
                .values("first")
            )
            entries = entries.annotate(ended_at=Subquery(ended, output_field=DateTimeField()))
        else:
            entries = entries.annotate(ended_at=Value(None, output_field=DateTimeField()))
        span: dict[tuple, list[int]] = defaultdict(lambda: [0] * (n + 1))  # difference array per grain
        rows = entries.annotate(k=_instant_index(instants)).values_list(
            "case_id", "consulate_id", "prefecture_id", "k", "ended_at"
        )
        for case_id, consulate_id, prefecture_id, k_from, ended_at in rows:
            # In stock at month end k iff entry < instants[k] <= first exit (and <= the end of this entry).
            k_to = exits.get(case_id, n)
            if ended_at is not None:
                k_to = min(k_to, bisect.bisect_right(instants, ended_at))
            if k_from >= k_to:
                continue
            diff = span[(consulate_id, prefecture_id)]
            if case_id in suspensions:
                for k in range(k_from, k_to):
                    if not _suspended(suspensions[case_id], instants[k]):
                        diff[k] += 1
                        diff[k + 1] -= 1
            else:
                diff[k_from] += 1
                diff[k_to] -= 1
        for (consulate_id, prefecture_id), diff in span.items():
            level = 0
            for k, month in enumerate(months):
                level += diff[k]
                if level:
                    out[(consulate_id, prefecture_id, month)][i.id] += level
    return out


def _suspended(suspensions: list, instant: dt.datetime) -> bool:
    """Suspended at `instant`: a suspension before it that no resumption before it followed."""
    return any(at < instant and (back is None or back >= instant) for at, back in suspensions)


def _days_between(end: str, start: str) -> str:
    """SQL: calendar days from one local date column to another (as `DaysBetween`)."""
    if connection.vendor == "postgresql":
        return f"({end} - {start})"
    if connection.vendor == "sqlite":
        return f"CAST(ROUND(julianday({end}) - julianday({start})) AS INTEGER)"
    raise NotImplementedError(connection.vendor)  # pragma: no cover - SQLite and PostgreSQL only


def _delays(indicators, window, period: Period) -> dict[Delay, dict[Grain, Counter]]:
    """Histogram of delays (days -> count) per grain, once per distinct delay measure.

    The start of each case is its first `start_kind` event by sequence (as `Delay.events()`), found by a join:
    the start events of the period's cases (a hash of those cases) numbered per case, rather than one index
    lookup per event."""
    out: dict = {}
    months = _month_keys(period)
    for i in indicators:
        comp = i.computation
        if not isinstance(comp, Delay):
            continue
        key = (comp.start_kind, str(comp.end))
        if key in out:
            continue
        hist: dict[Grain, Counter] = defaultdict(Counter)
        ends = ledger(window).filter(comp.end, at__gte=window.start, at__lt=window.end)
        starts = (
            ledger(window, filtered=False)
            .filter(kind=comp.start_kind, case_id__in=ends.values("case_id"))
            .values("case_id", "sequence", "local_day")
        )
        ends_sql, ends_params = (
            ends.annotate(month=_month_bucket(period))
            .values("case_id", "consulate_id", "prefecture_id", "month", "local_day")
            .query.sql_with_params()
        )
        starts_sql, starts_params = starts.query.sql_with_params()
        sql = f"""
            SELECT e.consulate_id, e.prefecture_id, e.month, {_days_between("e.local_day", "s.local_day")}, COUNT(*)
            FROM ({ends_sql}) e
            JOIN (SELECT s0.case_id, s0.local_day,
                         ROW_NUMBER() OVER (PARTITION BY s0.case_id ORDER BY s0.sequence) AS rank_in_case
                  FROM ({starts_sql}) s0) s
              ON s.case_id = e.case_id AND s.rank_in_case = 1
            GROUP BY 1, 2, 3, 4"""
        with connection.cursor() as cursor:
            cursor.execute(sql, (*ends_params, *starts_params))
            for consulate_id, prefecture_id, month, days, n in cursor.fetchall():
                hist[(consulate_id, prefecture_id, months[month])][days] += n
        out[key] = hist
    return out


def _departement_code(org: Organisation) -> str:
    return org.departement.code if org.departement is not None else ""


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
        return (lambda g: orgs[g[1]].code), (
            lambda k: (by_code[k].display_name, _departement_code(by_code[k]) or k)
        )
    if breakdown == "departement":
        deps = {o.departement.code: o.departement for o in orgs.values() if o.departement is not None}
        return (
            (lambda g: _departement_code(orgs[g[1]]) or "-"),
            (lambda k: (str(deps[k]) if k in deps else k, k)),
        )
    if breakdown == "month":
        return (lambda g: g[2]), (lambda k: (k, k))
    raise FilterError(_("Ventilation inconnue : %(name)s.") % {"name": breakdown}, code="invalid_breakdown")


def compute(
    period: Period,
    *,
    breakdown: str = "none",
    versions: dict[str, int] | None = None,
    high_water: int | None = None,
    filters: Filters | None = None,
) -> Table:
    return compute_many(
        period, breakdowns=(breakdown,), versions=versions, high_water=high_water, filters=filters
    )[breakdown]


def compute_many(
    period: Period,
    *,
    breakdowns=("none",),
    versions: dict[str, int] | None = None,
    high_water: int | None = None,
    filters: Filters | None = None,
) -> dict[str, Table]:
    """Several breakdowns of the same figures from one set of queries (they differ only in the roll-up)."""
    for breakdown in breakdowns:
        if breakdown not in BREAKDOWNS:
            raise FilterError(
                _("Ventilation inconnue : %(name)s.") % {"name": breakdown}, code="invalid_breakdown"
            )
    filters = filters or Filters()
    gathered = _gather(period, versions=versions, high_water=high_water, filters=filters)
    return {b: _rollup(gathered, period, b, filters) for b in breakdowns}


@dataclass
class _Gathered:
    indicators: list
    high_water: int
    counts: dict
    stocks: dict
    delays: dict


@contextlib.contextmanager
def _analytic_transaction():
    """A transaction for the indicators' queries. PostgreSQL: they are short analytic queries, and JIT
    compilation costs more (≈1.5 s per query on the 10M-event benchmark) than it saves; SET LOCAL ends with the
    transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _parallel() -> bool:
    """The parts of a computation run side by side, each on its own connection, on PostgreSQL outside any
    transaction (a web request, the report command, the benchmark). Inside a transaction (tests, a caller's
    atomic block) they run one after the other on the caller's connection, which alone sees its own writes.
    Each part reads the same events whatever its snapshot: all are bounded by the ledger's high-water mark."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and getattr(settings, "GMMP_INDICATORS_PARALLEL", 4) > 1
    )


def _run_part(fn):
    """One part of a computation on this thread's own connection (closed at the end: the thread ends)."""
    try:
        with _analytic_transaction():
            return fn()
    finally:
        connection.close()


def _gather(period: Period, *, versions, high_water, filters: Filters) -> _Gathered:
    indicators = definitions.resolve(versions)
    high_water = ledger_high_water() if high_water is None else high_water
    ids = _resolve_filters(filters)
    window = Window(
        period.start,
        period.end,
        high_water,
        ids.get("consulates", ()),
        ids.get("prefectures", ()),
        ids.get("departements", ()),
    )
    # Slowest first: with fewer workers than parts, the short ones fill in behind.
    parts = [_stocks, _delays, _cohorts, _flows]
    if _parallel():
        workers = min(len(parts), getattr(settings, "GMMP_INDICATORS_PARALLEL", 4))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="indicators") as pool:
            futures = [
                pool.submit(_run_part, functools.partial(part, indicators, window, period)) for part in parts
            ]
            stocks, delays, cohorts, flows = (f.result() for f in futures)
    else:
        with _analytic_transaction():
            stocks, delays, cohorts, flows = (part(indicators, window, period) for part in parts)
    counts: dict[Grain, Counter] = defaultdict(Counter)
    for part in (flows, cohorts):
        for grain, c in part.items():
            counts[grain].update(c)
    return _Gathered(indicators, high_water, counts, stocks, delays)


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
                out[i.id] = Figure.ratio(comp, c)
            elif isinstance(comp, Delay):
                out[i.id] = Figure(
                    nearest_rank(hists.get((comp.start_kind, str(comp.end)), {}), comp.percentile)
                )
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
    return Table(
        period,
        breakdown,
        indicators,
        [r for _s, r in rows],
        total,
        g.high_water,
        filters,
        dict(total_hist[first_delay]) if first_delay else {},
    )


def cases_behind(
    indicator: Indicator,
    period: Period,
    *,
    high_water: int | None = None,
    filters: Filters | None = None,
    row_key: str = "all",
    breakdown: str = "none",
):
    """Case ids behind a figure (for a ratio: its numerator). Access control is the caller's job."""
    comp = indicator.computation
    if isinstance(comp, Ratio):
        return cases_behind(
            definitions.get(comp.numerator),
            period,
            high_water=high_water,
            filters=filters,
            row_key=row_key,
            breakdown=breakdown,
        )
    ids = _resolve_filters(filters or Filters())
    window = Window(
        period.start,
        period.end,
        ledger_high_water() if high_water is None else high_water,
        ids.get("consulates", ()),
        ids.get("prefectures", ()),
        ids.get("departements", ()),
    )
    if breakdown == "month" and row_key != "all":
        month_first = dt.date.fromisoformat(f"{row_key}-01")
        if isinstance(comp, StockAtEnd):
            window = window.at(period.month_end(month_first))
        else:
            sub = Period(
                "custom",
                max(month_first, period.first_day),
                min(period.month_end(month_first).date() - dt.timedelta(days=1), period.last_day),
            )
            window = Window(
                sub.start,
                sub.end,
                window.high_water,
                window.consulates,
                window.prefectures,
                window.departements,
            )
            if isinstance(comp, OpenAtEnd):
                window = Window(
                    sub.start,
                    period.end,
                    window.high_water,
                    window.consulates,
                    window.prefectures,
                    window.departements,
                )
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
