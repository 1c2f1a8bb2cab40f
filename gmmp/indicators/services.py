"""Writes of the indicators app: recording a report run. Reads (figures) are in engine.py."""

from django.db import transaction

from gmmp.core import clock

from . import engine
from .models import ReportRun
from .periods import Period


@transaction.atomic
def report_run_create(*, user, period: Period, language: str, kind: str = ReportRun.Kind.QUARTERLY,
                      breakdown: str = "none", filters: engine.Filters | None = None) -> tuple[ReportRun, engine.Table]:
    """Compute the figures now and record how (versions, high-water mark) so they can be recomputed."""
    filters = filters or engine.Filters()
    table = engine.compute(period, breakdown=breakdown, filters=filters)
    run = ReportRun.objects.create(
        kind=kind, period_kind=period.kind, first_day=period.first_day, last_day=period.last_day,
        breakdown=breakdown, filters=filters.as_dict(), language=language, versions=table.versions,
        ledger_high_water=table.high_water, totals=table.as_dict()["total"]["figures"],
        created_by=user if user is not None and user.is_authenticated else None, created_at=clock.now(),
    )
    return run, table


def report_run_table(run: ReportRun, *, period: Period | None = None, breakdown: str | None = None) -> engine.Table:
    """The run's figures recomputed with its recorded versions and ledger high-water mark (another period or
    breakdown can be asked for the report's comparisons and tables: same versions, same events)."""
    breakdown = breakdown or run.breakdown
    return report_run_tables(run, period=period, breakdowns=(breakdown,))[breakdown]


def report_run_tables(run: ReportRun, *, period: Period | None = None, breakdowns=("none",)) -> dict:
    return engine.compute_many(period or run.period, breakdowns=breakdowns, versions=run.versions,
                               high_water=run.ledger_high_water, filters=engine.Filters.from_dict(run.filters))
