"""Why the registered people that are not in the top 5 were missed (diagnosis, not a measure).

    .venv/bin/python bench/identification/misses.py --store /tmp/gmmp-bench-identification/store_10000000 \
        --queries /tmp/gmmp-bench-identification/requests_10000000_2000_4242.csv

For each miss: was the true record a candidate at all, did it survive the prefilter, its score
against the best, and how many candidates carry exactly its score (namesakes with the same
evidence: no method can rank those apart).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gmmp.identification.engine import Engine, query_from_row  # noqa: E402
from gmmp.identification.engine.batch import read_requests  # noqa: E402
from gmmp.identification.engine.candidates import prefilter  # noqa: E402
from gmmp.identification.engine.engine import SECOND_PASS_FACTOR  # noqa: E402
from gmmp.identification.engine.query import Prepared  # noqa: E402


def dominators(engine: Engine, prepared: Prepared, true_row: int, cands: np.ndarray) -> tuple[int, int]:
    """How many other records the request describes at least as well as the true person.

    Each field's weight (names read with their best hypothesis) of every record of a pool is
    compared with the true person's: a record whose weight is >= on every field is ranked at
    least as high by any scorer that rewards better agreement field by field. Returns
    (records >= everywhere and > somewhere, records identical everywhere). The pool: the
    candidates plus every record sharing the true person's year, sex and place of birth where
    the request gives them and they agree (a false declared name has nothing else).
    """
    cols = engine.tables.columns
    mask = None
    date, sex, place = prepared.date, prepared.sex, prepared.place_ids
    if date.year and int(cols["birth_y"][true_row]) == date.year:
        mask = np.asarray(cols["birth_y"]) == date.year
    if mask is not None and sex and int(cols["sex"][true_row]) == sex:
        mask &= np.asarray(cols["sex"]) == sex
    if mask is not None and place is not None:
        codes = np.asarray(cols["birth_place"])
        canon = engine.tables.places_feat[np.maximum(codes, 0), 1]
        true_code = int(codes[true_row])
        if true_code >= 0 and engine.tables.places_feat[true_code, 1] == place[1]:
            mask &= (codes >= 0) & (canon == place[1])
    pool = cands if mask is None else np.union1d(cands, np.flatnonzero(mask))
    pool = np.union1d(pool[pool != true_row][:200000], [true_row]).astype(np.int64)
    s = engine.score(prepared, pool)
    per_field = [w for _, w in s.fields.values()]
    names = s.names_weight()
    matrix = np.vstack([names, *per_field])
    t = matrix[:, np.flatnonzero(pool == true_row)[0]][:, None]
    others = pool != true_row
    ge = (matrix >= t - 1e-6).all(axis=0) & others
    same = (np.abs(matrix - t) <= 1e-6).all(axis=0) & others
    return int((ge & ~same).sum()), int(same.sum())


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--store", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--verbose", action="store_true")
    a = p.parse_args()
    engine = Engine.open(a.store)
    rows = [r for r in read_requests(a.queries) if r["true_national_id"]]
    kinds: dict[str, int] = {}
    reach = {"unreachable": 0, "reachable": 0}
    t0 = time.perf_counter()
    hits = 0
    for r in rows:
        q = query_from_row(r)
        ids = [c.national_id for c in engine.search(q, limit=5)]
        if r["true_national_id"] in ids:
            hits += 1
            continue
        true_row = engine.gen.row_of(r["true_national_id"])
        prepared = engine.prepare(q)
        cands = engine.candidates(prepared)
        if true_row not in set(cands.tolist()):
            kind = "not a candidate"
            detail = ""
        else:
            s = engine.score(prepared, cands)
            total = s.total
            t = total[np.flatnonzero(cands == true_row)[0]]
            above = int((total > t + 1e-6).sum())
            tied = int((np.abs(total - t) <= 1e-6).sum()) - 1
            wide = engine.tables.prefilter_keep * SECOND_PASS_FACTOR
            kept = prefilter(engine.tables, prepared, cands, wide) if len(cands) > wide else cands
            if true_row not in set(kept.tolist()):
                kind = "dropped by prefilter" if above + tied < 5 else "outscored (prefilter too)"
            elif above >= 5:
                kind = "outscored"
            else:
                kind = "tied with namesakes"
            detail = f"true {t:.1f} best {total.max():.1f}, {above} above, {tied} tied, {len(cands)} cands"
        kinds[kind] = kinds.get(kind, 0) + 1
        better, same = dominators(engine, prepared, true_row, cands)
        unreachable = better + same >= 5
        reach["unreachable" if unreachable else "reachable"] += 1
        detail += f"; {better} others strictly better or equal on every field and {same} identical"
        print(
            f"{kind:28} {'UNREACHABLE' if unreachable else 'reachable  '} {r['request_id']} | {r.get('scenario', '')} | {detail}"
        )
        if a.verbose:
            print("   query:", {k: v for k, v in r.items() if v and k not in ("scenario",)})
            print("   truth:", engine.gen.record(true_row))
    n = len(rows)
    print(
        f"recall@5 {hits / n:.4f} ({n - hits} misses of {n}); {kinds}; {reach}; {time.perf_counter() - t0:.1f} s"
    )


if __name__ == "__main__":
    main()
