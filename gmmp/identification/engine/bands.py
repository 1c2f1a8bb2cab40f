"""Bands: strong / possible / weak, read from the model's own estimates.

``strong`` means: an officer may confirm on sight. It needs two odds, both in bits
(log2), both computed from the model's m and u probabilities rather than from rules fitted
to one data source:

* **against everyone else** (``odds_bits``): the candidate's prior-times-likelihood odds
  against the sum over every other candidate scored and over "the person is not in the
  register" — the posterior of the Fellegi–Sunter model given the competition. A runner-up
  close behind lowers it by itself; no separate margin is needed.
* **against a relative** (``family_bits``): the Fellegi–Sunter sum assumes fields
  independent, and a family breaks that: a sibling shares the family name, both parents and
  often the place. Only the fields that differ inside a family can tell the person from an
  unregistered brother or sister: the given name, the date of birth (weighed with how often
  siblings share it: twins, the same year) and the sex, plus the prior odds that the person
  is registered divided by the number of relatives a person has.

Both family figures are learned from the register itself when the engine opens it, without
labels (``learn_families``): the relatives per person (people sharing the family name and both
parents beyond what chance explains; a register without parents falls back to the family name
with the place), and how often siblings' dates agree at each level (twins, the same year, a year
apart) and how often same-sex siblings share a given name against chance, counted on pairs of
records sharing the family name and the three parents' names. A
register without families (no shared parents, no family name shared with a place beyond chance)
makes a relative unlikely; one whose siblings are rarely born the same year makes a year that
agrees tell more. The stated ``FAMILY_DATE_U`` is what is used when the register cannot tell.
Whatever the register says, a sibling born the same year is never strong: a candidate whose
given name does not agree and whose date does not go beyond the year stays ``possible``.

A declared name set aside (a false name: the person was found through the parents) leaves
only the date and the sex to tell twins or siblings from the person: it is strong only when
both parents' names, the full date and the place all agree, and the odds against a relative
clear their bar.

``possible``: the posterior (the candidate alone against the register) is at least
``possible_probability``. ``weak``: the rest, still shown (the officer may recognise a
person the request describes badly).

Reasons are codes (``REASONS``); the platform renders them in the officer's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
    VARIANT,
)
from .query import PARENT_FIELDS, SET_ASIDE

AGREE = (EXACT, VARIANT, FUZZY)
# Dates that do not tell siblings apart (the year at most, or nothing).
YEAR_AT_MOST = (D_MISSING, D_YEAR_MONTH, D_YEAR_PARTIAL, D_YEAR_DIFF, D_NEAR)
# However few families the register shows, relatives exist (twins, cousins, a family not yet
# registered): at least one person in twenty is assumed to have one sharing the family fields.
MIN_RELATIVES = 0.05

# How often two siblings' dates of birth compare at each level (the "u" inside a family).
# Stated assumptions about families, not estimates from a data set: twins are about 2 % of
# births, siblings born in the same calendar year about one pair in ten, a year apart about
# one in four.
FAMILY_DATE_U = {
    D_EXACT: 0.02,
    D_SWAP: 0.02,
    D_YEAR_MONTH: 0.03,
    D_YEAR_PARTIAL: 0.12,
    D_YEAR_DIFF: 0.12,
    D_NEAR: 0.3,
    D_DISAGREE: 0.6,
}
_DATE_LEVEL_NAMES = {
    D_EXACT: "exact",
    D_SWAP: "day_month_swapped",
    D_YEAR_MONTH: "year_month",
    D_YEAR_PARTIAL: "year_partial",
    D_YEAR_DIFF: "year_other_day",
    D_NEAR: "near_year",
    D_DISAGREE: "disagree",
}

# Why a candidate is in its band (codes; rendered by the platform, described in English by explain.py).
REASONS = (
    "strong",  # both odds clear the bar
    "strong_through_parents",  # declared name set aside; parents, full date and place agree
    "runner_up_close",  # another candidate (or "not registered") is too likely
    "relative_not_excluded",  # given name / date / sex do not tell the person from a sibling
    "false_name_needs_parents_and_birth",  # name set aside without parents, full date and place
    "sex_differs",
    "likely",  # possible: the posterior alone is high enough
    "unlikely",  # weak
)


@dataclass
class Verdict:
    band: str
    reason: str
    confidence: float  # bits beyond the strong bar (min of the two odds minus their bars)
    evidence: dict[str, float]


@dataclass(frozen=True)
class Families:
    """What the register says about families (``learn_families``); the defaults are the stated
    assumptions used when the register cannot tell (no parents, too few sibling pairs)."""

    relatives: float = 1.0  # relatives per person sharing the family fields
    date_u: Mapping[int, float] = field(default_factory=lambda: dict(FAMILY_DATE_U))
    sibling_pairs: int = 0
    # Siblings of the same sex share a given name this many times as often as chance (below 1 where
    # families do not repeat a name: an agreeing given name then tells more against a brother).
    given_name_ratio: float = 1.0


STATED = Families()
MAX_SIBLING_PAIRS = 200_000  # enough for rates of a few per thousand; bounds the work on a big register
PSEUDO_PAIRS = 50  # weight of the stated assumption against the register's own sibling pairs
MIN_FAMILY_DATE_U = 0.002
MIN_NAME_RATIO, MAX_NAME_RATIO = (
    0.1,
    10.0,
)  # at most 3.3 bits either way from the given name's repetition  # no register proves that twins or siblings born the same year never occur


def learn_families(
    blocks: Mapping[str, tuple[np.ndarray, np.ndarray]],
    tf: Mapping[str, np.ndarray],
    columns: Mapping[str, np.ndarray],
    canon: np.ndarray,
    count: int,
) -> Families:
    """Families as this register shows them, without labels.

    ``relatives``: the sorted block keys of the family name with both parents' given names
    (``parents_last``) give the mean number of other people sharing them, minus what chance
    explains (the product of the fields' agreement rates, from the term frequencies); a register
    mostly without parents falls back to the family name with the place of birth.

    ``date_u``: how often two siblings' dates compare at each level (twins, the same year, a year
    apart...), counted on pairs of records sharing the family name and all three parents' names,
    shrunk towards the stated ``FAMILY_DATE_U`` when the pairs are few.
    """

    def excess(family: str, fields: tuple[str, ...]) -> float | None:
        keys = blocks.get(family, (np.zeros(0, np.uint64), None))[0]
        if len(keys) < max(2, count // 2):
            return None  # the register mostly lacks these fields
        chance = math.prod(float(np.square(tf[f], dtype=np.float64).sum()) for f in fields)
        return _others_sharing(keys) - chance * len(keys)

    relatives = excess("parents_last", ("last_name", "father_first_name", "mother_first_name"))
    if relatives is None:
        relatives = excess("last_place", ("last_name", "birth_place")) or 0.0
    a, b = _sibling_pairs(blocks, columns, canon)
    counts, pairs = _sibling_date_levels(a, b, columns)
    date_u = {
        level: max(MIN_FAMILY_DATE_U, (counts.get(level, 0) + PSEUDO_PAIRS * stated) / (pairs + PSEUDO_PAIRS))
        for level, stated in FAMILY_DATE_U.items()
    }
    return Families(
        max(MIN_RELATIVES, relatives), date_u, pairs, _given_name_ratio(a, b, columns, canon, count)
    )


def _sibling_pairs(
    blocks: Mapping[str, tuple[np.ndarray, np.ndarray]], columns: Mapping[str, np.ndarray], canon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of sibling pairs: neighbours in the ``parents_last`` block that also share the mother's
    family name (a sample of at most MAX_SIBLING_PAIRS)."""
    if "parents_last" not in blocks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys, rows = blocks["parents_last"]
    same = np.flatnonzero(keys[1:] == keys[:-1])
    if len(same) > MAX_SIBLING_PAIRS:
        same = same[:: -(-len(same) // MAX_SIBLING_PAIRS)]
    a, b = np.asarray(rows[same], dtype=np.int64), np.asarray(rows[same + 1], dtype=np.int64)
    ml = columns["mother_last_name"]
    ma, mb = ml[a], ml[b]
    keep = (ma >= 0) & (mb >= 0)
    keep[keep] = canon[ma[keep]] == canon[mb[keep]]
    return a[keep], b[keep]


def _given_name_ratio(
    a: np.ndarray, b: np.ndarray, columns: Mapping[str, np.ndarray], canon: np.ndarray, count: int
) -> float:
    """How much more (> 1) or less (< 1) often two siblings of the same sex share a given name than
    two people of the same sex drawn at random, shrunk towards 1 when sibling pairs are few."""
    first, sex = columns["first_name"], columns["sex"]

    def shared(x: np.ndarray, y: np.ndarray) -> tuple[int, int]:
        fx, fy = first[x], first[y]
        ok = (fx >= 0) & (fy >= 0) & (sex[x] == sex[y]) & (sex[x] > 0)
        return int((canon[fx[ok]] == canon[fy[ok]]).sum()), int(ok.sum())

    if not len(a) or count < 2:
        return 1.0
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, count, MAX_SIBLING_PAIRS * 4), rng.integers(0, count, MAX_SIBLING_PAIRS * 4)
    chance_same, chance_pairs = shared(x, y)
    sib_same, sib_pairs = shared(a, b)
    if not chance_pairs or not chance_same:
        return 1.0
    chance = chance_same / chance_pairs
    rate = (sib_same + PSEUDO_PAIRS * chance) / (sib_pairs + PSEUDO_PAIRS)
    return min(MAX_NAME_RATIO, max(MIN_NAME_RATIO, rate / chance))


def _sibling_date_levels(
    a: np.ndarray, b: np.ndarray, columns: Mapping[str, np.ndarray]
) -> tuple[dict[int, int], int]:
    """Date levels of the sibling pairs (rows ``a``, ``b``)."""
    y, m, d = (np.asarray(columns[c]).astype(np.int32) for c in ("birth_y", "birth_m", "birth_d"))
    ya, yb = y[a], y[b]
    dated = (ya > 0) & (yb > 0)
    a, b, ya, yb = a[dated], b[dated], ya[dated], yb[dated]
    full = (d[a] > 0) & (d[b] > 0)
    same_year = ya == yb
    same_month = same_year & full & (m[a] == m[b])
    exact = same_month & (d[a] == d[b])
    swapped = same_year & full & (m[a] == d[b]) & (d[a] == m[b]) & ~exact
    near = np.abs(ya - yb) == 1
    counts = {
        D_EXACT: int(exact.sum()),
        D_SWAP: int(exact.sum() + swapped.sum()),
        D_YEAR_MONTH: int((same_month & ~exact).sum()),
        D_YEAR_PARTIAL: int(same_year.sum()),
        D_YEAR_DIFF: int((same_year & ~exact).sum()),
        D_NEAR: int(near.sum()),
        D_DISAGREE: int((~same_year & ~near).sum()),
    }
    return counts, len(a)


def _others_sharing(sorted_keys: np.ndarray) -> float:
    """Mean number of other entries sharing each entry's key (keys sorted)."""
    n = len(sorted_keys)
    if n < 2:
        return 0.0
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    runs = np.diff(np.append(starts, n)).astype(np.float64)
    return float((runs * (runs - 1)).sum() / n)


def family_bits(
    probabilities: dict[str, Any],
    prior_in_register: float,
    levels: dict[str, Any],
    weights: dict[str, float],
    families: Families = STATED,
) -> float:
    """log2 odds of the candidate against an unregistered relative sharing the family fields.

    ``families`` (``learn_families``): the more relatives a person has in this register, the less
    likely it is the candidate rather than one of them asking; the date is weighed with how often
    siblings share it in this register.
    """
    prior = math.log2(prior_in_register / max(1e-9, 1 - prior_in_register)) - math.log2(
        max(families.relatives, MIN_RELATIVES)
    )
    bits = prior
    if levels.get("hypothesis") != SET_ASIDE:
        bits += weights.get("first_name", 0.0)
        if levels.get("first_name") in (EXACT, VARIANT):
            bits -= math.log2(families.given_name_ratio)
    date_level = levels.get("birth_date", D_MISSING)
    if date_level != D_MISSING:
        m = probabilities["birth_date"]["m"][_DATE_LEVEL_NAMES[date_level]]
        bits += math.log2(max(m, 1e-9) / families.date_u[date_level])
    bits += weights.get("sex", 0.0)
    return bits


def band(
    model: Any,
    rank: int,
    probability: float,
    odds_bits: float,
    levels: dict[str, Any],
    weights: dict[str, float],
    families: Families = STATED,
    odds_bar: float | None = None,
    family_bar: float | None = None,
) -> Verdict:
    """The band of the candidate at ``rank`` (0 = best) and why (``families``: see family_bits;
    ``odds_bar``, ``family_bar``: the register's calibrated bars, calibration.py, else the model's)."""
    bands = model.bands
    bar = bands["strong_odds_bits"] if odds_bar is None else odds_bar
    fam_bar = bands["strong_family_bits"] if family_bar is None else family_bar
    fam = family_bits(model.probabilities, bands["prior_in_register"], levels, weights, families)
    evidence = {"odds_bits": round(odds_bits, 3), "family_bits": round(fam, 3)}
    confidence = min(odds_bits - bar, fam - fam_bar)
    possible = probability >= bands["possible_probability"]
    if rank == 0 and possible:
        if levels.get("sex") == DISAGREE:
            return Verdict("possible", "sex_differs", confidence, evidence)
        if odds_bits < bar:
            return Verdict("possible", "runner_up_close", confidence, evidence)
        if levels.get("hypothesis") == SET_ASIDE:
            # Only the date (and the sex) can tell the person from a twin or a sibling here.
            if not _parents_and_birth_agree(levels):
                return Verdict("possible", "false_name_needs_parents_and_birth", confidence, evidence)
            if fam < fam_bar:
                return Verdict("possible", "relative_not_excluded", confidence, evidence)
            return Verdict("strong", "strong_through_parents", confidence, evidence)
        if fam < fam_bar or (
            levels.get("first_name") not in (EXACT, VARIANT)
            and levels.get("birth_date", D_MISSING) in YEAR_AT_MOST
        ):
            return Verdict("possible", "relative_not_excluded", confidence, evidence)
        return Verdict("strong", "strong", confidence, evidence)
    if possible:
        return Verdict("possible", "likely", confidence, evidence)
    return Verdict("weak", "unlikely", confidence, evidence)


def _parents_and_birth_agree(levels: dict[str, Any]) -> bool:
    parents: Sequence[int] = [levels.get(f, MISSING) for f in PARENT_FIELDS]
    return (
        all(p in AGREE for p in parents)
        and levels.get("birth_date") in (D_EXACT, D_SWAP)
        and levels.get("birth_place") in (EXACT, VARIANT)
    )
