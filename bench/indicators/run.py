"""Time the indicators' core set for one quarter, with each breakdown, and the quarterly report's PDF.

usage: DATABASE_URL=postgres://... .venv/bin/python bench/indicators/run.py [--quarter 2024Q2] [--repeat 3]
(fill the database first with bench/indicators/generate.py)
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
    return (f"CPU: {cpu} · {os.cpu_count()} cores · RAM {ram:.0f} GiB · Python {platform.python_version()} · "
            f"PostgreSQL {pg} · {cases:,} cases · {events:,} events")


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times[0], statistics.median(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarter", default="2024Q2")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    assert connection.vendor == "postgresql"
    print(machine())
    period = periods.parse_quarter(args.quarter)
    print(f"quarter {period.code}: core set ({len(engine.definitions.ORDER)} indicators), first run / median of {args.repeat}")
    for breakdown in engine.BREAKDOWNS:
        first, median, table = timed(lambda b=breakdown: engine.compute(period, breakdown=b), args.repeat)
        print(f"  breakdown {breakdown:<12} {first:6.2f} s / {median:6.2f} s   ({len(table.rows)} rows, "
              f"requests {table.total.value('requests_received'):,}, LPC rate {table.total.value('lpc_issuance_rate')})")
    first, median, tables = timed(lambda: engine.compute_many(period, breakdowns=engine.BREAKDOWNS), args.repeat)
    print(f"  all five breakdowns at once (compute_many) {first:6.2f} s / {median:6.2f} s")
    t = time.perf_counter()
    run, _table = report_run_create(user=None, period=period, language="fr")
    pdf = render_pdf(run)
    print(f"quarterly report PDF (fr): {time.perf_counter() - t:.2f} s, {len(pdf) / 1024:.0f} KiB "
          "(figures for the quarter, the previous quarter, by month and by consulate, 9 charts)")
    run.delete()


if __name__ == "__main__":
    main()
