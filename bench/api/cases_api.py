"""Latency of the cases API on a throw-away database: list (most urgent first, 50 a page), read one,
timeline. Not a test: prints figures and the machine.

    GMMP_DATA_DIR=$(mktemp -d) .venv/bin/python bench/api/cases_api.py [--cases 2000] [--calls 200]
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmmp.settings")
os.environ.setdefault("GMMP_LOG_LEVEL", "WARNING")  # one INFO line per transition would drown the figures
if "GMMP_DATA_DIR" not in os.environ:
    raise SystemExit(
        "Set GMMP_DATA_DIR to a throw-away directory: this script creates its own database there."
    )

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from gmmp.cases import actions  # noqa: E402
from gmmp.core import clock  # noqa: E402
from gmmp.organisations.models import Organisation, User  # noqa: E402
from gmmp.organisations.tokens import api_token_create  # noqa: E402


def machine() -> str:
    mem = ""
    try:
        kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(
            line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    db = django.conf.settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, {db}"


def timed(client, path, calls) -> tuple[float, float]:
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:200]
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open(os.devnull, "w"))
    prefecture = Organisation.objects.get(code="PREF-75")
    agent, _ = User.objects.get_or_create(
        username="bench_pref75", defaults={"organisation": prefecture, "role": "agent"}
    )
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    with clock.frozen(start):
        for i in range(args.cases):
            case = actions.case_create(
                user=agent,
                data={
                    "last_name": f"BENCH{i:05d}",
                    "first_names": "Fictif",
                    "birth_date": "1990",
                    "removal_order_reference": f"BENCH-{i}",
                    "removal_order_date": dt.date(2026, 9, 1),
                    "detention_start": dt.date(2026, 9, 1) + dt.timedelta(days=i % 80),
                },
            )
            if i % 2:
                actions.case_submit(case=case, user=agent)
    built = time.perf_counter() - t0
    _token, raw = api_token_create(user=agent, name="bench", scopes=["cases:read"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    reference = case.reference
    print(f"machine: {machine()}")
    print(f"{args.cases} cases built through the actions in {built:.1f} s")
    with clock.frozen(start):
        for label, path in [
            ("GET /api/v1/cases/ (50, most urgent first)", "/api/v1/cases/?limit=50"),
            ("GET /api/v1/cases/?state=routed&q=BENCH01", "/api/v1/cases/?state=routed&q=BENCH01"),
            ("GET /api/v1/cases/{reference}", f"/api/v1/cases/{reference}"),
            ("GET /api/v1/cases/{reference}/events", f"/api/v1/cases/{reference}/events"),
        ]:
            p50, p95 = timed(client, path, args.calls)
            print(f"{label:48s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({args.calls} calls)")


if __name__ == "__main__":
    main()
