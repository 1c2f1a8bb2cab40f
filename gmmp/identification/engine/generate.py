"""A synthetic, plainly fictitious Moroccan population register and requests against it.

People come in families (siblings share the family name, both parents and usually the
place of birth), with names drawn from the variant files so that the register itself
holds several spellings. Requests are derived from people with the noise seen on French
documents (spelling variants, swapped names, year-only dates, 1 January placeholders,
day/month swaps, false declared names, typos…) plus people who are not in the register
(held out of it, so some are siblings of registered people: the hard case).

Everything is a pure function of (number of people, seed): the bench and the tests
regenerate the same population to get the truth without storing it.
"""

from __future__ import annotations

import csv
import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .columns import DETAIL_FIELDS, QUERY_FIELDS, REQUIRED_COLUMNS
from .normalize import DATA_DIR

REGISTER_COLUMNS = [*REQUIRED_COLUMNS, "first_name_ar", "last_name_ar"]
QUERY_COLUMNS = [
    "request_id",
    "first_name",
    "last_name",
    "aliases",
    *DETAIL_FIELDS,
    "true_national_id",
    "scenario",
]


def _groups(file: str) -> list[list[str]]:
    lines = (DATA_DIR / file).read_text(encoding="utf-8").splitlines()
    return [
        [s.strip() for s in line.split(",") if s.strip()]
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def _family_groups() -> list[list[str]]:
    groups = _groups("family_names.txt")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in (DATA_DIR / "family_name_parts.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            continue
        sections[current] = [s.strip() for s in line.split(",")]
    seen = {g[0].lower() for g in groups}
    rng = random.Random(20240901)  # fixed: the name pool is part of the generator, not of a run
    for root in sections["roots"]:
        for prefix in ["", *sections["prefixes"]]:
            # A fixed order: iterating a set of strings changed with each process's hash seed,
            # so two processes (register, then requests) drew different name pools.
            for suffix in sorted(set(sections["suffixes"]), key=lambda s: (len(s), s)):
                base = root + suffix if not root.endswith(suffix or "#") else root
                name = (prefix + " " + base.capitalize()).strip() if prefix else base.capitalize()
                if name.lower() in seen or rng.random() > 0.35:
                    continue
                seen.add(name.lower())
                groups.append(_particle_spellings(name))
    return groups


def _particle_spellings(name: str) -> list[str]:
    """Spellings of a generated family name: particle joined, hyphenated, written apart."""
    words = name.split()
    if len(words) == 1:
        return [name]
    prefix, rest = words[0], " ".join(words[1:])
    alt = {
        "Ben": ["Bin", "Ibn"],
        "El": ["Al", ""],
        "Ait": ["Aït", "Ayt"],
        "Bou": ["Bu", "Abou"],
        "Ou": ["O"],
        "Bel": ["Ben"],
        "Ould": ["Ould"],
    }
    spellings = [name, prefix + rest.lower(), f"{prefix}-{rest}"]
    spellings += [f"{a} {rest}".strip() for a in alt.get(prefix, [])]
    return list(dict.fromkeys(spellings))


def _places() -> list[tuple[str, list[str]]]:
    out = []
    for line in (DATA_DIR / "places.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        others = [o.strip() for o in (parts[1] + "," + parts[2]).split(",") if o.strip()]
        out.append((parts[0], others))
    return out


def _zipf(n: int, s: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


@dataclass
class Population:
    """Columns of people (register first, then the held-out people) and their name groups."""

    n_register: int
    national_id: np.ndarray
    sex: np.ndarray  # 1 = M, 2 = F
    first: np.ndarray  # index into the sex's given-name groups (compound: second index >= 0)
    first2: np.ndarray
    family: np.ndarray  # family index
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    date_precision: np.ndarray  # 3 full, 2 year-month, 1 year in the register
    place: np.ndarray
    spelling_seed: np.ndarray
    fam_last: np.ndarray
    fam_father: np.ndarray
    fam_mother_first: np.ndarray
    fam_mother_last: np.ndarray
    male: list[list[str]]
    female: list[list[str]]
    families: list[list[str]]
    places: list[tuple[str, list[str]]]

    def __len__(self) -> int:
        return len(self.sex)

    def register_spelling(self, group: list[str], seed: int) -> str:
        # Three in four registers use the usual spelling; the rest one of the others.
        if len(group) == 1 or seed % 4:
            return group[0]
        return group[1 + (seed // 4) % (len(group) - 1)]

    def record(self, i: int) -> dict[str, str]:
        """The register row of person ``i`` (also defined for held-out people)."""
        seed = int(self.spelling_seed[i])
        f = int(self.family[i])
        given = self.male if self.sex[i] == 1 else self.female
        first = self.register_spelling(given[self.first[i]], seed)
        if self.first2[i] >= 0:
            first += " " + self.register_spelling(given[self.first2[i]], seed >> 3)
        y, m, d, prec = int(self.year[i]), int(self.month[i]), int(self.day[i]), int(self.date_precision[i])
        date = f"{y:04d}" if prec == 1 else f"{y:04d}-{m:02d}" if prec == 2 else f"{y:04d}-{m:02d}-{d:02d}"
        return {
            "national_id": str(self.national_id[i]),
            "first_name": first,
            "last_name": self.register_spelling(self.families[self.fam_last[f]], f),
            "sex": "M" if self.sex[i] == 1 else "F",
            "birth_date": date,
            "birth_place": self.places[self.place[i]][0],
            "father_first_name": self.register_spelling(self.male[self.fam_father[f]], f >> 2),
            "mother_first_name": self.register_spelling(self.female[self.fam_mother_first[f]], f >> 4),
            "mother_last_name": self.register_spelling(self.families[self.fam_mother_last[f]], f >> 6),
            "first_name_ar": "",
            "last_name_ar": "",
        }


def holdout_size(n_people: int) -> int:
    return max(2000, n_people // 100)


def generate_population(n_people: int, seed: int) -> Population:
    """``n_people`` registered people followed by ``holdout_size`` people who are not."""
    rng = np.random.default_rng(seed)
    total = n_people + holdout_size(n_people)
    male, female, families, places = (
        _groups("given_names_male.txt"),
        _groups("given_names_female.txt"),
        _family_groups(),
        _places(),
    )
    n_fam = max(1, total // 3)
    fam_last = rng.choice(len(families), n_fam, p=_zipf(len(families), 0.9))
    fam_father = rng.choice(len(male), n_fam, p=_zipf(len(male), 0.9))
    fam_mother_first = rng.choice(len(female), n_fam, p=_zipf(len(female), 0.8))
    fam_mother_last = rng.choice(len(families), n_fam, p=_zipf(len(families), 0.9))
    fam_place = rng.choice(len(places), n_fam, p=_zipf(len(places), 1.0))
    fam_year = rng.integers(1950, 2006, n_fam)
    family = rng.integers(0, n_fam, total)
    sex = rng.integers(1, 3, total).astype(np.int8)
    first = np.where(
        sex == 1,
        rng.choice(len(male), total, p=_zipf(len(male), 0.85)),
        rng.choice(len(female), total, p=_zipf(len(female), 0.85)),
    )
    second = np.where(sex == 1, rng.choice(len(male), total), rng.choice(len(female), total))
    first2 = np.where(rng.random(total) < 0.06, second, -1)
    first2 = np.where(first2 == first, -1, first2)
    year = np.clip(fam_year[family] + rng.integers(0, 14, total), 1950, 2010)
    month = rng.integers(1, 13, total)
    day = np.minimum(rng.integers(1, 29, total), 28)
    precision = rng.choice([3, 2, 1], total, p=[0.9, 0.02, 0.08])
    placeholder = rng.random(total) < 0.05  # registers also hold 1 January placeholders
    month, day = np.where(placeholder, 1, month), np.where(placeholder, 1, day)
    moved = rng.random(total) < 0.2  # not every sibling was born in the same town
    place = np.where(moved, rng.choice(len(places), total, p=_zipf(len(places), 1.0)), fam_place[family])
    # Unique 10-digit identifiers (population register style) in an order unrelated to families.
    ids = (np.arange(total, dtype=np.int64) * 7_919_357 + seed * 104_729 + 1_000_000_000) % 10_000_000_000
    national_id = np.char.zfill(ids.astype(str), 10)
    return Population(
        n_register=n_people,
        national_id=national_id,
        sex=sex,
        first=first,
        first2=first2,
        family=family,
        year=year,
        month=month,
        day=day,
        date_precision=precision,
        place=place,
        spelling_seed=rng.integers(0, 1 << 30, total),
        fam_last=fam_last,
        fam_father=fam_father,
        fam_mother_first=fam_mother_first,
        fam_mother_last=fam_mother_last,
        male=male,
        female=female,
        families=families,
        places=places,
    )


def _spellings(groups: list[list[str]], group: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Population.register_spelling for whole arrays (same choice, vectorised)."""
    flat = np.array([s for g in groups for s in g], dtype=object)
    sizes = np.array([len(g) for g in groups])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    size = sizes[group]
    pick = np.where((size == 1) | (seed % 4 != 0), 0, 1 + (seed // 4) % np.maximum(size - 1, 1))
    return flat[offsets[group] + pick]


def _register_rows(pop: Population, start: int, stop: int) -> list[list[str]]:
    """Rows of people start..stop, equal to [pop.record(i)[c] for c in REGISTER_COLUMNS]."""
    idx = np.arange(start, stop)
    sex, fam, seed = pop.sex[idx], pop.family[idx], pop.spelling_seed[idx]
    male = sex == 1
    first = np.empty(len(idx), dtype=object)
    second = pop.first2[idx]
    for is_male, groups in ((True, pop.male), (False, pop.female)):
        sel = male == is_male
        first[sel] = _spellings(groups, pop.first[idx][sel], seed[sel])
        compound = sel & (second >= 0)
        if compound.any():
            seconds = _spellings(groups, second[compound], seed[compound] >> 3)
            first[compound] = [f"{a} {b}" for a, b in zip(first[compound], seconds, strict=True)]
    last = _spellings(pop.families, pop.fam_last[fam], fam)
    father = _spellings(pop.male, pop.fam_father[fam], fam >> 2)
    mother_first = _spellings(pop.female, pop.fam_mother_first[fam], fam >> 4)
    mother_last = _spellings(pop.families, pop.fam_mother_last[fam], fam >> 6)
    y, m, d, prec = pop.year[idx], pop.month[idx], pop.day[idx], pop.date_precision[idx]
    dates = [
        f"{a:04d}" if p == 1 else f"{a:04d}-{b:02d}" if p == 2 else f"{a:04d}-{b:02d}-{c:02d}"
        for a, b, c, p in zip(y.tolist(), m.tolist(), d.tolist(), prec.tolist(), strict=True)
    ]
    places = np.array([p[0] for p in pop.places], dtype=object)[pop.place[idx]]
    sexes = np.where(male, "M", "F")
    ids = pop.national_id[idx]
    return [
        list(r) + ["", ""]
        for r in zip(ids, first, last, sexes, dates, places, father, mother_first, mother_last, strict=True)
    ]


def generate_register(n_people: int, seed: int, out_csv_path: str | os.PathLike[str]) -> Path:
    """Write a register CSV of ``n_people`` fictitious people; returns the path."""
    population = generate_population(n_people, seed)
    path = Path(out_csv_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REGISTER_COLUMNS)
        for start in range(0, n_people, 200_000):
            writer.writerows(_register_rows(population, start, min(n_people, start + 200_000)))
    os.replace(tmp, path)  # a half-written register never looks like a finished one
    return path


# -- requests ---------------------------------------------------------------------------------
_SPELLING_SWAPS = [
    ("ou", "w"),
    ("ch", "sh"),
    ("j", "dj"),
    ("kh", "h"),
    ("k", "q"),
    ("i", "y"),
    ("e", "é"),
    ("a", "â"),
]


def _respell(rng: random.Random, name: str, group: list[str]) -> str:
    """Another way a French document writes the same name."""
    others = [s for s in group if s != name]
    if others and rng.random() < 0.8:
        return rng.choice(others)
    lowered = name.lower()
    options = [(a, b) for a, b in _SPELLING_SWAPS if a in lowered]
    if not options:
        return name.upper() if rng.random() < 0.5 else name
    a, b = rng.choice(options)
    pos = lowered.index(a)
    out = name[:pos] + b + name[pos + len(a) :]
    return out[:1].upper() + out[1:]


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    letter = rng.choice("abdehiklmnorstuz")
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + letter + name[i:]
    if kind == 2:
        return name[:i] + letter + name[i + 1 :]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


@dataclass
class GeneratedQuery:
    request_id: str
    fields: dict[str, str]
    true_national_id: str  # "" when the person is not in the register
    scenario: str


def make_queries(
    population: Population, n_queries: int, seed: int, unregistered_share: float = 0.3
) -> list[GeneratedQuery]:
    rng = random.Random(seed)
    n_unreg = round(n_queries * unregistered_share)
    registered = rng.sample(range(population.n_register), n_queries - n_unreg)
    held_out = rng.sample(range(population.n_register, len(population)), n_unreg)
    people = [(i, True) for i in registered] + [(i, False) for i in held_out]
    rng.shuffle(people)
    return [
        _noisy_query(rng, population, i, in_register, f"R{seed}-{k:05d}")
        for k, (i, in_register) in enumerate(people)
    ]


def _noisy_query(
    rng: random.Random, pop: Population, i: int, in_register: bool, request_id: str
) -> GeneratedQuery:
    rec = pop.record(i)
    f = int(pop.family[i])
    given = pop.male if pop.sex[i] == 1 else pop.female
    groups = {
        "first_name": given[pop.first[i]],
        "last_name": pop.families[pop.fam_last[f]],
        "father_first_name": pop.male[pop.fam_father[f]],
        "mother_first_name": pop.female[pop.fam_mother_first[f]],
        "mother_last_name": pop.families[pop.fam_mother_last[f]],
    }
    q = {k: rec[k] for k in QUERY_FIELDS}
    scenario: list[str] = []
    for field_name, group in groups.items():
        if field_name == "first_name" and pop.first2[i] >= 0 and rng.random() < 0.3:
            q[field_name] = q[field_name].split(" ")[0]
            scenario.append("compound shortened")
        elif rng.random() < 0.35:
            q[field_name] = _respell(rng, q[field_name], group)
            scenario.append(f"{field_name} variant")
        if rng.random() < 0.06:
            q[field_name] = _typo(rng, q[field_name])
            scenario.append(f"{field_name} typo")
    if rng.random() < 0.15:
        q["father_first_name"] = q["mother_first_name"] = q["mother_last_name"] = ""
        scenario.append("no parents")
    else:
        for field_name in ("father_first_name", "mother_first_name", "mother_last_name"):
            if rng.random() < 0.15:
                q[field_name] = ""
    # The true date, not the register's: the register may hold a year only or a placeholder.
    y, m, d = int(pop.year[i]), int(pop.month[i]), int(pop.day[i])
    r = rng.random()
    if r < 0.15:
        q["birth_date"], tag = f"{y:04d}", "year only"
    elif r < 0.23:
        q["birth_date"], tag = f"{y:04d}-01-01", "1 January"
    elif r < 0.27 and d <= 12 and d != m:
        q["birth_date"], tag = f"{y:04d}-{d:02d}-{m:02d}", "day/month swapped"
    elif r < 0.30:
        q["birth_date"], tag = "", "no date"
    elif r < 0.32:
        q["birth_date"], tag = f"{y + rng.choice((-1, 1)):04d}-{m:02d}-{d:02d}", "year off by one"
    else:
        q["birth_date"], tag = (
            (f"{d:02d}/{m:02d}/{y:04d}" if rng.random() < 0.3 else f"{y:04d}-{m:02d}-{d:02d}"),
            "",
        )
    if tag:
        scenario.append(tag)
    others = pop.places[pop.place[i]][1]
    r = rng.random()
    if r < 0.2 and others:
        q["birth_place"] = rng.choice(others)
        scenario.append("place by district or old name")
    elif r < 0.32:
        q["birth_place"] = ""
        scenario.append("no place")
    if rng.random() < 0.1:
        q["sex"] = ""
    aliases: list[str] = []
    if rng.random() < 0.07:
        # A false declared identity; the real name is sometimes among the aliases.
        j = rng.randrange(len(pop))
        false = pop.record(j)
        if rng.random() < 0.4:
            aliases.append(f"{q['first_name']} {q['last_name']}")
        q["first_name"], q["last_name"] = false["first_name"], false["last_name"]
        scenario.append("false declared name")
    elif rng.random() < 0.1:
        q["first_name"], q["last_name"] = q["last_name"], q["first_name"]
        scenario.append("names swapped")
    if rng.random() < 0.05:
        other = pop.record(rng.randrange(len(pop)))
        aliases.append(f"{other['first_name']} {other['last_name']}")
        scenario.append("unrelated alias")
    q["aliases"] = ";".join(aliases)
    return GeneratedQuery(
        request_id, q, rec["national_id"] if in_register else "", ", ".join(scenario) or "clean"
    )


def generate_queries(
    n_people: int,
    seed: int,
    n_queries: int,
    query_seed: int,
    out_csv_path: str | os.PathLike[str],
    unregistered_share: float = 0.3,
) -> Path:
    """Write requests for the register ``generate_register(n_people, seed)`` with the truth.

    Columns follow the batch contract plus ``true_national_id`` (empty for people not in
    the register) and ``scenario`` (the noise applied), both ignored by identify_batch.
    """
    population = generate_population(n_people, seed)
    path = Path(out_csv_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=QUERY_COLUMNS)
        writer.writeheader()
        for gq in make_queries(population, n_queries, query_seed, unregistered_share):
            writer.writerow(
                {
                    "request_id": gq.request_id,
                    **gq.fields,
                    "true_national_id": gq.true_national_id,
                    "scenario": gq.scenario,
                }
            )
    return path
