"""Explanations: each field of the best candidates, compared side by side with its weight."""

from __future__ import annotations

from dataclasses import dataclass

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
    PARTIAL,
    VARIANT,
)
from .normalize import Knowledge
from .query import FALSE_NAME_LABEL, Hypothesis, Name, Prepared, Query
from .scoring import Scores

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
    D_SWAP: ("variant", "day and month swapped"),
    D_YEAR_MONTH: ("partial", "same year and month"),
    D_YEAR_PARTIAL: ("partial", "same year; the other parts are unknown or a 1 January placeholder"),
    D_YEAR_DIFF: ("partial", "same year, another day"),
    D_NEAR: ("fuzzy", "one year apart"),
    D_DISAGREE: ("disagree", ""),
}
OTHER_FIELDS = (
    "sex",
    "birth_date",
    "birth_place",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
)


@dataclass
class FieldExplanation:
    field: str
    outcome: str  # exact, variant, fuzzy, partial, disagree, missing
    weight: float  # bits this field added to (or took from) the score
    query_value: str
    record_value: str
    note: str = ""

    def describe(self) -> str:
        label = FIELD_LABELS.get(self.field, self.field)
        text = f"{label} {self.outcome} ({self.weight:+.1f})"
        return f"{text} [{self.note}]" if self.note else text


def explain(
    kb: Knowledge, q: Prepared, s: Scores, i: int, record: dict[str, str]
) -> tuple[list[FieldExplanation], dict[str, int]]:
    """The explanation of row ``i`` of the scores, and the level of each field (for the band)."""
    h_index = int(s.best_h[i])
    hyp: Hypothesis = q.hyps[h_index]
    lf, wf, ll, wl = s.hyp_levels[h_index]
    query: Query = q.query
    out: list[FieldExplanation] = []
    levels: dict[str, int] = {}
    note = "" if hyp.label == "declared" else f"read as {hyp.label}"
    set_aside = hyp.label == FALSE_NAME_LABEL
    for field_name, name, lv, wv in (("first_name", hyp.first, lf, wf), ("last_name", hyp.last, ll, wl)):
        level = int(lv[i])
        weight = float(wv[i]) - (hyp.penalty / 2 if hyp.penalty else 0.0)
        if set_aside:
            # Shown as what it is: the declared name disagrees, and counts the flat cost.
            declared = getattr(query, field_name)
            level = DISAGREE if declared.strip() and record[field_name] else MISSING
            name = Name(declared, None, -2, -2, -2, np.empty(0), -2, -2) if declared.strip() else None  # type: ignore[arg-type]
        levels[field_name] = level
        out.append(
            FieldExplanation(
                field_name,
                NAME_OUTCOMES[level],
                round(weight, 2),
                name.text if name else "",
                record[field_name],
                note,
            )
        )
    levels["hypothesis"] = h_index
    levels["hypothesis_label"] = hyp.label  # type: ignore[assignment]
    for field_name in OTHER_FIELDS:
        lv, wv = s.fields[field_name]
        level = int(lv[i])
        levels[field_name] = level
        qv = getattr(query, field_name)
        extra = ""
        if field_name == "birth_date":
            outcome, extra = DATE_OUTCOMES[level]
            if q.date_note:
                extra = q.date_note
        else:
            outcome = NAME_OUTCOMES[level]
        if field_name == "birth_place" and level == VARIANT and q.place is not None:
            extra = f"{q.place.kind or 'spelling'} of {kb.place_label(q.place.canon)}"
        if outcome != "missing" or qv or record[field_name]:
            out.append(
                FieldExplanation(
                    field_name, outcome, round(float(wv[i]), 2), qv or "", record[field_name], extra
                )
            )
    return out, levels
