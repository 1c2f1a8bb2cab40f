"""Building a generation's index: per-spelling features, term frequencies, blocking key arrays."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from .columns import FORMAT_VERSION, KEY_FAMILIES, NAME_FIELDS, hash_key
from .encoding import Table, Vocab
from .normalize import Knowledge, skeleton


def build_generation(out: Path, table: Table, kb: Knowledge) -> None:
    started = time.monotonic()
    cols = table.columns
    n = table.count

    keys = Vocab()
    key_id = lambda s: keys.ids[s] if s in keys.ids else keys.lookup_table([s])[0]  # noqa: E731
    # Per spelling: norm, canon, skeleton, canon of first and last word, skeleton of first
    # word, initial.
    name_features = np.full((max(len(table.names.strings), 1), 7), -1, dtype=np.int32)
    for i, text in enumerate(table.names.strings):
        k = kb.name_key(text)
        parts = k.parts or (k.canon,)
        name_features[i] = (
            key_id(k.norm),
            key_id(k.canon),
            key_id(k.skel),
            key_id(parts[0]),
            key_id(parts[-1]),
            key_id(skeleton(parts[0])),
            key_id(k.norm[:1]),
        )
    place_features = np.full((max(len(table.places.strings), 1), 2), -1, dtype=np.int32)
    for i, text in enumerate(table.places.strings):
        p = kb.place_key(text)
        place_features[i] = (key_id(p.norm), key_id(p.canon))

    def name_feature(field: str, which: int) -> np.ndarray:
        codes = cols[field]
        return np.where(codes >= 0, name_features[np.maximum(codes, 0), which], -1).astype(np.int32)

    skel = {f: name_feature(f, 2) for f in NAME_FIELDS}
    # A compound given name (Hanane Nadia) is often shortened to its first word on requests.
    skel["first_name"] = name_feature("first_name", 5)
    canon = {f: name_feature(f, 1) for f in NAME_FIELDS}
    place_canon = np.where(
        cols["birth_place"] >= 0, place_features[np.maximum(cols["birth_place"], 0), 1], -1
    ).astype(np.int32)

    arrays: dict[str, np.ndarray] = dict(cols)
    arrays["names_feat"] = name_features
    arrays["places_feat"] = place_features
    # Term frequencies: agreeing on "Mohamed" says less than agreeing on "Zniber".
    n_keys = max(len(keys.strings), 1)
    for field in NAME_FIELDS:
        arrays[f"tf_{field}"] = _frequencies(canon[field], n_keys)
    arrays["tf_birth_place"] = _frequencies(place_canon, n_keys)
    date_code = np.where(
        cols["birth_d"] > 0,
        cols["birth_y"].astype(np.int32) * 10000 + cols["birth_m"].astype(np.int32) * 100 + cols["birth_d"],
        -1,
    )
    arrays["tf_birth_date"] = np.array(
        [_date_agreement_rate(date_code), _year_agreement_rate(cols["birth_y"])], dtype=np.float64
    )
    year = np.where(cols["birth_y"] > 0, cols["birth_y"].astype(np.int32), -1)
    components = {
        "first": skel["first_name"],
        "last": skel["last_name"],
        "father": skel["father_first_name"],
        "mother_first": skel["mother_first_name"],
        "mother_last": skel["mother_last_name"],
        "year": year,
        "date": date_code.astype(np.int32),
        "place": place_canon,
        "initial": name_feature("first_name", 6),
    }
    rows = np.arange(n, dtype=np.uint32)
    for family, parts in KEY_FAMILIES.items():
        present = np.ones(n, dtype=bool)
        for part in parts:
            present &= components[part] >= 0
        h = hash_key(family, [components[p][present] for p in parts])
        order = np.argsort(h, kind="stable")
        # Written at once rather than kept: twenty families of ten million keys would
        # otherwise all sit in memory together.
        np.save(out / f"blk_{family}_keys.npy", h[order])
        np.save(out / f"blk_{family}_rows.npy", rows[present][order])
        del h, order, present

    arrays["nid"] = table.nid
    order = np.argsort(table.nid, kind="stable")
    arrays["nid_sorted"] = table.nid[order]
    arrays["nid_sorted_row"] = order.astype(np.uint32)

    for name, array in arrays.items():
        np.save(out / f"{name}.npy", np.ascontiguousarray(array))
    for name, vocab in (
        ("names", table.names),
        ("places", table.places),
        ("arabic", table.arabic),
        ("keys", keys),
    ):
        (out / f"vocab_{name}.json").write_text(
            json.dumps(vocab.strings, ensure_ascii=False), encoding="utf-8"
        )
    meta = {
        "format": FORMAT_VERSION,
        "count": n,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(time.monotonic() - started, 3),
        "key_families": list(KEY_FAMILIES),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _frequencies(codes: np.ndarray, size: int) -> np.ndarray:
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=size).astype(np.float64)
    return (counts / max(len(present), 1)).astype(np.float32)


def _date_agreement_rate(date_code: np.ndarray) -> float:
    """Chance that two people drawn at random share the full date of birth (sum of p²)."""
    present = date_code[date_code >= 0]
    if not len(present):
        return 1e-4
    _, counts = np.unique(present, return_counts=True)
    p = counts / counts.sum()
    return float(max((p * p).sum(), 1e-6))


def _year_agreement_rate(years: np.ndarray) -> float:
    present = years[years > 0]
    if not len(present):
        return 0.02
    counts = np.bincount(present - present.min())
    p = counts[counts > 0] / len(present)
    return float(max((p * p).sum(), 1e-4))
