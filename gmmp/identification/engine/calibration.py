"""The ``strong`` odds bar, calibrated on the register itself when it is imported (no labels).

The Fellegi–Sunter odds are a bound, not a rate: odds of 8 bits against "someone else or no one"
promise at most one wrong ``strong`` in 256, and on most registers far fewer happen. How many
actually happen depends on the register (how many namesakes, how many families, how noisy), so
the register is asked: a sample of its own people are searched for as if they were *not*
registered (each one's own record left out, every other record in competition, relatives
included) and the bar is the lowest one, from ``MIN_STRONG_ODDS_BITS`` up to the model's, at
which no more of them get a ``strong`` answer than at the model's bar (the family odds and every
other rule of bands.py apply unchanged; a record held twice, or twins with the same name, are
strong at any bar). With 1,000 people and none added, the rate the lower bar adds for an
unregistered person like them is below 0.3 % at 95 % confidence; the floor keeps the model's own
odds meaningful (16 to 1) whatever the sample says.

The result is written beside the index (``calibration.json``) with the model version it was
computed for; another model falls back to its own bar.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .engine import Engine

CALIBRATION_FILE = "calibration.json"
CALIBRATION_SAMPLE = 1000  # people searched for as unregistered (a tenth of a small register)
MIN_CALIBRATION_PEOPLE = 2000  # below this, a register says too little: the model's bar
MIN_STRONG_ODDS_BITS = 4.0
STEP_BITS = 0.5


def _best_other(engine: Engine, row: int) -> tuple[float, float, dict[str, Any], dict[str, float]] | None:
    """The evidence of the best candidate for ``row``'s own record, ``row`` left out of the register."""
    # Imported here: tables.py reads this module's file reader, and these modules read tables.py.
    from . import candidates as blocking
    from .batch import query_from_row
    from .compare import compare_date
    from .explain import explain
    from .scoring import score

    assert engine.gen is not None and engine.tables is not None
    t = engine.tables
    record = engine.gen.record(row)
    q = engine.prepare(query_from_row(record))  # the record as a request (no aliases)
    rows = blocking.candidates(t, q)
    rows = rows[rows != row]
    if not len(rows):
        return None
    if len(rows) > t.prefilter_keep:
        rough = blocking.rough(t, q, rows, compare_date(t, q.date, rows))
        rows = blocking.best_rows(rows, rough, t.prefilter_keep)
    s = score(t, q, rows)
    i = int(np.argmax(s.total))
    odds = s.total + t.prior_bits
    rest = float(np.logaddexp2.reduce(np.append(np.delete(odds, i), t.unregistered_bits)))
    explanation, levels = explain(engine.kb, q, s, i, engine.gen.record(int(s.rows[i])))
    weights = {e.field: e.weight for e in explanation}
    probability = 1.0 / (1.0 + 2.0 ** (-(float(s.total[i]) + t.prior_bits)))
    return float(odds[i]) - rest, probability, levels, weights


def calibrate(engine: Engine, sample: int = CALIBRATION_SAMPLE, seed: int = 0) -> dict[str, Any] | None:
    """The lowest odds bar at which none of ``sample`` people searched for as unregistered is strong."""
    from .bands import band

    if engine.gen is None or engine.tables is None or engine.count < MIN_CALIBRATION_PEOPLE:
        return None
    model_bar = float(engine.model.bands["strong_odds_bits"])
    size = min(sample, engine.count // 10)
    rows = np.random.default_rng(seed).choice(engine.count, size, replace=False)
    evidence = [e for e in (_best_other(engine, int(r)) for r in rows) if e is not None]
    families = engine.tables.families
    bars = np.arange(MIN_STRONG_ODDS_BITS, model_bar + STEP_BITS / 2, STEP_BITS)
    strong_at = {
        float(bar): sum(
            band(engine.model, 0, p, odds, levels, weights, families, odds_bar=float(bar)).band == "strong"
            for odds, p, levels, weights in evidence
        )
        for bar in bars
    }
    # The lowest bar that adds no strong answer to those the model's own bar already gives (a record
    # twice in the register, a twin with the same name, is strong at any bar: not the bar's doing).
    at_model_bar = strong_at[float(bars[-1])]
    chosen = min(bar for bar, n in strong_at.items() if n <= at_model_bar)
    return {
        "model": engine.model.version,
        "strong_odds_bits": chosen,
        "people": len(rows),
        "strong_as_unregistered_by_bar": {f"{bar:.1f}": n for bar, n in strong_at.items()},
    }


def write(directory: Path, result: dict[str, Any] | None) -> None:
    if result is not None:
        (Path(directory) / CALIBRATION_FILE).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def strong_odds_bits(directory: Path, model_version: str, default: float) -> float:
    """The calibrated bar of the generation in ``directory`` for this model, else ``default``."""
    path = Path(directory) / CALIBRATION_FILE
    if not path.exists():
        return default
    data = json.loads(path.read_text(encoding="utf-8"))
    return float(data["strong_odds_bits"]) if data.get("model") == model_version else default
