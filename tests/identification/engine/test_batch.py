"""The batch contract (CSV of requests in, CSV of candidates out) and the terminal output."""

from __future__ import annotations

import csv

from gmmp.identification.engine import Engine, Query, format_candidates, generate_queries, identify_batch

from .conftest import REGISTER_PEOPLE, REGISTER_SEED


def test_identify_batch_writes_at_most_five_ranked_candidates_per_request(engine: Engine, tmp_path):
    queries = generate_queries(REGISTER_PEOPLE, REGISTER_SEED, 60, 404, tmp_path / "q.csv")
    out = tmp_path / "results.csv"
    assert identify_batch(engine, queries, out) == 60
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["request_id", "rank", "national_id", "score", "band", "why"]
        rows = list(reader)
    by_request: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_request.setdefault(row["request_id"], []).append(row)
    assert by_request
    for results in by_request.values():
        assert 1 <= len(results) <= 5
        assert [int(r["rank"]) for r in results] == list(range(1, len(results) + 1))
        scores = [float(r["score"]) for r in results]
        assert scores == sorted(scores, reverse=True)
        assert all(r["band"] in ("strong", "possible", "weak") and r["why"] for r in results)


def test_a_request_without_any_candidate_has_no_row(engine: Engine, tmp_path):
    queries = tmp_path / "q.csv"
    queries.write_text(
        "request_id,first_name,last_name,aliases,sex,birth_date,birth_place,father_first_name,mother_first_name,mother_last_name\n"
        "nobody,Xqzwv,Vwzqx,,,1899,Nowhere,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    assert identify_batch(engine, queries, out) == 1
    assert out.read_text(encoding="utf-8").strip().splitlines() == [
        "request_id,rank,national_id,score,band,why"
    ]


def test_format_candidates_shows_each_field_side_by_side(engine: Engine, population):
    rec = population.record(3)
    text = format_candidates(
        engine.search(
            Query(first_name=rec["first_name"], last_name=rec["last_name"], birth_date=rec["birth_date"])
        )
    )
    assert text.startswith("1. [")
    assert rec["national_id"] in text
    assert "first_name" in text and "birth_date" in text
    assert format_candidates([]) == "No candidate in the register."
