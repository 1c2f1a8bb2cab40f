"""The Fellegi–Sunter model: comparison levels, m/u probabilities, band thresholds.

For each field a request and a register record are compared into one *level* (exact,
variant, fuzzy…). ``m`` is the probability of that level when both are the same person,
``u`` when they are not. The weight of a level is log2(m/u): the score of a candidate is
the sum over fields, a base-2 log-likelihood ratio ("match weight" in bits). For names
and places the ``u`` of an exact or variant agreement is the frequency of the value in
the register (term-frequency adjustment), so agreeing on a rare name counts for more.

The model is a versioned JSON file (``data/model.json``), estimated without labels by
``train.py`` (u from random pairs, m by expectation-maximisation over candidate pairs).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"

# Level codes shared by every field kind. MISSING (either side unknown) weighs 0.
MISSING, EXACT, VARIANT, FUZZY, PARTIAL, DISAGREE = 0, 1, 2, 3, 4, 5
# Dates have their own ladder.
D_MISSING, D_EXACT, D_SWAP, D_YEAR_MONTH, D_YEAR_PARTIAL, D_YEAR_DIFF, D_NEAR, D_DISAGREE = range(8)

NAME_LEVELS = {"exact": EXACT, "variant": VARIANT, "fuzzy": FUZZY, "partial": PARTIAL, "disagree": DISAGREE}
PLACE_LEVELS = {"exact": EXACT, "variant": VARIANT, "fuzzy": FUZZY, "disagree": DISAGREE}
SEX_LEVELS = {"exact": EXACT, "disagree": DISAGREE}
DATE_LEVELS = {
    "exact": D_EXACT,
    "day_month_swapped": D_SWAP,
    "year_month": D_YEAR_MONTH,
    "year_partial": D_YEAR_PARTIAL,  # one side gives only the year, or 1 January
    "year_other_day": D_YEAR_DIFF,
    "near_year": D_NEAR,
    "disagree": D_DISAGREE,
}

FIELD_LEVELS: dict[str, dict[str, int]] = {
    "first_name": NAME_LEVELS,
    "last_name": NAME_LEVELS,
    "father_first_name": NAME_LEVELS,
    "mother_first_name": NAME_LEVELS,
    "mother_last_name": NAME_LEVELS,
    "sex": SEX_LEVELS,
    "birth_date": DATE_LEVELS,
    "birth_place": PLACE_LEVELS,
}
TF_FIELDS = (
    "first_name",
    "last_name",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
    "birth_place",
)

# Starting point of the estimation (and the model used when no file exists): plausible
# values from the way identification requests are known to be written.
_NAME_M = {"exact": 0.55, "variant": 0.25, "fuzzy": 0.08, "partial": 0.03, "disagree": 0.09}
_NAME_U = {"exact": 0.01, "variant": 0.004, "fuzzy": 0.01, "partial": 0.005, "disagree": 0.971}
INITIAL_PROBABILITIES: dict[str, dict[str, dict[str, float]]] = {
    **{
        f: {"m": dict(_NAME_M), "u": dict(_NAME_U)}
        for f in ("first_name", "last_name", "father_first_name", "mother_first_name", "mother_last_name")
    },
    "sex": {"m": {"exact": 0.98, "disagree": 0.02}, "u": {"exact": 0.5, "disagree": 0.5}},
    "birth_date": {
        "m": {
            "exact": 0.55,
            "day_month_swapped": 0.04,
            "year_month": 0.03,
            "year_partial": 0.25,
            "year_other_day": 0.03,
            "near_year": 0.04,
            "disagree": 0.06,
        },
        "u": {
            "exact": 0.0001,
            "day_month_swapped": 0.0001,
            "year_month": 0.0015,
            "year_partial": 0.005,
            "year_other_day": 0.015,
            "near_year": 0.03,
            "disagree": 0.9483,
        },
    },
    "birth_place": {
        "m": {"exact": 0.7, "variant": 0.2, "fuzzy": 0.03, "disagree": 0.07},
        "u": {"exact": 0.05, "variant": 0.02, "fuzzy": 0.01, "disagree": 0.92},
    },
}

DEFAULT_BANDS = {
    # strong (see bands.py): log2 odds against every other candidate and "not registered",
    # and against an unregistered relative, at least 8 bits (256 to 1: the precision the bands
    # promise, 0.996) and 6 bits (64 to 1).
    "strong_odds_bits": 8.0,
    "strong_family_bits": 6.0,
    "possible_probability": 0.5,
    # Prior: share of requests whose person is in the register (the posterior needs a prior
    # per pair, which is this share divided by the size of the register).
    "prior_in_register": 0.7,
    # Candidates weaker than this many bits are not shown at all (weak ones still are:
    # the officer may recognise a person the request describes badly).
    "min_report_bits": -10.0,
}
# No comparison level is impossible for the same person on data the model was not estimated on
# (a register with typos in places, a date mistyped...): m is at least this, the other levels
# renormalised. EM on one data source drives the levels it never saw towards 0, which would make a
# single unexpected disagreement cost 7-10 bits elsewhere.
M_FLOOR = 0.01


def with_m_floor(
    probabilities: dict[str, dict[str, dict[str, float]]],
) -> dict[str, dict[str, dict[str, float]]]:
    """The probabilities with every m at least M_FLOOR (u untouched), each field's m summing to 1."""
    out = {}
    for name, p in probabilities.items():
        m = {level: max(M_FLOOR, v) for level, v in p["m"].items()}
        total = sum(m.values())
        out[name] = {"m": {level: round(v / total, 6) for level, v in m.items()}, "u": dict(p["u"])}
    return out


# The revision of the comparison ladder (compare.py, normalize.py) the probabilities are read with:
# a change in how two values are put on a level changes the scores as much as new probabilities, so
# it is part of the model's version (the calibration and the cases record the version). 2: a name
# written without its vowels, and a final e for a final a, are fuzzy; 3: an article glued to a name is
# a variant, a family name's particle dropped is fuzzy; 4: a fuzzy place weighs at most what the place
# written right does (session 5).
LADDER_REVISION = 4

TF_FLOOR = 1e-6  # a value seen once in a huge register is not infinitely telling
SWAP_PENALTY_BITS = 1.0  # given and family names swapped is common but not the norm
ALIAS_PENALTY_BITS = 1.0


@dataclass
class Model:
    probabilities: dict[str, dict[str, dict[str, float]]]
    bands: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_BANDS))
    trained_on: dict[str, object] = field(default_factory=dict)
    version: str = ""

    def __post_init__(self) -> None:
        if not self.version:
            self.version = f"fs-{self.digest()}"

    def digest(self) -> str:
        blob = json.dumps(
            {"p": self.probabilities, "b": self.bands, "ladder": LADDER_REVISION}, sort_keys=True
        ).encode()
        return hashlib.sha256(blob).hexdigest()[:10]

    def weight(self, field_name: str, level_name: str) -> float:
        p = self.probabilities[field_name]
        return math.log2(max(p["m"][level_name], 1e-9) / max(p["u"][level_name], 1e-9))

    def m(self, field_name: str, level_name: str) -> float:
        return self.probabilities[field_name]["m"][level_name]

    def level_weights(self, field_name: str) -> list[float]:
        """Weight per level code (index = code); MISSING weighs 0."""
        levels = FIELD_LEVELS[field_name]
        weights = [0.0] * (max(levels.values()) + 1)
        for name, code in levels.items():
            weights[code] = self.weight(field_name, name)
        return weights

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "probabilities": self.probabilities,
                "bands": self.bands,
                "trained_on": self.trained_on,
            },
            indent=2,
            sort_keys=True,
        )

    def save(self, path: Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None) -> Model:
        path = Path(path) if path else DEFAULT_MODEL_PATH
        if not path.exists():
            return cls(probabilities=json.loads(json.dumps(INITIAL_PROBABILITIES)))
        data = json.loads(path.read_text(encoding="utf-8"))
        bands = {**DEFAULT_BANDS, **data.get("bands", {})}
        # The version is the digest of the content, whatever the file says: an edited file
        # is a new model, and the case records which one proposed the person.
        return cls(probabilities=data["probabilities"], bands=bands, trained_on=data.get("trained_on", {}))
