"""The band rule, pinned on small hand-built cases (bands.py)."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from gmmp.identification.engine import Engine, Query, RegisterStore, calibration
from gmmp.identification.engine.bands import MIN_RELATIVES, Families, band
from gmmp.identification.engine.model import (
    D_EXACT,
    D_NEAR,
    D_SWAP,
    D_YEAR_DIFF,
    D_YEAR_PARTIAL,
    DISAGREE,
    EXACT,
    FUZZY,
    M_FLOOR,
    MISSING,
    VARIANT,
    Model,
    with_m_floor,
)
from gmmp.identification.engine.normalize import compare_names
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


# A register that shows no families at all (no parents, no family name shared with a place beyond
# chance), and siblings never born the same year: what learn_families reads from such a register.
NO_FAMILIES = Families(
    relatives=MIN_RELATIVES, date_u={**Families().date_u, D_YEAR_PARTIAL: 0.002, D_YEAR_DIFF: 0.002}
)


@pytest.mark.parametrize("first_name", [DISAGREE, FUZZY])
@pytest.mark.parametrize("date", [D_YEAR_PARTIAL, D_YEAR_DIFF])
def test_a_sibling_born_the_same_year_is_never_strong_even_where_the_register_shows_no_families(
    first_name, date
):
    levels = _levels(first_name=first_name, birth_date=date)
    verdict = band(MODEL, 0, 1.0, 40.0, levels, {"first_name": 2.2, "sex": 1.0}, NO_FAMILIES)
    assert (verdict.band, verdict.reason) == ("possible", "relative_not_excluded")


def test_the_same_evidence_is_strong_where_the_register_shows_no_families_and_possible_where_it_has_many():
    # The given name agrees but is common, the date is the year only: against a relative that
    # is telling only if relatives are rare.
    levels = _levels(first_name=VARIANT, birth_date=D_YEAR_PARTIAL)
    weights = {"first_name": 3.5, "sex": 1.0}
    assert band(MODEL, 0, 1.0, 30.0, levels, weights, NO_FAMILIES).band == "strong"
    many = Families(relatives=4.0)
    verdict = band(MODEL, 0, 1.0, 30.0, levels, weights, many)
    assert (verdict.band, verdict.reason) == ("possible", "relative_not_excluded")


def test_a_year_apart_tells_more_where_siblings_are_rarely_a_year_apart():
    levels = _levels(first_name=EXACT, birth_date=D_NEAR)
    weights = {"first_name": 4.0, "sex": 1.0}
    often = Families(relatives=2.0, date_u={**Families().date_u, D_NEAR: 0.4})
    rarely = Families(relatives=2.0, date_u={**Families().date_u, D_NEAR: 0.01})
    assert band(MODEL, 0, 1.0, 30.0, levels, weights, often).band == "possible"
    assert band(MODEL, 0, 1.0, 30.0, levels, weights, rarely).band == "strong"


def test_an_agreeing_given_name_tells_more_where_families_never_repeat_a_name():
    levels = _levels(first_name=EXACT, birth_date=D_YEAR_PARTIAL)
    weights = {"first_name": 3.0, "sex": 1.0}
    repeating = Families(relatives=2.0, given_name_ratio=1.0)
    never = Families(relatives=2.0, given_name_ratio=0.1)
    assert band(MODEL, 0, 1.0, 30.0, levels, weights, repeating).reason == "relative_not_excluded"
    assert band(MODEL, 0, 1.0, 30.0, levels, weights, never).band == "strong"
    # A given name that does not agree gains nothing from it: a brother stays possible.
    other = _levels(first_name=DISAGREE, birth_date=D_YEAR_PARTIAL)
    assert band(MODEL, 0, 1.0, 30.0, other, {"first_name": -4.0, "sex": 1.0}, never).band == "possible"


def test_a_false_declared_name_with_the_day_and_month_swapped_is_not_strong_when_twins_are_common():
    # Parents, place and date (read day/month swapped) agree: only the date tells a twin apart.
    levels = _levels(hypothesis=SET_ASIDE, first_name=DISAGREE, last_name=DISAGREE, birth_date=D_SWAP)
    verdict = band(MODEL, 0, 1.0, 30.0, levels, {"first_name": -2.0, "last_name": -2.0, "sex": 1.0})
    assert (verdict.band, verdict.reason) == ("possible", "relative_not_excluded")


def _write_register(path, people):
    fields = ["national_id", "first_name", "last_name", "sex", "birth_date", "birth_place"]
    fields += ["father_first_name", "mother_first_name", "mother_last_name"]
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fields)
        writer.writeheader()
        writer.writerows(people)


def test_the_engine_learns_from_the_register_how_many_relatives_people_have_and_how_far_apart_siblings_are(
    tmp_path,
):
    given = ["Karim", "Youssef", "Hicham", "Omar", "Driss", "Anas"]
    fathers = ["Abdelkader", "Miloud", "Jilali", "Larbi", "Mbarek", "Allal", "Kacem", "Tahar"]
    mothers = ["Rkia", "Itto", "Zoubida", "Touria", "Habiba", "Mina", "Tamou", "Batoul"]
    syllables = ["ba", "ko", "ri", "tu", "me", "za", "lo", "fi"]
    # Forty distinct words (family names, places) without digits, which names drop.
    words = [f"{a}{b}{c}".capitalize() for a in syllables[:5] for b in syllables[3:] for c in ("n", "d")][:40]
    families, loners = [], []
    for f in range(40):
        for child in range(3):  # three brothers, three years apart: never the same year
            families.append(
                {
                    "national_id": f"F{f:03d}{child}",
                    "first_name": given[child],
                    "last_name": f"Ben{words[f].lower()}",
                    "sex": "M",
                    "birth_date": f"{1960 + f % 20 + 3 * child}-0{1 + child}-1{child}",
                    "birth_place": "Fès",
                    "father_first_name": fathers[f % 8],
                    "mother_first_name": mothers[(f // 8) % 8],
                    "mother_last_name": f"El {words[f]}",
                }
            )
        loners.append(
            {
                "national_id": f"L{f:03d}",
                "first_name": given[f % 6],
                "last_name": f"Ait {words[f]}",
                "sex": "M",
                "birth_date": f"{1950 + f}-05-0{1 + f % 9}",
                "birth_place": f"Dar {words[f]}",
                "father_first_name": "",
                "mother_first_name": "",
                "mother_last_name": "",
            }
        )
    _write_register(tmp_path / "families.csv", families)
    _write_register(tmp_path / "loners.csv", loners)
    RegisterStore(tmp_path / "f").import_csv(tmp_path / "families.csv")
    RegisterStore(tmp_path / "l").import_csv(tmp_path / "loners.csv")
    with_families = Engine.open(tmp_path / "f").tables.families
    without = Engine.open(tmp_path / "l").tables.families
    assert 1.5 < with_families.relatives <= 2.0  # two brothers each
    assert with_families.sibling_pairs >= 60
    assert with_families.date_u[D_YEAR_PARTIAL] < Families().date_u[D_YEAR_PARTIAL] / 2
    assert with_families.given_name_ratio < 0.5  # brothers never share a given name here
    assert without.relatives == MIN_RELATIVES
    assert without.given_name_ratio == 1.0
    assert without.date_u == Families().date_u  # nothing to learn from: the stated assumptions


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

LOUBNA = {
    "national_id": "HB0000003",
    "first_name": "Loubna",
    "last_name": "Zniber",
    "sex": "F",
    "birth_date": "1991-10-05",
    "birth_place": "Oujda",
    "father_first_name": "Miloud",
    "mother_first_name": "Zoubida",
    "mother_last_name": "Chraibi",
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
        writer.writerows([KARIM, HICHAM, LOUBNA])
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


def test_the_engine_reads_one_letter_changed_at_the_start_of_a_name_as_fuzzy_as_the_ladder_does(hand_engine):
    # The column comparison (compare.compare_names, similarity memo) and the scalar ladder agree.
    query = Query(first_name="Harim", sex="M", birth_date="1988-03-14", **FAMILY)
    best = hand_engine.search(query)[0]
    assert best.national_id == KARIM["national_id"]
    outcome = {x.field: x.outcome for x in best.explanation}
    assert outcome["first_name"] == "fuzzy"


@pytest.mark.parametrize(
    ("person", "first_name"), [(KARIM, "Krm"), (HICHAM, "Hchm"), (LOUBNA, "Loubne"), (LOUBNA, "Lbn")]
)
def test_the_engine_reads_a_name_without_vowels_or_with_a_final_e_as_fuzzy_as_the_ladder_does(
    hand_engine, person, first_name
):
    fields = {k: v for k, v in person.items() if k not in ("national_id", "first_name", "sex")}
    best = hand_engine.search(Query(first_name=first_name, **fields))[0]
    assert best.national_id == person["national_id"]
    outcome = {x.field: x.outcome for x in best.explanation}
    kb = hand_engine.kb
    assert outcome["first_name"] == compare_names(kb.name_key(first_name), kb.name_key(person["first_name"]))
    assert outcome["first_name"] == "fuzzy"


@pytest.mark.parametrize(
    ("field", "value", "outcome"),
    [
        ("last_name", "Elzniber", "variant"),
        ("last_name", "Ait Zniber", "fuzzy"),
        ("mother_last_name", "Elchraibi", "variant"),
    ],
)
def test_the_engine_reads_a_glued_article_and_a_dropped_particle_as_the_ladder_does(
    hand_engine, field, value, outcome
):
    fields = {k: v for k, v in LOUBNA.items() if k != "national_id"}
    best = hand_engine.search(Query(**{**fields, field: value}))[0]
    assert best.national_id == LOUBNA["national_id"]
    read = {x.field: x.outcome for x in best.explanation}
    kb = hand_engine.kb
    assert (
        read[field]
        == compare_names(kb.name_key(value), kb.name_key(LOUBNA[field]), family_name=True)
        == outcome
    )


def test_a_place_one_typo_away_weighs_at_most_what_the_place_written_right_does(hand_engine):
    fields = {k: v for k, v in HICHAM.items() if k != "national_id"}

    def place(value):
        best = hand_engine.search(Query(**{**fields, "birth_place": value}))[0]
        assert best.national_id == HICHAM["national_id"]
        return next(x for x in best.explanation if x.field == "birth_place")

    right, typo = place("Meknès"), place("Meknas")
    assert (right.outcome, typo.outcome) == ("exact", "fuzzy")
    assert typo.weight <= right.weight


def test_a_sister_is_not_read_as_fuzzy_for_her_brother_through_the_final_e_rule(hand_engine):
    # Karima against Karim: a man's and a woman's name, whatever the final-e rule allows.
    query = Query(first_name="Karima", birth_date="1988-03-14", **FAMILY)
    for c in hand_engine.search(query):
        if c.national_id == KARIM["national_id"]:
            outcome = {x.field: x.outcome for x in c.explanation}
            assert outcome["first_name"] == "disagree"


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


# -- the model side of the odds ----------------------------------------------------------------------


def test_not_registered_counts_its_own_prior_share_in_the_odds_against_the_rest():
    from gmmp.identification.engine.engine import _log2_sum_except

    unregistered = math.log2(1 - MODEL.bands["prior_in_register"])
    # A lone candidate: the rest is "not registered" alone, weighed by its prior share (0.3), not by 1.
    assert _log2_sum_except(np.array([12.0, -60.0]), 0, unregistered) == pytest.approx(unregistered)
    # A runner-up as likely as "not registered" doubles the mass against the best.
    both = _log2_sum_except(np.array([12.0, unregistered]), 0, unregistered)
    assert both == pytest.approx(unregistered + 1)


def test_no_comparison_level_is_impossible_for_the_same_person_in_the_packaged_model():
    for field_name, p in MODEL.probabilities.items():
        assert min(p["m"].values()) >= M_FLOOR * 0.95, field_name  # renormalised after the floor
        assert sum(p["m"].values()) == pytest.approx(1.0, abs=1e-4), field_name


def test_the_m_floor_keeps_a_level_never_seen_in_training_from_costing_ten_bits():
    probabilities = {
        "birth_place": {"m": {"exact": 0.999, "disagree": 0.001}, "u": {"exact": 0.05, "disagree": 0.95}}
    }
    floored = with_m_floor(probabilities)["birth_place"]
    assert math.log2(floored["m"]["disagree"] / 0.95) > -7
    assert floored["m"]["exact"] == pytest.approx(0.999 / 1.009, abs=1e-6)


# -- the strong bar calibrated on the register (calibration.py) --------------------------------------


def test_the_strong_bars_are_calibrated_on_the_register_when_it_is_imported(engine):
    data = json.loads((engine.gen.path / calibration.CALIBRATION_FILE).read_text(encoding="utf-8"))
    assert data["model"] == engine.model_version
    assert data["people"] == min(calibration.CALIBRATION_SAMPLE, engine.count // 10)
    odds_bar, family_bar = data["strong_odds_bits"], data["strong_family_bits"]
    assert calibration.MIN_STRONG_ODDS_BITS <= odds_bar <= MODEL.bands["strong_odds_bits"]
    assert calibration.MIN_STRONG_FAMILY_BITS <= family_bar <= MODEL.bands["strong_family_bits"]
    assert (engine.tables.strong_odds_bits, engine.tables.strong_family_bits) == (odds_bar, family_bar)
    # A bar one bit below the calibrated one gives no more strong answers to unregistered people
    # than the model's own bar.
    for key, bar, model_bar in (
        ("strong_as_unregistered_by_odds_bar", odds_bar, MODEL.bands["strong_odds_bits"]),
        ("strong_as_unregistered_by_family_bar", family_bar, MODEL.bands["strong_family_bits"]),
    ):
        counts = data[key]
        assert counts[f"{bar - calibration.MARGIN_BITS:.1f}"] <= counts[f"{model_bar:.1f}"]


def test_the_lowest_safe_bar_keeps_a_bit_of_margin_below_it():
    counts = {2.0: 3, 2.5: 1, 3.0: 0, 3.5: 0, 4.0: 0, 4.5: 0, 5.0: 0}
    assert calibration._lowest_safe_bar(counts, 2.0) == 4.0  # 3.0 is the first clean bar; 4.0 keeps 1 bit
    assert calibration._lowest_safe_bar(counts, 4.5) == 4.5  # never below the floor
    stubborn = {2.0: 2, 3.0: 1, 4.0: 1, 5.0: 1}  # a record held twice is strong at any bar
    assert calibration._lowest_safe_bar(stubborn, 2.0) == 4.0


def test_a_calibration_made_for_another_model_is_not_used(engine):
    assert calibration.strong_bars(engine.gen.path, "fs-another", (8.0, 6.0)) == (8.0, 6.0)


def test_the_calibrated_bars_are_what_the_band_reads():
    levels = _levels(first_name=EXACT, birth_date=D_EXACT)
    weights = {"first_name": 5.0, "sex": 1.0}
    assert band(MODEL, 0, 1.0, 5.0, levels, weights).band == "possible"
    assert band(MODEL, 0, 1.0, 5.0, levels, weights, odds_bar=4.0).band == "strong"
    near = _levels(first_name=EXACT, birth_date=D_NEAR)
    many = Families(relatives=2.0)
    rare_name = {"first_name": 6.0, "sex": 1.0}
    assert band(MODEL, 0, 1.0, 30.0, near, rare_name, many).reason == "relative_not_excluded"
    assert band(MODEL, 0, 1.0, 30.0, near, rare_name, many, family_bar=3.0).band == "strong"


def test_a_register_too_small_to_say_anything_keeps_the_models_bar(tmp_path):
    _write_register(tmp_path / "tiny.csv", [{**KARIM}, {**HICHAM}])
    RegisterStore(tmp_path / "s").import_csv(tmp_path / "tiny.csv")
    engine = Engine.open(tmp_path / "s")
    assert not (engine.gen.path / calibration.CALIBRATION_FILE).exists()
    assert (engine.tables.strong_odds_bits, engine.tables.strong_family_bits) == (
        MODEL.bands["strong_odds_bits"],
        MODEL.bands["strong_family_bits"],
    )
