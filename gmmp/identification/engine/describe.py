"""The terminal's rendering of the engine's codes, in English (the ``gmmp identify`` command, the
``why`` column of ``identify-batch``). The platform renders the same codes in the officer's
language: ``gmmp/identification/texts.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Candidate
    from .explain import FieldExplanation

FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "sex": "sex",
    "birth_date": "date of birth",
    "birth_place": "place of birth",
    "father_first_name": "father's first name",
    "mother_first_name": "mother's first name",
    "mother_last_name": "mother's last name",
}
NOTES = {
    "read_swapped": "read as swapped",
    "read_one_field": "read as one field",
    "read_one_field_swapped": "read as one field, swapped",
    "read_alias": "read as alias {alias!r}",
    "read_alias_swapped": "read as alias {alias!r}, swapped",
    "name_set_aside": "declared name set aside (a false name?)",
    "date_day_month_swapped": "day and month swapped",
    "date_same_year_month": "same year and month",
    "date_same_year_partial": "same year; the other parts are unknown or a 1 January placeholder",
    "date_same_year_other_day": "same year, another day",
    "date_one_year_apart": "one year apart",
    "date_unreadable": "unreadable date {value!r} ignored",
    "place_other_name": "other name of {place}",
    "place_district": "district of {place}",
    "place_spelling": "spelling of {place}",
}
REASONS = {
    "strong": "names, date of birth and more agree",
    "strong_through_parents": "declared name differs but both parents, date and place of birth agree",
    "runner_up_close": "another candidate, or someone not in the register, is too likely",
    "relative_not_excluded": "given name, date and sex do not tell this person from a brother or sister",
    "false_name_needs_parents_and_birth": "a false name needs both parents, the full date and place of birth",
    "sex_differs": "sex differs",
    "likely": "",
    "unlikely": "",
}


def note(e: FieldExplanation) -> str:
    return NOTES.get(e.note, e.note).format(**e.note_args) if e.note else ""


def field_line(e: FieldExplanation) -> str:
    text = f"{FIELD_LABELS.get(e.field, e.field)} {e.outcome} ({e.weight:+.1f})"
    return f"{text} [{note(e)}]" if e.note else text


def summary(c: Candidate) -> str:
    """One line: what agreed, what did not, and why this band."""
    agreed = [field_line(e) for e in c.explanation if e.outcome not in ("missing", "disagree")]
    disagreed = [FIELD_LABELS.get(e.field, e.field) for e in c.explanation if e.outcome == "disagree"]
    parts = [f"{c.band} ({c.score:.1f} bits, p={c.probability:.4f})"]
    if agreed:
        parts.append("agrees: " + ", ".join(agreed))
    if disagreed:
        parts.append("disagrees: " + ", ".join(disagreed))
    reason = REASONS.get(c.band_reason, c.band_reason)
    if reason:
        parts.append(reason)
    return "; ".join(parts)
