"""The ``strong`` bars, calibrated on the register itself when it is imported (no labels).

The Fellegi–Sunter odds are a bound, not a rate: odds of 8 bits against "someone else or no one"
promise at most one wrong ``strong`` in 256, and on most registers far fewer happen. How many
actually happen depends on the register (how many namesakes, how many families, how noisy), so
the register is asked: a sample of its own people (1,000; a tenth of a register under 10,000;
none under 2,000) are searched for as if they were *not* registered (each one's own record left
out, every other record in competition, relatives included), with every rule of bands.py. The odds
bar is the lowest from ``MIN_STRONG_ODDS_BITS`` up to the model's such that a bar one bit lower
still gives none of them a ``strong`` answer the model's bar would not (a record held twice, or
twins with the same name, are strong at any bar); then the same for the bar against a relative
(from ``MIN_STRONG_FAMILY_BITS`` up to the model's), at the chosen odds bar. With 1,000 people and
none added one bit below, the rate the lower bar adds for an unregistered person like them is
below 0.3 % at 95 % confidence; the floors keep the model's own odds meaningful (16 to 1 against
the rest, 8 to 1 against a relative) whatever the sample says.

The result is written beside the index (``calibration.json``) with the model version it was
computed for; another model falls back to its own bars.
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
MIN_STRONG_ODDS_BITS = 4.0  # 16 to 1 against the rest
MIN_STRONG_FAMILY_BITS = 3.0  # 8 to 1 against an unregistered relative
STEP_BITS = 0.5
MARGIN_BITS = 1.0  # a bar is kept only if one bit below it still adds no strong answer


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


def _lowest_safe_bar(counts: dict[float, int], floor: float) -> float:
    """The lowest bar from ``floor`` whose neighbour one MARGIN_BITS below (measured) adds no strong
    answer to those the highest bar (the model's) gives; the highest bar if none."""
    top = max(counts)
    return min(
        bar
        for bar in counts
        if bar >= floor
        and (bar == top or counts.get(round(bar - MARGIN_BITS, 1), counts[top] + 1) <= counts[top])
    )


def calibrate(engine: Engine, sample: int = CALIBRATION_SAMPLE, seed: int = 0) -> dict[str, Any] | None:
    """The strong bars (odds against the rest, odds against a relative) for this register and model."""
    from .bands import band

    if engine.gen is None or engine.tables is None or engine.count < MIN_CALIBRATION_PEOPLE:
        return None
    bands = engine.model.bands
    model_odds, model_family = float(bands["strong_odds_bits"]), float(bands["strong_family_bits"])
    size = min(sample, engine.count // 10)
    rows = np.random.default_rng(seed).choice(engine.count, size, replace=False)
    evidence = [e for e in (_best_other(engine, int(r)) for r in rows) if e is not None]
    families = engine.tables.families

    def strong(odds_bar: float, family_bar: float) -> int:
        return sum(
            band(engine.model, 0, p, o, lv, w, families, odds_bar=odds_bar, family_bar=family_bar).band
            == "strong"
            for o, p, lv, w in evidence
        )

    def grid(low: float, high: float) -> list[float]:
        return [round(float(b), 1) for b in np.arange(low - MARGIN_BITS, high + STEP_BITS / 2, STEP_BITS)]

    # First the odds bar (the family bar at the model's), then the family bar at the chosen odds bar.
    by_odds = {bar: strong(bar, model_family) for bar in grid(MIN_STRONG_ODDS_BITS, model_odds)}
    odds_bar = _lowest_safe_bar(by_odds, MIN_STRONG_ODDS_BITS)
    by_family = {bar: strong(odds_bar, bar) for bar in grid(MIN_STRONG_FAMILY_BITS, model_family)}
    family_bar = _lowest_safe_bar(by_family, MIN_STRONG_FAMILY_BITS)
    return {
        "model": engine.model.version,
        "strong_odds_bits": odds_bar,
        "strong_family_bits": family_bar,
        "people": len(rows),
        "strong_as_unregistered_by_odds_bar": {f"{b:.1f}": n for b, n in by_odds.items()},
        "strong_as_unregistered_by_family_bar": {f"{b:.1f}": n for b, n in by_family.items()},
    }


def write(directory: Path, result: dict[str, Any] | None) -> None:
    if result is not None:
        (Path(directory) / CALIBRATION_FILE).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def strong_bars(directory: Path, model_version: str, defaults: tuple[float, float]) -> tuple[float, float]:
    """The calibrated (odds, family) bars of the generation in ``directory`` for this model, else
    ``defaults`` (the model's)."""
    path = Path(directory) / CALIBRATION_FILE
    if not path.exists():
        return defaults
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("model") != model_version or "strong_family_bits" not in data:
        return defaults
    return float(data["strong_odds_bits"]), float(data["strong_family_bits"])
