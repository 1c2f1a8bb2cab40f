"""What the search reads of one generation, prepared once when the engine opens it.

Per-person columns stay memory-mapped (every worker shares the page cache); the small
per-spelling tables are copied into memory, one contiguous array per feature, because
gathers on them are the hot path of scoring. The model's weights are turned into arrays
indexed by level code.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np

from . import kernel
from .bands import Families, learn_families
from .calibration import strong_bars
from .columns import KEY_FAMILIES, NAME_FIELDS, Generation
from .compare import SimilarityMemo, name_classes, place_classes
from .model import TF_FLOOR, Model
from .normalize import (
    NameKey,
    consonants,
    knowledge,
    skeleton_is_telling,
    without_article,
    without_particle,
    written_without_vowels,
)

NAME_TRAITS_KEPT = 100_000  # request spellings whose traits are kept (name_traits)
PLACE_SIMILARITY_MEMO_BYTES = 8 << 20  # places asked for are far fewer than names
PREFILTER_KEEP = 150  # candidates fully scored after the integer-only rough ranking...
PREFILTER_KEEP_PER_MILLION_ABOVE_2M = 25  # ...plus more in a big register, where namesakes crowd it


class Tables:
    def __init__(self, gen: Generation, model: Model) -> None:
        self.gen = gen
        self.model = model
        self.names_feat = np.asarray(gen.names_feat)
        # Per spelling: norm, canon, skeleton, canon of first and last word, skeleton of first
        # word, initial (see indexing.build_generation).
        (self.feat_norm, self.feat_canon, self.feat_skel, self.feat_part_a, self.feat_part_b) = (
            np.ascontiguousarray(self.names_feat[:, j]) for j in range(5)
        )
        self.feat_initial = np.ascontiguousarray(self.names_feat[:, 6])
        self.places_feat = np.asarray(gen.places_feat)
        self.keys = gen.keys
        self.key_ids = gen.key_ids
        # normalize.same_gender_ending, precomputed for every spelling of the register.
        self.key_ends_with_a = np.array([k.endswith("a") for k in self.keys], dtype=bool)
        self.key_ends_with_e = np.array([k.endswith("e") for k in self.keys], dtype=bool)
        self.listed_names = knowledge().name_variants
        self.key_listed = np.array([k in self.listed_names for k in self.keys], dtype=bool)
        # normalize.same_consonants: an id per consonant skeleton of three letters or more (else -1),
        # and whether the spelling is written without its vowels.
        self.consonant_ids: dict[str, int] = {}
        self.key_consonants = np.array(
            [self.consonant_id(consonants(k), add=True) for k in self.keys], dtype=np.int32
        )
        self.key_without_vowels = np.array([written_without_vowels(k) for k in self.keys], dtype=bool)
        # normalize.without_article / without_particle: an id per stem.
        self.stem_ids: dict[str, int] = {}
        self.key_article_stem = np.array(
            [self.stem_ids.setdefault(without_article(k), len(self.stem_ids)) for k in self.keys],
            dtype=np.int32,
        )
        self.key_particle_stem = np.array(
            [self.stem_ids.setdefault(without_particle(k), len(self.stem_ids)) for k in self.keys],
            dtype=np.int32,
        )
        self._name_traits: dict[tuple[str, str], tuple[int, ...]] = {}
        self.keys_array = np.array(self.keys, dtype=object)
        self.similarity = SimilarityMemo(self.keys_array, name_classes)
        self.place_similarity = SimilarityMemo(self.keys_array, place_classes, PLACE_SIMILARITY_MEMO_BYTES)
        self.tf = {f: gen.array(f"tf_{f}") for f in (*NAME_FIELDS, "birth_place")}
        self.weights = {f: np.array(model.level_weights(f)) for f in model.probabilities}
        self.log2_m = {
            f: {name: math.log2(max(p, 1e-9)) for name, p in probs["m"].items()}
            for f, probs in model.probabilities.items()
        }
        # The name fields' tables stacked (one row per field), so that every (name, column) pair of a
        # request is compared in one pass of array operations (compare.compare_names).
        self.name_field_index = {f: i for i, f in enumerate(NAME_FIELDS)}
        width = max(len(self.weights[f]) for f in NAME_FIELDS)
        self.name_weights = np.zeros((len(NAME_FIELDS), width))
        for i, f in enumerate(NAME_FIELDS):
            self.name_weights[i, : len(self.weights[f])] = self.weights[f]
        self.name_tf = np.stack([np.asarray(self.tf[f]) for f in NAME_FIELDS])
        self.name_log2_m_exact = np.array([self.log2_m[f]["exact"] for f in NAME_FIELDS])
        self.name_log2_m_variant = np.array([self.log2_m[f]["variant"] for f in NAME_FIELDS])
        # log2 of every spelling's floored frequency (float32, as compare_names computes it), for the kernel.
        self.name_tf_bits = np.log2(np.maximum(self.name_tf, TF_FLOOR))
        self.place_tf_bits = np.log2(np.maximum(np.asarray(self.tf["birth_place"]), TF_FLOOR))
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
        # The name columns as the compiled kernel reads them (kernel.py), in name_field_index's order.
        self.name_columns = (
            kernel.compiled.NameColumns(tuple(self.columns[f] for f in NAME_FIELDS))
            if kernel.compiled
            else None
        )
        self.prefilter_keep = (
            PREFILTER_KEEP + PREFILTER_KEEP_PER_MILLION_ABOVE_2M * max(0, gen.count - 2_000_000) // 1_000_000
        )
        # log2 of the prior odds per pair: the share of requests whose person is registered,
        # spread over the register.
        self.prior_bits = math.log2(max(model.bands["prior_in_register"], 1e-9) / max(gen.count, 1))
        # log2 of the prior of "the person is not in the register": the rest of the prior mass
        # (the registered share is spread over the rows, the unregistered one is this single term).
        self.unregistered_bits = math.log2(max(1.0 - model.bands["prior_in_register"], 1e-9))
        # The strong bars calibrated on this register at import (calibration.py), for this model.
        self.strong_odds_bits, self.strong_family_bits = strong_bars(
            gen.path,
            model.version,
            (float(model.bands["strong_odds_bits"]), float(model.bands["strong_family_bits"])),
        )

    def consonant_id(self, skeleton: str, add: bool = False) -> int:
        """The id of a consonant skeleton (-1: too short to tell names apart, or unknown)."""
        if not skeleton_is_telling(skeleton):
            return -1
        if add:
            return self.consonant_ids.setdefault(skeleton, len(self.consonant_ids))
        return self.consonant_ids.get(skeleton, -1)

    def name_traits(self, key: NameKey) -> tuple[int, ...]:
        """What compare_names reads of a request name beyond its ids, in the kernel's PAIR_COLUMNS
        order (telling skeleton, final a, final e, listed, consonants id, written without vowels,
        article and particle stems' ids): computed once per spelling (names recur across requests)."""
        traits = self._name_traits.get((key.norm, key.skel))
        if traits is None:
            norm = key.norm
            traits = (
                skeleton_is_telling(key.skel),
                norm.endswith("a"),
                norm.endswith("e"),
                norm in self.listed_names,
                self.consonant_id(consonants(norm)),
                written_without_vowels(norm),
                self.stem_ids.get(without_article(norm), -1),
                self.stem_ids.get(without_particle(norm), -1),
            )
            if len(self._name_traits) >= NAME_TRAITS_KEPT:
                self._name_traits.clear()
            self._name_traits[(key.norm, key.skel)] = traits
        return traits

    @cached_property
    def families(self) -> Families:
        """Families as this register shows them (bands.learn_families), read once from the sorted
        block keys and the columns."""
        return learn_families(self.blocks, self.tf, self.columns, self.feat_canon, self.gen.count)
