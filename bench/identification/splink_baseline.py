"""Splink 5 on DuckDB over the same register and requests: the reference linker.

Both sides get the same light cleaning a Splink user would write (lower case, accents and
punctuation removed, dates parsed to ISO) but none of the engine's variant knowledge.
The model is trained the usual Splink way, without labels: u by random sampling, m by EM
in two sessions (blocked on date of birth, then on the names). Predictions are the
blocked link_only pairs between the register and the requests, ranked per request.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from gmmp.identification.engine.normalize import DateError, fold, parse_date

FIELDS = [
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_place",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
]


def _clean(df: pd.DataFrame, id_column: str, lenient_dates: bool) -> pd.DataFrame:
    out = pd.DataFrame({"unique_id": df[id_column].astype(str)})
    for f in (
        "first_name",
        "last_name",
        "birth_place",
        "father_first_name",
        "mother_first_name",
        "mother_last_name",
    ):
        values = df[f].fillna("").astype(str)
        mapping = {v: (fold(v) or None) for v in values.unique()}
        out[f] = values.map(mapping)
    out["sex"] = df["sex"].fillna("").astype(str).str.upper().replace("", None)

    def iso(text: str) -> str | None:
        try:
            return str(parse_date(text, lenient=lenient_dates)) or None
        except DateError:
            return None

    dates = df["birth_date"].fillna("").astype(str)
    mapping = {v: iso(v) for v in dates.unique()}
    out["birth_date"] = dates.map(mapping)
    out["birth_year"] = out["birth_date"].str.slice(0, 4)
    return out


def run_splink(register_csv: str, queries: pd.DataFrame, single_requests: int = 10) -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.monotonic()
    register = _clean(
        pd.read_csv(register_csv, dtype=str, keep_default_na=False), "national_id", lenient_dates=False
    )
    requests = _clean(queries, "request_id", lenient_dates=True)
    prep_seconds = time.monotonic() - started

    db_api = DuckDBAPI()
    left = db_api.register(register, dataset_display_name="register")
    right = db_api.register(requests, dataset_display_name="requests")
    blocking = [
        block_on("first_name", "last_name"),
        "l.first_name = r.last_name and l.last_name = r.first_name",
        block_on("last_name", "birth_year"),
        block_on("birth_date", "birth_place"),
        block_on("father_first_name", "mother_first_name", "birth_year"),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=0.7 / max(len(register), 1),
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.92, 0.85]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("last_name", [0.92, 0.85]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("father_first_name", [0.92]),
            cl.JaroWinklerAtThresholds("mother_first_name", [0.92]),
            cl.JaroWinklerAtThresholds("mother_last_name", [0.92]),
            cl.ExactMatch("sex"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=None)
    t = time.monotonic()
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    train_seconds = time.monotonic() - t

    t = time.monotonic()
    predictions = linker.inference.predict(threshold_match_weight=-10).as_pandas_dataframe()
    predict_seconds = time.monotonic() - t

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
    top = {rid: list(zip(g["national_id"], g["p"], strict=True)) for rid, g in ranked.groupby("request_id")}

    # Single-request latency: one request scored against the whole register, as a web
    # request would need it.
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
