"""Splink 5 on DuckDB configured as an experienced practitioner would, for a fair comparison.

Differences with ``splink_baseline.py`` (the light configuration):
- names cleaned: case, accents, punctuation; Arabic particles (El, Al, Ben, Bin, Ait, Ou written
  apart or hyphenated, "El"/"Al" glued) dropped from the family names; compound given names compared
  on their first word; the full cleaned form kept for exact agreement;
- phonetic agreement: double metaphone codes (primary and alternate, the ``doublemetaphone`` package)
  as a level of every name comparison (``NameComparison(dmeta_col_name=...)``);
- term-frequency adjustments on the given name, the family name, the father's and mother's names and
  the place of birth;
- blocking rules for prediction: names, swapped names, phonetic family name + year, phonetic given
  name + date, date + place, both parents' phonetic names, father + mother's family name + year,
  mother's names;
- training without labels: u by random sampling (10 million pairs), m by EM in three sessions
  (blocked on the date, on the names, on the parents).
"""

from __future__ import annotations

import re
import time
from typing import Any

import pandas as pd

from gmmp.identification.engine.normalize import DateError, fold, parse_date

_PARTICLE = re.compile(r"^(el|al|ben|bin|ibn|ait|ou|ould)\s+")
_GLUED = re.compile(r"^(el|al)(?=[a-z]{4,})")
NAMES = ("first_name", "last_name", "father_first_name", "mother_first_name", "mother_last_name")


def _plain(text: str) -> str:
    return re.sub(r"[^a-z ]+", " ", fold(text).replace("-", " ")).strip() if text else ""


def _core(text: str) -> str:
    """Family name without its particle, words glued: "El Idrissi", "el-idrissi", "Elidrissi" → idrissi."""
    t = _plain(text)
    t = _PARTICLE.sub("", t)
    t = t.replace(" ", "")
    return _GLUED.sub("", t)


def _dm(text: str) -> list[str] | None:
    from doublemetaphone import doublemetaphone

    if not text:
        return None
    primary, alternate = doublemetaphone(text)
    codes = [c for c in (primary, alternate) if c]
    return codes or None


def _clean(df: pd.DataFrame, id_column: str, lenient_dates: bool) -> pd.DataFrame:
    out = pd.DataFrame({"unique_id": df[id_column].astype(str)})
    for f in NAMES:
        values = df[f].fillna("").astype(str) if f in df else pd.Series([""] * len(df))
        if f in ("first_name", "father_first_name", "mother_first_name"):
            # A compound given name is often shortened to its first word.
            cleaned = {v: (_plain(v).split(" ")[0] if _plain(v) else "") for v in values.unique()}
        else:
            cleaned = {v: _core(v) for v in values.unique()}
        col = values.map(cleaned)
        out[f] = col.replace("", None)
        codes = {v: _dm(v) for v in col.unique()}
        out[f + "_dm"] = col.map(codes)
    places = df["birth_place"].fillna("").astype(str)
    out["birth_place"] = places.map({v: (_plain(v).replace(" ", "") or None) for v in places.unique()})
    out["sex"] = df["sex"].fillna("").astype(str).str.upper().replace("", None) if "sex" in df else None

    def iso(text: str) -> tuple[str | None, str | None]:
        try:
            d = parse_date(text, lenient=lenient_dates)
        except DateError:
            return None, None
        if not d.year:
            return None, None
        full = f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if d.day else None
        return full, f"{d.year:04d}"

    dates = df["birth_date"].fillna("").astype(str)
    mapping = {v: iso(v) for v in dates.unique()}
    out["birth_date"] = dates.map(lambda v: mapping[v][0])
    out["birth_year"] = dates.map(lambda v: mapping[v][1])
    return out


def run_splink_practitioner(
    register_csv: str, queries: pd.DataFrame, single_requests: int = 5
) -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.monotonic()
    register = _clean(pd.read_csv(register_csv, dtype=str, keep_default_na=False), "national_id", False)
    requests = _clean(queries, "request_id", True)
    prep_seconds = time.monotonic() - started

    db_api = DuckDBAPI()
    left = db_api.register(register, dataset_display_name="register")
    right = db_api.register(requests, dataset_display_name="requests")
    blocking = [
        block_on("first_name", "last_name"),
        "l.first_name = r.last_name and l.last_name = r.first_name",
        block_on("last_name_dm[1]", "birth_year"),
        block_on("first_name_dm[1]", "birth_date"),
        block_on("birth_date", "birth_place"),
        block_on("father_first_name_dm[1]", "mother_first_name_dm[1]", "mother_last_name_dm[1]"),
        block_on("father_first_name", "mother_last_name", "birth_year"),
        block_on("mother_first_name", "mother_last_name", "birth_place"),
    ]

    def name(col: str, tf: bool) -> Any:
        c = cl.NameComparison(col, dmeta_col_name=col + "_dm")
        return c.configure(term_frequency_adjustments=True) if tf else c

    settings = SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=0.7 / max(len(register), 1),
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            name("first_name", True),
            name("last_name", True),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.JaroWinklerAtThresholds("birth_place", [0.9]).configure(term_frequency_adjustments=True),
            name("father_first_name", True),
            name("mother_first_name", True),
            name("mother_last_name", True),
            cl.ExactMatch("sex"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=None)
    t = time.monotonic()
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("father_first_name", "mother_first_name", "mother_last_name")
    )
    train_seconds = time.monotonic() - t

    t = time.monotonic()
    predictions = linker.inference.predict(threshold_match_weight=-10).as_pandas_dataframe()
    predict_seconds = time.monotonic() - t
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
    top = {rid: list(zip(g["national_id"], g["p"], strict=True)) for rid, g in ranked.groupby("request_id")}
    single = []
    for i in range(min(single_requests, len(requests))):
        one = db_api.register(requests.iloc[[i]], dataset_display_name=f"one_{i}")
        t = time.monotonic()
        linker.inference.predict_between(left, one, threshold_match_weight=-10).as_pandas_dataframe()
        single.append(time.monotonic() - t)
    return {
        "prep_seconds": prep_seconds,
        "train_seconds": train_seconds,
        "predict_seconds": predict_seconds,
        "pairs_scored": int(len(predictions)),
        "single_request_seconds": sorted(single),
        "top": top,
    }
