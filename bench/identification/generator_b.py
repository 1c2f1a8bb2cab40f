"""A second, differently built register generator, for checking that the bands generalise.

It shares nothing with ``gmmp.identification.engine.generate`` (nor with the engine's spelling
files): its own lists of names and places written once with one spelling each, its own
frequency laws (geometric rather than Zipf), families of varying size with twins, a register
that holds partial dates, and requests corrupted by transliteration *rules* (ou/u, ch/sh,
doubled letters, particles glued or dropped, e/a) rather than by picking a listed variant,
plus keyboard typos, dropped vowels, missing fields, date errors and false names. Two
settings, ``light`` and ``heavy``, differ in every noise rate.

    python bench/identification/generator_b.py --setting heavy --people 200000 --out-dir /tmp/genb
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

MALE = """Mohamed Ahmed Youssef Abdellah Omar Said Hassan Rachid Mustapha Abderrahim Karim Hamid
Brahim Khalid Driss Nabil Hicham Mehdi Amine Yassine Adil Jamal Aziz Mourad Samir Tarik Anas Hamza
Othmane Ayoub Ismail Zakaria Soufiane Bilal Ilyas Achraf Reda Walid Fouad Noureddine Abdelkader
Lahcen Larbi Miloud Jilali Bouchaib Mbarek Lhoussaine Abdelaziz Abdelhak Abdeslam Taoufik Hakim
Younes Badr Imad Marouane Saad Hatim Ilias Salah Jawad Kamal Lotfi Nourdine Rida Sami Tayeb Zouhair
Abdelilah Abdelmajid Abdennour Aissa Allal Azzedine Boubker Chakib Chafik Faouzi Ghali Hafid Idriss
Jaouad Kacem Lhaj Mokhtar Najib Ouadie Rabii Sofiane Tahar Yahya Zine""".split()
FEMALE = """Fatima Khadija Aicha Naima Malika Zineb Meryem Nadia Hanane Samira Latifa Karima Souad
Amina Hafsa Salma Sara Imane Asmae Houda Loubna Siham Wafae Ghizlane Laila Najat Rachida Saida
Hayat Bouchra Btissam Kawtar Oumaima Chaimae Hajar Ikram Khaoula Yasmine Nisrine Hind Sanaa
Jamila Rkia Zahra Mina Hakima Fadoua Jihane Mouna Rajae Sabah Widad Zoubida Halima Itto Touria
Fouzia Habiba Kenza Lamia Manal Nawal Ouafae Rim Safae Soumia Wiam Yousra Zahira Aziza Batoul
Charifa Dounia Farah Ghita Hasna Ilham Jalila Lalla Maha Nezha Rahma Sakina Tamou""".split()
ROOTS = """Alaoui Idrissi Tazi Bennani Berrada Cherkaoui Fassi Kettani Lahlou Sebti Benjelloun Skalli
Amrani Bakkali Chraibi Filali Guessous Hajji Iraqi Jettou Kabbaj Lamrani Mansouri Naciri Ouazzani
Qadiri Rifai Sqalli Tahiri Wahbi Yacoubi Zniber Ghazali Benkirane Mernissi Ziani Bouazza Hamdaoui
Kadiri Saidi Hilali Naji Rami Sahli Touzani Boukili Chaoui Doukkali Fikri Gharbi Harrak Jabri Khatib
Lazrak Mouline Nejjar Ouali Raissouni Sefrioui Tounsi Yamani Zerouali Azizi Bekkali Chafai Daoudi
Essafi Fathi Guennoun Hassani Jaidi Karimi Lyazidi Majdoubi Nouri Ouhbi Rahmouni Slaoui Tijani
Yousfi Zaari Achour Baghdadi Charif Dahbi Elouardi Ftouh Haddaoui Jamai Kharbouch Laaroussi Moussaoui
Nadiri Oufkir Rachidi Sbai Tahri Wardi Zemmouri Aouad Belhaj Bouzid Chami Drissi Ennaji Ferhat
Ghanem Hammoudi Jazouli Kamali Lamzouri Marzouk Nassiri Qorchi Regragui Semlali Tadlaoui""".split()
PREFIXES = ["", "", "", "El ", "Ben ", "Ait ", "Bou", "Ou"]
PLACES = """Casablanca Rabat Fes Marrakech Tanger Meknes Agadir Oujda Kenitra Tetouan Safi Mohammedia
Khouribga Beni-Mellal El-Jadida Taza Nador Settat Larache Ksar-El-Kebir Khemisset Guelmim Berrechid
Ouarzazate Tiznit Taroudant Essaouira Errachidia Al-Hoceima Sidi-Kacem Sidi-Slimane Azrou Ifrane
Midelt Tinghir Zagora Chefchaouen Ouezzane Berkane Taourirt Guercif Sefrou Boulemane Youssoufia
Benguerir Kelaa-des-Sraghna Azilal Demnate Tan-Tan Laayoune Dakhla Asilah Mdiq Fnideq""".split()


@dataclass
class Setting:
    translit: float  # per name: one transliteration rule applied
    typo: float  # per name: a keyboard typo
    vowels: float  # per name: vowels dropped (consonant skeleton)
    missing: float  # per optional field: left empty
    no_parents: float
    date_year_only: float
    date_swap: float
    date_year_off: float
    date_day_typo: float
    place_wrong: float
    names_swapped: float
    false_name: float
    glue_particle: float


SETTINGS = {
    "light": Setting(0.2, 0.02, 0.01, 0.08, 0.10, 0.10, 0.03, 0.02, 0.02, 0.03, 0.05, 0.04, 0.2),
    "heavy": Setting(0.5, 0.10, 0.04, 0.20, 0.30, 0.25, 0.06, 0.05, 0.05, 0.10, 0.15, 0.08, 0.5),
}

RULES = [
    ("ou", "u"),
    ("u", "ou"),
    ("ch", "sh"),
    ("sh", "ch"),
    ("kh", "k"),
    ("j", "dj"),
    ("dj", "j"),
    ("ss", "s"),
    ("s", "ss"),
    ("mm", "m"),
    ("m", "mm"),
    ("e", "a"),
    ("a", "e"),
    ("i", "y"),
    ("y", "i"),
    ("q", "k"),
    ("k", "q"),
    ("ae", "a"),
    ("a", "ae"),
    ("h", ""),
    ("dd", "d"),
    ("ll", "l"),
]
KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def _geometric_pick(rng: random.Random, n: int, p: float) -> int:
    """Index in 0..n-1 with a geometric law (p = share of the first)."""
    while True:
        k = int(rng.expovariate(p))  # heavier head than Zipf for small p, lighter tail
        if k < n:
            return k


def make_population(n: int, seed: int) -> list[dict[str, str]]:
    """n registered people then n // 50 held out (same families), as register rows."""
    rng = random.Random(seed)
    surnames = [p + r for r in ROOTS for p in PREFIXES[:1]] + [
        p + r for r in ROOTS for p in PREFIXES[3:] if rng.random() < 0.25
    ]
    rng.shuffle(surnames)
    total = n + max(2000, n // 50)
    people: list[dict[str, str]] = []
    k = 0
    while len(people) < total:
        fam_last = surnames[_geometric_pick(rng, len(surnames), 0.012)]
        father = MALE[_geometric_pick(rng, len(MALE), 0.04)]
        mother = FEMALE[_geometric_pick(rng, len(FEMALE), 0.04)]
        mother_last = surnames[_geometric_pick(rng, len(surnames), 0.012)]
        place = PLACES[_geometric_pick(rng, len(PLACES), 0.08)]
        base_year = rng.randint(1955, 2004)
        children = 1 + min(int(rng.expovariate(1 / 2.2)), 9)
        year = base_year
        for c in range(children):
            sex = rng.choice("MF")
            names = MALE if sex == "M" else FEMALE
            first = names[_geometric_pick(rng, len(names), 0.05)]
            if rng.random() < 0.08:
                first = f"{first} {names[rng.randrange(len(names))]}"
            twin = c > 0 and rng.random() < 0.02
            if not twin:
                year += rng.choice((1, 1, 2, 2, 3, 4)) if c else 0
                month, day = rng.randint(1, 12), rng.randint(1, 28)
            r = rng.random()
            date = (
                f"{year:04d}"
                if r < 0.06
                else f"{year:04d}-01-01"
                if r < 0.10
                else f"{year:04d}-{month:02d}-{day:02d}"
            )
            k += 1
            people.append(
                {
                    "national_id": f"B{seed % 1000:03d}{k:09d}",
                    "first_name": first,
                    "last_name": fam_last,
                    "sex": sex,
                    "birth_date": date,
                    "true_date": f"{year:04d}-{month:02d}-{day:02d}",
                    "birth_place": place if rng.random() > 0.15 else PLACES[rng.randrange(len(PLACES))],
                    "father_first_name": father,
                    "mother_first_name": mother,
                    "mother_last_name": mother_last,
                }
            )
    rng.shuffle(people)
    return people[:total]


def _translit(rng: random.Random, name: str) -> str:
    low = name.lower()
    options = [(a, b) for a, b in RULES if a in low]
    if not options:
        return name
    a, b = rng.choice(options)
    i = low.find(a)
    out = low[:i] + b + low[i + len(a) :]
    return out.title()


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 3:
        return name
    i = rng.randrange(1, len(name))
    op = rng.randrange(4)
    if op == 0:
        return name[:i] + name[i + 1 :]
    if op == 1:
        return name[:i] + rng.choice(KEYBOARD) + name[i:]
    if op == 2:
        return name[:i] + rng.choice(KEYBOARD) + name[i + 1 :]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :] if i < len(name) else name


def _noisy_name(rng: random.Random, s: Setting, name: str) -> str:
    if not name:
        return name
    if rng.random() < s.glue_particle and " " in name and name.split()[0] in ("El", "Ben", "Ait"):
        head, rest = name.split(" ", 1)
        name = rng.choice(
            [head + rest.lower(), rest, f"{head}-{rest}", "Bin " + rest if head == "Ben" else name]
        )
    if rng.random() < s.translit:
        name = _translit(rng, name)
    if rng.random() < s.vowels:
        name = name[0] + "".join(c for c in name[1:] if c.lower() not in "aeiou")
    if rng.random() < s.typo:
        name = _typo(rng, name)
    return name


def make_requests(
    people: list[dict[str, str]],
    n_register: int,
    count: int,
    seed: int,
    s: Setting,
    unregistered: float = 0.3,
) -> list[dict[str, str]]:
    rng = random.Random(seed)
    n_unreg = round(count * unregistered)
    picks = [(i, True) for i in rng.sample(range(n_register), count - n_unreg)]
    picks += [(i, False) for i in rng.sample(range(n_register, len(people)), n_unreg)]
    rng.shuffle(picks)
    out = []
    for k, (i, registered) in enumerate(picks):
        p = people[i]
        q = {f: _noisy_name(rng, s, p[f]) for f in ("first_name", "last_name")}
        if " " in q["first_name"] and rng.random() < 0.4:
            q["first_name"] = q["first_name"].split()[0]
        for f in ("father_first_name", "mother_first_name", "mother_last_name"):
            q[f] = "" if rng.random() < s.missing else _noisy_name(rng, s, p[f])
        if rng.random() < s.no_parents:
            q["father_first_name"] = q["mother_first_name"] = q["mother_last_name"] = ""
        y, m, d = (int(x) for x in p["true_date"].split("-"))
        r = rng.random()
        if r < s.date_year_only:
            date = f"{y:04d}"
        elif r < s.date_year_only + s.date_swap and d <= 12:
            date = f"{y:04d}-{d:02d}-{m:02d}"
        elif r < s.date_year_only + s.date_swap + s.date_year_off:
            date = f"{y + rng.choice((-1, 1)):04d}-{m:02d}-{d:02d}"
        elif r < s.date_year_only + s.date_swap + s.date_year_off + s.date_day_typo:
            date = f"{y:04d}-{m:02d}-{min(28, max(1, d + rng.choice((-10, -1, 1, 10)))):02d}"
        elif r < s.date_year_only + s.date_swap + s.date_year_off + s.date_day_typo + s.missing / 2:
            date = ""
        else:
            date = f"{d:02d}.{m:02d}.{y:04d}" if rng.random() < 0.5 else f"{y:04d}-{m:02d}-{d:02d}"
        place = p["birth_place"]
        if rng.random() < s.place_wrong:
            place = PLACES[rng.randrange(len(PLACES))]
        elif rng.random() < s.missing:
            place = ""
        else:
            place = place.replace("-", " ") if rng.random() < 0.5 else place
        aliases = ""
        if rng.random() < s.false_name:
            other = people[rng.randrange(len(people))]
            if rng.random() < 0.3:
                aliases = f"{q['first_name']} {q['last_name']}"
            q["first_name"], q["last_name"] = other["first_name"], other["last_name"]
        elif rng.random() < s.names_swapped:
            q["first_name"], q["last_name"] = q["last_name"], q["first_name"]
        out.append(
            {
                "request_id": f"B{k:05d}",
                **q,
                "aliases": aliases,
                "sex": "" if rng.random() < s.missing / 2 else p["sex"],
                "birth_date": date,
                "birth_place": place,
                "true_national_id": p["national_id"] if registered else "",
            }
        )
    return out


REGISTER_COLUMNS = [
    "national_id",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_place",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
]
REQUEST_COLUMNS = [
    "request_id",
    "first_name",
    "last_name",
    "aliases",
    "sex",
    "birth_date",
    "birth_place",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
    "true_national_id",
]


def write(setting: str, people: int, requests: int, seed: int, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    register = out_dir / f"register_b_{people}_{seed}.csv"
    queries = out_dir / f"requests_b_{setting}_{people}_{requests}_{seed}.csv"
    pop = make_population(people, seed)
    if not register.exists():
        with register.open("w", encoding="utf-8", newline="") as h:
            w = csv.DictWriter(h, REGISTER_COLUMNS, extrasaction="ignore")
            w.writeheader()
            w.writerows(pop[:people])
    with queries.open("w", encoding="utf-8", newline="") as h:
        w = csv.DictWriter(h, REQUEST_COLUMNS)
        w.writeheader()
        w.writerows(make_requests(pop, people, requests, seed + 1, SETTINGS[setting]))
    return register, queries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setting", choices=SETTINGS, default="light")
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--out-dir", default="/tmp/gmmp-generator-b")
    a = parser.parse_args()
    print(*write(a.setting, a.people, a.requests, a.seed, Path(a.out_dir)))


if __name__ == "__main__":
    main()
