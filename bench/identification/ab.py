"""Two versions of the engine side by side: the working tree against a git revision, interleaved
request by request in one process, so that both see the same machine load.

    .venv/bin/python bench/identification/ab.py --against main [--rounds 3]

Uses the store and requests of bench/identification/run.py (run it once at --people first). Prints
how many requests the two versions answer differently (top five ids, scores, bands, reasons; the
full proof is fingerprint.py) and the CPU time per request (thread time) of each: on a shared
machine wall time varies with the others' load, CPU time much less, and interleaving cancels most of
what remains. The phases of one request (where the time goes) with --phases. The engine keeps the
names' similarities across requests: ``--warm-up`` another seed's requests so that the first round
measures requests seen for the first time by a warmed engine (the first-round figures are printed apart).
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def old_engine(revision: str):  # noqa: ANN201
    """The engine package as it is at ``revision``, importable as ``engine_at_revision``."""
    where = Path(tempfile.mkdtemp(prefix="gmmp-ab-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "gmmp/identification/engine"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    (where / "gmmp/identification/engine").rename(where / "engine_at_revision")
    sys.path.insert(0, str(where))
    return importlib.import_module("engine_at_revision")


def phases(engine, queries) -> None:  # noqa: ANN001
    """Mean CPU time per phase, for requests answered in one pass and those that needed a second."""
    from gmmp.identification.engine import candidates as blocking
    from gmmp.identification.engine.compare import compare_date, sorted_member
    from gmmp.identification.engine.engine import SECOND_PASS_FACTOR
    from gmmp.identification.engine.query import prepare
    from gmmp.identification.engine.scoring import merged, score

    clock = time.thread_time
    records = []
    for query in queries:
        t = engine.tables
        marks = [clock()]
        p = prepare(engine.kb, t.key_ids, query)
        marks.append(clock())
        rows = blocking.candidates(t, p)
        marks.append(clock())
        dates = compare_date(t, p.date, rows)
        rough = blocking.rough(t, p, rows, dates)
        first = blocking.best_rows(rows, rough, t.prefilter_keep)
        marks.append(clock())
        s = score(t, p, first, dates[np.searchsorted(rows, first)])
        marks.append(clock())
        out = engine._rank(p, s, 5)
        marks.append(clock())
        second = len(rows) > t.prefilter_keep and (not out or out[0].band != "strong")
        if second:  # as Engine.search: only the rows not scored yet
            wider = blocking.best_rows(rows, rough, t.prefilter_keep * SECOND_PASS_FACTOR)
            extra = wider[~sorted_member(wider, first)]
            kept = s.take(np.flatnonzero(sorted_member(first, wider)))
            engine._rank(p, merged(kept, score(t, p, extra, dates[np.searchsorted(rows, extra)])), 5)
        marks.append(clock())
        records.append((second, np.diff(marks) * 1000))
    names = ("prepare", "candidates", "rough", "score", "rank", "second pass")
    for flag in (False, True):
        chosen = np.array([r[1] for r in records if r[0] == flag])
        if len(chosen):
            means = ", ".join(f"{n} {v:.3f}" for n, v in zip(names, chosen.mean(0), strict=True))
            print(f"{'two passes' if flag else 'one pass'} ({len(chosen)} requests), mean ms: {means}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--against", default="main", help="git revision of the other version")
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workdir", default="/tmp/gmmp-bench-identification")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--phases", action="store_true")
    parser.add_argument(
        "--warm-up", help="requests CSV (another seed) both versions answer before the timed rounds"
    )
    args = parser.parse_args()

    from gmmp.identification import engine as current
    from gmmp.identification.engine.batch import read_requests

    other = old_engine(args.against)
    work = Path(args.workdir)
    store = work / f"store_{args.people}"
    rows = list(read_requests(work / f"requests_{args.people}_{args.requests}_4242.csv"))
    a, b = other.Engine.open(store), current.Engine.open(store)
    qa = [other.query_from_row(r) for r in rows]
    qb = [current.query_from_row(r) for r in rows]

    def answer(engine, q):  # noqa: ANN001, ANN202
        return [(c.national_id, round(c.score, 6), c.band, c.band_reason) for c in engine.search(q)]

    if args.warm_up:
        # Requests of another seed first: what the engines keep across requests (the names'
        # similarities) is then warmed by other requests, as in service, not by the timed ones.
        for row in read_requests(args.warm_up):
            a.search(other.query_from_row(row))
            b.search(current.query_from_row(row))
    clock = time.thread_time
    cpu_a, cpu_b = [], []
    for _ in range(args.rounds):
        for x, y in zip(qa, qb, strict=True):
            t0 = clock()
            a.search(x)
            t1 = clock()
            b.search(y)
            t2 = clock()
            cpu_a.append(t1 - t0)
            cpu_b.append(t2 - t1)
    first = len(qa)
    for name, cpu in ((args.against, cpu_a), ("working tree", cpu_b)):
        for label, part in (("first round (each request seen once)", cpu[:first]), ("all rounds", cpu)):
            ms = np.array(part) * 1000
            print(
                f"{name}, {label}: CPU per request p50 {np.median(ms):.3f} p95 {np.percentile(ms, 95):.3f}"
                f" mean {ms.mean():.3f} ms"
            )
    differing = sum(answer(a, x) != answer(b, y) for x, y in zip(qa, qb, strict=True))
    print(f"requests answered differently: {differing}")
    print(f"load average {os.getloadavg()}")
    if args.phases:
        phases(b, qb)


if __name__ == "__main__":
    main()
