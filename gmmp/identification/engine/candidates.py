"""Candidates: who in the register a request could describe, then a rough integer-only ranking.

Blocking: ~20 key families (columns.KEY_FAMILIES) are looked up in sorted arrays of
hashes; a person is a candidate when any one family's key is equal on both sides. Keys
shared by too many people are skipped (not selective). The rough ranking then keeps the
most promising few hundred for full scoring.
"""

from __future__ import annotations

import numpy as np

from . import kernel
from .columns import FAMILY_SEEDS, splitmix
from .compare import compare_date, gathered, sorted_unique
from .model import EXACT, VARIANT
from .query import PARENT_FIELDS, Name, NamePairs, Prepared
from .tables import Tables

MAX_POSTING = 5000  # a key shared by more people than this is not selective: skip it
# The catch-all families (one or two components) are skipped sooner: they exist for the
# heavily corrupted request, and a common value there only adds noise to score.
CATCH_ALL_FAMILIES = {
    "names",
    "last_year",
    "date",
    "last_place",
    "first_place",
    "first_year",
    "last_initial",
    "parents",
    "father_mother_last",
    "mother",
}
MAX_CATCH_ALL_POSTING = 1500
MAX_CANDIDATES = 20000


def blocking_keys(q: Prepared) -> dict[str, list[tuple[int | None, ...]]]:
    """The key tuples of every family for this request (empty list: the request cannot form it)."""
    date = q.date
    years = [date.year] if date.year else []
    dates = []
    if date.day:
        dates.append(date.year * 10000 + date.month * 100 + date.day)
        if date.day <= 12 and date.day != date.month:
            dates.append(date.year * 10000 + date.day * 100 + date.month)
    place = [q.place_ids[1]] if q.place_ids and q.place_ids[1] >= 0 else []
    skel = lambda n: n.skel_id if n is not None and n.skel_id >= 0 else None  # noqa: E731
    # Given names are indexed by their first word's skeleton (compounds get shortened);
    # a request's given name is looked up by its first word and as a whole ("Sachi N").
    pairs = set()
    for h in q.hyps:
        last = skel(h.last)
        for first in {h.first.first_part_skel_id, h.first.skel_id} if h.first is not None else {None}:
            pairs.add((first if first is not None and first >= 0 else None, last))
    firsts = {p[0] for p in pairs if p[0] is not None}
    lasts = {p[1] for p in pairs if p[1] is not None}
    last_initials = {
        (skel(h.last), h.first.initial_id)
        for h in q.hyps
        if h.first is not None and skel(h.last) is not None and h.first.initial_id >= 0
    }
    pairs = {p for p in pairs if None not in p}
    father, mother_first, mother_last = (skel(q.parent(f)) for f in PARENT_FIELDS)
    near_years = [y + d for y in years for d in (-1, 0, 1)]
    fm = father is not None and mother_first is not None
    fml = father is not None and mother_last is not None
    mm = mother_first is not None and mother_last is not None
    return {
        "name_year": [(f, ln, y) for f, ln in pairs for y in near_years],
        "name_place": [(f, ln, p) for f, ln in pairs for p in place],
        "names": list(pairs),
        "last_year": [(ln, y) for ln in lasts for y in years],
        "mother_names": [(ln, mother_first, mother_last) for ln in lasts] if mm else [],
        "last_year_place": [(ln, y, p) for ln in lasts for y in years for p in place],
        "first_year_place": [(f, y, p) for f in firsts for y in years for p in place],
        "last_date": [(ln, d) for ln in lasts for d in dates],
        "first_date": [(f, d) for f in firsts for d in dates],
        "date_place": [(d + k, p) for d in dates for p in place for k in (-10000, 0, 10000)],
        "parents_year": [(father, mother_first, y) for y in years] if fm else [],
        "parents_place": [(father, mother_last, p) for p in place] if fml else [],
        "parents_last": [(ln, father, mother_first) for ln in lasts] if fm else [],
        # A full date with the year mistyped by one is still worth a look.
        "date": [(d + k,) for d in dates for k in (-10000, 0, 10000)],
        "father_mother_place": [(father, mother_first, p) for p in place] if fm else [],
        "mother_year": [(mother_first, mother_last, y) for y in years] if mm else [],
        "mother_place": [(mother_first, mother_last, p) for p in place] if mm else [],
        "father_mother_last_year": [(father, mother_last, y) for y in years] if fml else [],
        "father_mother_last": [(father, mother_last)] if fml else [],
        "mother": [(mother_first, mother_last)] if mm else [],
        "parents": [(father, mother_first, mother_last)]
        if None not in (father, mother_first, mother_last)
        else [],
        "last_place": [(ln, p) for ln in lasts for p in place],
        "first_place": [(f, p) for f in firsts for p in place],
        "first_year": [(f, y) for f in firsts for y in years],
        "last_initial": sorted(last_initials),
    }


def candidates(t: Tables, q: Prepared, families: tuple[str, ...] | None = None) -> np.ndarray:
    """Row numbers of every person sharing one selective key with the request (sorted)."""
    selected = [
        (f, keys)
        for f, keys in blocking_keys(q).items()
        if keys and f in t.blocks and (families is None or f in families)
    ]
    if kernel.compiled is not None:
        lookups = [
            (
                *t.blocks[family],
                hashes,
                MAX_CATCH_ALL_POSTING if family in CATCH_ALL_FAMILIES else MAX_POSTING,
            )
            for family, hashes in hash_all(selected)
        ]
        return sorted_unique(kernel.compiled.postings(lookups))[:MAX_CANDIDATES]
    found = []
    for family, hashes in hash_all(selected):
        keys, rows = t.blocks[family]
        # Keys are integers: the end of h's run is where h + 1 would start (one call, not two).
        bounds = np.searchsorted(keys, np.concatenate([hashes, hashes + np.uint64(1)])).tolist()
        lo, hi = bounds[: len(hashes)], bounds[len(hashes) :]
        cap = MAX_CATCH_ALL_POSTING if family in CATCH_ALL_FAMILIES else MAX_POSTING
        for a, b in zip(lo, hi, strict=True):
            if 0 < b - a <= cap:
                found.append(rows[a:b])
    if not found:
        return np.empty(0, dtype=np.int64)
    rows = sorted_unique(np.concatenate(found))
    return rows[:MAX_CANDIDATES].astype(np.int64)


def hash_all(selected: list[tuple[str, list[tuple[int | None, ...]]]]) -> list[tuple[str, np.ndarray]]:
    """columns.hash_key for every family at once: one numpy pass per key length."""
    if kernel.compiled is not None:
        hashes = kernel.compiled.hash_keys(selected, FAMILY_SEEDS)
        out, start = [], 0
        for family, tuples in selected:
            out.append((family, hashes[start : start + len(tuples)]))
            start += len(tuples)
        return out
    by_arity: dict[int, list[tuple[str, list[tuple[int | None, ...]]]]] = {}
    for family, tuples in selected:
        by_arity.setdefault(len(tuples[0]), []).append((family, tuples))
    out = []
    for arity, group in by_arity.items():
        seeds = np.concatenate([np.full(len(t), FAMILY_SEEDS[f], dtype=np.uint64) for f, t in group])
        values = np.array([v for _, t in group for v in t], dtype=np.int64).reshape(-1, arity)
        h = seeds
        for j in range(arity):
            h = splitmix(h ^ values[:, j].view(np.uint64))
        start = 0
        for family, tuples in group:
            out.append((family, h[start : start + len(tuples)]))
            start += len(tuples)
    return out


# -- rough ranking -------------------------------------------------------------------------------
def best_rows(rows: np.ndarray, rough_scores: np.ndarray, keep: int) -> np.ndarray:
    """The ``keep`` rows with the best rough score (sorted by row number)."""
    if len(rows) <= keep:
        return rows
    kept = np.argpartition(-rough_scores, keep)[:keep]
    return np.sort(rows[kept])


def prefilter(t: Tables, q: Prepared, rows: np.ndarray, keep: int) -> np.ndarray:
    return best_rows(rows, rough(t, q, rows), keep)


def rough(t: Tables, q: Prepared, rows: np.ndarray, date_level: np.ndarray | None = None) -> np.ndarray:
    """A score judged on integer keys only, to keep the most promising candidates.

    Full scoring (string similarity, term frequencies, every hypothesis) costs per row;
    a rough score from equal canonical names, skeletons, initials, date and place level
    ranks thousands of rows in a few array operations. Disagreements are not counted
    against a row here: a typo must not push the true person out.
    """
    if date_level is None:
        date_level = compare_date(t, q.date, rows)
    # The readings share their names (declared, swapped, set aside): each (name, column) pair is
    # ranked once, all pairs in one pass over a pairs × rows array (a row of zeros: no name).
    named = NamePairs()
    hyp_slots = named.readings(q.hyps)
    pairs = named.pairs
    if kernel.compiled is not None:
        return _compiled_rough(t, q, rows, date_level, pairs, hyp_slots)
    cols = t.columns
    n = len(rows)
    names = np.zeros((len(pairs) + 1, n))
    if pairs:
        codes = gathered(cols, [column for _, column in pairs], rows)
        safe = np.maximum(codes, 0)
        canon_id, skel_id, initial_id, w_exact, w_variant = (
            np.array([[v] for v in values])
            for values in zip(
                *(
                    (x.canon_id, x.skel_id, x.initial_id, t.weights[c][EXACT], t.weights[c][VARIANT])
                    for x, c in pairs
                ),
                strict=True,
            )
        )
        names[:-1] = (codes >= 0) * np.where(
            t.feat_canon[safe] == canon_id,
            w_exact,
            np.where(
                t.feat_skel[safe] == skel_id,
                w_variant,
                np.where(t.feat_initial[safe] == initial_id, 1.0, 0.0),
            ),
        )
    first, last = (np.array(x, dtype=np.intp) for x in zip(*hyp_slots, strict=True))
    # Best reading per row, never below 0 (a name that disagrees is not counted against the row).
    score_sum = np.maximum((names[first] + names[last]).max(axis=0), 0.0)
    parents = [(f, name) for f in PARENT_FIELDS if (name := q.parent(f)) is not None]
    if parents:
        codes = gathered(cols, [f for f, _ in parents], rows)
        agree = (codes >= 0) * (
            t.feat_canon[np.maximum(codes, 0)] == np.array([[x.canon_id] for _, x in parents])
        )
        for i, (f, _) in enumerate(parents):
            score_sum += agree[i] * t.weights[f][EXACT]
    score_sum += np.maximum(t.weights["birth_date"][date_level], 0)
    if q.place_ids is not None:
        codes = cols["birth_place"][rows]
        score_sum += (
            (codes >= 0)
            * (t.places_feat[np.maximum(codes, 0), 1] == q.place_ids[1])
            * t.weights["birth_place"][VARIANT]
        )
    return score_sum


def _compiled_rough(  # noqa: PLR0913
    t: Tables,
    q: Prepared,
    rows: np.ndarray,
    date_level: np.ndarray,
    pairs: list[tuple[Name, str]],
    hyp_slots: list[tuple[int, int]],
) -> np.ndarray:
    """rough through the compiled kernel (same scores, to the bit)."""
    assert kernel.compiled is not None
    parents = [(f, name) for f in PARENT_FIELDS if (name := q.parent(f)) is not None]
    index = t.name_field_index
    out = np.empty(len(rows))
    kernel.compiled.rough(
        rows,
        t.name_columns,
        np.array([index[c] for _, c in pairs], dtype=np.int64),
        np.array([x.canon_id for x, _ in pairs], dtype=np.int64),
        np.array([x.skel_id for x, _ in pairs], dtype=np.int64),
        np.array([x.initial_id for x, _ in pairs], dtype=np.int64),
        np.array([t.weights[c][EXACT] for _, c in pairs], dtype=np.float64),
        np.array([t.weights[c][VARIANT] for _, c in pairs], dtype=np.float64),
        np.array([a for a, _ in hyp_slots], dtype=np.int64),
        np.array([b for _, b in hyp_slots], dtype=np.int64),
        np.array([index[f] for f, _ in parents], dtype=np.int64),
        np.array([x.canon_id for _, x in parents], dtype=np.int64),
        np.array([t.weights[f][EXACT] for f, _ in parents], dtype=np.float64),
        t.feat_canon,
        t.feat_skel,
        t.feat_initial,
        date_level,
        t.weights["birth_date"],
        q.place_ids is not None,
        t.columns["birth_place"],
        t.places_feat,
        q.place_ids[1] if q.place_ids is not None else -2,
        float(t.weights["birth_place"][VARIANT]),
        np.empty(len(pairs)),
        out,
    )
    return out
