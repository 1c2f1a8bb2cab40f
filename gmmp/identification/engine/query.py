"""The request as the search reads it: names keyed, readings of the names, date, place, sex.

``prepare`` runs once per request. A request's names can be read several ways, each a
*hypothesis* with its cost in bits: as declared, given and family names swapped, both
names written in one field, each alias, and the declared name set aside (a false name:
the person is then found through the parents and the birth).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .columns import SEX_CODES
from .model import ALIAS_PENALTY_BITS, SWAP_PENALTY_BITS
from .normalize import DateError, Knowledge, NameKey, PartialDate, PlaceKey, parse_date, skeleton

# log2 of how often a registered person's declared name is false (≈ 5–7% of requests in
# practice and in the generator): what setting the names aside costs a candidate.
FALSE_NAME_PENALTY_BITS = 4.0
# Readings of the names (codes; explain.py turns them into notes, the platform into words).
DECLARED, SWAPPED, ONE_FIELD, ONE_FIELD_SWAPPED, ALIAS, ALIAS_SWAPPED, SET_ASIDE = (
    "declared",
    "swapped",
    "one_field",
    "one_field_swapped",
    "alias",
    "alias_swapped",
    "set_aside",
)
PARENT_FIELDS = ("father_first_name", "mother_first_name", "mother_last_name")


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
class Name:
    """A request name and its ids in the register's key vocabulary (-2: unknown there)."""

    text: str
    key: NameKey
    norm_id: int
    canon_id: int
    skel_id: int
    part_ids: np.ndarray
    first_part_skel_id: int
    initial_id: int


@dataclass
class Hypothesis:
    """One reading of the request's names, and what it costs (bits)."""

    kind: str  # DECLARED, SWAPPED, ... SET_ASIDE
    first: Name | None
    last: Name | None
    penalty: float
    alias: str = ""  # the alias read, for ALIAS and ALIAS_SWAPPED


@dataclass
class Prepared:
    query: Query
    hyps: list[Hypothesis]
    date: PartialDate
    date_unreadable: bool  # the request gave a date that cannot be read: ignored
    place: PlaceKey | None
    place_ids: tuple[int, int] | None  # (norm id, canonical id) in the key vocabulary
    sex: int
    father_first_name: Name | None
    mother_first_name: Name | None
    mother_last_name: Name | None

    def parent(self, field_name: str) -> Name | None:
        return getattr(self, field_name)


class NamePairs:
    """The distinct (request name, register name column) pairs of a request, numbered in order of first
    use, so that each is compared once whatever the number of readings sharing it (-1: no name)."""

    def __init__(self) -> None:
        self.pairs: list[tuple[Name, str]] = []
        self._slots: dict[tuple[int, str], int] = {}

    def slot(self, name: Name | None, column: str) -> int:
        if name is None:
            return -1
        key = (id(name), column)
        if key not in self._slots:
            self._slots[key] = len(self.pairs)
            self.pairs.append((name, column))
        return self._slots[key]

    def readings(self, hyps: list[Hypothesis]) -> list[tuple[int, int]]:
        """The (given name, family name) slots of each reading."""
        return [(self.slot(h.first, "first_name"), self.slot(h.last, "last_name")) for h in hyps]


def name(kb: Knowledge, key_ids: dict[str, int], text: str) -> Name | None:
    text = (text or "").strip()
    if not text:
        return None
    key = kb.name_key(text)
    if not key.norm:
        return None
    parts = np.array([key_ids.get(p, -2) for p in key.parts], dtype=np.int64)
    first_part = key_ids.get(skeleton(key.parts[0]) if key.parts else key.skel, -2)
    return Name(
        text,
        key,
        key_ids.get(key.norm, -2),
        key_ids.get(key.canon, -2),
        key_ids.get(key.skel, -2),
        parts,
        first_part,
        key_ids.get(key.norm[:1], -2),
    )


def prepare(kb: Knowledge, key_ids: dict[str, int], query: Query) -> Prepared:
    def named(text: str) -> Name | None:
        return name(kb, key_ids, text)

    first, last = named(query.first_name), named(query.last_name)
    hyps = [Hypothesis(DECLARED, first, last, 0.0)]
    if first and last:
        hyps.append(Hypothesis(SWAPPED, last, first, SWAP_PENALTY_BITS))
    elif (one := first or last) is not None and len(one.text.split()) > 1:
        # Both names written in one field: try every split.
        hyps += _splits(named, one.text, ONE_FIELD, ONE_FIELD_SWAPPED, 0.5)
    for alias in query.aliases:
        hyps += _splits(named, alias, ALIAS, ALIAS_SWAPPED, ALIAS_PENALTY_BITS, alias.strip())
    if first or last or query.aliases:
        # The declared name may be false (the person is then found through the parents
        # and the birth): reading the names as not given costs FALSE_NAME_PENALTY_BITS
        # instead of the two names' disagreement weights.
        hyps.append(Hypothesis(SET_ASIDE, None, None, FALSE_NAME_PENALTY_BITS))
    try:
        date, date_unreadable = parse_date(query.birth_date, lenient=True), False
    except DateError:
        date, date_unreadable = PartialDate(), True
    place_text = (query.birth_place or "").strip()
    place = kb.place_key(place_text) if place_text else None
    return Prepared(
        query=query,
        hyps=hyps,
        date=date,
        date_unreadable=date_unreadable,
        place=place,
        place_ids=(key_ids.get(place.norm, -2), key_ids.get(place.canon, -2)) if place else None,
        sex=SEX_CODES.get((query.sex or "").strip().upper()[:1], 0),
        father_first_name=named(query.father_first_name),
        mother_first_name=named(query.mother_first_name),
        mother_last_name=named(query.mother_last_name),
    )


def _splits(  # noqa: PLR0913
    named,
    full_name: str,
    kind: str,
    swapped_kind: str,
    penalty: float,
    alias: str = "",  # noqa: ANN001
) -> list[Hypothesis]:
    words = full_name.split()
    out = []
    for i in range(1, min(len(words), 4)):
        a, b = named(" ".join(words[:i])), named(" ".join(words[i:]))
        out.append(Hypothesis(kind, a, b, penalty, alias))
        out.append(Hypothesis(swapped_kind, b, a, penalty + SWAP_PENALTY_BITS, alias))
    if len(words) == 1:
        out.append(Hypothesis(kind, None, named(full_name), penalty, alias))
    return out
