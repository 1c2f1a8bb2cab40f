"""Estimate the Fellegi–Sunter model without labels.

``u`` (chance agreement) comes from random pairs: a request against random register
records is almost surely not the same person. ``m`` comes from expectation-maximisation
over candidate pairs of unlabelled requests, ``u`` held fixed, in two sessions as Splink
does it: pairs found through the date and place of birth estimate the name fields, pairs
found through the names estimate the date, place and sex. A field used to find the pairs
always agrees on them, so it is left out of its own session (and EM does not mistake
"same family" or "same name" for "same person"). No truth is read.

    python -m gmmp.identification.engine.train --register var/register --requests q.csv --out model.json
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from .batch import query_from_row, read_requests
from .engine import Engine, Query
from .model import FIELD_LEVELS, INITIAL_PROBABILITIES, M_FLOOR, Model, with_m_floor

FIELDS = list(FIELD_LEVELS)
NAME_FIELDS = ["first_name", "last_name", "father_first_name", "mother_first_name", "mother_last_name"]
# (blocking families, fields estimated from the pairs they find)
# Sex goes with the date+place session: within pairs found by given name it always agrees.
SESSIONS = [
    (("date_place",), [*NAME_FIELDS, "sex"]),
    (("names",), ["birth_date", "birth_place"]),
]


def _level_matrix(levels: list[dict[str, np.ndarray]]) -> np.ndarray:
    rows = [np.column_stack([lv[f] for f in FIELDS]) for lv in levels if lv]
    return np.vstack(rows).astype(np.int64) if rows else np.zeros((0, len(FIELDS)), dtype=np.int64)


def _u_probabilities(noise: np.ndarray) -> dict[str, dict[str, float]]:
    u = {}
    for j, f in enumerate(FIELDS):
        observed = noise[:, j][noise[:, j] != 0]
        # Laplace smoothing: a level never seen among random pairs is rare, not impossible.
        u[f] = {
            name: float(
                (np.count_nonzero(observed == code) + 0.5) / (len(observed) + 0.5 * len(FIELD_LEVELS[f]))
            )
            for name, code in FIELD_LEVELS[f].items()
        }
    return u


def _em(pairs: np.ndarray, fields: list[str], m: dict, u: dict, iterations: int) -> tuple[dict, float]:
    """EM over ``pairs`` using only ``fields``; returns their m and the match share."""
    cols = [FIELDS.index(f) for f in fields]
    lam = 0.01
    m = {f: dict(m[f]) for f in fields}
    for _ in range(iterations):
        log_ratio = np.zeros(len(pairs))
        for j, f in zip(cols, fields, strict=True):
            table = np.zeros(max(FIELD_LEVELS[f].values()) + 1)
            for name, code in FIELD_LEVELS[f].items():
                table[code] = math.log(m[f][name] / u[f][name])
            log_ratio += table[pairs[:, j]]
        odds = np.exp(np.clip(log_ratio + math.log(lam / (1 - lam)), -700, 700))
        posterior = odds / (1 + odds)
        lam = float(np.clip(posterior.mean(), 1e-6, 0.999))
        for j, f in zip(cols, fields, strict=True):
            column = pairs[:, j]
            total = posterior[column != 0].sum()
            for name, code in FIELD_LEVELS[f].items():
                m[f][name] = float(
                    (posterior[column == code].sum() + 0.1) / (total + 0.1 * len(FIELD_LEVELS[f]))
                )
    return m, lam


def estimate(
    engine: Engine,
    queries: list[Query],
    random_pairs_per_query: int = 200,
    iterations: int = 50,
    seed: int = 0,
) -> Model:
    rng = np.random.default_rng(seed)
    noise = _level_matrix(
        [engine.comparison_levels(q, rng.integers(0, engine.count, random_pairs_per_query)) for q in queries]
    )
    u = _u_probabilities(noise)
    m = {f: dict(INITIAL_PROBABILITIES[f]["m"]) for f in FIELDS}
    trained_on: dict[str, object] = {
        "method": "u from random pairs; m by EM in two sessions (pairs blocked on date+place estimate names, pairs blocked on names estimate date, place, sex); no labels",
        "register_people": engine.count,
        "requests": len(queries),
        "random_pairs": int(len(noise)),
    }
    for families, fields in SESSIONS:
        pairs = _level_matrix([engine.comparison_levels(q, families=families) for q in queries])
        # Pairs on which every estimated field is missing carry no information, only weight.
        pairs = pairs[(pairs[:, [FIELDS.index(f) for f in fields]] != 0).any(axis=1)]
        estimated, lam = _em(pairs, fields, m, u, iterations)
        m.update(estimated)
        trained_on[f"session_{'+'.join(families)}"] = {"pairs": int(len(pairs)), "match_share": round(lam, 4)}
    probabilities = {
        f: {
            "m": {k: round(v, 6) for k, v in m[f].items()},
            "u": {k: round(float(v), 8) for k, v in u[f].items()},
        }
        for f in FIELDS
    }
    trained_on["m_floor"] = M_FLOOR
    return Model(
        probabilities=with_m_floor(probabilities), bands=dict(engine.model.bands), trained_on=trained_on
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--register", required=True, help="register store directory")
    parser.add_argument("--requests", required=True, help="CSV of requests (batch contract columns)")
    parser.add_argument("--out", required=True, help="model JSON to write")
    parser.add_argument("--note", default="", help="free text recorded in trained_on")
    args = parser.parse_args(argv)
    engine = Engine.open(args.register)
    model = estimate(engine, [query_from_row(r) for r in read_requests(args.requests)])
    if args.note:
        model.trained_on["note"] = args.note
    model.save(Path(args.out))
    print(f"{model.version}: {model.trained_on}")
    for f in FIELDS:
        print(f, {k: round(model.weight(f, k), 2) for k in FIELD_LEVELS[f]})


if __name__ == "__main__":
    main()
