"""Normalisation of Moroccan names, places and dates as French documents write them.

Everything an officer may want to extend (particles, spelling rules, spellings of one
name, other names of a place) lives in text files under ``data/``; this module only
knows how to apply them. Both the register (at import) and the request (at search)
go through the same functions, so a rule added to a file applies to both sides once the
register is imported again.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

_VOWELS = re.compile(r"[aeiouy]")
_DOUBLES = re.compile(r"(.)\1+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# "Ez-Zahra", "Errachidia", "Ettazi": the article assimilated into a doubled consonant.
_ASSIMILATED_ARTICLE = re.compile(r"^e([dnrstz])\1(?=[a-z])")
# "Abdelkader", "Abderrahim" (after doubled letters are folded), "Abdallah": the "servant of"
# prefix glued to the divine name; written apart it is a particle (see particles.txt).
_ABD_PREFIX = re.compile(r"^abd(?:el|al|ul|ou|u|e|a|i)(?=[a-z]{2})")


def _data_lines(data_dir: Path, name: str) -> list[str]:
    text = (data_dir / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (accents, hyphens, apostrophes gone)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def skeleton(norm: str) -> str:
    """First letter then consonants: Mohamed, Muhammad and Mhamed share ``mhmd``.

    A final "a" is kept: it marks the feminine (Karim / Karima, Samir / Samira).
    """
    if not norm:
        return ""
    core = norm[0] + _DOUBLES.sub(r"\1", _VOWELS.sub("", norm[1:]))
    return core + "a" if len(norm) > 1 and norm.endswith("a") else core


SKELETON_VARIANT_SIMILARITY = 0.80  # same skeleton but Hassan / Hussein (0.73) are two names
# Jaro–Winkler on folded spellings: one edit anywhere in a name of four letters or more, the first
# letter included (Eziz / Aziz 0.83; Kalid / Khalid fold to kalid / halid, 0.87). At 0.88 (one edit
# inside a 6-letter name) a transliteration the rules fold apart was a disagreement (bench/RESULTS.md).
FUZZY_SIMILARITY = 0.82


def skeleton_is_telling(skel: str) -> bool:
    """Two consonants do not tell names apart (Said / Saad share ``sd``): three may."""
    return len(skel) >= 3


def same_gender_ending(a: str, b: str, listed: bool = True) -> bool:
    """Karim / Karima, Amine / Amina look alike but are a man's and a woman's names.

    A final e for a final a is one letter (Loubne / Loubna, Hanana / Hanane: a typo or the
    feminine ending transliterated as e) unless both spellings are names of their own in the
    name files (``listed``: Amine / Amina); a final a added to a consonant (Karim / Karima)
    always makes another name.
    """
    if a.endswith("a") == b.endswith("a"):
        return True
    return not listed and (a.endswith("e") or b.endswith("e"))


def written_without_vowels(norm: str) -> bool:
    """Hjr, Mhmd, Khdj: no vowel after the first letter (Arabic script writes no short vowels)."""
    return len(norm) > 1 and not _VOWELS.search(norm[1:])


def consonants(norm: str) -> str:
    """The consonant skeleton of a spelling without the feminine a (Karima and Krm share ``krm``)."""
    skel = skeleton(norm)
    return skel[:-1] if len(norm) > 1 and norm.endswith("a") else skel


def same_consonants(a: str, b: str) -> bool:
    """One side written without its vowels and both sharing at least three consonants in order
    (Hjr / Hajar, Mhmd / Mohamed, Khdj / Khadija, Yssf / Youssef): one name, read as fuzzy (the
    vowels, and with them the feminine ending, are what the writing left out)."""
    if not (written_without_vowels(a) or written_without_vowels(b)):
        return False
    c = consonants(a)
    return skeleton_is_telling(c) and c == consonants(b)


# The article glued to the name ("Elhamdaoui" for "El Hamdaoui", "Albelhaj"): written apart it is dropped
# (particles.txt); glued, only the comparison can see it. A family name's particle dropped ("Filali" for
# "Ben Filali", "Naji" for "Ait Naji"). Both need four letters after them (Elias, Alami stay whole).
_GLUED_ARTICLE = re.compile(r"^[ae]l(?=[a-z]{4})")
_FAMILY_PARTICLE = re.compile(r"^(?:ben|ait|uld)(?=[a-z]{4})")
FAMILY_NAME_FIELDS = ("last_name", "mother_last_name")


def without_article(norm: str) -> str:
    return _GLUED_ARTICLE.sub("", norm)


def without_particle(norm: str) -> str:
    return _FAMILY_PARTICLE.sub("", without_article(norm))


def compare_names(a: NameKey, b: NameKey, family_name: bool = False) -> str:
    """How two names agree: exact, variant, fuzzy, partial or disagree.

    The engine applies the same ladder to whole columns at once (compare.compare_names);
    this scalar version documents it and serves the tests. ``family_name``: a family name's
    particle dropped (Filali / Ben Filali) is fuzzy; an article glued (Elhamdaoui / El Hamdaoui)
    is a variant in every name.
    """
    from rapidfuzz.distance import JaroWinkler

    if not a.norm or not b.norm:
        return "missing"
    if a.norm == b.norm:
        return "exact"
    similarity = JaroWinkler.normalized_similarity(a.norm, b.norm)
    kb = knowledge()
    compatible = same_gender_ending(a.norm, b.norm, a.norm in kb.name_variants and b.norm in kb.name_variants)
    if (
        a.canon == b.canon
        or without_article(a.norm) == without_article(b.norm)
        or (
            skeleton_is_telling(a.skel)
            and a.skel == b.skel
            and similarity >= SKELETON_VARIANT_SIMILARITY
            and compatible
        )
    ):
        return "variant"
    if (
        (similarity >= FUZZY_SIMILARITY and compatible)
        or same_consonants(a.norm, b.norm)
        or (family_name and without_particle(a.norm) == without_particle(b.norm))
    ):
        return "fuzzy"
    if set(a.parts) & set(b.parts):
        return "partial"
    return "disagree"


@dataclass(frozen=True)
class NameKey:
    """The comparable forms of one name.

    ``norm`` is the spelling-folded name (equal norms mean "spelled the same"),
    ``canon`` the norm of the first spelling on its line in the name files (equal canons
    mean "known variant"), ``skel`` the consonant skeleton of ``canon`` (blocking key),
    ``parts`` the canons of the words of a compound name (Fatima Zahra → fatima, zahra).
    """

    norm: str
    canon: str
    skel: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class PlaceKey:
    """``norm`` the folded spelling, ``canon`` the city it designates, ``kind`` how it was named."""

    norm: str
    canon: str
    kind: str  # "city", "other name", "district" or "" when unknown to places.txt


class Knowledge:
    """The variant knowledge loaded from the data files."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.data_dir = Path(data_dir)
        self._norm_cache: dict[str, str] = {}
        self._key_cache: dict[str, NameKey] = {}
        self.particles = self._load_particles()
        self.rules = self._load_rules()
        self.name_variants: dict[str, str] = {}
        for file in ("given_names_male.txt", "given_names_female.txt", "family_names.txt"):
            self._load_name_groups(file)
        self.places: dict[str, tuple[str, str]] = {}
        self.place_names: dict[str, str] = {}
        self._load_places()

    # -- loading -------------------------------------------------------------------------
    def _load_particles(self) -> dict[str, str]:
        particles: dict[str, str] = {}
        for line in _data_lines(self.data_dir, "particles.txt"):
            canonical, *written = [part.strip() for part in line.split(",")]
            for form in written:
                particles.setdefault(fold(form), canonical)
        return particles

    def _load_rules(self) -> list[tuple[re.Pattern[str], str]]:
        rules = []
        for line in _data_lines(self.data_dir, "spelling_rules.txt"):
            pattern, _, replacement = line.partition("->")
            rules.append((re.compile(pattern.strip()), replacement.strip()))
        return rules

    def _load_name_groups(self, file: str) -> None:
        for line in _data_lines(self.data_dir, file):
            spellings = [s.strip() for s in line.split(",") if s.strip()]
            canonical = self.name_norm(spellings[0])
            for spelling in spellings:
                # First line wins: a spelling listed twice keeps its more frequent reading.
                self.name_variants.setdefault(self.name_norm(spelling), canonical)

    def _load_places(self) -> None:
        for line in _data_lines(self.data_dir, "places.txt"):
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            city, others, districts = parts[0], parts[1], parts[2]
            canon = self.name_norm(city)
            self.place_names.setdefault(canon, city)
            self.places.setdefault(canon, (canon, "city"))
            for other in filter(None, (o.strip() for o in others.split(","))):
                self.places.setdefault(self.name_norm(other), (canon, "other name"))
            for district in filter(None, (d.strip() for d in districts.split(","))):
                self.places.setdefault(self.name_norm(district), (canon, "district"))

    # -- names ---------------------------------------------------------------------------
    def _words(self, text: str) -> list[str]:
        """Words with particles resolved: particle glued to the word that follows it."""
        words: list[str] = []
        pending = ""
        tokens = fold(text).split()
        for i, token in enumerate(tokens):
            particle = self.particles.get(token)
            if particle is not None and i + 1 < len(tokens):
                pending += particle
                continue
            token = _ASSIMILATED_ARTICLE.sub(r"\1", token)
            words.append(pending + token)
            pending = ""
        return words

    def _spell(self, glued: str) -> str:
        s = _DOUBLES.sub(r"\1", glued)
        s = _ABD_PREFIX.sub("abd", s)
        for pattern, replacement in self.rules:
            s = pattern.sub(replacement, s)
        return _DOUBLES.sub(r"\1", s)

    def name_norm(self, text: str) -> str:
        """One string per way of writing a name: Ben-Ali, Ben Ali, Bin Ali, Benali → benali."""
        cached = self._norm_cache.get(text)
        if cached is None:
            cached = self._norm_cache[text] = self._spell("".join(self._words(text)))
        return cached

    def name_key(self, text: str) -> NameKey:
        cached = self._key_cache.get(text)
        if cached is None:
            if len(self._key_cache) > 200_000:  # requests repeat names; bound the memory anyway
                self._key_cache.clear()
            cached = self._key_cache[text] = self._name_key(text)
        return cached

    def _name_key(self, text: str) -> NameKey:
        norm = self.name_norm(text)
        canon = self.name_variants.get(norm, norm)
        words = self._words(text)
        parts = tuple(self.name_variants.get(w, w) for w in (self._spell(w) for w in words) if w)
        if len(parts) < 2:
            parts = (canon,) if canon else ()
        return NameKey(norm=norm, canon=canon, skel=skeleton(canon), parts=parts)

    # -- places --------------------------------------------------------------------------
    def place_key(self, text: str) -> PlaceKey:
        norm = self.name_norm(text)
        canon, kind = self.places.get(norm, (norm, ""))
        return PlaceKey(norm=norm, canon=canon, kind=kind)

    def place_label(self, canon: str) -> str:
        return self.place_names.get(canon, canon)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The knowledge from the package's data files, loaded once per process."""
    return Knowledge()


# -- dates ---------------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_FRENCH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


class DateError(ValueError):
    """A birth date that is not YYYY, YYYY-MM or YYYY-MM-DD (or not a calendar date)."""


@dataclass(frozen=True)
class PartialDate:
    """A date of birth with unknown parts set to 0 (year 0 means no date at all)."""

    year: int = 0
    month: int = 0
    day: int = 0

    @property
    def known(self) -> bool:
        return self.year > 0

    @property
    def is_first_of_january(self) -> bool:
        """1 January is what many civil-status offices wrote when only the year was known."""
        return self.month == 1 and self.day == 1

    def __str__(self) -> str:
        if not self.year:
            return ""
        if not self.month:
            return f"{self.year:04d}"
        if not self.day:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_date(text: str, *, lenient: bool = False) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; with ``lenient`` also ``DD/MM/YYYY``.

    Requests come from French documents (DD/MM/YYYY), the register is strict ISO.
    """
    text = (text or "").strip()
    if not text:
        return PartialDate()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) if g else 0 for g in match.groups())
    elif lenient and (french := _FRENCH.match(text)):
        day, month, year = (int(g) for g in french.groups())
    else:
        raise DateError(f"not a date (expected YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    if not 1800 <= year <= 2200:
        raise DateError(f"year out of range: {text!r}")
    if month and not 1 <= month <= 12:
        raise DateError(f"month out of range: {text!r}")
    if day:
        try:
            _dt.date(year, month, day)
        except ValueError as exc:
            raise DateError(f"not a calendar date: {text!r}") from exc
    return PartialDate(year, month, day)
