"""Encoding the register into integer columns: vocabularies, the table being built, one batch.

Names and places become ids in vocabularies that stay stable across generations (new
strings are appended), dates three small integers; the national id stays bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .columns import ARABIC_FIELDS, NAME_FIELDS, SEX_CODES, Generation
from .normalize import DateError, parse_date

if TYPE_CHECKING:
    from .reading import Rejects

_NATIONAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")


class Vocab:
    """Distinct strings, ids stable across generations (new strings are appended)."""

    def __init__(self, strings: list[str] | None = None) -> None:
        self.strings: list[str] = list(strings or [])
        self.ids: dict[str, int] = {s: i for i, s in enumerate(self.strings)}

    def lookup_table(self, values: list[str]) -> np.ndarray:
        out = np.empty(len(values), dtype=np.int32)
        for i, value in enumerate(values):
            if not value:
                out[i] = -1
                continue
            code = self.ids.get(value)
            if code is None:
                code = self.ids[value] = len(self.strings)
                self.strings.append(value)
            out[i] = code
        return out


INT_COLUMNS = {
    **{f: np.int32 for f in NAME_FIELDS},
    **{f: np.int32 for f in ARABIC_FIELDS},
    "birth_place": np.int32,
    "sex": np.int8,
    "birth_y": np.int16,
    "birth_m": np.int8,
    "birth_d": np.int8,
}


class Table:
    """The register being built: integer columns plus national ids and vocabularies."""

    def __init__(self, previous: Generation | None) -> None:
        self.names = Vocab(previous.names if previous else None)
        self.places = Vocab(previous.places if previous else None)
        self.arabic = Vocab(previous.arabic if previous else None)
        self.chunks: dict[str, list[np.ndarray]] = {c: [] for c in [*INT_COLUMNS, "nid", "line"]}
        self.columns: dict[str, np.ndarray] = {}
        self.nid: np.ndarray = np.empty(0, dtype="S1")
        self.count = 0

    def add(self, columns: dict[str, np.ndarray]) -> None:
        for name, values in columns.items():
            self.chunks[name].append(values)

    def finish_reading(self) -> None:
        for name, dtype in INT_COLUMNS.items():
            self.columns[name] = (
                np.concatenate(self.chunks[name]).astype(dtype) if self.chunks[name] else np.empty(0, dtype)
            )
        nids = self.chunks["nid"]
        width = max((a.dtype.itemsize for a in nids), default=1)
        self.nid = np.concatenate([a.astype(f"S{width}") for a in nids]) if nids else np.empty(0, dtype="S1")
        self.line = np.concatenate(self.chunks["line"]) if self.chunks["line"] else np.empty(0, np.int64)
        self.chunks = {}

    def drop_duplicates(self, rejects: Rejects) -> None:
        """A national_id given twice in one file: the first row wins, the others are rejected."""
        self.finish_reading()
        if not len(self.nid):
            return
        _, first = np.unique(self.nid, return_index=True)
        keep = np.zeros(len(self.nid), dtype=bool)
        keep[first] = True
        for i in np.flatnonzero(~keep):
            rec = self._row_values(int(i))
            rejects.add(
                int(self.line[i]),
                [rec.get(h, "") for h in rejects.header],
                "duplicate national_id in file (first row kept)",
            )
        self.nid = self.nid[keep]
        self.line = self.line[keep]
        for name in INT_COLUMNS:
            self.columns[name] = self.columns[name][keep]

    def _row_values(self, i: int) -> dict[str, str]:
        rec = {"national_id": self.nid[i].decode("ascii")}
        for f in NAME_FIELDS:
            code = int(self.columns[f][i])
            rec[f] = self.names.strings[code] if code >= 0 else ""
        code = int(self.columns["birth_place"][i])
        rec["birth_place"] = self.places.strings[code] if code >= 0 else ""
        rec["sex"] = {0: "", 1: "M", 2: "F"}[int(self.columns["sex"][i])]
        y, m, d = (int(self.columns[c][i]) for c in ("birth_y", "birth_m", "birth_d"))
        rec["birth_date"] = (
            str(parse_date(f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else ""))) if y else ""
        )
        return rec

    def merge_into(self, previous: Generation | None) -> dict[str, int]:
        """Upsert: people already in ``previous`` are replaced in place, new ones appended."""
        n_new = len(self.nid)
        if previous is None or previous.count == 0:
            self.count = n_new
            return {"imported": n_new, "updated": 0, "unchanged": 0}
        old_sorted = np.asarray(previous.nid_sorted)
        width = max(old_sorted.dtype.itemsize, self.nid.dtype.itemsize)
        old_sorted = old_sorted.astype(f"S{width}")
        new_nid = self.nid.astype(f"S{width}")
        pos = np.searchsorted(old_sorted, new_nid)
        pos_clipped = np.minimum(pos, len(old_sorted) - 1)
        found = old_sorted[pos_clipped] == new_nid
        old_rows = np.asarray(previous.nid_sorted_row)[pos_clipped[found]]
        merged: dict[str, np.ndarray] = {}
        changed = np.zeros(int(found.sum()), dtype=bool)
        for name, dtype in INT_COLUMNS.items():
            base = np.array(getattr(previous, name), dtype=dtype)
            incoming = self.columns[name]
            changed |= base[old_rows] != incoming[found]
            base[old_rows] = incoming[found]
            merged[name] = np.concatenate([base, incoming[~found]])
        self.columns = merged
        self.nid = np.concatenate([np.asarray(previous.nid).astype(f"S{width}"), new_nid[~found]])
        self.count = len(self.nid)
        return {
            "imported": int((~found).sum()),
            "updated": int(changed.sum()),
            "unchanged": int((~changed).sum()),
        }


def encode_batch(
    batch: Any, header: list[str], first_line: int, table: Table, rejects: Rejects
) -> dict[str, np.ndarray]:
    """Validate and encode one batch of rows; rejected rows go to the rejects file."""
    import pyarrow.compute as pc

    n = batch.num_rows
    col = {name: pc.utf8_trim_whitespace(batch.column(i)) for i, name in enumerate(header)}
    reasons: list[str | None] = [None] * n

    def reject_where(mask: np.ndarray, reason: Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask):
            if reasons[i] is None:
                reasons[i] = reason(int(i))

    nid_values = col["national_id"]
    nid_codes, nid_dict = _dictionary(nid_values)
    nid_ok = (
        np.array([bool(_NATIONAL_ID.match(v)) for v in nid_dict], dtype=bool)[nid_codes]
        if n
        else np.zeros(0, bool)
    )
    reject_where(
        ~nid_ok,
        lambda i: (
            "missing national_id"
            if not nid_dict[nid_codes[i]]
            else f"invalid national_id {nid_dict[nid_codes[i]]!r}"
        ),
    )

    sex_codes, sex_dict = _dictionary(col["sex"])
    sex_lut = np.array([SEX_CODES.get(v.upper(), -1) for v in sex_dict], dtype=np.int8)
    sex = sex_lut[sex_codes] if n else np.zeros(0, np.int8)
    reject_where(sex < 0, lambda i: f"invalid sex {sex_dict[sex_codes[i]]!r} (expected M, F or empty)")

    date_codes, date_dict = _dictionary(col["birth_date"])
    ymd = np.zeros((len(date_dict), 3), dtype=np.int16)
    date_error: dict[int, str] = {}
    for k, text in enumerate(date_dict):
        try:
            d = parse_date(text)
            ymd[k] = (d.year, d.month, d.day)
        except DateError as exc:
            date_error[k] = f"invalid birth_date: {exc}"
    if date_error:
        bad = np.isin(date_codes, np.fromiter(date_error, dtype=np.int64))
        reject_where(bad, lambda i: date_error[int(date_codes[i])])

    names = {}
    for field in NAME_FIELDS:
        codes, values = _dictionary(col[field])
        names[field] = table.names.lookup_table(values)[codes] if n else np.zeros(0, np.int32)
    reject_where(
        (names["first_name"] < 0) & (names["last_name"] < 0), lambda i: "no first_name nor last_name"
    )

    place_codes, place_values = _dictionary(col["birth_place"])
    places = table.places.lookup_table(place_values)[place_codes] if n else np.zeros(0, np.int32)
    arabic = {}
    for field in ARABIC_FIELDS:
        if field in col:
            codes, values = _dictionary(col[field])
            arabic[field] = table.arabic.lookup_table(values)[codes]
        else:
            arabic[field] = np.full(n, -1, dtype=np.int32)

    ok = np.array([r is None for r in reasons], dtype=bool)
    if not ok.all():
        bad_rows = batch.take(np.flatnonzero(~ok)).to_pylist()
        for row, i in zip(bad_rows, np.flatnonzero(~ok), strict=True):
            rejects.add(first_line + int(i), [row.get(h, "") for h in header], reasons[i] or "")
    nid_array = np.array(nid_dict, dtype=object)[nid_codes[ok]].astype("S") if ok.any() else np.empty(0, "S1")
    dates = ymd[date_codes] if n else np.zeros((0, 3), np.int16)
    return {
        **{f: names[f][ok] for f in NAME_FIELDS},
        **{f: arabic[f][ok] for f in ARABIC_FIELDS},
        "birth_place": places[ok],
        "sex": sex[ok],
        "birth_y": dates[ok, 0],
        "birth_m": dates[ok, 1].astype(np.int8),
        "birth_d": dates[ok, 2].astype(np.int8),
        "nid": nid_array,
        "line": (first_line + np.flatnonzero(ok)).astype(np.int64),
    }


def _dictionary(array: Any) -> tuple[np.ndarray, list[str]]:
    """Distinct values and the index of each row's value: Python work only per distinct value."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(array)
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()
