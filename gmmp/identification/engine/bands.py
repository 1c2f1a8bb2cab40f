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
  is registered. A sibling born the same year therefore never reaches it: the given name
  disagrees and the year alone is common among siblings.

A declared name set aside (a false name: the person was found through the parents) leaves
only the date to tell twins from the person: it is strong only when both parents' names,
the full date and the place all agree.

``possible``: the posterior (the candidate alone against the register) is at least
``possible_probability``. ``weak``: the rest, still shown (the officer may recognise a
person the request describes badly).

Reasons are codes (``REASONS``); the platform renders them in the officer's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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


def family_bits(
    probabilities: dict[str, Any], prior_in_register: float, levels: dict[str, Any], weights: dict[str, float]
) -> float:
    """log2 odds of the candidate against an unregistered relative sharing the family fields."""
    prior = math.log2(prior_in_register / max(1e-9, 1 - prior_in_register))
    bits = prior
    if levels.get("hypothesis") != SET_ASIDE:
        bits += weights.get("first_name", 0.0)
    date_level = levels.get("birth_date", D_MISSING)
    if date_level != D_MISSING:
        m = probabilities["birth_date"]["m"][_DATE_LEVEL_NAMES[date_level]]
        bits += math.log2(max(m, 1e-9) / FAMILY_DATE_U[date_level])
    bits += weights.get("sex", 0.0)
    return bits


def band(
    model: Any,
    rank: int,
    probability: float,
    odds_bits: float,
    levels: dict[str, Any],
    weights: dict[str, float],
) -> Verdict:
    """The band of the candidate at ``rank`` (0 = best) and why."""
    bands = model.bands
    fam = family_bits(model.probabilities, bands["prior_in_register"], levels, weights)
    evidence = {"odds_bits": round(odds_bits, 3), "family_bits": round(fam, 3)}
    confidence = min(odds_bits - bands["strong_odds_bits"], fam - bands["strong_family_bits"])
    possible = probability >= bands["possible_probability"]
    if rank == 0 and possible:
        if levels.get("sex") == DISAGREE:
            return Verdict("possible", "sex_differs", confidence, evidence)
        if odds_bits < bands["strong_odds_bits"]:
            return Verdict("possible", "runner_up_close", confidence, evidence)
        if levels.get("hypothesis") == SET_ASIDE:
            if _parents_and_birth_agree(levels):
                return Verdict("strong", "strong_through_parents", confidence, evidence)
            return Verdict("possible", "false_name_needs_parents_and_birth", confidence, evidence)
        if fam < bands["strong_family_bits"]:
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
