"""Splink 5 on DuckDB over the same register and requests: the reference linkers, in two configurations.

One runner (``run_splink``), two configurations as data (``CONFIGS``):

``light`` — the light cleaning any Splink user would write (lower case, accents and punctuation
removed, dates parsed to ISO) and none of the engine's variant knowledge; Jaro–Winkler and
Levenshtein levels, term frequencies on names and place; five prediction blocking rules incl.
swapped names; u by random sampling (2 million pairs), m by EM blocked on the date, then the names.

``practitioner`` — as an experienced practitioner would configure it, for a fair comparison:
- names cleaned: case, accents, punctuation; Arabic particles (El, Al and its assimilated Es/Er/Et/Ez/
  Ed/En, Ben, Bin, Ait/Ayt, Ou, Ould written apart, hyphenated or glued to a long name) dropped from the
  family names; given names compared on their first word that is not a particle (a compound given name
  is often shortened; names written in the wrong boxes carry the family's particle);
- places read through a gazetteer (districts and former names → the city: the engine's places list,
  data any practitioner in the country would use);
- phonetic agreement: double metaphone codes (primary and alternate, the ``doublemetaphone`` package)
  as a level of every name comparison (``NameComparison(dmeta_col_name=...)``);
- term-frequency adjustments on the given name, the family name and the place;
- the parents as **one** comparison (``_parents``): brothers and sisters share all three parent
  columns, and three independent comparisons would count the family three times;
- blocking rules for prediction: names, swapped names (plain and phonetic), phonetic names (both, and
  each with the year, the date or the year and place), date + place, date + a parent, family name +
  place, given name + mother, parents (phonetic, with the place or the mother's family name);
- training without labels: u by random sampling (10 million pairs), m by EM in two sessions (blocked on
  the date, then the names; not on the parents: pairs sharing both parents are mostly siblings, and EM
  would learn "same family" as "same person");
- the link threshold calibrated as a practitioner does with a clerical review: ``run.py`` takes a
  labelled review sample of the requests, picks the lowest match weight that keeps the review's
  precision ≥ 0.996 and its unregistered people linked ≤ 0.002, and reports the other requests at
  that threshold (beside the usual p ≥ 0.99).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gmmp.identification.engine.normalize import DateError, fold, parse_date

NAMES = ("first_name", "last_name", "father_first_name", "mother_first_name", "mother_last_name")
GIVEN = ("first_name", "father_first_name", "mother_first_name")
# "Al" assimilated before some consonants is written Es-, Er-, Et-, Ez-, Ed-, En- ("Es-Sebti").
_PARTICLES = ("el", "al", "es", "er", "et", "ez", "ed", "en", "ben", "bin", "ibn", "ait", "ayt", "ou", "ould")
_PARTICLE = re.compile(r"^(?:(?:" + "|".join(_PARTICLES) + r")\s+)+")
# A particle glued to the name ("Elidrissi", "Benghanem", "Oumansour") when at least five letters
# remain, so that "Alaoui" or "Bennani" keep theirs (the same rule on both sides either way).
_GLUED = re.compile(r"^(?:ould|ben|bin|ibn|ait|ayt|el|al|ou)(?=[a-z]{5,}$)")


# -- cleaning ------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return re.sub(r"[^a-z ]+", " ", fold(text).replace("-", " ")).strip() if text else ""


def _core(text: str) -> str:
    """Family name without its particle, words glued: "El Idrissi", "el-idrissi", "Elidrissi" → idrissi."""
    t = _PARTICLE.sub("", _plain(text)).replace(" ", "")
    return _GLUED.sub("", t)


def _given(text: str) -> str:
    """A given name's first word, particles aside (names written in the wrong boxes carry them):
    a compound given name is often shortened to its first word."""
    words = [w for w in _plain(text).split(" ") if w and w not in _PARTICLES]
    return _GLUED.sub("", words[0]) if words else ""


def _place(text: str) -> str:
    """The city a place designates, read from a gazetteer (districts and former names → city), as a
    practitioner with the country's list of places would clean it."""
    from gmmp.identification.engine.normalize import knowledge

    return knowledge().place_key(text).canon if text and text.strip() else ""


def _dm(text: str) -> list[str] | None:
    from doublemetaphone import doublemetaphone

    if not text:
        return None
    codes = [c for c in doublemetaphone(text) if c]
    return codes or None


def _column(df: pd.DataFrame, field: str) -> pd.Series:
    return df[field].fillna("").astype(str) if field in df else pd.Series([""] * len(df), index=df.index)


def _mapped(values: pd.Series, fn: Callable[[str], Any]) -> pd.Series:
    """``fn`` applied once per distinct value (registers repeat names a lot)."""
    return values.map({v: fn(v) for v in values.unique()})


def _dates(df: pd.DataFrame, lenient: bool) -> tuple[pd.Series, pd.Series]:
    """(ISO full date or None, year or None) of each row."""

    def iso(text: str) -> tuple[str | None, str | None]:
        try:
            d = parse_date(text, lenient=lenient)
        except DateError:
            return None, None
        if not d.year:
            return None, None
        full = f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if d.day else None
        return full, f"{d.year:04d}"

    pairs = _mapped(_column(df, "birth_date"), iso)
    return pairs.map(lambda p: p[0]), pairs.map(lambda p: p[1])


def _common(df: pd.DataFrame, id_column: str) -> pd.DataFrame:
    out = pd.DataFrame({"unique_id": df[id_column].astype(str)})
    out["sex"] = _column(df, "sex").str.upper().replace("", None)
    return out


def clean_light(df: pd.DataFrame, id_column: str, lenient_dates: bool) -> pd.DataFrame:
    out = _common(df, id_column)

    def iso(text: str) -> str | None:  # the date as given, partial or not ("1994", "1994-05-12")
        try:
            return str(parse_date(text, lenient=lenient_dates)) or None
        except DateError:
            return None

    out["birth_date"] = _mapped(_column(df, "birth_date"), iso)
    out["birth_year"] = out["birth_date"].str.slice(0, 4)
    for f in (*NAMES, "birth_place"):
        out[f] = _mapped(_column(df, f), lambda v: fold(v) or None)
    return out


def clean_practitioner(df: pd.DataFrame, id_column: str, lenient_dates: bool) -> pd.DataFrame:
    out = _common(df, id_column)
    out["birth_date"], out["birth_year"] = _dates(df, lenient_dates)
    for f in NAMES:
        col = _mapped(_column(df, f), _given if f in GIVEN else _core)
        out[f] = col.replace("", None)
        out[f + "_dm"] = _mapped(col, _dm)
    out["birth_place"] = _mapped(_column(df, "birth_place"), _place).replace("", None)
    return out


# -- the two configurations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    name: str
    clean: Callable[[pd.DataFrame, str, bool], pd.DataFrame]
    blocking: Callable[[Any], list]  # block_on -> prediction blocking rules
    comparisons: Callable[[Any], list]  # splink.comparison_library -> comparisons
    em_sessions: tuple[tuple[str, ...], ...]
    u_pairs: float


def _light_blocking(block_on) -> list:
    return [
        block_on("first_name", "last_name"),
        "l.first_name = r.last_name and l.last_name = r.first_name",
        block_on("last_name", "birth_year"),
        block_on("birth_date", "birth_place"),
        block_on("father_first_name", "mother_first_name", "birth_year"),
    ]


def _light_comparisons(cl) -> list:
    def jw(col: str, thresholds: list[float], tf: bool = False):
        c = cl.JaroWinklerAtThresholds(col, thresholds)
        return c.configure(term_frequency_adjustments=True) if tf else c

    return [
        jw("first_name", [0.92, 0.85], tf=True),
        jw("last_name", [0.92, 0.85], tf=True),
        cl.LevenshteinAtThresholds("birth_date", [1, 2]),
        cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
        jw("father_first_name", [0.92]),
        jw("mother_first_name", [0.92]),
        jw("mother_last_name", [0.92]),
        cl.ExactMatch("sex"),
    ]


def _practitioner_blocking(block_on) -> list:
    return [
        block_on("first_name", "last_name"),
        "l.first_name = r.last_name and l.last_name = r.first_name",
        "l.first_name_dm[1] = r.last_name_dm[1] and l.last_name_dm[1] = r.first_name_dm[1]",
        block_on("first_name_dm[1]", "last_name_dm[1]"),
        block_on("last_name_dm[1]", "birth_year"),
        block_on("first_name_dm[1]", "birth_date"),
        block_on("first_name_dm[1]", "birth_year", "birth_place"),
        block_on("birth_date", "birth_place"),
        block_on("birth_date", "father_first_name_dm[1]"),
        block_on("birth_date", "mother_first_name_dm[1]"),
        block_on("last_name", "birth_place"),
        block_on("first_name_dm[1]", "mother_first_name_dm[1]"),
        block_on("father_first_name_dm[1]", "mother_first_name_dm[1]", "birth_place"),
        block_on("father_first_name_dm[1]", "mother_first_name_dm[1]", "mother_last_name_dm[1]"),
        block_on("father_first_name", "mother_last_name", "birth_year"),
        block_on("mother_first_name", "mother_last_name", "birth_place"),
    ]


def _parents(cl):
    """The parents as one comparison. Splink adds the comparisons' weights as if independent; three
    parent columns that brothers and sisters share would count the family three times, and a sibling
    would outscore the given name and the date that tell them apart. One comparison, levels from both
    parents agreeing to none, counts the family once (Splink's guidance on correlated columns)."""
    import splink.comparison_level_library as cll

    def phonetic(col: str):
        return cll.Or(cll.ExactMatchLevel(col), cll.ArrayIntersectLevel(col + "_dm", 1))

    return cl.CustomComparison(
        output_column_name="parents",
        comparison_levels=[
            cll.And(cll.NullLevel("father_first_name"), cll.NullLevel("mother_first_name")),
            cll.And(
                cll.ExactMatchLevel("father_first_name"),
                cll.ExactMatchLevel("mother_first_name"),
                cll.ExactMatchLevel("mother_last_name"),
            ),
            cll.And(
                phonetic("father_first_name"), phonetic("mother_first_name"), phonetic("mother_last_name")
            ),
            cll.And(phonetic("father_first_name"), phonetic("mother_first_name")),
            cll.And(
                cll.Or(phonetic("father_first_name"), phonetic("mother_first_name")),
                phonetic("mother_last_name"),
            ),
            cll.Or(phonetic("father_first_name"), phonetic("mother_first_name")),
            cll.ElseLevel(),
        ],
    )


def _practitioner_comparisons(cl) -> list:
    def name(col: str):
        return cl.NameComparison(col, dmeta_col_name=col + "_dm").configure(term_frequency_adjustments=True)

    return [
        name("first_name"),
        name("last_name"),
        cl.DateOfBirthComparison("birth_date", input_is_string=True),
        cl.JaroWinklerAtThresholds("birth_place", [0.9]).configure(term_frequency_adjustments=True),
        _parents(cl),
        cl.ExactMatch("sex"),
    ]


CONFIGS = {
    "light": Config(
        "light",
        clean_light,
        _light_blocking,
        _light_comparisons,
        (("birth_date",), ("first_name", "last_name")),
        2e6,
    ),
    "practitioner": Config(
        "practitioner",
        clean_practitioner,
        _practitioner_blocking,
        _practitioner_comparisons,
        # Not blocked on the parents: the pairs that share both parents are mostly brothers and sisters,
        # and EM would learn "same family" as "same person" (the given name and the date would then
        # barely count against a sibling).
        (("birth_date",), ("first_name", "last_name")),
        1e7,
    ),
}


# -- the runner ------------------------------------------------------------------------------------


def _ranked(predictions: pd.DataFrame) -> dict[str, list[tuple[str, float, float]]]:
    """The best five register records of each request: (national id, match probability, match weight)."""
    # Which side is the request: Splink names the columns unique_id_l / unique_id_r with source tables.
    if "source_dataset_l" in predictions.columns:
        left_is_register = predictions["source_dataset_l"].astype(str).str.contains("register")
        request_id = predictions["unique_id_r"].where(left_is_register, predictions["unique_id_l"])
        national_id = predictions["unique_id_l"].where(left_is_register, predictions["unique_id_r"])
    else:
        request_id, national_id = predictions["unique_id_r"], predictions["unique_id_l"]
    ranked = pd.DataFrame(
        {
            "request_id": request_id,
            "national_id": national_id,
            "p": predictions["match_probability"],
            "w": predictions["match_weight"],
        }
    )
    ranked = ranked.sort_values(["request_id", "w"], ascending=[True, False]).groupby("request_id").head(5)
    return {
        rid: list(zip(g["national_id"], g["p"], g["w"], strict=True))
        for rid, g in ranked.groupby("request_id")
    }


def run_splink(
    register_csv: str, queries: pd.DataFrame, config: str = "light", single_requests: int = 5
) -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    c = CONFIGS[config]
    started = time.monotonic()
    register = c.clean(pd.read_csv(register_csv, dtype=str, keep_default_na=False), "national_id", False)
    requests = c.clean(queries, "request_id", True)
    prep_seconds = time.monotonic() - started

    db_api = DuckDBAPI()
    left = db_api.register(register, dataset_display_name="register")
    right = db_api.register(requests, dataset_display_name="requests")
    settings = SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=0.7 / max(len(register), 1),
        blocking_rules_to_generate_predictions=c.blocking(block_on),
        comparisons=c.comparisons(cl),
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=None)
    t = time.monotonic()
    linker.training.estimate_u_using_random_sampling(max_pairs=c.u_pairs, seed=1)
    for columns in c.em_sessions:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*columns))
    train_seconds = time.monotonic() - t

    t = time.monotonic()
    predictions = linker.inference.predict(threshold_match_weight=-10).as_pandas_dataframe()
    predict_seconds = time.monotonic() - t
    top = _ranked(predictions)

    # Single-request latency: one request scored against the whole register, as a web request needs it.
    single = []
    for i in range(min(single_requests, len(requests))):
        one = db_api.register(requests.iloc[[i]], dataset_display_name=f"one_{i}")
        t = time.monotonic()
        linker.inference.predict_between(left, one, threshold_match_weight=-10).as_pandas_dataframe()
        single.append(time.monotonic() - t)
    return {
        "config": config,
        "prep_seconds": prep_seconds,
        "train_seconds": train_seconds,
        "predict_seconds": predict_seconds,
        "pairs_scored": int(len(predictions)),
        "single_request_seconds": sorted(single),
        "top": top,
    }
