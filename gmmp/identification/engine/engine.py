"""The engine: open a generation of the register and answer a request with ranked candidates.

request ──► query.prepare          names keyed, readings (declared, swapped, aliases, set aside)
        ──► candidates.candidates  blocking key families looked up in memory-mapped arrays
        ──► candidates.rough       integer-only ranking, keep a few hundred
        ──► scoring.score          Fellegi–Sunter weights per field (compare.py), best reading
        ──► rank here              best five, posterior, margin
        ──► bands.band             strong / possible / weak
        ──► explain.explain        field by field, with weights
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import candidates as blocking
from . import describe
from .bands import band
from .columns import Generation
from .compare import compare_date, sorted_member
from .explain import FieldExplanation, explain
from .model import Model
from .normalize import Knowledge, knowledge
from .query import Prepared, Query, prepare
from .scoring import Scores, levels_of_best_reading, merged, score
from .store import RegisterStore
from .tables import Tables

__all__ = ["Candidate", "Engine", "FieldExplanation", "Query"]

# Adaptive second pass: when the best candidate of the first pass is not ``strong`` (a hard
# request: false or mistyped name, little evidence), the rough ranking may have dropped the
# person. Score this many times more candidates again; easy requests never pay for it.
SECOND_PASS_FACTOR = 6


@dataclass
class Candidate:
    """A register record proposed for a request.

    ``score`` is the Fellegi–Sunter match weight in bits (sum of log2(m/u) over fields);
    ``probability`` the posterior that it is the person, given the register size and the
    share of requests whose person is registered; ``band`` is strong / possible / weak.
    """

    national_id: str
    score: float
    probability: float
    band: str
    record: dict[str, str]
    explanation: list[FieldExplanation]
    band_reason: str = ""
    confidence: float = 0.0  # bits: how far the evidence goes beyond what ``strong`` needs (< 0: short of it)
    evidence: dict[str, float] = field(default_factory=dict)  # the quantities the band was read from

    @property
    def why(self) -> str:
        """One line in English for the terminal (describe.py); the platform renders the codes."""
        return describe.summary(self)


class Engine:
    """Searches one generation of the register through memory-mapped index files."""

    def __init__(self, directory: Path, generation: Generation | None, model: Model, kb: Knowledge) -> None:
        self.directory = Path(directory)
        self.gen = generation
        self.model = model
        self.kb = kb
        self._generation_path = generation.path if generation else None
        self.tables = Tables(generation, model) if generation is not None else None

    @classmethod
    def open(
        cls, directory: str | os.PathLike[str], model_path: str | os.PathLike[str] | None = None
    ) -> Engine:
        """Open the generation in force. A model.json in the directory overrides the packaged one."""
        directory = Path(directory)
        local_model = directory / "model.json"
        model = Model.load(
            Path(model_path) if model_path else (local_model if local_model.exists() else None)
        )
        return cls(directory, RegisterStore(directory).generation(), model, knowledge())

    @property
    def model_version(self) -> str:
        return self.model.version

    @property
    def count(self) -> int:
        return self.gen.count if self.gen else 0

    def refresh(self) -> bool:
        """Switch to the newest generation if the register was imported again since opening."""
        gen = RegisterStore(self.directory).generation()
        if gen is None or gen.path == self._generation_path:
            return False
        self.gen, self._generation_path = gen, gen.path
        self.tables = Tables(gen, self.model)
        return True

    # -- the steps, for the benchmarks' diagnostics and the model's estimation ---------------------
    def prepare(self, query: Query) -> Prepared:
        assert self.tables is not None
        return prepare(self.kb, self.tables.key_ids, query)

    def candidates(self, q: Prepared, families: tuple[str, ...] | None = None) -> np.ndarray:
        assert self.tables is not None
        return blocking.candidates(self.tables, q, families)

    def score(self, q: Prepared, rows: np.ndarray) -> Scores:
        assert self.tables is not None
        return score(self.tables, q, rows)

    # -- public search -----------------------------------------------------------------------
    def search(self, query: Query, limit: int = 5) -> list[Candidate]:
        t = self.tables
        if t is None or self.gen is None or self.gen.count == 0:
            return []
        prepared = prepare(self.kb, t.key_ids, query)
        rows = blocking.candidates(t, prepared)
        if not len(rows):
            return []
        keep = t.prefilter_keep
        if len(rows) <= keep:
            return self._rank(prepared, score(t, prepared, rows), limit)
        # The date is compared once for every candidate: the rough ranking and the scoring share it.
        dates = compare_date(t, prepared.date, rows)
        rough = blocking.rough(t, prepared, rows, dates)
        first = blocking.best_rows(rows, rough, keep)
        scored = score(t, prepared, first, dates[np.searchsorted(rows, first)])
        out = self._rank(prepared, scored, limit, unless_weak_top=True)
        if not out or out[0].band != "strong":
            # A hard request: look further down the rough ranking before answering. The rows already
            # scored keep their scores (a row's figures do not depend on the others); only the new
            # ones are scored, and the whole is ranked in row order, exactly as if scored at once.
            wider = blocking.best_rows(rows, rough, keep * SECOND_PASS_FACTOR)
            extra = wider[~sorted_member(wider, first)]
            kept = scored.take(np.flatnonzero(sorted_member(first, wider)))
            more = score(t, prepared, extra, dates[np.searchsorted(rows, extra)])
            out = self._rank(prepared, merged(kept, more), limit)
        return out

    def comparison_levels(
        self, query: Query, rows: np.ndarray | None = None, families: tuple[str, ...] | None = None
    ) -> dict[str, np.ndarray]:
        """Level of every field for each row (the candidates of ``families`` when ``rows`` is None).

        Used to estimate the model: the names are read with the best hypothesis
        (declared, swapped, alias) as the search itself does.
        """
        q = self.prepare(query)
        rows = self.candidates(q, families) if rows is None else np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return {}
        return levels_of_best_reading(self.score(q, rows))

    # -- ranking ---------------------------------------------------------------------------------
    def _rank(self, q: Prepared, s: Scores, limit: int, unless_weak_top: bool = False) -> list[Candidate]:
        """The best ``limit`` candidates, explained and banded. ``unless_weak_top``: stop after the first
        when it is not strong (a first pass whose answer a second pass replaces)."""
        assert self.gen is not None and self.tables is not None
        total = s.total
        if len(total) > limit + 1:
            # Only the best few need ordering (and the runner-up for the margin).
            top = np.argpartition(-total, limit + 1)[: limit + 1]
            order = top[np.argsort(-total[top], kind="stable")]
        else:
            order = np.argsort(-total, kind="stable")
        bands = self.model.bands
        prior = self.tables.prior_bits
        odds = total + prior  # log2 prior-times-likelihood odds of each scored row being the person
        # Below the best, the odds against "everyone" (the best included) are enough for the bar.
        unregistered = self.tables.unregistered_bits
        everyone: float | None = None
        out = []
        for rank, i in enumerate(order[:limit]):
            weight = float(total[i])
            if weight < bands["min_report_bits"]:
                break
            probability = 1.0 / (1.0 + 2.0 ** (-(weight + prior)))
            record = self.gen.record(int(s.rows[i]))
            explanation, levels = explain(self.kb, q, s, int(i), record)
            # Odds against everyone else scored and against "not in the register" at once.
            if rank == 0:
                others = _log2_sum_except(odds, int(i), unregistered)
            else:
                if everyone is None:
                    everyone = float(np.logaddexp2.reduce(np.append(odds, unregistered)))
                others = everyone
            weights = {e.field: e.weight for e in explanation}
            verdict = band(
                self.model,
                rank,
                probability,
                float(odds[i]) - others,
                levels,
                weights,
                self.tables.families,
                odds_bar=self.tables.strong_odds_bits,
                family_bar=self.tables.strong_family_bits,
            )
            if unless_weak_top and rank == 0 and verdict.band != "strong":
                return []
            out.append(
                Candidate(
                    record["national_id"],
                    round(weight, 3),
                    probability,
                    verdict.band,
                    record,
                    explanation,
                    verdict.reason,
                    verdict.confidence,
                    verdict.evidence,
                )
            )
        return out


def _log2_sum_except(odds: np.ndarray, i: int, unregistered: float) -> float:
    """log2 of the prior-times-likelihood mass of every row but ``i`` plus "not registered" (whose
    prior is ``2**unregistered``, its likelihood ratio 1: the request matches no one)."""
    return float(np.logaddexp2.reduce(np.concatenate((odds[:i], odds[i + 1 :], [unregistered]))))
