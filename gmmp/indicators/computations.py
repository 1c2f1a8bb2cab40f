"""How an indicator is computed from the case ledger (`CaseEvent`), and nothing else.

Each computation says which ledger events stand behind the figure (`events()`, also used for the
drill-down to the cases) and is aggregated in SQL by the engine (`engine.py`). Attribution is always
taken from the snapshot columns of the event counted (consulate, préfecture at the time of the event),
so later changes to a case never move a past figure.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from gmmp.cases.models import CaseEvent

from .periods import display_zone


@dataclass(frozen=True)
class Window:
    """What a computation reads: [start, end) instants, optional snapshot filters, and the ledger's
    high-water mark (largest event id) so that a stored report recomputes on exactly the same events."""

    start: dt.datetime
    end: dt.datetime
    high_water: int | None = None
    consulates: tuple[int, ...] = ()
    prefectures: tuple[int, ...] = ()
    departements: tuple[int, ...] = ()

    def at(self, end: dt.datetime) -> "Window":
        return Window(self.start, end, self.high_water, self.consulates, self.prefectures, self.departements)


def ledger(window: Window, *, filtered: bool = True) -> models.QuerySet:
    """The ledger as the window sees it (high-water mark, snapshot filters), unordered for GROUP BY."""
    qs = CaseEvent.objects.order_by()
    if window.high_water is not None:
        qs = qs.filter(pk__lte=window.high_water)
    if filtered:
        if window.consulates:
            qs = qs.filter(consulate_id__in=window.consulates)
        if window.prefectures:
            qs = qs.filter(prefecture_id__in=window.prefectures)
        if window.departements:
            qs = qs.filter(prefecture__departement_id__in=window.departements)
    # The local (Paris) day of the event, compared with the detention end date.
    return qs.annotate(local_day=TruncDate("at", tzinfo=display_zone()))


def same_case_before(window: Window, instant: dt.datetime, outer: str = "case_id") -> models.QuerySet:
    return ledger(window, filtered=False).filter(case_id=OuterRef(outer), at__lt=instant)


class DaysBetween(models.Func):
    """Calendar days from one date to another (both local dates): end - start."""

    output_field = models.IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        (sql_end, params_end), (sql_start, params_start) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        if connection.vendor == "postgresql":
            sql = f"({sql_end} - {sql_start})"
        elif connection.vendor == "sqlite":
            sql = f"CAST(ROUND(julianday({sql_end}) - julianday({sql_start})) AS INTEGER)"
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
            raise NotImplementedError(connection.vendor)
        return sql, (*params_end, *params_start)


@dataclass(frozen=True)
class EventCount:
    """Number of ledger events of `kind` (one kind or a tuple of kinds), matching `where`, whose instant
    falls in the period, unless a later event of the same case (up to the ledger's high-water mark, whatever
    its period) of kind `unless_later[0]` matches `unless_later[1]` (a Q that may compare with the counted event
    through `OuterRef`)."""

    kind: str | tuple[str, ...]
    where: Q = field(default_factory=Q)
    unless_later: tuple[str, Q] | None = None
    shape = "flow"

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,) if isinstance(self.kind, str) else tuple(self.kind)

    def selection(self, window: Window | None = None) -> Q:
        q = Q(kind__in=self.kinds) & self.where
        if self.unless_later is not None:
            later_kind, matching = self.unless_later
            events = CaseEvent.objects.order_by().filter(kind=later_kind)
            if window is not None and window.high_water is not None:
                events = events.filter(pk__lte=window.high_water)
            later = events.filter(case_id=OuterRef("case_id"), sequence__gt=OuterRef("sequence")).filter(
                matching
            )
            # The cases that have any such event first (few; one hashed lookup), then the exact test for those.
            q &= ~(Q(case_id__in=events.values("case_id")) & Q(Exists(later)))
        return q

    def events(self, window: Window) -> models.QuerySet:
        return ledger(window).filter(at__gte=window.start, at__lt=window.end).filter(self.selection(window))


@dataclass(frozen=True)
class OpenAtEnd:
    """Cohort: events of `kind` in the period whose case had no event matching `closed_by` before the
    period's end."""

    kind: str
    closed_by: Q
    shape = "cohort"

    def events(self, window: Window) -> models.QuerySet:
        closing = same_case_before(window, window.end).filter(self.closed_by)
        return (
            ledger(window)
            .filter(kind=self.kind, at__gte=window.start, at__lt=window.end)
            .filter(~Exists(closing))
        )


@dataclass(frozen=True)
class StockAtEnd:
    """Stock at an instant: cases with an `entry` event before it, without an `exit` event before it, and
    not `suspended` (an event matching `suspended` before it that no `resumed_by` event followed). Each pair
    of `more_suspensions` is one more (suspended, resumed_by) rule of the same kind: a release lifted by a
    resumption, an appeal lifted by its judgment. `ends_entry`: events that end the entry they follow (by
    sequence) and not a later entry of the same case (a reversed identification ends the laissez-passer
    issued before it, not the one issued on the right person afterwards)."""

    entry: Q
    exit: Q
    suspended: Q
    resumed_by: Q
    more_suspensions: tuple[tuple[Q, Q], ...] = ()
    ends_entry: Q | None = None
    shape = "stock"

    @property
    def suspension_rules(self) -> tuple[tuple[Q, Q], ...]:
        return ((self.suspended, self.resumed_by), *self.more_suspensions)

    def events(self, window: Window) -> models.QuerySet:
        instant = window.end
        exits = same_case_before(window, instant).filter(self.exit)
        qs = ledger(window).filter(self.entry, at__lt=instant).filter(~Exists(exits))
        if self.ends_entry is not None:
            ended = same_case_before(window, instant).filter(
                self.ends_entry, sequence__gt=OuterRef("sequence")
            )
            qs = qs.filter(~Exists(ended))
        for suspended, resumed_by in self.suspension_rules:
            resumed = (
                ledger(window, filtered=False)
                .filter(case_id=OuterRef("case_id"), at__lt=instant, sequence__gt=OuterRef("sequence"))
                .filter(resumed_by)
            )
            suspensions = same_case_before(window, instant).filter(suspended).filter(~Exists(resumed))
            qs = qs.filter(~Exists(suspensions))
        return qs


@dataclass(frozen=True)
class Delay:
    """Distribution of calendar days (Paris dates) from the case's `start_kind` event to the `end` events of
    the period; the figure is the `percentile` (nearest rank) of that distribution."""

    start_kind: str
    end: Q
    percentile: int
    shape = "delay"

    def started(self, window: Window) -> models.QuerySet:
        """The local day of the case's first `start_kind` event (by sequence), for an outer event."""
        return (
            ledger(window, filtered=False)
            .filter(case_id=OuterRef("case_id"), kind=self.start_kind)
            .order_by("sequence")
            .values("local_day")[:1]
        )

    def events(self, window: Window) -> models.QuerySet:
        return (
            ledger(window)
            .filter(self.end, at__gte=window.start, at__lt=window.end)
            .annotate(started_on=Subquery(self.started(window), output_field=models.DateField()))
            .filter(started_on__isnull=False)
            .annotate(days=DaysBetween(F("local_day"), F("started_on")))
        )


@dataclass(frozen=True)
class Ratio:
    """numerator ÷ sum(denominators), both shown beside the rate; no value when the denominator is 0."""

    numerator: str
    denominators: tuple[str, ...]
    shape = "ratio"


def nearest_rank(histogram: dict[int, int], percentile: int) -> int | None:
    """Smallest value d such that at least `percentile`% of observations are <= d."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = -(-percentile * total // 100)  # ceil(p * n / 100)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)  # pragma: no cover
