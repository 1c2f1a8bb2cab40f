"""Bands: strong / possible / weak, from the posterior, the margin and the kind of evidence."""

from __future__ import annotations

from .model import (
    D_EXACT,
    D_MISSING,
    D_SWAP,
    D_YEAR_MONTH,
    D_YEAR_PARTIAL,
    DISAGREE,
    EXACT,
    FUZZY,
    MISSING,
    VARIANT,
)

AGREE = (EXACT, VARIANT, FUZZY)


def band(
    bands: dict[str, float], rank: int, probability: float, margin: float, levels: dict[str, int]
) -> tuple[str, str]:
    """(band, reason) of the candidate at ``rank`` (0 = best)."""
    if rank == 0 and probability >= bands["strong_probability"]:
        if margin < bands["strong_margin_bits"]:
            return "possible", f"another candidate is close ({margin:.1f} bits behind)"
        evidence_ok, reason = strong_evidence(levels)
        if evidence_ok:
            return "strong", reason
        return "possible", reason
    if probability >= bands["possible_probability"]:
        return "possible", ""
    return "weak", ""


def strong_evidence(levels: dict) -> tuple[bool, str]:
    """Is the kind of agreement enough for an officer to confirm in one look?

    The Fellegi–Sunter sum assumes fields independent; siblings break that (same family
    name, parents and place). So ``strong`` also requires the evidence that tells siblings
    apart: both names and the date, or, for a false declared name, both parents with the
    full date and the place of birth.
    """
    agree = lambda f: levels.get(f) in AGREE  # noqa: E731
    parents = [levels.get(f, MISSING) for f in ("father_first_name", "mother_first_name", "mother_last_name")]
    parents_agree = sum(p in AGREE for p in parents)
    parents_disagree = any(p == DISAGREE for p in parents)
    date_level = levels.get("birth_date", D_MISSING)
    date_full = date_level in (D_EXACT, D_SWAP)
    date_ok = date_full or date_level in (D_YEAR_MONTH, D_YEAR_PARTIAL)
    place_ok = levels.get("birth_place") in (EXACT, VARIANT)
    if levels.get("sex") == DISAGREE:
        return False, "sex differs"
    if agree("first_name") and agree("last_name") and date_ok and not parents_disagree:
        if levels.get("first_name") == FUZZY and not date_full:
            # A sibling born the same year has the same parents, family name and place:
            # a given name that is only close does not tell them apart without the full date.
            return False, "given name only close and only the year of birth agrees"
        if date_full or place_ok or parents_agree:
            return True, "names, date of birth and more agree"
        return False, "only names and year agree"
    if parents_agree == 3 and date_full and place_ok:
        return True, "declared name differs but both parents, date and place of birth agree"
    if not date_ok:
        return False, "date of birth does not agree"
    if parents_disagree:
        return False, "a parent's name disagrees"
    return False, "names do not both agree"
