"""Finding a person in the register: candidate generation, scoring, bands, explanations."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

from .columns import FAMILY_SEEDS, KEY_FAMILIES, NAME_FIELDS, SEX_CODES, Generation, splitmix
from .model import (
    ALIAS_PENALTY_BITS,
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
    SWAP_PENALTY_BITS,
    TF_FLOOR,
    VARIANT,
    Model,
)
from .normalize import (
    FUZZY_SIMILARITY,
    SKELETON_VARIANT_SIMILARITY,
    DateError,
    Knowledge,
    NameKey,
    PartialDate,
    knowledge,
    parse_date,
    skeleton,
    skeleton_is_telling,
)
from .store import RegisterStore

PLACE_FUZZY_THRESHOLD = 0.90
MAX_POSTING = 5000  # a key shared by more people than this is not selective: skip it
# The catch-all families (one or two components) are skipped sooner: they exist for the
# heavily corrupted request, and a common value there only adds noise to score.
CATCH_ALL_FAMILIES = {
    "names",
    "last_year",
    "date",
    "last_place",
    "first_place",
    "first_year",
    "last_initial",
    "parents",
    "father_mother_last",
    "mother",
}
MAX_CATCH_ALL_POSTING = 1500
MAX_CANDIDATES = 20000
PREFILTER_KEEP = 150  # candidates fully scored after the integer-only rough ranking...
PREFILTER_KEEP_PER_MILLION_ABOVE_2M = 25  # ...plus more in a big register, where namesakes crowd it
# Adaptive second pass: when the best candidate of the first pass is not ``strong`` (a hard
# request: false or mistyped name, little evidence), the rough ranking may have dropped the
# person. Score this many times more candidates again; easy requests never pay for it.
SECOND_PASS_FACTOR = 6
# log2 of how often a registered person's declared name is false (≈ 5–7% of requests in
# practice and in the generator): what setting the names aside costs a candidate.
FALSE_NAME_PENALTY_BITS = 4.0
FALSE_NAME_LABEL = "declared name set aside (a false name?)"

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
_NAME_OUTCOMES = {
    MISSING: "missing",
    EXACT: "exact",
    VARIANT: "variant",
    FUZZY: "fuzzy",
    PARTIAL: "partial",
    DISAGREE: "disagree",
}
_DATE_OUTCOMES = {
    D_MISSING: ("missing", ""),
    D_EXACT: ("exact", ""),
    D_SWAP: ("variant", "day and month swapped"),
    D_YEAR_MONTH: ("partial", "same year and month"),
    D_YEAR_PARTIAL: ("partial", "same year; the other parts are unknown or a 1 January placeholder"),
    D_YEAR_DIFF: ("partial", "same year, another day"),
    D_NEAR: ("fuzzy", "one year apart"),
    D_DISAGREE: ("disagree", ""),
}
_AGREE = (EXACT, VARIANT, FUZZY)


@dataclass
class Query:
    """What an identification request says about the person (empty = not given)."""

    first_name: str = ""
    last_name: str = ""
    aliases: list[str] = field(default_factory=list)
    sex: str = ""
    birth_date: str = ""
    birth_place: str = ""
    father_first_name: str = ""
    mother_first_name: str = ""
    mother_last_name: str = ""


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

    @property
    def why(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """One line for a human: what agreed, what did not, and why this band."""
        agreed = [e.describe() for e in self.explanation if e.outcome not in ("missing", "disagree")]
        disagreed = [FIELD_LABELS.get(e.field, e.field) for e in self.explanation if e.outcome == "disagree"]
        parts = [f"{self.band} ({self.score:.1f} bits, p={self.probability:.4f})"]
        if agreed:
            parts.append("agrees: " + ", ".join(agreed))
        if disagreed:
            parts.append("disagrees: " + ", ".join(disagreed))
        if self.band_reason:
            parts.append(self.band_reason)
        return "; ".join(parts)


# -- the prepared request ---------------------------------------------------------------------------
@dataclass
class _Name:
    text: str
    key: NameKey
    norm_id: int
    canon_id: int
    skel_id: int
    part_ids: np.ndarray
    first_part_skel_id: int
    initial_id: int
    similarity: np.ndarray | None = None  # Jaro–Winkler against each register spelling, lazily


@dataclass
class _Hypothesis:
    label: str
    first: _Name | None
    last: _Name | None
    penalty: float


class Engine:
    """Searches one generation of the register through memory-mapped index files."""

    def __init__(self, directory: Path, generation: Generation | None, model: Model, kb: Knowledge) -> None:
        self.directory = Path(directory)
        self.gen = generation
        self.model = model
        self.kb = kb
        self._generation_path = generation.path if generation else None
        if generation is not None:
            self._prepare_tables()

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
        self._prepare_tables()
        return True

    def _prepare_tables(self) -> None:
        gen = self.gen
        assert gen is not None
        # Small per-spelling tables are copied into memory; per-person columns stay mapped.
        self.names_feat = np.asarray(gen.names_feat)
        # One contiguous array per feature: gathers on them are the hot path of scoring.
        (self.feat_norm, self.feat_canon, self.feat_skel, self.feat_part_a, self.feat_part_b) = (
            np.ascontiguousarray(self.names_feat[:, j]) for j in range(5)
        )
        self.feat_initial = np.ascontiguousarray(self.names_feat[:, 6])
        self.places_feat = np.asarray(gen.places_feat)
        self.keys = gen.keys
        self.key_ids = gen.key_ids
        # normalize.same_gender_ending, precomputed for every spelling of the register.
        self.key_ends_with_a = np.array([k.endswith("a") for k in self.keys], dtype=bool)
        self.keys_array = np.array(self.keys, dtype=object)
        self.tf = {f: gen.array(f"tf_{f}") for f in (*NAME_FIELDS, "birth_place")}
        self.weights = {f: np.array(self.model.level_weights(f)) for f in self.model.probabilities}
        self.log2_m = {
            f: {name: math.log2(max(p, 1e-9)) for name, p in probs["m"].items()}
            for f, probs in self.model.probabilities.items()
        }
        # An index built before a family was added simply lacks it (import again to get it).
        built = set(gen.meta.get("key_families", KEY_FAMILIES))
        self.blocks = {
            fam: (gen.array(f"blk_{fam}_keys"), gen.array(f"blk_{fam}_rows"))
            for fam in KEY_FAMILIES
            if fam in built
        }
        self.columns = {
            c: gen.array(c) for c in (*NAME_FIELDS, "birth_place", "sex", "birth_y", "birth_m", "birth_d")
        }
        self.prefilter_keep = (
            PREFILTER_KEEP + PREFILTER_KEEP_PER_MILLION_ABOVE_2M * max(0, gen.count - 2_000_000) // 1_000_000
        )
        self.prior_bits = math.log2(max(self.model.bands["prior_in_register"], 1e-9) / max(gen.count, 1))

    # -- public search -----------------------------------------------------------------------
    def search(self, query: Query, limit: int = 5) -> list[Candidate]:
        if self.gen is None or self.gen.count == 0:
            return []
        prepared = self._prepare_query(query)
        rows = self._candidates(prepared)
        if not len(rows):
            return []
        keep = self.prefilter_keep
        if len(rows) <= keep:
            return self._rank(prepared, self._score(prepared, rows), limit)
        rough = self._rough(prepared, rows)
        first = self._best_rows(rows, rough, keep)
        out = self._rank(prepared, self._score(prepared, first), limit)
        if not out or out[0].band != "strong":
            # A hard request: look further down the rough ranking before answering.
            wider = self._best_rows(rows, rough, keep * SECOND_PASS_FACTOR)
            out = self._rank(prepared, self._score(prepared, wider), limit)
        return out

    # -- request preparation ---------------------------------------------------------------------
    def _name(self, text: str) -> _Name | None:
        text = (text or "").strip()
        if not text:
            return None
        key = self.kb.name_key(text)
        if not key.norm:
            return None
        ids = self.key_ids
        parts = np.array([ids.get(p, -2) for p in key.parts], dtype=np.int64)
        first_part = ids.get(skeleton(key.parts[0]) if key.parts else key.skel, -2)
        return _Name(
            text,
            key,
            ids.get(key.norm, -2),
            ids.get(key.canon, -2),
            ids.get(key.skel, -2),
            parts,
            first_part,
            ids.get(key.norm[:1], -2),
        )

    def _prepare_query(self, query: Query) -> dict:
        first, last = self._name(query.first_name), self._name(query.last_name)
        hyps = [_Hypothesis("declared", first, last, 0.0)]
        if first and last:
            hyps.append(_Hypothesis("swapped", last, first, SWAP_PENALTY_BITS))
        elif (first or last) and len(((first or last).text).split()) > 1:
            # Both names written in one field: try every split.
            hyps += self._splits((first or last).text, "one field", 0.5)
        for alias in query.aliases:
            hyps += self._splits(alias, f"alias {alias.strip()!r}", ALIAS_PENALTY_BITS)
        if first or last or query.aliases:
            # The declared name may be false (the person is then found through the parents
            # and the birth): reading the names as not given costs FALSE_NAME_PENALTY_BITS
            # instead of the two names' disagreement weights.
            hyps.append(_Hypothesis(FALSE_NAME_LABEL, None, None, FALSE_NAME_PENALTY_BITS))
        try:
            date = parse_date(query.birth_date, lenient=True)
            date_note = ""
        except DateError:
            date, date_note = PartialDate(), f"unreadable date {query.birth_date!r} ignored"
        place_text = (query.birth_place or "").strip()
        place = self.kb.place_key(place_text) if place_text else None
        return {
            "query": query,
            "hyps": hyps,
            "date": date,
            "date_note": date_note,
            "place": place,
            "place_ids": (self.key_ids.get(place.norm, -2), self.key_ids.get(place.canon, -2))
            if place
            else None,
            "sex": SEX_CODES.get((query.sex or "").strip().upper()[:1], 0),
            "father_first_name": self._name(query.father_first_name),
            "mother_first_name": self._name(query.mother_first_name),
            "mother_last_name": self._name(query.mother_last_name),
        }

    def _splits(self, full_name: str, label: str, penalty: float) -> list[_Hypothesis]:
        words = full_name.split()
        out = []
        for i in range(1, min(len(words), 4)):
            a, b = self._name(" ".join(words[:i])), self._name(" ".join(words[i:]))
            out.append(_Hypothesis(label, a, b, penalty))
            out.append(_Hypothesis(label + ", swapped", b, a, penalty + SWAP_PENALTY_BITS))
        if len(words) == 1:
            out.append(_Hypothesis(label, None, self._name(full_name), penalty))
        return out

    # -- candidate generation --------------------------------------------------------------------
    def _candidates(self, q: dict, families: tuple[str, ...] | None = None) -> np.ndarray:
        date: PartialDate = q["date"]
        years = [date.year] if date.year else []
        dates = []
        if date.day:
            dates.append(date.year * 10000 + date.month * 100 + date.day)
            if date.day <= 12 and date.day != date.month:
                dates.append(date.year * 10000 + date.day * 100 + date.month)
        place = [q["place_ids"][1]] if q["place_ids"] and q["place_ids"][1] >= 0 else []
        skel = lambda n: n.skel_id if n is not None and n.skel_id >= 0 else None  # noqa: E731
        # Given names are indexed by their first word's skeleton (compounds get shortened);
        # a request's given name is looked up by its first word and as a whole ("Sachi N").
        pairs = set()
        for h in q["hyps"]:
            last = skel(h.last)
            for first in {h.first.first_part_skel_id, h.first.skel_id} if h.first is not None else {None}:
                pairs.add((first if first is not None and first >= 0 else None, last))
        firsts = {p[0] for p in pairs if p[0] is not None}
        lasts = {p[1] for p in pairs if p[1] is not None}
        last_initials = {
            (skel(h.last), h.first.initial_id)
            for h in q["hyps"]
            if h.first is not None and skel(h.last) is not None and h.first.initial_id >= 0
        }
        pairs = {p for p in pairs if None not in p}
        father, mother_first, mother_last = (
            skel(q["father_first_name"]),
            skel(q["mother_first_name"]),
            skel(q["mother_last_name"]),
        )
        near_years = [y + d for y in years for d in (-1, 0, 1)]
        wanted: dict[str, list[tuple[int, ...]]] = {
            "name_year": [(f, ln, y) for f, ln in pairs for y in near_years],
            "name_place": [(f, ln, p) for f, ln in pairs for p in place],
            "names": list(pairs),
            "last_year": [(ln, y) for ln in lasts for y in years],
            "mother_names": [(ln, mother_first, mother_last) for ln in lasts]
            if mother_first is not None and mother_last is not None
            else [],
            "last_year_place": [(ln, y, p) for ln in lasts for y in years for p in place],
            "first_year_place": [(f, y, p) for f in firsts for y in years for p in place],
            "last_date": [(ln, d) for ln in lasts for d in dates],
            "first_date": [(f, d) for f in firsts for d in dates],
            "date_place": [(d + k, p) for d in dates for p in place for k in (-10000, 0, 10000)],
            "parents_year": [(father, mother_first, y) for y in years]
            if father is not None and mother_first is not None
            else [],
            "parents_place": [(father, mother_last, p) for p in place]
            if father is not None and mother_last is not None
            else [],
            "parents_last": [(ln, father, mother_first) for ln in lasts]
            if father is not None and mother_first is not None
            else [],
            # A full date with the year mistyped by one is still worth a look.
            "date": [(d + k,) for d in dates for k in (-10000, 0, 10000)],
            "father_mother_place": [(father, mother_first, p) for p in place]
            if father is not None and mother_first is not None
            else [],
            "mother_year": [(mother_first, mother_last, y) for y in years]
            if mother_first is not None and mother_last is not None
            else [],
            "mother_place": [(mother_first, mother_last, p) for p in place]
            if mother_first is not None and mother_last is not None
            else [],
            "father_mother_last_year": [(father, mother_last, y) for y in years]
            if father is not None and mother_last is not None
            else [],
            "father_mother_last": [(father, mother_last)]
            if father is not None and mother_last is not None
            else [],
            "mother": [(mother_first, mother_last)]
            if mother_first is not None and mother_last is not None
            else [],
            "parents": [(father, mother_first, mother_last)]
            if None not in (father, mother_first, mother_last)
            else [],
            "last_place": [(ln, p) for ln in lasts for p in place],
            "first_place": [(f, p) for f in firsts for p in place],
            "first_year": [(f, y) for f in firsts for y in years],
            "last_initial": sorted(last_initials),
        }
        selected = [
            (f, t)
            for f, t in wanted.items()
            if t and f in self.blocks and (families is None or f in families)
        ]
        found = []
        for family, hashes in _hash_all(selected):
            keys, rows = self.blocks[family]
            # Keys are integers: the end of h's run is where h + 1 would start (one call, not two).
            bounds = np.searchsorted(keys, np.concatenate([hashes, hashes + np.uint64(1)])).tolist()
            lo, hi = bounds[: len(hashes)], bounds[len(hashes) :]
            cap = MAX_CATCH_ALL_POSTING if family in CATCH_ALL_FAMILIES else MAX_POSTING
            for a, b in zip(lo, hi, strict=True):
                if 0 < b - a <= cap:
                    found.append(rows[a:b])
        if not found:
            return np.empty(0, dtype=np.int64)
        rows = np.unique(np.concatenate(found))
        return rows[:MAX_CANDIDATES].astype(np.int64)

    # -- scoring ---------------------------------------------------------------------------------
    def _prefilter(self, q: dict, rows: np.ndarray, keep: int) -> np.ndarray:
        return self._best_rows(rows, self._rough(q, rows), keep)

    @staticmethod
    def _best_rows(rows: np.ndarray, rough: np.ndarray, keep: int) -> np.ndarray:
        if len(rows) <= keep:
            return rows
        kept = np.argpartition(-rough, keep)[:keep]
        return np.sort(rows[kept])

    def _rough(self, q: dict, rows: np.ndarray) -> np.ndarray:
        """Keep the ``prefilter_keep`` most promising candidates, judged on integer keys only.

        Full scoring (string similarity, term frequencies, every hypothesis) costs per row;
        a rough score from equal canonical names, skeletons, initials, date and place level
        ranks thousands of rows in a few array operations. Disagreements are not counted
        against a row here: a typo must not push the true person out.
        """
        cols = self.columns
        rough = np.zeros(len(rows))
        name_cols = {}
        for column in ("first_name", "last_name"):
            codes = cols[column][rows]
            safe = np.maximum(codes, 0)
            name_cols[column] = (
                codes >= 0,
                self.feat_canon[safe],
                self.feat_skel[safe],
                self.feat_initial[safe],
            )
        best = np.zeros(len(rows))
        for h in q["hyps"]:
            score = np.zeros(len(rows))
            for column, name in (("first_name", h.first), ("last_name", h.last)):
                if name is None:
                    continue
                present, canon, skel, initial = name_cols[column]
                w = self.weights[column]
                score += present * np.where(
                    canon == name.canon_id,
                    w[EXACT],
                    np.where(
                        skel == name.skel_id, w[VARIANT], np.where(initial == name.initial_id, 1.0, 0.0)
                    ),
                )
            np.maximum(best, score, out=best)
        rough += best
        for f in ("father_first_name", "mother_first_name", "mother_last_name"):
            name = q[f]
            if name is not None:
                codes = cols[f][rows]
                rough += (
                    (codes >= 0)
                    * (self.feat_canon[np.maximum(codes, 0)] == name.canon_id)
                    * self.weights[f][EXACT]
                )
        date_level = self._compare_date(q["date"], rows)
        rough += np.maximum(self.weights["birth_date"][date_level], 0)
        if q["place_ids"] is not None:
            codes = cols["birth_place"][rows]
            rough += (
                (codes >= 0)
                * (self.places_feat[np.maximum(codes, 0), 1] == q["place_ids"][1])
                * self.weights["birth_place"][VARIANT]
            )
        return rough

    def _similarities(self, name: _Name, ids: np.ndarray) -> np.ndarray:
        """The request name's similarity table over all spellings, filled for ``ids``."""
        if name.similarity is None:
            name.similarity = np.full(len(self.keys_array), -1.0, dtype=np.float32)
        table = name.similarity
        todo = ids[table[ids] < 0]
        if len(todo):
            mark = np.zeros(len(table), dtype=bool)
            mark[todo] = True
            unique = np.flatnonzero(mark)
            table[unique] = cdist(
                [name.key.norm], self.keys_array[unique].tolist(), scorer=JaroWinkler.normalized_similarity
            )[0]
        return table

    def _name_features(self, codes: np.ndarray) -> dict[str, np.ndarray]:
        """Per-row comparable forms of one register name column (gathered once per column)."""
        safe = np.maximum(codes, 0)
        return {
            "present": codes >= 0,
            "norm": self.feat_norm[safe],
            "canon": self.feat_canon[safe],
            "skel": self.feat_skel[safe],
            "part_a": self.feat_part_a[safe],
            "part_b": self.feat_part_b[safe],
        }

    def _compare_name(
        self, name: _Name | None, feat: dict[str, np.ndarray], field_name: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """Level and weight of a request name against a register name column's features."""
        n = len(feat["present"])
        if name is None:
            return np.zeros(n, dtype=np.int8), np.zeros(n)
        present, norm, canon = feat["present"], feat["norm"], feat["canon"]
        level = np.full(n, DISAGREE, dtype=np.int8)
        partial = (feat["part_a"] == name.canon_id) | (feat["part_b"] == name.canon_id)
        for part in name.part_ids.tolist():
            partial |= (feat["part_a"] == part) | (feat["part_b"] == part)
        level[partial] = PARTIAL
        canon_equal = canon == name.canon_id
        exact = norm == name.norm_id
        undecided = np.flatnonzero(present & ~exact & ~canon_equal)
        if len(undecided):
            # Same ladder as normalize.compare_names. Jaro–Winkler is computed once per
            # distinct spelling and per request name, whatever the field or hypothesis.
            ids = norm[undecided]
            sims = self._similarities(name, ids)[ids]
            compatible = self.key_ends_with_a[ids] == name.key.norm.endswith("a")
            level[undecided[compatible & (sims >= FUZZY_SIMILARITY)]] = FUZZY
            if skeleton_is_telling(name.key.skel):
                skel_variant = (
                    compatible
                    & (feat["skel"][undecided] == name.skel_id)
                    & (sims >= SKELETON_VARIANT_SIMILARITY)
                )
                level[undecided[skel_variant]] = VARIANT
        level[canon_equal] = VARIANT
        level[exact] = EXACT
        level[~present] = MISSING
        weight = self.weights[field_name][level]
        agree = np.flatnonzero((level == EXACT) | (level == VARIANT))
        if len(agree):
            # Term-frequency adjustment: u is how often this name is seen in the register.
            tf = np.maximum(self.tf[field_name][canon[agree]], TF_FLOOR)
            m = np.where(
                level[agree] == EXACT, self.log2_m[field_name]["exact"], self.log2_m[field_name]["variant"]
            )
            weight[agree] = m - np.log2(tf)
        return level, weight

    def _compare_date(self, date: PartialDate, rows: np.ndarray) -> np.ndarray:
        n = len(rows)
        level = np.full(n, D_MISSING, dtype=np.int8)
        if not date.year:
            return level
        y = self.columns["birth_y"][rows].astype(np.int32)
        m = self.columns["birth_m"][rows].astype(np.int32)
        d = self.columns["birth_d"][rows].astype(np.int32)
        known = y > 0
        same_year = y == date.year
        near = np.abs(y - date.year) == 1
        level[known] = D_DISAGREE
        if date.day:
            full = known & (d > 0)
            placeholder = date.is_first_of_january or False
            rec_placeholder = (m == 1) & (d == 1)
            level[full & near & (m == date.month) & (d == date.day)] = D_NEAR
            level[full & same_year] = D_YEAR_DIFF
            level[full & same_year & (m == date.month)] = D_YEAR_MONTH
            level[full & same_year & (rec_placeholder | placeholder)] = D_YEAR_PARTIAL
            if date.day <= 12 and date.day != date.month:
                level[full & same_year & (m == date.day) & (d == date.month)] = D_SWAP
            level[full & same_year & (m == date.month) & (d == date.day)] = D_EXACT
            partial_rec = known & (d == 0)
        else:
            partial_rec = known
        # One side gives less than a full date: compare what both give.
        if partial_rec.any():
            months_known = (m > 0) & (date.month > 0)
            level[partial_rec & near] = D_NEAR
            level[partial_rec & same_year] = D_YEAR_PARTIAL
            level[partial_rec & same_year & months_known & (m == date.month)] = D_YEAR_MONTH
            level[partial_rec & same_year & months_known & (m != date.month)] = D_YEAR_DIFF
        return level

    def _compare_place(self, q: dict, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(rows)
        if q["place"] is None:
            return np.zeros(n, dtype=np.int8), np.zeros(n)
        codes = self.columns["birth_place"][rows]
        present = codes >= 0
        feat = self.places_feat[np.maximum(codes, 0)]
        norm_id, canon_id = q["place_ids"]
        level = np.full(n, DISAGREE, dtype=np.int8)
        undecided = present & (feat[:, 1] != canon_id)
        if undecided.any():
            ids, inverse = np.unique(feat[undecided, 0], return_inverse=True)
            sims = cdist(
                [q["place"].norm], self.keys_array[ids].tolist(), scorer=JaroWinkler.normalized_similarity
            )[0]
            fuzzy = np.zeros(n, dtype=bool)
            fuzzy[undecided] = sims[inverse] >= PLACE_FUZZY_THRESHOLD
            level[fuzzy] = FUZZY
        level[feat[:, 1] == canon_id] = VARIANT
        level[feat[:, 0] == norm_id] = EXACT
        level[~present] = MISSING
        weight = self.weights["birth_place"][level]
        agree = (level == EXACT) | (level == VARIANT)
        if agree.any():
            tf = np.maximum(self.tf["birth_place"][feat[agree, 1]], TF_FLOOR)
            m = np.where(
                level[agree] == EXACT,
                self.log2_m["birth_place"]["exact"],
                self.log2_m["birth_place"]["variant"],
            )
            weight[agree] = m - np.log2(tf)
        return level, weight

    def _score(self, q: dict, rows: np.ndarray) -> dict:
        cols = self.columns
        features = {c: self._name_features(cols[c][rows]) for c in ("first_name", "last_name")}
        cache: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}

        def compare(name: _Name | None, column: str) -> tuple[np.ndarray, np.ndarray]:
            key = (id(name), column)
            if key not in cache:
                cache[key] = self._compare_name(name, features[column], column)
            return cache[key]

        hyp_weights = []
        hyp_levels = []
        for h in q["hyps"]:
            lf, wf = compare(h.first, "first_name")
            ll, wl = compare(h.last, "last_name")
            hyp_weights.append(wf + wl - h.penalty)
            hyp_levels.append((lf, wf, ll, wl))
        stacked = np.vstack(hyp_weights)
        best_h = np.argmax(stacked, axis=0)
        names_weight = stacked[best_h, np.arange(len(rows))]

        fields: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for f in ("father_first_name", "mother_first_name", "mother_last_name"):
            fields[f] = (
                self._compare_name(q[f], self._name_features(cols[f][rows]), f)
                if q[f] is not None
                else (np.zeros(len(rows), dtype=np.int8), np.zeros(len(rows)))
            )
        date_level = self._compare_date(q["date"], rows)
        fields["birth_date"] = (date_level, self.weights["birth_date"][date_level])
        fields["birth_place"] = self._compare_place(q, rows)
        sex = cols["sex"][rows]
        sex_level = np.where(
            (sex == 0) | (q["sex"] == 0), MISSING, np.where(sex == q["sex"], EXACT, DISAGREE)
        ).astype(np.int8)
        fields["sex"] = (sex_level, self.weights["sex"][sex_level])
        total = names_weight + sum(w for _, w in fields.values())
        return {"rows": rows, "total": total, "best_h": best_h, "hyp_levels": hyp_levels, "fields": fields}

    def comparison_levels(
        self, query: Query, rows: np.ndarray | None = None, families: tuple[str, ...] | None = None
    ) -> dict[str, np.ndarray]:
        """Level of every field for each row (the candidates of ``families`` when ``rows`` is None).

        Used to estimate the model: the names are read with the best hypothesis
        (declared, swapped, alias) as the search itself does.
        """
        q = self._prepare_query(query)
        rows = self._candidates(q, families) if rows is None else np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return {}
        s = self._score(q, rows)
        index = np.arange(len(rows))
        first = np.vstack([h[0] for h in s["hyp_levels"]])[s["best_h"], index]
        last = np.vstack([h[2] for h in s["hyp_levels"]])[s["best_h"], index]
        return {
            "rows": rows,
            "first_name": first,
            "last_name": last,
            **{f: lv for f, (lv, _) in s["fields"].items()},
        }

    # -- ranking, bands, explanations --------------------------------------------------------------
    def _rank(self, q: dict, s: dict, limit: int) -> list[Candidate]:
        total = s["total"]
        if len(total) > limit + 1:
            # Only the best few need ordering (and the runner-up for the margin).
            top = np.argpartition(-total, limit + 1)[: limit + 1]
            order = top[np.argsort(-total[top], kind="stable")]
        else:
            order = np.argsort(-total, kind="stable")
        bands = self.model.bands
        runner_up = float(total[order[1]]) if len(order) > 1 else -math.inf
        out = []
        for rank, i in enumerate(order[:limit]):
            weight = float(total[i])
            if weight < bands["min_report_bits"] and rank > 0:
                break
            if weight < bands["min_report_bits"]:
                break
            probability = 1.0 / (1.0 + 2.0 ** (-(weight + self.prior_bits)))
            record = self.gen.record(int(s["rows"][i]))
            explanation, levels = self._explain(q, s, int(i), record)
            band, reason = self._band(rank, weight, probability, weight - runner_up, levels)
            out.append(
                Candidate(
                    record["national_id"], round(weight, 3), probability, band, record, explanation, reason
                )
            )
        return out

    def _band(
        self, rank: int, weight: float, probability: float, margin: float, levels: dict[str, int]
    ) -> tuple[str, str]:
        bands = self.model.bands
        if rank == 0 and probability >= bands["strong_probability"]:
            if margin < bands["strong_margin_bits"]:
                return "possible", f"another candidate is close ({margin:.1f} bits behind)"
            evidence_ok, reason = _strong_evidence(levels)
            if evidence_ok:
                return "strong", reason
            return "possible", reason
        if probability >= bands["possible_probability"]:
            return "possible", ""
        return "weak", ""

    def _explain(
        self, q: dict, s: dict, i: int, record: dict[str, str]
    ) -> tuple[list[FieldExplanation], dict[str, int]]:
        h_index = int(s["best_h"][i])
        hyp: _Hypothesis = q["hyps"][h_index]
        lf, wf, ll, wl = s["hyp_levels"][h_index]
        query: Query = q["query"]
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
                name = _Name(declared, None, -2, -2, -2, np.empty(0), -2, -2) if declared.strip() else None  # type: ignore[arg-type]
            levels[field_name] = level
            out.append(
                FieldExplanation(
                    field_name,
                    _NAME_OUTCOMES[level],
                    round(weight, 2),
                    name.text if name else "",
                    record[field_name],
                    note,
                )
            )
        levels["hypothesis"] = h_index
        levels["hypothesis_label"] = hyp.label  # type: ignore[assignment]
        for field_name in (
            "sex",
            "birth_date",
            "birth_place",
            "father_first_name",
            "mother_first_name",
            "mother_last_name",
        ):
            lv, wv = s["fields"][field_name]
            level = int(lv[i])
            levels[field_name] = level
            qv = getattr(query, field_name)
            extra = ""
            if field_name == "birth_date":
                outcome, extra = _DATE_OUTCOMES[level]
                if q["date_note"]:
                    extra = q["date_note"]
            else:
                outcome = _NAME_OUTCOMES[level]
            if field_name == "birth_place" and level == VARIANT and q["place"] is not None:
                extra = f"{q['place'].kind or 'spelling'} of {self.kb.place_label(q['place'].canon)}"
            if outcome != "missing" or qv or record[field_name]:
                out.append(
                    FieldExplanation(
                        field_name, outcome, round(float(wv[i]), 2), qv or "", record[field_name], extra
                    )
                )
        return out, levels


def _hash_all(selected: list[tuple[str, list[tuple[int, ...]]]]) -> list[tuple[str, np.ndarray]]:
    """columns.hash_key for every family at once: one numpy pass per key length."""
    by_arity: dict[int, list[tuple[str, list[tuple[int, ...]]]]] = {}
    for family, tuples in selected:
        by_arity.setdefault(len(tuples[0]), []).append((family, tuples))
    out = []
    for arity, group in by_arity.items():
        seeds = np.concatenate([np.full(len(t), FAMILY_SEEDS[f], dtype=np.uint64) for f, t in group])
        values = np.array([v for _, t in group for v in t], dtype=np.int64).reshape(-1, arity)
        h = seeds
        for j in range(arity):
            h = splitmix(h ^ values[:, j].view(np.uint64))
        start = 0
        for family, tuples in group:
            out.append((family, h[start : start + len(tuples)]))
            start += len(tuples)
    return out


def _strong_evidence(levels: dict) -> tuple[bool, str]:
    """Is the kind of agreement enough for an officer to confirm in one look?

    The Fellegi–Sunter sum assumes fields independent; siblings break that (same family
    name, parents and place). So ``strong`` also requires the evidence that tells siblings
    apart: both names and the date, or, for a false declared name, both parents with the
    full date and the place of birth.
    """
    agree = lambda f: levels.get(f) in _AGREE  # noqa: E731
    parents = [levels.get(f, MISSING) for f in ("father_first_name", "mother_first_name", "mother_last_name")]
    parents_agree = sum(p in _AGREE for p in parents)
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
