"""The band rule, pinned on small hand-built cases (bands.py)."""

from __future__ import annotations

import csv

import pytest

from gmmp.identification.engine import Engine, Query, RegisterStore
from gmmp.identification.engine.bands import band
from gmmp.identification.engine.model import (
    D_EXACT,
    D_YEAR_PARTIAL,
    DISAGREE,
    EXACT,
    FUZZY,
    MISSING,
    Model,
)
from gmmp.identification.engine.query import SET_ASIDE

MODEL = Model.load()
SAME_FAMILY = {
    "last_name": EXACT,
    "father_first_name": EXACT,
    "mother_first_name": EXACT,
    "mother_last_name": EXACT,
}


def _levels(**kw):
    return {"hypothesis": "declared", "sex": EXACT, "birth_place": EXACT, **SAME_FAMILY, **kw}


# -- the rule alone ---------------------------------------------------------------------------
def test_a_sibling_born_the_same_year_is_never_strong_however_high_the_score():
    # Everything a family shares agrees; the given name does not; the year agrees.
    levels = _levels(first_name=DISAGREE, birth_date=D_YEAR_PARTIAL)
    verdict = band(MODEL, 0, 1.0, 40.0, levels, {"first_name": -4.1, "sex": 1.0})
    assert verdict.band == "possible"
    assert verdict.reason == "relative_not_excluded"


def test_a_sibling_whose_given_name_is_only_close_and_born_the_same_year_is_not_strong():
    levels = _levels(first_name=FUZZY, birth_date=D_YEAR_PARTIAL)
    verdict = band(MODEL, 0, 1.0, 40.0, levels, {"first_name": 2.2, "sex": 1.0})
    assert verdict.band != "strong"


def test_the_given_name_and_the_full_date_tell_the_person_from_a_sibling():
    levels = _levels(first_name=EXACT, birth_date=D_EXACT)
    verdict = band(MODEL, 0, 1.0, 25.0, levels, {"first_name": 5.0, "sex": 1.0})
    assert (verdict.band, verdict.reason) == ("strong", "strong")
    assert verdict.confidence > 0


def test_a_close_runner_up_keeps_the_best_candidate_possible():
    levels = _levels(first_name=EXACT, birth_date=D_EXACT)
    verdict = band(MODEL, 0, 1.0, 3.0, levels, {"first_name": 5.0, "sex": 1.0})
    assert (verdict.band, verdict.reason) == ("possible", "runner_up_close")


def test_only_the_best_candidate_can_be_strong():
    levels = _levels(first_name=EXACT, birth_date=D_EXACT)
    assert band(MODEL, 1, 1.0, 25.0, levels, {"first_name": 5.0, "sex": 1.0}).band == "possible"


@pytest.mark.parametrize(
    "missing",
    [
        {"birth_date": D_YEAR_PARTIAL},  # the year only
        {"birth_place": MISSING},
        {"mother_last_name": MISSING},
        {"father_first_name": DISAGREE},
    ],
)
def test_a_false_declared_name_found_through_the_parents_is_at_most_possible_without_birth_and_parents(
    missing,
):
    levels = _levels(hypothesis=SET_ASIDE, first_name=DISAGREE, last_name=DISAGREE, birth_date=D_EXACT)
    levels.update(missing)
    verdict = band(MODEL, 0, 1.0, 30.0, levels, {"first_name": -2.0, "last_name": -2.0, "sex": 1.0})
    assert verdict.band == "possible"


def test_a_false_declared_name_with_the_full_birth_and_both_parents_may_be_strong():
    levels = _levels(hypothesis=SET_ASIDE, first_name=DISAGREE, last_name=DISAGREE, birth_date=D_EXACT)
    verdict = band(MODEL, 0, 1.0, 30.0, levels, {"first_name": -2.0, "last_name": -2.0, "sex": 1.0})
    assert (verdict.band, verdict.reason) == ("strong", "strong_through_parents")


# -- the same cases through the whole engine, on a hand-built register ------------------------------
FAMILY = {
    "last_name": "Bennani",
    "birth_place": "Fès",
    "father_first_name": "Abdelkader",
    "mother_first_name": "Rkia",
    "mother_last_name": "Tazi",
}
KARIM = {"national_id": "HB0000001", "first_name": "Karim", "sex": "M", "birth_date": "1988-03-14", **FAMILY}
HICHAM = {
    "national_id": "HB0000002",
    "first_name": "Hicham",
    "last_name": "Alaoui",
    "sex": "M",
    "birth_date": "1979-06-21",
    "birth_place": "Meknès",
    "father_first_name": "Driss",
    "mother_first_name": "Naima",
    "mother_last_name": "Berrada",
}


@pytest.fixture(scope="module")
def hand_engine(tmp_path_factory, register_csv):
    """The tests' generated register plus two hand-written people (Karim's brother is not in it)."""
    path = tmp_path_factory.mktemp("hand") / "register.csv"
    with open(register_csv, encoding="utf-8") as source, open(path, "w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(out, reader.fieldnames)
        writer.writeheader()
        writer.writerows(reader)
        writer.writerows([KARIM, HICHAM])
    directory = path.parent / "store"
    RegisterStore(directory).import_csv(path)
    return Engine.open(directory)


def test_the_unregistered_brother_born_the_same_year_does_not_get_his_brother_as_strong(hand_engine):
    for date in ("1988-11-02", "1988"):
        query = Query(first_name="Youssef", sex="M", birth_date=date, **FAMILY)
        for c in hand_engine.search(query):
            assert not (c.national_id == KARIM["national_id"] and c.band == "strong"), (date, c.why)


def test_the_registered_brother_himself_is_strong(hand_engine):
    query = Query(first_name="Karim", sex="M", birth_date="1988-03-14", **FAMILY)
    best = hand_engine.search(query)[0]
    assert (best.national_id, best.band) == (KARIM["national_id"], "strong")


def _false_name(**changes):
    fields = {k: v for k, v in HICHAM.items() if k not in ("national_id", "first_name", "last_name")}
    return Query(first_name="Jean", last_name="Dupont", **{**fields, **changes})


@pytest.mark.parametrize(
    "changes",
    [{"birth_date": "1979"}, {"birth_place": ""}, {"mother_last_name": ""}, {"father_first_name": ""}],
)
def test_a_false_name_found_through_the_parents_without_the_full_birth_and_parents_is_not_strong(
    hand_engine, changes
):
    candidates = hand_engine.search(_false_name(**changes))
    hicham = [c for c in candidates if c.national_id == HICHAM["national_id"]]
    assert hicham, "found through the parents"
    assert hicham[0].band != "strong"


def test_a_false_name_with_the_full_birth_and_both_parents_is_strong(hand_engine):
    best = hand_engine.search(_false_name())[0]
    assert (best.national_id, best.band, best.band_reason) == (
        HICHAM["national_id"],
        "strong",
        "strong_through_parents",
    )
