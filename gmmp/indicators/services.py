"""Writes of the indicators app: recording a report run. Reads (figures) are in engine.py."""

from django.db import transaction

from gmmp.core import clock

from . import domains, engine
from . import minors as minors_indicators
from .models import ReportRun
from .periods import Period

# The report's own tables: the quarter by month and by consulate, computed once when the run is recorded.
REPORT_BREAKDOWNS = ("none", "month", "consulate")


def report_run_create(
    *,
    user,
    period: Period,
    language: str,
    kind: str = ReportRun.Kind.QUARTERLY,
    breakdown: str = "none",
    filters: engine.Filters | None = None,
) -> tuple[ReportRun, engine.Table]:
    """Compute the figures now and record how (versions, high-water mark) so they can be recomputed.

    The tables computed here are kept on the returned run, for this process only: rendering the report right
    after (command, download button) reads them instead of recomputing the same figures (same versions, same
    high-water mark, so the same numbers). The figures are read before the write's transaction: on PostgreSQL
    their parts then run side by side (engine._parallel)."""
    filters = filters or engine.Filters()
    breakdowns = tuple(dict.fromkeys((breakdown, *REPORT_BREAKDOWNS)))
    tables = engine.compute_many(period, breakdowns=breakdowns, filters=filters)
    table = tables[breakdown]
    with transaction.atomic():
        run = ReportRun.objects.create(
            kind=kind,
            period_kind=period.kind,
            first_day=period.first_day,
            last_day=period.last_day,
            breakdown=breakdown,
            filters=filters.as_dict(),
            language=language,
            versions=table.versions | domains.current_versions(),
            ledger_high_water=table.high_water,
            minors_high_water=minors_indicators.ledger_high_water(),
            totals=table.as_dict()["total"]["figures"],
            created_by=user if user is not None and user.is_authenticated else None,
            created_at=clock.now(),
        )
    run._computed = {(period, b): t for b, t in tables.items()}
    return run, table


def report_run_table(
    run: ReportRun, *, period: Period | None = None, breakdown: str | None = None
) -> engine.Table:
    """The run's figures recomputed with its recorded versions and ledger high-water mark (another period or
    breakdown can be asked for the report's comparisons and tables: same versions, same events)."""
    breakdown = breakdown or run.breakdown
    return report_run_tables(run, period=period, breakdowns=(breakdown,))[breakdown]


def report_run_tables(run: ReportRun, *, period: Period | None = None, breakdowns=("none",)) -> dict:
    period = period or run.period
    computed = getattr(run, "_computed", {})
    if all((period, b) in computed for b in breakdowns):
        return {b: computed[(period, b)] for b in breakdowns}
    return engine.compute_many(
        period,
        breakdowns=breakdowns,
        versions=run.versions,
        high_water=run.ledger_high_water,
        filters=engine.Filters.from_dict(run.filters),
    )
