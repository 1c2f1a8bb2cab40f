"""Closed-loop load on a running server: C clients (threads), each sending the next request as soon as the
last answered, for S seconds, drawn from a weighted mix of what the platform's users do. Prints
requests/s, latency percentiles per kind and overall, errors, and the machine. Not a test.

usage: .venv/bin/python bench/load/load.py --url http://127.0.0.1:8140 --callers DATA_DIR/load-callers.json
       [--clients 8] [--seconds 30] [--cases 100000]
(bench/load/run.sh starts PostgreSQL, generates the data, starts gunicorn and runs this.)
"""

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import random
import threading
import time
from collections import defaultdict

import requests

_orders = itertools.count(1)


def _filing() -> dict:
    today = dt.date.today()
    return {
        "last_name": "DEMO-CHARGE",
        "first_names": "Mohamed",
        "sex": "M",
        "birth_date": "1994",
        "birth_place": "Casablanca",
        "removal_order_reference": f"OQTF-LOAD-{os.getpid()}-{next(_orders)}",
        "removal_order_date": str(today - dt.timedelta(days=50)),
        "detention_start": str(today - dt.timedelta(days=2)),
    }


class Mix:
    """The kinds of request, their weights (out of 100) and who sends them."""

    def __init__(self, callers: dict, cases: int):
        self.callers, self.cases = callers, cases
        self.kinds = [
            ("web: consulate queue", 16, self.web("load_cg_paris", lambda: "/cases/")),
            ("web: préfecture list", 8, self.web("load_pref75", lambda: "/cases/")),
            ("web: national list (DGEF)", 6, self.web("load_dgef", lambda: "/cases/")),
            ("web: national list, 2nd page", 2, self.web("load_dmsf", lambda: "/cases/?page=2")),
            ("web: case page", 18, self.web("load_dgef", lambda: f"/cases/{self.reference()}/")),
            ("api: case list", 10, self.api_get("load_cg_paris", lambda: "/api/v1/cases/?limit=50")),
            ("api: case", 16, self.api_get("load_dgef", lambda: f"/api/v1/cases/{self.reference()}")),
            (
                "api: timeline",
                8,
                self.api_get("load_dmsf", lambda: f"/api/v1/cases/{self.reference()}/events"),
            ),
            ("api: file + submit", 8, self.filing),
            ("healthz", 8, self.plain(lambda: "/healthz")),
        ]
        assert sum(w for _, w, _ in self.kinds) == 100
        self.weights = [w for _, w, _ in self.kinds]

    def reference(self) -> str:
        return f"B-{random.randint(1, self.cases)}"

    def web(self, who, path):
        cookie = {"sessionid": self.callers[who]["session"]}
        return lambda s, url: [s.get(url + path(), cookies=cookie, allow_redirects=False)]

    def api_get(self, who, path):
        headers = {"Authorization": f"Bearer {self.callers[who]['token']}"}
        return lambda s, url: [s.get(url + path(), headers=headers)]

    def plain(self, path):
        return lambda s, url: [s.get(url + path())]

    def filing(self, s, url):
        headers = {"Authorization": f"Bearer {self.callers['load_pref75']['token']}"}
        created = s.post(url + "/api/v1/cases/", json=_filing(), headers=headers)
        if created.status_code != 201:
            return [created]
        reference = created.json()["reference"]
        return [created, s.post(url + f"/api/v1/cases/{reference}/transitions/submit", headers=headers)]


def machine() -> str:
    cpu = platform.machine()
    try:
        cpu = next(
            line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, {kb / 1024 / 1024:.1f} GiB RAM; load average now {load}"


def _stat(pid: int) -> list[str]:
    text = open(f"/proc/{pid}/stat").read()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def cpu_seconds(master: int) -> float:
    """CPU used by a server: its master (with its reaped children) and its live children."""
    tick = os.sysconf("SC_CLK_TCK")
    fields = _stat(master)
    total = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                child = _stat(int(entry))
            except OSError:
                continue
            if int(child[1]) == master:
                total += int(child[11]) + int(child[12])
    return total / tick


def _pid(path: str | None) -> int | None:
    try:
        return int(open(path).readline()) if path else None
    except (OSError, ValueError):
        return None


def pct(samples, p) -> float:
    return samples[min(len(samples) - 1, int(len(samples) * p))] if samples else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8140")
    parser.add_argument("--callers", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--gunicorn-pid", help="the master's pid file: CPU per request is measured")
    parser.add_argument("--postgres-pid", help="PGDATA/postmaster.pid")
    parser.add_argument("--only", default="", help="only the kinds whose name contains this")
    args = parser.parse_args()
    random.seed(args.seed)
    mix = Mix(json.load(open(args.callers)), args.cases)
    if args.only:
        mix.kinds = [k for k in mix.kinds if args.only in k[0]]
        mix.weights = [w for _, w, _ in mix.kinds]
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def client(n: int):
        rng = random.Random(args.seed * 100 + n)
        session = requests.Session()
        while time.monotonic() < stop:
            name, _w, send = rng.choices(mix.kinds, weights=mix.weights)[0]
            start = time.perf_counter()
            responses = send(session, args.url)
            took = (time.perf_counter() - start) * 1000 / len(responses)
            with lock:
                for response in responses:
                    times[name].append(took)
                    if response.status_code >= 400:
                        errors[name].append(f"{response.status_code} {response.request.path_url}")

    print(f"machine: {machine()}")
    print(f"load: {args.clients} clients, {args.seconds:.0f} s, {args.url}, {args.cases:,} cases")
    servers = {n: _pid(f) for n, f in (("gunicorn", args.gunicorn_pid), ("postgres", args.postgres_pid))}
    servers = {n: pid for n, pid in servers.items() if pid}
    cpu_before = {n: cpu_seconds(pid) for n, pid in servers.items()}
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    every = sorted(x for samples in times.values() for x in samples)
    total_errors = sum(len(e) for e in errors.values())
    print(f"{'kind':32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for name, _w, _send in mix.kinds:
        samples = sorted(times[name])
        print(
            f"{name:32} {len(samples):6} {pct(samples, 0.5):8.0f} {pct(samples, 0.95):8.0f} "
            f"{pct(samples, 0.99):8.0f} {len(errors[name]):6}"
        )
    print(
        f"{'all':32} {len(every):6} {pct(every, 0.5):8.0f} {pct(every, 0.95):8.0f} {pct(every, 0.99):8.0f} "
        f"{total_errors:6}"
    )
    print(f"throughput: {len(every) / elapsed:.0f} requests/s over {elapsed:.1f} s; errors: {total_errors}")
    if servers and every:
        used = {n: cpu_seconds(pid) - cpu_before[n] for n, pid in servers.items()}
        per = sum(used.values()) * 1000 / len(every)
        parts = ", ".join(f"{n} {v * 1000 / len(every):.0f}" for n, v in used.items())
        print(
            f"server CPU per request: {per:.0f} ms ({parts}); on {os.cpu_count()} cores given to the server "
            f"alone that is at most {os.cpu_count() * 1000 / per:.0f} requests/s"
        )
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, items in errors.items():
        print(f"  errors in {name}: {items[:3]}")


if __name__ == "__main__":
    main()
