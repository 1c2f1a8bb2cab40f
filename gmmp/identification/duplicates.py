"""Probable duplicates in the register: the same person under two national ids splits the evidence.

Splink's deduplication (``link_type="dedupe_only"``) on DuckDB, locally: names cleaned (case, accents,
particles El/Ben/Ait..., compound given names on their first word), Jaro–Winkler levels with term
frequencies on names and places, blocking on names, on the family name with the year, on the date with
the place, and on the parents; u by random sampling, m fixed at plausible values (EM, Splink's usual
way, underflows on registers of a few thousand people; on a national register add
``linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))``).
Each pair comes with the comparison level of every field, its explanation.

Splink and DuckDB are optional (``pip install -e ".[bench]"``). For a register that outgrows one
machine, the same settings run on Spark: build the linker with ``splink.SparkAPI(spark_session=...)``
instead of ``DuckDBAPI()`` over a Spark DataFrame of the register (e.g. the generation's columns
exported to Parquet), keep the blocking rules (they are what bounds the work), and write the pairs
with ``predictions.as_spark_dataframe().write.parquet(...)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .engine.columns import NAME_FIELDS
from .engine.normalize import fold
from .engine.store import RegisterStore

_PARTICLE = re.compile(r"^(el|al|ben|bin|ibn|ait|ou|ould)\s+")
FIELDS = (*NAME_FIELDS, "sex", "birth_date", "birth_place")


class DuplicatesUnavailable(RuntimeError):
    """Splink (and DuckDB) are not installed."""


@dataclass
class DuplicatePair:
    national_id_a: str
    national_id_b: str
    probability: float
    match_weight: float
    levels: dict[
        str, str
    ]  # field -> the comparison level Splink found ("exact match", "Jaro-Winkler >= 0.92"...)


def _plain(text: str) -> str:
    return re.sub(r"[^a-z ]+", " ", fold(text or "").replace("-", " ")).strip()


def _clean_name(field: str, text: str) -> str | None:
    t = _plain(text)
    if field in ("first_name", "father_first_name", "mother_first_name"):
        t = t.split(" ")[0] if t else ""
    else:
        t = _PARTICLE.sub("", t).replace(" ", "")
    return t or None


def register_frame(directory: str | Path):
    """The register in force as a pandas DataFrame of cleaned fields."""
    import pandas as pd

    gen = RegisterStore(directory).generation()
    if gen is None or gen.count == 0:
        return pd.DataFrame(columns=["unique_id", *FIELDS, "birth_year"])
    rows = [gen.record(i) for i in range(gen.count)]
    df = pd.DataFrame(rows)
    out = pd.DataFrame({"unique_id": df["national_id"]})
    for f in NAME_FIELDS:
        out[f] = [_clean_name(f, v) for v in df[f]]
    out["birth_place"] = [(_plain(v).replace(" ", "") or None) for v in df["birth_place"]]
    out["sex"] = df["sex"].replace("", None)
    full = df["birth_date"].where(df["birth_date"].str.len() == 10)
    out["birth_date"] = full.where(full.notna(), None)
    out["birth_year"] = df["birth_date"].str.slice(0, 4).replace("", None)
    return out


def find_duplicates(directory: str | Path, threshold: float = 0.9) -> list[DuplicatePair]:
    """Pairs of register records Splink finds at least ``threshold`` likely to be one person."""
    try:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError as exc:
        raise DuplicatesUnavailable('Splink is not installed: pip install -e ".[bench]"') from exc

    frame = register_frame(directory)
    if len(frame) < 2:
        return []
    db_api = DuckDBAPI()
    table = db_api.register(frame, dataset_display_name="register")
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"),
            {"blocking_rule": "l.first_name = r.last_name and l.last_name = r.first_name"},
            block_on("last_name", "birth_year"),
            block_on("birth_date", "birth_place"),
            block_on("father_first_name", "mother_first_name", "mother_last_name"),
        ],
        comparisons=[
            # m per level, best first then "all other": the same person written twice mostly agrees.
            cl.JaroWinklerAtThresholds("first_name", [0.92, 0.85]).configure(
                term_frequency_adjustments=True, m_probabilities=[0.85, 0.08, 0.03, 0.04]
            ),
            cl.JaroWinklerAtThresholds("last_name", [0.92, 0.85]).configure(
                term_frequency_adjustments=True, m_probabilities=[0.85, 0.08, 0.03, 0.04]
            ),
            cl.DateOfBirthComparison("birth_date", input_is_string=True).configure(
                m_probabilities=[0.85, 0.05, 0.03, 0.03, 0.02, 0.02]
            ),
            cl.ExactMatch("birth_place").configure(
                term_frequency_adjustments=True, m_probabilities=[0.9, 0.1]
            ),
            cl.JaroWinklerAtThresholds("father_first_name", [0.92]).configure(
                m_probabilities=[0.9, 0.05, 0.05]
            ),
            cl.JaroWinklerAtThresholds("mother_first_name", [0.92]).configure(
                m_probabilities=[0.9, 0.05, 0.05]
            ),
            cl.JaroWinklerAtThresholds("mother_last_name", [0.92]).configure(
                m_probabilities=[0.9, 0.05, 0.05]
            ),
            cl.ExactMatch("sex").configure(m_probabilities=[0.98, 0.02]),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(table, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    predictions = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    labels = _level_labels(linker)
    out = []
    for row in predictions.itertuples(index=False):
        rec = row._asdict()
        levels = {}
        for field, by_value in labels.items():
            gamma = rec.get(f"gamma_{field}")
            if gamma is not None and gamma != -1:
                levels[field] = by_value.get(int(gamma), str(gamma))
        out.append(
            DuplicatePair(
                str(rec["unique_id_l"]),
                str(rec["unique_id_r"]),
                float(rec["match_probability"]),
                float(rec["match_weight"]),
                levels,
            )
        )
    return sorted(out, key=lambda p: -p.match_weight)


def _level_labels(linker) -> dict[str, dict[int, str]]:  # noqa: ANN001
    """Splink's label of each comparison level, by field and gamma value."""
    out: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        field = comparison.output_column_name
        out[field] = {
            level.comparison_vector_value: level.label_for_charts for level in comparison.comparison_levels
        }
    return out
