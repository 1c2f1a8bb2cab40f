"""Time the indicators' core set for one quarter, with each breakdown, and the quarterly report's PDF.

usage: DATABASE_URL=postgres://... .venv/bin/python bench/indicators/run.py [--quarter 2024Q2] [--repeat 5]
       [--versions lpc_in_time=1,ready_without_departure=1] [--no-pdf]
(fill the database first with bench/indicators/generate.py, then `.venv/bin/gmmp migrate` for the ledger index)

Each figure: first run / median / min of --repeat runs in this process, with the load average of the (shared)
machine. The PDF is timed end to end as the command does it: record the run (figures of the quarter), then
render (figures of the previous quarter, 7 charts, WeasyPrint); the first one pays the imports and font set-up.
"""

import argparse
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmmp.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from gmmp.indicators import engine, periods  # noqa: E402
from gmmp.indicators.report import render_pdf  # noqa: E402
from gmmp.indicators.services import report_run_create  # noqa: E402


def machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cur:
        cur.execute("show server_version")
        pg = cur.fetchone()[0]
        cur.execute("select count(*) from cases_case")
        cases = cur.fetchone()[0]
        cur.execute("select count(*) from cases_caseevent")
        events = cur.fetchone()[0]
    return (
        f"CPU: {cpu} · {os.cpu_count()} cores · RAM {ram:.0f} GiB · Python {platform.python_version()} · "
        f"PostgreSQL {pg} · {cases:,} cases · {events:,} events"
    )


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times[0], statistics.median(times), min(times), result


def load() -> str:
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarter", default="2024Q2")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="fr", choices=("fr", "ar", "en"))
    parser.add_argument(
        "--versions",
        default="",
        help="earlier definitions to time instead of the current ones, e.g. lpc_in_time=1,ready_without_departure=1",
    )
    parser.add_argument("--no-pdf", action="store_true", help="time the core set only")
    args = parser.parse_args()
    versions = engine.definitions.current_versions() | {
        key: int(value) for key, value in (item.split("=") for item in args.versions.split(",") if item)
    }
    assert connection.vendor == "postgresql"
    print(machine())
    print(f"start: {load()}")
    period = periods.parse_quarter(args.quarter)
    print(
        f"quarter {period.code}: core set ({len(engine.definitions.ORDER)} indicators), "
        f"first run / median / min of {args.repeat} (s); versions changed: {args.versions or 'none'}"
    )
    for breakdown in engine.BREAKDOWNS:
        first, median, least, table = timed(
            lambda b=breakdown: engine.compute(period, breakdown=b, versions=versions), args.repeat
        )
        print(
            f"  breakdown {breakdown:<12} {first:5.2f} / {median:5.2f} / {least:5.2f}   ({len(table.rows)} rows, "
            f"requests {table.total.value('requests_received'):,}, LPC rate {table.total.value('lpc_issuance_rate')}, "
            f"ready without departure {table.total.value('ready_without_departure'):,})"
        )
    first, median, least, _tables = timed(
        lambda: engine.compute_many(period, breakdowns=engine.BREAKDOWNS, versions=versions), args.repeat
    )
    print(f"  all five breakdowns at once (compute_many) {first:5.2f} / {median:5.2f} / {least:5.2f}")
    print(f"after the core set: {load()}")
    if args.no_pdf:
        return

    def pdf():
        run, _table = report_run_create(user=None, period=period, language=args.lang)
        data = render_pdf(run)
        run.delete()
        return data

    first, median, least, data = timed(pdf, args.repeat)
    print(
        f"quarterly report PDF ({args.lang}): {first:5.2f} / {median:5.2f} / {least:5.2f} s, {len(data) / 1024:.0f} KiB "
        "(figures of the quarter by month and by consulate, the previous quarter, 7 charts)"
    )
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
