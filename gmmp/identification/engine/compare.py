"""Field comparisons: a request's value against a column of register rows, as levels and weights.

Each function returns, for every row, the comparison *level* (model.py's codes: exact,
variant, fuzzy, partial, disagree, missing; dates have their own ladder) and, for names and
places, the *weight* in bits. Agreeing on a value weighs log2(m / frequency of the value in
the register) (term-frequency adjustment): agreeing on "Zniber" says more than on "Mohamed".
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

from . import kernel
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
from .normalize import (
    FAMILY_NAME_FIELDS,
    FUZZY_SIMILARITY,
    SKELETON_VARIANT_SIMILARITY,
    PartialDate,
    consonants,
    skeleton_is_telling,
    without_article,
    without_particle,
    written_without_vowels,
)
from .query import Name, Prepared

if TYPE_CHECKING:
    from .tables import Tables

PLACE_FUZZY_THRESHOLD = 0.90


def compare_names(
    t: Tables, pairs: list[tuple[Name, str]], rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Level and weight of every (request name, register name column) pair against ``rows``.

    One pass of array operations over a (pairs + 1) × rows array, whatever the number of pairs (the
    cost of the comparison is numpy's per-call overhead, not the arithmetic: a call per pair was most
    of a request's time). Row ``i`` of each result is ``pairs[i]``; the last row is the "name not
    given" row (level 0, weight 0), for readings without a name. Same ladder as
    normalize.compare_names; Jaro–Winkler is computed once per distinct spelling and request name.
    """
    n, count = len(rows), len(pairs)
    level = np.zeros((count + 1, n), dtype=np.int8)
    weight = np.zeros((count + 1, n))
    if not count or not n:
        return level, weight
    if kernel.compiled is not None:
        _compiled_names(t, pairs, rows, level, weight)
        return level, weight
    codes = gathered(t.columns, [column for _, column in pairs], rows)
    present = codes >= 0
    safe = np.maximum(codes, 0)
    norm, canon, skel = t.feat_norm[safe], t.feat_canon[safe], t.feat_skel[safe]
    part_a, part_b = t.feat_part_a[safe], t.feat_part_b[safe]
    names = [name for name, _ in pairs]
    norm_id = np.array([[x.norm_id] for x in names])
    canon_id = np.array([[x.canon_id] for x in names])
    skel_id = np.array([x.skel_id for x in names])
    field = np.array([t.name_field_index[column] for _, column in pairs])
    # A word of the register name equal to the request's canonical name or to one of its words.
    partial = (part_a == canon_id) | (part_b == canon_id)
    for j in range(max(len(x.part_ids) for x in names)):
        part = np.array([[x.part_ids[j] if j < len(x.part_ids) else -2] for x in names])
        partial |= (part_a == part) | (part_b == part)
    lv = level[:count]
    lv[...] = DISAGREE
    lv[partial] = PARTIAL
    canon_equal = canon == canon_id
    exact = norm == norm_id
    ends_a = np.array([[x.key.norm.endswith("a")] for x in names])
    ends_e = np.array([[x.key.norm.endswith("e")] for x in names])
    listed = np.array([[x.key.norm in t.listed_names] for x in names])
    undecided = present & ~exact & ~canon_equal
    # One side written without its vowels, the same consonants (normalize.same_consonants): fuzzy.
    cons = np.array([[t.consonant_id(consonants(x.key.norm))] for x in names])
    bare = np.array([[written_without_vowels(x.key.norm)] for x in names])
    key_cons = t.key_consonants[norm]
    lv[undecided & (cons >= 0) & (key_cons == cons) & (bare | t.key_without_vowels[norm])] = FUZZY
    # A family name's particle dropped (Filali / Ben Filali): fuzzy; an article glued (Elhamdaoui /
    # El Hamdaoui): a variant (normalize.without_particle, without_article).
    family = np.array([[column in FAMILY_NAME_FIELDS] for _, column in pairs])
    stem = np.array([[t.stem_ids.get(without_particle(x.key.norm), -1)] for x in names])
    lv[undecided & family & (stem >= 0) & (t.key_particle_stem[norm] == stem)] = FUZZY
    stem = np.array([[t.stem_ids.get(without_article(x.key.norm), -1)] for x in names])
    canon_equal |= present & (stem >= 0) & (t.key_article_stem[norm] == stem)
    undecided &= ~canon_equal
    # FUZZY and VARIANT by skeleton both need the same gender ending (normalize.same_gender_ending:
    # a final e for a final a unless both spellings are listed names): the similarity is computed only
    # where it can change the level.
    undecided &= (t.key_ends_with_a[norm] == ends_a) | (
        (ends_e | t.key_ends_with_e[norm]) & ~(listed & t.key_listed[norm])
    )
    undecided = np.flatnonzero(undecided)
    if len(undecided):
        flat = lv.reshape(-1)
        ids = norm.reshape(-1)[undecided]
        pair = undecided // n
        similar = t.similarity.lookup([x.key.norm for x in names], pair, ids)
        flat[undecided[similar == SIMILAR_FUZZY]] = FUZZY
        telling = np.array([skeleton_is_telling(x.key.skel) for x in names])
        skel_variant = (
            telling[pair] & (skel.reshape(-1)[undecided] == skel_id[pair]) & (similar >= SIMILAR_SKELETON)
        )
        flat[undecided[skel_variant]] = VARIANT
    lv[canon_equal] = VARIANT
    lv[exact] = EXACT
    lv[~present] = MISSING
    weight[:count] = t.name_weights[field[:, None], lv]
    agree = np.flatnonzero((lv == EXACT) | (lv == VARIANT))
    if len(agree):
        # Term-frequency adjustment: u is how often this name is seen in the register.
        f = field[agree // n]
        tf = np.maximum(t.name_tf[f, canon.reshape(-1)[agree]], TF_FLOOR)
        m = np.where(lv.reshape(-1)[agree] == EXACT, t.name_log2_m_exact[f], t.name_log2_m_variant[f])
        weight[:count].reshape(-1)[agree] = m - np.log2(tf)
    return level, weight


def _compiled_names(
    t: Tables, pairs: list[tuple[Name, str]], rows: np.ndarray, level: np.ndarray, weight: np.ndarray
) -> None:
    """compare_names through the compiled kernel (same levels and weights, to the bit)."""
    assert kernel.compiled is not None
    n, count = len(rows), len(pairs)
    names = [name for name, _ in pairs]
    # One row per pair, in the kernel's PAIR_COLUMNS order.
    pair = np.array(
        [
            (
                t.name_field_index[column],
                x.norm_id,
                x.canon_id,
                x.skel_id,
                *t.name_traits(x.key),
                column in FAMILY_NAME_FIELDS,
            )
            for x, column in pairs
        ],
        dtype=np.int64,
    )
    width = max(len(x.part_ids) for x in names)
    parts = np.full((count, max(width, 1)), -2, dtype=np.int64)
    for i, x in enumerate(names):
        parts[i, : len(x.part_ids)] = x.part_ids
    canon = np.empty((count, n), dtype=np.int32)
    undecided = np.empty(count * n, dtype=np.int64)
    undecided_norm = np.empty(count * n, dtype=np.int64)
    undecided_skeleton = np.empty(count * n, dtype=np.uint8)
    found = kernel.compiled.name_levels(
        rows,
        t.name_columns,
        pair,
        parts,
        t.feat_norm,
        t.feat_canon,
        t.feat_skel,
        t.feat_part_a,
        t.feat_part_b,
        t.key_ends_with_a.view(np.uint8),
        t.key_ends_with_e.view(np.uint8),
        t.key_listed.view(np.uint8),
        t.key_consonants,
        t.key_without_vowels.view(np.uint8),
        t.key_article_stem,
        t.key_particle_stem,
        level,
        canon,
        undecided,
        undecided_norm,
        undecided_skeleton,
    )
    undecided = undecided[:found]
    similar = (
        t.similarity.lookup([x.key.norm for x in names], undecided // n, undecided_norm[:found])
        if found
        else np.empty(0, dtype=np.int8)
    )
    kernel.compiled.name_weights(
        level,
        canon,
        undecided,
        similar,
        undecided_skeleton[:found],
        np.ascontiguousarray(pair[:, 0]),
        t.name_weights,
        t.name_log2_m_exact,
        t.name_log2_m_variant,
        t.name_tf_bits,
        weight,
    )


# Below this, a similarity changes no level: rapidfuzz may stop early and answer 0.
SIMILARITY_CUTOFF = min(FUZZY_SIMILARITY, SKELETON_VARIANT_SIMILARITY) - 0.01
SIMILARITY_MEMO_BYTES = 32 << 20  # per open generation: rows of one byte over the spelling vocabulary
# What the ladder reads of a Jaro–Winkler similarity (computed in float32, as it always was compared):
# below both thresholds, at least the skeleton variant's, at least the fuzzy one's (0: not computed).
SIMILAR_NO, SIMILAR_SKELETON, SIMILAR_FUZZY = 1, 2, 3
assert np.float32(FUZZY_SIMILARITY) > np.float32(SKELETON_VARIANT_SIMILARITY)


class SimilarityMemo:
    """Jaro–Winkler of request names (or places) against the register's spellings, kept across requests.

    Names recur from one request to the next (Mohamed, Fatima, El Idrissi...): a row per request
    spelling over the whole vocabulary holding the class ``classify`` gives the similarity (what the
    comparison ladder reads of it; 0: not computed yet), the least recently used row reused when the
    memory budget is reached. A similarity depends only on the two spellings, so the answers are the
    same with or without the memo. One lock: requests of several threads share it (the critical
    section is a few array operations and the rapidfuzz calls).
    """

    def __init__(
        self,
        keys_array: np.ndarray,
        classify: Callable[[np.ndarray], np.ndarray],
        budget_bytes: int = SIMILARITY_MEMO_BYTES,
    ) -> None:
        self.keys_array = keys_array
        self.classify = classify
        self.size = max(len(keys_array), 1)
        self.capacity = max(budget_bytes // self.size, 32)
        self.table = np.empty((self.capacity, self.size), dtype=np.int8)  # pages touched as used
        self.rows: OrderedDict[str, int] = OrderedDict()
        self.lock = threading.Lock()

    def _row(self, spelling: str) -> int:
        row = self.rows.get(spelling)
        if row is not None:
            self.rows.move_to_end(spelling)
            return row
        if len(self.rows) < self.capacity:
            row = len(self.rows)
        else:
            _, row = self.rows.popitem(last=False)
        self.table[row] = 0
        self.rows[spelling] = row
        return row

    def lookup(self, spellings: list[str], pair: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Class of the similarity of ``spellings[pair[i]]`` against the register's spelling ``ids[i]``."""
        if len(set(spellings)) > self.capacity // 2:  # an outsized request: computed, not kept
            return _computed(self.keys_array, self.classify, spellings, pair, ids)
        with self.lock:
            flat = np.array([self._row(x) for x in spellings], dtype=np.int64)[pair] * self.size + ids
            table = self.table.reshape(-1)
            similar = table[flat]
            missing = np.flatnonzero(similar == 0)
            if len(missing):
                new = sorted_unique(flat[missing])
                rows = new // self.size
                by_row = {self.rows[x]: x for x in spellings}
                bounds = (np.flatnonzero(np.diff(rows)) + 1).tolist()
                for a, b in zip([0, *bounds], [*bounds, len(new)], strict=True):
                    row = int(rows[a])
                    table[new[a:b]] = self.classify(
                        _jaro_winkler(by_row[row], self.keys_array[new[a:b] - row * self.size])
                    )
                similar[missing] = table[flat[missing]]
        return similar


def _jaro_winkler(spelling: str, others: np.ndarray) -> np.ndarray:
    return cdist(
        [spelling], others.tolist(), scorer=JaroWinkler.normalized_similarity, score_cutoff=SIMILARITY_CUTOFF
    )[0]


def _computed(
    keys_array: np.ndarray,
    classify: Callable[[np.ndarray], np.ndarray],
    spellings: list[str],
    pair: np.ndarray,
    ids: np.ndarray,
) -> np.ndarray:
    similar = np.empty(len(ids), dtype=np.int8)
    for k, spelling in enumerate(spellings):
        at = np.flatnonzero(pair == k)
        if len(at):
            similar[at] = classify(_jaro_winkler(spelling, keys_array[ids[at]]))
    return similar


def name_classes(similarity: np.ndarray) -> np.ndarray:
    """SIMILAR_* of each similarity, compared in float32 against the thresholds (as the ladder always did)."""
    value = similarity.astype(np.float32)
    return (
        SIMILAR_NO + (value >= SKELETON_VARIANT_SIMILARITY).astype(np.int8) + (value >= FUZZY_SIMILARITY)
    ).astype(np.int8)


def sorted_member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_set)`` when ``sorted_set`` is sorted (one binary search per value)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def compare_date(t: Tables, date: PartialDate, rows: np.ndarray) -> np.ndarray:
    """Level of the date of birth (the weight is the model's for the level: no frequency)."""
    n = len(rows)
    level = np.full(n, D_MISSING, dtype=np.int8)
    if not date.year:
        return level
    if kernel.compiled is not None:
        cols = t.columns
        kernel.compiled.date_levels(
            cols["birth_y"],
            cols["birth_m"],
            cols["birth_d"],
            rows,
            date.year,
            date.month,
            date.day,
            bool(date.is_first_of_january),
            level,
        )
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
    if kernel.compiled is not None:
        return _compiled_place(t, q, rows)
    codes = t.columns["birth_place"][rows]
    present = codes >= 0
    feat = t.places_feat[np.maximum(codes, 0)]
    norm_id, canon_id = q.place_ids
    level = np.full(n, DISAGREE, dtype=np.int8)
    undecided = present & (feat[:, 1] != canon_id)
    if undecided.any():
        at = np.flatnonzero(undecided)
        similar = t.place_similarity.lookup([q.place.norm], np.zeros(len(at), dtype=np.intp), feat[at, 0])
        level[at[similar == PLACE_SIMILAR]] = FUZZY
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
    fuzzy = level == FUZZY
    if fuzzy.any():
        # A place one typo away from the register's is at most as telling as that place written right
        # (the model's fuzzy weight, 7.6 bits from a level EM hardly saw, exceeds a common city's exact 2-4).
        tf = np.maximum(t.tf["birth_place"][feat[fuzzy, 1]], TF_FLOOR)
        weight[fuzzy] = np.minimum(weight[fuzzy], t.log2_m["birth_place"]["exact"] - np.log2(tf))
    return level, weight


def _compiled_place(t: Tables, q: Prepared, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """compare_place through the compiled kernel (same levels and weights, to the bit)."""
    assert kernel.compiled is not None and q.place is not None and q.place_ids is not None
    n = len(rows)
    level = np.empty(n, dtype=np.int8)
    canon = np.empty(n, dtype=np.int32)
    undecided = np.empty(n, dtype=np.int64)
    undecided_norm = np.empty(n, dtype=np.int64)
    found = kernel.compiled.place_levels(
        rows, t.columns["birth_place"], t.places_feat, *q.place_ids, level, canon, undecided, undecided_norm
    )
    undecided = undecided[:found]
    similar = (
        t.place_similarity.lookup([q.place.norm], np.zeros(found, dtype=np.intp), undecided_norm[:found])
        if found
        else np.empty(0, dtype=np.int8)
    )
    weight = np.empty(n)
    kernel.compiled.place_weights(
        level,
        canon,
        undecided,
        similar,
        PLACE_SIMILAR,
        t.weights["birth_place"],
        t.log2_m["birth_place"]["exact"],
        t.log2_m["birth_place"]["variant"],
        t.place_tf_bits,
        weight,
    )
    return level, weight


def place_classes(similarity: np.ndarray) -> np.ndarray:
    """PLACE_SIMILAR where a place's similarity reaches the fuzzy threshold (compared in float64, as always)."""
    return (1 + (similarity >= PLACE_FUZZY_THRESHOLD)).astype(np.int8)


PLACE_SIMILAR = 2


def compare_sex(t: Tables, q: Prepared, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sex = t.columns["sex"][rows]
    level = np.where((sex == 0) | (q.sex == 0), MISSING, np.where(sex == q.sex, EXACT, DISAGREE)).astype(
        np.int8
    )
    return level, t.weights["sex"][level]


def gathered(cols: dict[str, np.ndarray], columns: list[str], rows: np.ndarray) -> np.ndarray:
    """The codes of ``rows`` in each of ``columns`` (one row per entry; a column is read once)."""
    read: dict[str, np.ndarray] = {}
    out = np.empty((len(columns), len(rows)), dtype=np.int32)
    for i, column in enumerate(columns):
        if column not in read:
            read[column] = cols[column][rows]
        out[i] = read[column]
    return out


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for the hot path: a sort and a mask (numpy 2's hashing unique costs ten
    times more on the few thousand integers of one request)."""
    x = np.sort(values)
    keep = np.empty(len(x), dtype=bool)
    keep[:1] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]
