"""One generation of the register on disk, opened read-only through memory maps.

A generation is a directory of ``.npy`` arrays (one value per person, or per distinct
spelling) plus a few JSON vocabularies. Every process that opens it maps the same files,
so the operating system's page cache holds one copy whatever the number of workers.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import numpy as np

FORMAT_VERSION = 4

NAME_FIELDS = ("first_name", "last_name", "father_first_name", "mother_first_name", "mother_last_name")
ARABIC_FIELDS = ("first_name_ar", "last_name_ar")
# The identity a search compares: the one list the register, the batch contract, the test data and the
# web page derive theirs from.
QUERY_FIELDS = (
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_place",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
)
DETAIL_FIELDS = QUERY_FIELDS[2:]  # what is compared field by field after the two names
REQUIRED_COLUMNS = ("national_id", *QUERY_FIELDS)
OPTIONAL_COLUMNS = ARABIC_FIELDS
SEX_CODES = {"": 0, "M": 1, "F": 2}
SEX_LABELS = {0: "", 1: "M", 2: "F"}

# Blocking key families: each lists the per-person components hashed together. A person is
# a candidate for a request when any one family's key is equal on both sides, so each
# family must stand alone when the others are wrong: a false declared name is caught by the
# parents' families, a wrong year by the name + place family, a typo in a name by the
# date + place family.
KEY_FAMILIES: dict[str, tuple[str, ...]] = {
    "name_year": ("first", "last", "year"),
    "names": ("first", "last"),
    "last_year": ("last", "year"),
    "mother_names": ("last", "mother_first", "mother_last"),
    "name_place": ("first", "last", "place"),
    "last_year_place": ("last", "year", "place"),
    "first_year_place": ("first", "year", "place"),
    "last_date": ("last", "date"),
    "first_date": ("first", "date"),
    "date_place": ("date", "place"),
    "parents_year": ("father", "mother_first", "year"),
    "parents_place": ("father", "mother_last", "place"),
    "parents_last": ("last", "father", "mother_first"),
    # Parents first, for a false declared name when a parent's name, the date or the place is
    # missing or mistyped: any two of the three parents' names with the year or the place.
    "father_mother_place": ("father", "mother_first", "place"),
    "mother_year": ("mother_first", "mother_last", "year"),
    "mother_place": ("mother_first", "mother_last", "place"),
    "father_mother_last_year": ("father", "mother_last", "year"),
    # Catch-alls for heavy corruption (typos in both names, a false given name, a wrong year):
    # each is selective alone except for the commonest values, whose postings are skipped.
    "date": ("date",),
    "parents": ("father", "mother_first", "mother_last"),
    "last_place": ("last", "place"),
    "first_place": ("first", "place"),
    "first_year": ("first", "year"),
    "last_initial": ("last", "initial"),
    # Two parents' names alone (no date, no place in the request): selective when one is rare.
    "father_mother_last": ("father", "mother_last"),
    "mother": ("mother_first", "mother_last"),
}

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


_C0, _C1, _C2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def splitmix(x: np.ndarray) -> np.ndarray:
    """A 64-bit mixer (splitmix64 finaliser) so that combined small ids spread uniformly.

    Array arithmetic wraps modulo 2**64 silently, which is what a hash wants.
    """
    x = x + _C0
    x = (x ^ (x >> _S30)) * _C1
    x = (x ^ (x >> _S27)) * _C2
    return x ^ (x >> _S31)


FAMILY_SEEDS = {
    family: np.uint64(sum(ord(c) * 131**i for i, c in enumerate(family)) & 0xFFFFFFFFFFFF)
    for family in KEY_FAMILIES
}


def hash_key(family: str, components: list[np.ndarray]) -> np.ndarray:
    """Hash the components (int arrays of equal length) of one key family into uint64."""
    h = np.full(len(components[0]), FAMILY_SEEDS[family], dtype=np.uint64)
    for component in components:
        h = splitmix(h ^ component.astype(np.int64).view(np.uint64))
    return h


class Generation:
    """Read-only view of one generation directory."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.meta = json.loads((self.path / "meta.json").read_text(encoding="utf-8"))
        if self.meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{self.path}: index format {self.meta.get('format')} is not {FORMAT_VERSION}")

    def array(self, name: str) -> np.ndarray:
        # A plain ndarray view of the map: same shared pages, without np.memmap's per-slice overhead.
        return np.load(self.path / f"{name}.npy", mmap_mode="r").view(np.ndarray)

    def __getattr__(self, name: str) -> np.ndarray:
        # Arrays are opened on first use and kept: attribute access is the hot path.
        if name.startswith("_") or name in ("path", "meta"):
            raise AttributeError(name)
        value = self.array(name)
        self.__dict__[name] = value
        return value

    def vocab(self, name: str) -> list[str]:
        return json.loads((self.path / f"vocab_{name}.json").read_text(encoding="utf-8"))

    @cached_property
    def names(self) -> list[str]:
        return self.vocab("names")

    @cached_property
    def places(self) -> list[str]:
        return self.vocab("places")

    @cached_property
    def arabic(self) -> list[str]:
        return self.vocab("arabic")

    @cached_property
    def keys(self) -> list[str]:
        """The comparable forms (norm, canon, skeleton, parts) of names and places."""
        return self.vocab("keys")

    @cached_property
    def key_ids(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.keys)}

    @property
    def count(self) -> int:
        return int(self.meta["count"])

    def row_of(self, national_id: str) -> int | None:
        sorted_ids = self.nid_sorted
        needle = np.array([national_id.encode("ascii", "replace")], dtype=sorted_ids.dtype)
        if len(national_id.encode("ascii", "replace")) > sorted_ids.dtype.itemsize:
            return None
        pos = int(np.searchsorted(sorted_ids, needle[0]))
        if pos < len(sorted_ids) and sorted_ids[pos] == needle[0]:
            return int(self.nid_sorted_row[pos])
        return None

    def record(self, row: int) -> dict[str, str]:
        """The register fields of one person, as imported."""
        rec: dict[str, str] = {"national_id": self.nid[row].decode("ascii")}
        for field in NAME_FIELDS:
            rec[field] = self._label(self.names, int(getattr(self, field)[row]))
        rec["sex"] = SEX_LABELS[int(self.sex[row])]
        y, m, d = int(self.birth_y[row]), int(self.birth_m[row]), int(self.birth_d[row])
        rec["birth_date"] = (
            "" if not y else f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")
        )
        rec["birth_place"] = self._label(self.places, int(self.birth_place[row]))
        for field in ARABIC_FIELDS:
            rec[field] = self._label(self.arabic, int(getattr(self, field)[row]))
        return rec

    @staticmethod
    def _label(vocab: list[str], code: int) -> str:
        return vocab[code] if code >= 0 else ""
