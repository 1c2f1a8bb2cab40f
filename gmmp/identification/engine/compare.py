"""Field comparisons: a request's value against a column of register rows, as levels and weights.

Each function returns, for every row, the comparison *level* (model.py's codes: exact,
variant, fuzzy, partial, disagree, missing; dates have their own ladder) and, for names and
places, the *weight* in bits. Agreeing on a value weighs log2(m / frequency of the value in
the register) (term-frequency adjustment): agreeing on "Zniber" says more than on "Mohamed".
"""

from __future__ import annotations

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

from .model import (
    D_DISAGREE,
    D_EXACT,
    D_MISSING,
    D_NEAR,
    D_SWAP,
    D_YEAR_DIFF,
    D_YEAR_MONTH,
    D_YEAR_PARTIAL,
    DISAGREE,
    EXACT,
    FUZZY,
    MISSING,
    PARTIAL,
    TF_FLOOR,
    VARIANT,
)
from .normalize import FUZZY_SIMILARITY, SKELETON_VARIANT_SIMILARITY, PartialDate, skeleton_is_telling
from .query import Name, Prepared
from .tables import Tables

PLACE_FUZZY_THRESHOLD = 0.90


def similarities(t: Tables, name: Name, ids: np.ndarray) -> np.ndarray:
    """The request name's similarity table over all spellings, filled for ``ids``."""
    if name.similarity is None:
        name.similarity = np.full(len(t.keys_array), -1.0, dtype=np.float32)
    table = name.similarity
    todo = ids[table[ids] < 0]
    if len(todo):
        unique = sorted_unique(todo)
        table[unique] = cdist(
            [name.key.norm], t.keys_array[unique].tolist(), scorer=JaroWinkler.normalized_similarity
        )[0]
    return table


def name_features(t: Tables, codes: np.ndarray) -> dict[str, np.ndarray]:
    """Per-row comparable forms of one register name column (gathered once per column)."""
    safe = np.maximum(codes, 0)
    return {
        "present": codes >= 0,
        "norm": t.feat_norm[safe],
        "canon": t.feat_canon[safe],
        "skel": t.feat_skel[safe],
        "part_a": t.feat_part_a[safe],
        "part_b": t.feat_part_b[safe],
    }


def compare_name(
    t: Tables, name: Name | None, feat: dict[str, np.ndarray], field_name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Level and weight of a request name against a register name column's features."""
    n = len(feat["present"])
    if name is None:
        return np.zeros(n, dtype=np.int8), np.zeros(n)
    present, norm, canon = feat["present"], feat["norm"], feat["canon"]
    level = np.full(n, DISAGREE, dtype=np.int8)
    partial = (feat["part_a"] == name.canon_id) | (feat["part_b"] == name.canon_id)
    for part in name.part_ids.tolist():
        partial |= (feat["part_a"] == part) | (feat["part_b"] == part)
    level[partial] = PARTIAL
    canon_equal = canon == name.canon_id
    exact = norm == name.norm_id
    undecided = np.flatnonzero(present & ~exact & ~canon_equal)
    if len(undecided):
        # Same ladder as normalize.compare_names. Jaro–Winkler is computed once per
        # distinct spelling and per request name, whatever the field or hypothesis.
        ids = norm[undecided]
        sims = similarities(t, name, ids)[ids]
        compatible = t.key_ends_with_a[ids] == name.key.norm.endswith("a")
        level[undecided[compatible & (sims >= FUZZY_SIMILARITY)]] = FUZZY
        if skeleton_is_telling(name.key.skel):
            skel_variant = (
                compatible & (feat["skel"][undecided] == name.skel_id) & (sims >= SKELETON_VARIANT_SIMILARITY)
            )
            level[undecided[skel_variant]] = VARIANT
    level[canon_equal] = VARIANT
    level[exact] = EXACT
    level[~present] = MISSING
    weight = t.weights[field_name][level]
    agree = np.flatnonzero((level == EXACT) | (level == VARIANT))
    if len(agree):
        # Term-frequency adjustment: u is how often this name is seen in the register.
        tf = np.maximum(t.tf[field_name][canon[agree]], TF_FLOOR)
        m = np.where(level[agree] == EXACT, t.log2_m[field_name]["exact"], t.log2_m[field_name]["variant"])
        weight[agree] = m - np.log2(tf)
    return level, weight


def compare_date(t: Tables, date: PartialDate, rows: np.ndarray) -> np.ndarray:
    """Level of the date of birth (the weight is the model's for the level: no frequency)."""
    n = len(rows)
    level = np.full(n, D_MISSING, dtype=np.int8)
    if not date.year:
        return level
    y = t.columns["birth_y"][rows].astype(np.int32)
    m = t.columns["birth_m"][rows].astype(np.int32)
    d = t.columns["birth_d"][rows].astype(np.int32)
    known = y > 0
    same_year = y == date.year
    near = np.abs(y - date.year) == 1
    level[known] = D_DISAGREE
    if date.day:
        full = known & (d > 0)
        placeholder = date.is_first_of_january or False
        rec_placeholder = (m == 1) & (d == 1)
        level[full & near & (m == date.month) & (d == date.day)] = D_NEAR
        level[full & same_year] = D_YEAR_DIFF
        level[full & same_year & (m == date.month)] = D_YEAR_MONTH
        level[full & same_year & (rec_placeholder | placeholder)] = D_YEAR_PARTIAL
        if date.day <= 12 and date.day != date.month:
            level[full & same_year & (m == date.day) & (d == date.month)] = D_SWAP
        level[full & same_year & (m == date.month) & (d == date.day)] = D_EXACT
        partial_rec = known & (d == 0)
    else:
        partial_rec = known
    # One side gives less than a full date: compare what both give.
    if partial_rec.any():
        months_known = (m > 0) & (date.month > 0)
        level[partial_rec & near] = D_NEAR
        level[partial_rec & same_year] = D_YEAR_PARTIAL
        level[partial_rec & same_year & months_known & (m == date.month)] = D_YEAR_MONTH
        level[partial_rec & same_year & months_known & (m != date.month)] = D_YEAR_DIFF
    return level


def compare_place(t: Tables, q: Prepared, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(rows)
    if q.place is None or q.place_ids is None:
        return np.zeros(n, dtype=np.int8), np.zeros(n)
    codes = t.columns["birth_place"][rows]
    present = codes >= 0
    feat = t.places_feat[np.maximum(codes, 0)]
    norm_id, canon_id = q.place_ids
    level = np.full(n, DISAGREE, dtype=np.int8)
    undecided = present & (feat[:, 1] != canon_id)
    if undecided.any():
        ids, inverse = _unique_inverse(feat[undecided, 0])
        sims = cdist([q.place.norm], t.keys_array[ids].tolist(), scorer=JaroWinkler.normalized_similarity)[0]
        fuzzy = np.zeros(n, dtype=bool)
        fuzzy[undecided] = sims[inverse] >= PLACE_FUZZY_THRESHOLD
        level[fuzzy] = FUZZY
    level[feat[:, 1] == canon_id] = VARIANT
    level[feat[:, 0] == norm_id] = EXACT
    level[~present] = MISSING
    weight = t.weights["birth_place"][level]
    agree = (level == EXACT) | (level == VARIANT)
    if agree.any():
        tf = np.maximum(t.tf["birth_place"][feat[agree, 1]], TF_FLOOR)
        m = np.where(
            level[agree] == EXACT, t.log2_m["birth_place"]["exact"], t.log2_m["birth_place"]["variant"]
        )
        weight[agree] = m - np.log2(tf)
    return level, weight


def compare_sex(t: Tables, q: Prepared, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sex = t.columns["sex"][rows]
    level = np.where((sex == 0) | (q.sex == 0), MISSING, np.where(sex == q.sex, EXACT, DISAGREE)).astype(
        np.int8
    )
    return level, t.weights["sex"][level]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for the hot path: a sort and a mask (numpy 2's hashing unique costs ten
    times more on the few thousand integers of one request)."""
    x = np.sort(values)
    keep = np.empty(len(x), dtype=bool)
    keep[:1] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def _unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` by a sort (numpy 2's hashing unique is slower here)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(values), dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse
