# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The per-row loops of one request, compiled (kernel.py says when they are used).

Each function is the loop form of a numpy function of compare.py / candidates.py (named in its
docstring) and gives the same numbers to the bit: the same float64 operations in the same order,
and every logarithm read from a table numpy computed (tests/identification/engine/test_kernel.py
runs both on hand-built and generated requests). A request makes ~150 numpy calls over a few
hundred rows: the cost was numpy's per-call overhead, not the arithmetic; here a field is one loop.
"""

import numpy as np

from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint32_t, uint64_t


cdef extern from *:
    void __builtin_prefetch(const void *address) noexcept nogil

# Rows ahead whose cells are asked for before they are read: in a big register the candidates' cells are
# scattered over the mapped columns, and their reads wait on memory, not on the arithmetic.
cdef enum:
    AHEAD = 8

# model.py's level codes (kernel.py checks that they still agree).
cdef enum:
    MISSING = 0
    EXACT = 1
    VARIANT = 2
    FUZZY = 3
    PARTIAL = 4
    DISAGREE = 5
    D_MISSING = 0
    D_EXACT = 1
    D_SWAP = 2
    D_YEAR_MONTH = 3
    D_YEAR_PARTIAL = 4
    D_YEAR_DIFF = 5
    D_NEAR = 6
    D_DISAGREE = 7
    SIMILAR_SKELETON = 2
    SIMILAR_FUZZY = 3

# The columns of name_levels' ``pair`` matrix, one row per (request name, register column) pair
# (compare._compiled_names builds it in this order).
cdef enum:
    P_FIELD = 0
    P_NORM = 1
    P_CANON = 2
    P_SKELETON = 3
    P_TELLING = 4
    P_ENDS_A = 5
    P_ENDS_E = 6
    P_LISTED = 7
    P_CONSONANTS = 8
    P_WITHOUT_VOWELS = 9
    P_ARTICLE_STEM = 10
    P_PARTICLE_STEM = 11
    P_FAMILY_NAME = 12
PAIR_COLUMNS = (
    "field", "norm", "canon", "skeleton", "telling", "ends_a", "ends_e", "listed", "consonants",
    "without_vowels", "article_stem", "particle_stem", "family_name",
)

# What kernel.py checks against model.py and compare.py.
CODES = {
    "MISSING": MISSING, "EXACT": EXACT, "VARIANT": VARIANT, "FUZZY": FUZZY, "PARTIAL": PARTIAL,
    "DISAGREE": DISAGREE, "D_MISSING": D_MISSING, "D_EXACT": D_EXACT, "D_SWAP": D_SWAP,
    "D_YEAR_MONTH": D_YEAR_MONTH, "D_YEAR_PARTIAL": D_YEAR_PARTIAL, "D_YEAR_DIFF": D_YEAR_DIFF,
    "D_NEAR": D_NEAR, "D_DISAGREE": D_DISAGREE, "SIMILAR_SKELETON": SIMILAR_SKELETON,
    "SIMILAR_FUZZY": SIMILAR_FUZZY,
}


def date_levels(
    const int16_t[::1] y,
    const int8_t[::1] m,
    const int8_t[::1] d,
    const int64_t[::1] rows,
    int year,
    int month,
    int day,
    bint placeholder,
    int8_t[::1] out,
):
    """compare.compare_date (year given): the date's level of every row."""
    cdef Py_ssize_t i, n = rows.shape[0]
    cdef int64_t r
    cdef int ry, rm, rd, lv
    cdef bint same, near, months_known
    cdef bint swap_possible = day != 0 and day <= 12 and day != month
    for i in range(n):
        if i + AHEAD < n:
            r = rows[i + AHEAD]
            __builtin_prefetch(&y[r])
            __builtin_prefetch(&m[r])
            __builtin_prefetch(&d[r])
        r = rows[i]
        ry = y[r]
        rm = m[r]
        rd = d[r]
        if ry <= 0:
            out[i] = D_MISSING
            continue
        lv = D_DISAGREE
        same = ry == year
        near = ry - year == 1 or year - ry == 1
        if day != 0 and rd > 0:
            if near and rm == month and rd == day:
                lv = D_NEAR
            if same:
                lv = D_YEAR_DIFF
                if rm == month:
                    lv = D_YEAR_MONTH
                if (rm == 1 and rd == 1) or placeholder:
                    lv = D_YEAR_PARTIAL
                if swap_possible and rm == day and rd == month:
                    lv = D_SWAP
                if rm == month and rd == day:
                    lv = D_EXACT
        elif day == 0 or rd == 0:
            # One side gives less than a full date: compare what both give.
            months_known = rm > 0 and month > 0
            if near:
                lv = D_NEAR
            if same:
                lv = D_YEAR_PARTIAL
                if months_known:
                    lv = D_YEAR_MONTH if rm == month else D_YEAR_DIFF
        out[i] = <int8_t>lv


cdef class NameColumns:
    """The register's five name columns (columns.NAME_FIELDS order), held for the loops below."""

    cdef const int32_t[::1] first, last, father_first, mother_first, mother_last
    cdef const int32_t* column[5]

    def __cinit__(self, tuple columns):
        self.first, self.last, self.father_first, self.mother_first, self.mother_last = columns
        self.column[0] = &self.first[0]
        self.column[1] = &self.last[0]
        self.column[2] = &self.father_first[0]
        self.column[3] = &self.mother_first[0]
        self.column[4] = &self.mother_last[0]


def rough(
    const int64_t[::1] rows,
    NameColumns name_columns,
    const int64_t[::1] pair_field,
    const int64_t[::1] pair_canon,
    const int64_t[::1] pair_skel,
    const int64_t[::1] pair_initial,
    const double[::1] pair_exact,
    const double[::1] pair_variant,
    const int64_t[::1] hyp_first,
    const int64_t[::1] hyp_last,
    const int64_t[::1] parent_field,
    const int64_t[::1] parent_canon,
    const double[::1] parent_weight,
    const int32_t[::1] feat_canon,
    const int32_t[::1] feat_skel,
    const int32_t[::1] feat_initial,
    const int8_t[::1] date_level,
    const double[::1] date_weight,
    bint has_place,
    const int32_t[::1] place_column,
    const int32_t[:, ::1] places_feat,
    int64_t place_canon,
    double place_weight,
    double[::1] names,
    double[::1] out,
):
    """candidates.rough: the integer-only score of every row (``names``: scratch of pairs doubles)."""
    cdef Py_ssize_t i, p, h, n = rows.shape[0]
    cdef Py_ssize_t pairs = pair_field.shape[0], hyps = hyp_first.shape[0], parents = parent_field.shape[0]
    cdef int64_t r
    cdef int32_t code
    cdef double s, best, a, b, w
    for i in range(n):
        if i + AHEAD < n:
            r = rows[i + AHEAD]
            for p in range(5):
                __builtin_prefetch(&name_columns.column[p][r])
            if has_place:
                __builtin_prefetch(&place_column[r])
        r = rows[i]
        for p in range(pairs):
            code = name_columns.column[pair_field[p]][r]
            if code < 0:
                names[p] = 0.0
            elif feat_canon[code] == pair_canon[p]:
                names[p] = pair_exact[p]
            elif feat_skel[code] == pair_skel[p]:
                names[p] = pair_variant[p]
            elif feat_initial[code] == pair_initial[p]:
                names[p] = 1.0
            else:
                names[p] = 0.0
        # Best reading per row, never below 0 (a name that disagrees is not counted against the row).
        best = 0.0
        for h in range(hyps):
            a = names[hyp_first[h]] if hyp_first[h] >= 0 else 0.0
            b = names[hyp_last[h]] if hyp_last[h] >= 0 else 0.0
            s = a + b
            if h == 0 or s > best:
                best = s
        if best < 0.0:
            best = 0.0
        for p in range(parents):
            code = name_columns.column[parent_field[p]][r]
            if code >= 0 and feat_canon[code] == parent_canon[p]:
                best += parent_weight[p]
        w = date_weight[date_level[i]]
        if w > 0.0:
            best += w
        if has_place:
            code = place_column[r]
            if code >= 0 and places_feat[code, 1] == place_canon:
                best += place_weight
        out[i] = best


def name_levels(
    const int64_t[::1] rows,
    NameColumns name_columns,
    const int64_t[:, ::1] pair,
    const int64_t[:, ::1] pair_parts,
    const int32_t[::1] feat_norm,
    const int32_t[::1] feat_canon,
    const int32_t[::1] feat_skel,
    const int32_t[::1] feat_part_a,
    const int32_t[::1] feat_part_b,
    const uint8_t[::1] ends_with_a,
    const uint8_t[::1] ends_with_e,
    const uint8_t[::1] listed,
    const int32_t[::1] consonants,
    const uint8_t[::1] without_vowels,
    const int32_t[::1] article_stem,
    const int32_t[::1] particle_stem,
    int8_t[:, ::1] level,
    int32_t[:, ::1] canon_out,
    int64_t[::1] undecided,
    int64_t[::1] undecided_norm,
    uint8_t[::1] undecided_skeleton,
):
    """compare.compare_names, first half: every level but those a similarity decides.

    The (pair, row) cells the similarity may change are written to ``undecided`` (flat index),
    with the register spelling's id and whether the skeletons agree (and tell); returns their count.
    """
    cdef const int32_t* column
    cdef Py_ssize_t i, p, j, n = rows.shape[0], pairs = pair.shape[0], width = pair_parts.shape[1]
    cdef Py_ssize_t count = 0
    cdef int32_t code, norm, canon, part_a, part_b
    cdef int64_t part
    cdef bint partial
    cdef int lv
    for p in range(pairs):
        column = name_columns.column[pair[p, P_FIELD]]
        for i in range(n):
            code = column[rows[i]]
            if code < 0:
                level[p, i] = MISSING
                canon_out[p, i] = 0
                continue
            norm = feat_norm[code]
            canon = feat_canon[code]
            canon_out[p, i] = canon
            if norm == pair[p, P_NORM]:
                level[p, i] = EXACT
                continue
            # The same canonical name, or the same once an article glued to it is cut (Elhamdaoui /
            # El Hamdaoui: normalize.without_article).
            if canon == pair[p, P_CANON] or (pair[p, P_ARTICLE_STEM] >= 0 and article_stem[norm] == pair[p, P_ARTICLE_STEM]):
                level[p, i] = VARIANT
                continue
            # A word of the register name equal to the request's canonical name or to one of its words.
            part_a = feat_part_a[code]
            part_b = feat_part_b[code]
            partial = part_a == pair[p, P_CANON] or part_b == pair[p, P_CANON]
            j = 0
            while not partial and j < width:
                part = pair_parts[p, j]
                partial = part_a == part or part_b == part
                j += 1
            level[p, i] = PARTIAL if partial else DISAGREE
            # One side written without its vowels, the same consonants (normalize.same_consonants).
            if (
                pair[p, P_CONSONANTS] >= 0
                and consonants[norm] == pair[p, P_CONSONANTS]
                and (pair[p, P_WITHOUT_VOWELS] or without_vowels[norm])
            ):
                level[p, i] = FUZZY
            # A family name's particle dropped (Filali / Ben Filali: normalize.without_particle).
            if pair[p, P_FAMILY_NAME] and pair[p, P_PARTICLE_STEM] >= 0 and particle_stem[norm] == pair[p, P_PARTICLE_STEM]:
                level[p, i] = FUZZY
            # FUZZY and VARIANT by skeleton both need the same gender ending (a final e for a final a
            # unless both spellings are listed names): the similarity is looked up only where it can
            # change the level.
            if ends_with_a[norm] == pair[p, P_ENDS_A] or (
                (pair[p, P_ENDS_E] or ends_with_e[norm]) and not (pair[p, P_LISTED] and listed[norm])
            ):
                undecided[count] = p * n + i
                undecided_norm[count] = norm
                undecided_skeleton[count] = pair[p, P_TELLING] and feat_skel[code] == pair[p, P_SKELETON]
                count += 1
    return count


def name_weights(
    int8_t[:, ::1] level,
    const int32_t[:, ::1] canon,
    const int64_t[::1] undecided,
    const int8_t[::1] similar,
    const uint8_t[::1] undecided_skeleton,
    const int64_t[::1] pair_field,
    const double[:, ::1] field_weights,
    const double[::1] log2_m_exact,
    const double[::1] log2_m_variant,
    const float[:, ::1] tf_bits,
    double[:, ::1] weight,
):
    """compare.compare_names, second half: the similarity's levels, then every weight (term
    frequency for exact and variant: log2 m - log2 max(tf, floor), the log2 from numpy's table)."""
    cdef Py_ssize_t k, i, p, n = level.shape[1], pairs = pair_field.shape[0]
    cdef int64_t at, f
    cdef int lv
    for k in range(undecided.shape[0]):
        at = undecided[k]
        if undecided_skeleton[k] and similar[k] >= SIMILAR_SKELETON:
            level[at // n, at % n] = VARIANT
        elif similar[k] == SIMILAR_FUZZY:
            level[at // n, at % n] = FUZZY
    for p in range(pairs):
        f = pair_field[p]
        for i in range(n):
            lv = level[p, i]
            if lv == EXACT:
                weight[p, i] = log2_m_exact[f] - <double>tf_bits[f, canon[p, i]]
            elif lv == VARIANT:
                weight[p, i] = log2_m_variant[f] - <double>tf_bits[f, canon[p, i]]
            else:
                weight[p, i] = field_weights[f, lv]


cdef inline Py_ssize_t _lower_bound(const uint64_t[::1] keys, uint64_t value) noexcept nogil:
    cdef Py_ssize_t lo = 0, hi = keys.shape[0], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if keys[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def postings(list lookups):
    """candidates.candidates' lookups: the rows of every selective key, concatenated (unsorted).

    ``lookups``: (sorted keys, their rows, the request's hashes, cap) per key family; a key whose
    run is empty or longer than the cap is skipped.
    """
    cdef const uint64_t[::1] keys
    cdef const uint32_t[::1] family_rows
    cdef const uint64_t[::1] hashes
    cdef Py_ssize_t cap, total = 0, k, j, lo, hi, at = 0
    cdef list runs = []
    for lookup in lookups:
        keys, family_rows, hashes, cap = lookup
        for k in range(hashes.shape[0]):
            lo = _lower_bound(keys, hashes[k])
            # Keys are integers: the end of h's run is where h + 1 would start (wrapping as numpy does).
            hi = _lower_bound(keys, hashes[k] + 1)
            if 0 < hi - lo <= cap:
                runs.append((family_rows, lo, hi))
                total += hi - lo
    out = np.empty(total, dtype=np.int64)
    cdef int64_t[::1] o = out
    for family_rows, lo, hi in runs:
        for j in range(lo, hi):
            o[at] = family_rows[j]
            at += 1
    return out


cdef inline uint64_t _splitmix(uint64_t x) noexcept nogil:
    x = x + <uint64_t>0x9E3779B97F4A7C15
    x = (x ^ (x >> 30)) * <uint64_t>0xBF58476D1CE4E5B9
    x = (x ^ (x >> 27)) * <uint64_t>0x94D049BB133111EB
    return x ^ (x >> 31)


def hash_keys(list selected, dict seeds):
    """candidates.hash_all's hashes (columns.hash_key) of every family's key tuples, concatenated in
    the order given: ``selected`` is [(family, [tuple of ints, ...]), ...], ``seeds`` FAMILY_SEEDS."""
    cdef Py_ssize_t total = 0, at = 0
    cdef uint64_t h, seed
    for family, tuples in selected:
        total += len(<list>tuples)
    out = np.empty(total, dtype=np.uint64)
    cdef uint64_t[::1] o = out
    for family, tuples in selected:
        seed = seeds[family]
        for key in <list>tuples:
            h = seed
            for value in <tuple>key:
                h = _splitmix(h ^ <uint64_t>(<int64_t>value))
            o[at] = h
            at += 1
    return out


def place_levels(
    const int64_t[::1] rows,
    const int32_t[::1] place_column,
    const int32_t[:, ::1] places_feat,
    int64_t norm_id,
    int64_t canon_id,
    int8_t[::1] level,
    int32_t[::1] canon,
    int64_t[::1] undecided,
    int64_t[::1] undecided_norm,
):
    """compare.compare_place, first half: every level but the fuzzy one, which a similarity decides
    for the rows written to ``undecided`` (with their place spelling's id); returns their count."""
    cdef Py_ssize_t i, n = rows.shape[0], count = 0
    cdef int32_t code
    for i in range(n):
        code = place_column[rows[i]]
        if code < 0:
            level[i] = MISSING
            canon[i] = 0
            continue
        canon[i] = places_feat[code, 1]
        if places_feat[code, 0] == norm_id:
            level[i] = EXACT
        elif places_feat[code, 1] == canon_id:
            level[i] = VARIANT
        else:
            level[i] = DISAGREE
            undecided[count] = i
            undecided_norm[count] = places_feat[code, 0]
            count += 1
    return count


def place_weights(
    int8_t[::1] level,
    const int32_t[::1] canon,
    const int64_t[::1] undecided,
    const int8_t[::1] similar,
    int8_t similar_fuzzy,
    const double[::1] weights,
    double log2_m_exact,
    double log2_m_variant,
    const float[::1] tf_bits,
    double[::1] weight,
):
    """compare.compare_place, second half: the fuzzy level, then every weight (term frequency for
    exact and variant; a fuzzy place weighs at most what the same place written right would)."""
    cdef Py_ssize_t k, i, n = level.shape[0]
    cdef double capped
    for k in range(undecided.shape[0]):
        if similar[k] == similar_fuzzy:
            level[undecided[k]] = FUZZY
    for i in range(n):
        if level[i] == EXACT:
            weight[i] = log2_m_exact - <double>tf_bits[canon[i]]
        elif level[i] == VARIANT:
            weight[i] = log2_m_variant - <double>tf_bits[canon[i]]
        elif level[i] == FUZZY:
            # In float32, as numpy computes a Python float minus a float32 array.
            capped = <double>(<float>log2_m_exact - tf_bits[canon[i]])
            weight[i] = weights[FUZZY] if weights[FUZZY] <= capped else capped
        else:
            weight[i] = weights[level[i]]
