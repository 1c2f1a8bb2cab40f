"""CPU per request of each kind of the load mix, in one Django process (the test client), against the load
bench's PostgreSQL data: no gunicorn, no network, so the figure barely moves with the machine's load.

usage (after bench/load/run.sh has generated the data; PostgreSQL started with bench/indicators/pg.sh):
  DATABASE_URL=postgres://gmmp@127.0.0.1:55440/gmmp_bench GMMP_DATA_DIR=/tmp/gmmp-load-data \\
    .venv/bin/python bench/load/inprocess.py [--kind all|queue|pref|national|national2|case|api-list|
      api-case|api-timeline|filing|healthz] [--n 40] [--postgres-pid PGDATA/data/postmaster.pid]
      [--profile FILE] [--settled-gc]

Prints, per kind, the Python CPU per request (p50 and mean), PostgreSQL's CPU per request (all its
processes, from /proc, with --postgres-pid), the wall time and the queries; with --kind all, the mean
over the mix weighted as bench/load/load.py weighs it. --profile writes cProfile stats of the measured
requests (read them with `python -m pstats FILE`) and prints the top functions. --settled-gc settles the
garbage collector after each kind's warm-up as deploy/gunicorn.conf.py does in a worker
(gmmp/core/collector.py); without it, Python's default collector runs, as it did under gunicorn before.
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmmp.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from load import _filing, _pid, cpu_seconds  # noqa: E402

# name: (weight in the mix, as load.py), caller, method, path or a function of a reference
KINDS = {
    "queue": (16, "load_cg_paris", "web", "/cases/"),
    "pref": (8, "load_pref75", "web", "/cases/"),
    "national": (6, "load_dgef", "web", "/cases/"),
    "national2": (2, "load_dmsf", "web", "/cases/?page=2"),
    "case": (18, "load_dgef", "web", lambda ref: f"/cases/{ref}/"),
    "api-list": (10, "load_cg_paris", "api", "/api/v1/cases/?limit=50"),
    "api-case": (16, "load_dgef", "api", lambda ref: f"/api/v1/cases/{ref}"),
    "api-timeline": (8, "load_dmsf", "api", lambda ref: f"/api/v1/cases/{ref}/events"),
    "filing": (8, "load_pref75", "filing", None),
    "healthz": (8, None, "plain", "/healthz"),
}


def _references(n: int) -> list[str]:
    from gmmp.cases.models import Case

    rng = random.Random(15)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    refs: list[str] = []
    while len(refs) < n:
        ref = Case.objects.filter(pk=rng.randint(1, top)).values_list("reference", flat=True).first()
        if ref:
            refs.append(ref)
    return refs


def _requests(kind: str, callers: dict, n: int):
    """n + 1 callables (the first one warms up), each sending one request and returning the responses."""
    _w, who, how, path = KINDS[kind]
    client = Client(HTTP_HOST="127.0.0.1")
    refs = _references(n + 1) if callable(path) else [""] * (n + 1)
    if how == "web":
        client.cookies["sessionid"] = callers[who]["session"]
        return [lambda ref=ref: [client.get(path(ref) if callable(path) else path)] for ref in refs]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {callers[who]['token']}"} if who else {}
    if how in ("api", "plain"):
        return [lambda ref=ref: [client.get(path(ref) if callable(path) else path, **auth)] for ref in refs]

    def file_and_submit():
        created = client.post("/api/v1/cases/", _filing(), content_type="application/json", **auth)
        if created.status_code != 201:
            return [created]
        ref = created.json()["reference"]
        return [created, client.generic("POST", f"/api/v1/cases/{ref}/transitions/submit", b"", **auth)]

    return [file_and_submit] * (n + 1)


def measure(
    kind: str, callers: dict, n: int, pg: int | None, profiler: cProfile.Profile | None, settle: bool = False
) -> dict:
    sends = _requests(kind, callers, n)
    for response in sends[0]():  # warm
        assert response.status_code < 400, (kind, response.status_code)
    if settle:
        from gmmp.core.collector import settle as settle_gc

        settle_gc()
    cpu, wall, queries = [], [], []
    pg_start = cpu_seconds(pg) if pg else 0.0
    for send in sends[1:]:
        with CaptureQueriesContext(connection) as captured:
            start, start_wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            responses = send()
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - start) * 1000 / len(responses))
            wall.append((time.perf_counter() - start_wall) * 1000 / len(responses))
        for response in responses:
            assert response.status_code < 400, (kind, response.status_code, response.content[:300])
        queries.append(len(captured) / len(responses))
    pg_ms = (cpu_seconds(pg) - pg_start) * 1000 / n if pg else float("nan")
    if kind == "filing":
        pg_ms /= 2  # two requests each
    return {
        "kind": kind,
        "cpu_p50": statistics.median(cpu),
        "cpu_mean": statistics.mean(cpu),
        "pg": pg_ms,
        "wall_p50": statistics.median(wall),
        "queries": f"{min(queries):g}-{max(queries):g}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=["all", *KINDS], default="all")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--postgres-pid", help="postmaster.pid: add PostgreSQL's CPU per request")
    parser.add_argument("--profile", help="write cProfile stats of the measured requests to this file")
    parser.add_argument("--settled-gc", action="store_true", help="the collector as a gunicorn worker has it")
    args = parser.parse_args()
    callers = json.load(open(os.path.join(os.environ["GMMP_DATA_DIR"], "load-callers.json")))
    pg = _pid(args.postgres_pid)
    # CPU time, not wall time: the machine is shared, and waiting for a core is not this code's cost.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    kinds = list(KINDS) if args.kind == "all" else [args.kind]
    print(f"{'kind':14} {'CPU p50':>8} {'mean':>8} {'PG':>6} {'wall p50':>9} {'queries':>8}   (ms a request)")
    rows = []
    for kind in kinds:
        row = measure(kind, callers, args.n, pg, profiler, settle=args.settled_gc)
        rows.append(row)
        print(
            f"{kind:14} {row['cpu_p50']:8.1f} {row['cpu_mean']:8.1f} {row['pg']:6.1f} {row['wall_p50']:9.1f} "
            f"{row['queries']:>8}",
            flush=True,
        )
    if len(rows) > 1:
        weights = {k: KINDS[k][0] * (2 if k == "filing" else 1) for k in kinds}  # filing = 2 requests
        total = sum(weights.values())
        mean = sum(r["cpu_mean"] * weights[r["kind"]] for r in rows) / total
        pg_mean = sum(r["pg"] * weights[r["kind"]] for r in rows) / total
        print(f"{'mix (weighted)':14} {'':8} {mean:8.1f} {pg_mean:6.1f}")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if profiler:
        profiler.dump_stats(args.profile)
        stats = pstats.Stats(args.profile)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
