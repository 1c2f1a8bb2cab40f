"""Explanations: each field of a candidate compared side by side with its weight, as codes.

The engine says *what* it found in codes (an outcome per field, a note code with its
arguments, the band's reason code in bands.py); the platform renders them in the officer's
language (``gmmp/identification/texts.py``), the terminal in English (``describe.py``).

Note codes: the names' reading (``read_swapped``, ``read_one_field``, ``read_one_field_swapped``,
``read_alias``, ``read_alias_swapped`` with ``alias``; ``name_set_aside``), the date's
(``date_day_month_swapped``, ``date_same_year_month``, ``date_same_year_partial``,
``date_same_year_other_day``, ``date_one_year_apart``; ``date_unreadable`` with ``value``), the
place's (``place_other_name``, ``place_district``, ``place_spelling`` with ``place``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .columns import DETAIL_FIELDS
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
    VARIANT,
)
from .normalize import Knowledge
from .query import DECLARED, SET_ASIDE, Hypothesis, Prepared, Query
from .scoring import Scores

NAME_OUTCOMES = {
    MISSING: "missing",
    EXACT: "exact",
    VARIANT: "variant",
    FUZZY: "fuzzy",
    PARTIAL: "partial",
    DISAGREE: "disagree",
}
DATE_OUTCOMES = {
    D_MISSING: ("missing", ""),
    D_EXACT: ("exact", ""),
    D_SWAP: ("variant", "date_day_month_swapped"),
    D_YEAR_MONTH: ("partial", "date_same_year_month"),
    D_YEAR_PARTIAL: ("partial", "date_same_year_partial"),
    D_YEAR_DIFF: ("partial", "date_same_year_other_day"),
    D_NEAR: ("fuzzy", "date_one_year_apart"),
    D_DISAGREE: ("disagree", ""),
}
PLACE_NOTES = {"other name": "place_other_name", "district": "place_district"}
OTHER_FIELDS = DETAIL_FIELDS


@dataclass
class FieldExplanation:
    field: str
    outcome: str  # exact, variant, fuzzy, partial, disagree, missing
    weight: float  # bits this field added to (or took from) the score
    query_value: str
    record_value: str
    note: str = ""  # a note code (module docstring), "" when there is nothing to add
    note_args: dict[str, str] = dataclasses.field(default_factory=dict)


def explain(
    kb: Knowledge, q: Prepared, s: Scores, i: int, record: dict[str, str]
) -> tuple[list[FieldExplanation], dict[str, int | str]]:
    """The explanation of row ``i`` of the scores, and the level of each field (for the band)."""
    h_index = int(s.best_h[i])
    hyp: Hypothesis = q.hyps[h_index]
    lf, wf, ll, wl = s.hyp_levels[h_index]
    query: Query = q.query
    out: list[FieldExplanation] = []
    levels: dict[str, int | str] = {}
    note = "" if hyp.kind == DECLARED else ("name_set_aside" if hyp.kind == SET_ASIDE else f"read_{hyp.kind}")
    note_args = {"alias": hyp.alias} if hyp.alias else {}
    for field_name, name, lv, wv in (("first_name", hyp.first, lf, wf), ("last_name", hyp.last, ll, wl)):
        level = int(lv[i])
        weight = float(wv[i]) - (hyp.penalty / 2 if hyp.penalty else 0.0)
        shown = name.text if name else ""
        if hyp.kind == SET_ASIDE:
            # Shown as what it is: the declared name disagrees, and counts the flat cost.
            declared = getattr(query, field_name)
            level = DISAGREE if declared.strip() and record[field_name] else MISSING
            shown = declared if declared.strip() else ""
        levels[field_name] = level
        out.append(
            FieldExplanation(
                field_name,
                NAME_OUTCOMES[level],
                round(weight, 2),
                shown,
                record[field_name],
                note,
                dict(note_args),
            )
        )
    levels["hypothesis"] = hyp.kind
    for field_name in OTHER_FIELDS:
        lv, wv = s.fields[field_name]
        level = int(lv[i])
        levels[field_name] = level
        qv = getattr(query, field_name)
        extra, args = "", {}
        if field_name == "birth_date":
            outcome, extra = DATE_OUTCOMES[level]
            if q.date_unreadable:
                extra, args = "date_unreadable", {"value": query.birth_date}
        else:
            outcome = NAME_OUTCOMES[level]
        if field_name == "birth_place" and level == VARIANT and q.place is not None:
            extra = PLACE_NOTES.get(q.place.kind, "place_spelling")
            args = {"place": kb.place_label(q.place.canon)}
        if outcome != "missing" or qv or record[field_name]:
            out.append(
                FieldExplanation(
                    field_name, outcome, round(float(wv[i]), 2), qv or "", record[field_name], extra, args
                )
            )
    return out, levels
