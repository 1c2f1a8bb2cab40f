"""u of the fuzzy name level at two Jaro–Winkler thresholds, from random pairs of one register.

    nice -n 10 .venv/bin/python bench/identification/fuzzy_u.py REGISTER.csv [--pairs 100000]

Random pairs of a field's values are almost surely two different people: the share at the fuzzy level
(not exact, not a variant, same gender ending, similarity at least the threshold) is that level's u,
measured as train.py measures u. Used to carry the packaged model's u from the 0.88 ladder to 0.82
(bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import csv
import random

from rapidfuzz.distance import JaroWinkler

from gmmp.identification.engine.normalize import (
    SKELETON_VARIANT_SIMILARITY,
    NameKey,
    knowledge,
    same_gender_ending,
    skeleton_is_telling,
)

FIELDS = ["first_name", "last_name", "father_first_name", "mother_first_name", "mother_last_name"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("register")
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--thresholds", default="0.88,0.82")
    a = parser.parse_args()
    kb = knowledge()
    thresholds = [float(x) for x in a.thresholds.split(",")]
    with open(a.register, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(7)
    for field in FIELDS:
        values = [r[field] for r in rows if r.get(field)]
        keys: dict[str, NameKey] = {}
        counts = [0] * len(thresholds)
        for _ in range(a.pairs):
            x, y = (keys.setdefault(v, kb.name_key(v)) for v in (rng.choice(values), rng.choice(values)))
            if x.norm == y.norm or x.canon == y.canon or not same_gender_ending(x.norm, y.norm):
                continue
            similarity = JaroWinkler.normalized_similarity(x.norm, y.norm)
            if skeleton_is_telling(x.skel) and x.skel == y.skel and similarity >= SKELETON_VARIANT_SIMILARITY:
                continue
            for i, threshold in enumerate(thresholds):
                counts[i] += similarity >= threshold
        shares = [c / a.pairs for c in counts]
        ratio = shares[-1] / shares[0] if shares[0] else float("nan")
        print(
            field,
            " ".join(f"u@{t}={s:.5f}" for t, s in zip(thresholds, shares, strict=True)),
            f"ratio={ratio:.2f}",
        )


if __name__ == "__main__":
    main()
