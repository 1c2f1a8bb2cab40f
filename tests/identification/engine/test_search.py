"""Searching the register: who comes first, which band, and what the explanation says."""

from __future__ import annotations

from gmmp.identification.engine import Candidate, Engine, Query, make_queries

from .conftest import REGISTER_PEOPLE


def _query_for(record: dict[str, str], **changes: object) -> Query:
    fields = {
        k: record[k]
        for k in (
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "birth_place",
            "father_first_name",
            "mother_first_name",
            "mother_last_name",
        )
    }
    fields.update(changes)
    return Query(**fields)  # type: ignore[arg-type]


def _person_with_full_date(population, start=0):
    for i in range(start, population.n_register):
        rec = population.record(i)
        if (
            len(rec["birth_date"]) == 10
            and not rec["birth_date"].endswith("-01-01")
            and int(rec["birth_date"][8:]) <= 12
            and rec["birth_date"][8:] != rec["birth_date"][5:7]
        ):
            return rec
    raise AssertionError("no person with a full date")


def _outcome(candidate: Candidate, field: str) -> str:
    return next(e.outcome for e in candidate.explanation if e.field == field)


def test_a_request_copied_from_the_register_finds_the_person_strong(engine: Engine, population):
    rec = _person_with_full_date(population)
    best = engine.search(_query_for(rec))[0]
    assert best.national_id == rec["national_id"]
    assert best.band == "strong"
    assert best.record["last_name"] == rec["last_name"]


def test_spelling_variants_swapped_names_and_a_district_still_find_the_person(engine: Engine, population):
    rec = next(
        population.record(i)
        for i in range(population.n_register)
        if population.record(i)["birth_place"] == "Casablanca"
    )
    query = _query_for(
        rec, first_name=rec["last_name"].upper(), last_name=rec["first_name"], birth_place="Mers Sultan"
    )
    best = engine.search(query)[0]
    assert best.national_id == rec["national_id"]
    assert next(e.note for e in best.explanation if e.field == "first_name") == "read_swapped"
    place = next(e for e in best.explanation if e.field == "birth_place")
    assert place.outcome == "variant" and place.note_args["place"] == "Casablanca"


def test_a_year_alone_agrees_partially_with_a_full_date(engine: Engine, population):
    rec = _person_with_full_date(population)
    best = engine.search(_query_for(rec, birth_date=rec["birth_date"][:4]))[0]
    assert best.national_id == rec["national_id"]
    assert _outcome(best, "birth_date") == "partial"


def test_first_of_january_is_read_as_a_placeholder_not_a_disagreement(engine: Engine, population):
    rec = _person_with_full_date(population)
    best = engine.search(_query_for(rec, birth_date=rec["birth_date"][:4] + "-01-01"))[0]
    assert best.national_id == rec["national_id"]
    date = next(e for e in best.explanation if e.field == "birth_date")
    assert date.outcome == "partial" and date.note == "date_same_year_partial"
    assert date.weight > 0


def test_day_and_month_swapped_is_a_variant_of_the_date(engine: Engine, population):
    rec = _person_with_full_date(population)
    y, m, d = rec["birth_date"].split("-")
    best = engine.search(_query_for(rec, birth_date=f"{y}-{d}-{m}"))[0]
    assert best.national_id == rec["national_id"]
    date = next(e for e in best.explanation if e.field == "birth_date")
    assert date.outcome == "variant" and date.note == "date_day_month_swapped"


def test_a_french_written_date_is_understood(engine: Engine, population):
    rec = _person_with_full_date(population)
    y, m, d = rec["birth_date"].split("-")
    best = engine.search(_query_for(rec, birth_date=f"{d}/{m}/{y}"))[0]
    assert best.national_id == rec["national_id"] and _outcome(best, "birth_date") == "exact"


def test_a_false_declared_name_is_found_through_parents_and_birth(engine: Engine, population):
    rec = _person_with_full_date(population)
    query = _query_for(rec, first_name="Jean", last_name="Dupont")
    best = engine.search(query)[0]
    assert best.national_id == rec["national_id"]
    assert _outcome(best, "first_name") == "disagree"


def test_a_false_declared_name_without_date_or_place_is_found_through_the_parents(engine: Engine, population):
    rec = _person_with_full_date(population)
    query = _query_for(rec, first_name="Jean", last_name="Dupont", birth_date="", birth_place="")
    candidates = engine.search(query)
    assert rec["national_id"] in [c.national_id for c in candidates]
    found = next(c for c in candidates if c.national_id == rec["national_id"])
    first = next(e for e in found.explanation if e.field == "first_name")
    assert first.outcome == "disagree" and first.note == "name_set_aside"
    assert found.band != "strong"  # parents alone do not tell siblings apart


def test_a_false_declared_name_costs_a_flat_weight_not_both_disagreements(engine: Engine, population):
    rec = _person_with_full_date(population)
    best = engine.search(_query_for(rec, first_name="Jean", last_name="Dupont"))[0]
    names = [e.weight for e in best.explanation if e.field in ("first_name", "last_name")]
    assert sum(names) == -4.0


def test_the_real_name_given_as_an_alias_is_used(engine: Engine, population):
    rec = _person_with_full_date(population)
    query = _query_for(
        rec,
        first_name="Jean",
        last_name="Dupont",
        aliases=[f"{rec['first_name']} {rec['last_name']}"],
        father_first_name="",
        mother_first_name="",
        mother_last_name="",
    )
    best = engine.search(query)[0]
    assert best.national_id == rec["national_id"]
    assert next(e.note for e in best.explanation if e.field == "last_name") == "read_alias"


def test_a_person_not_in_the_register_does_not_come_out_strong(engine: Engine, population):
    # Held-out people come from the same families: some are siblings of registered people.
    for i in range(population.n_register, population.n_register + 200):
        rec = population.record(i)
        candidates = engine.search(_query_for(rec))
        assert not candidates or candidates[0].band != "strong", (rec, candidates[0].why)


def test_a_sibling_is_never_strong_for_a_brother_or_sister(engine: Engine, population):
    by_family: dict[int, list[int]] = {}
    for i in range(population.n_register):
        by_family.setdefault(int(population.family[i]), []).append(i)
    siblings = [members for members in by_family.values() if len(members) >= 2][:30]
    assert siblings
    checked = 0
    for a, b, *_ in siblings:
        ra, rb = population.record(a), population.record(b)
        if ra["first_name"] == rb["first_name"] or ra["birth_date"][:4] == rb["birth_date"][:4]:
            continue  # then the request really does describe a
        checked += 1
        # The request describes a with b's given name and b's date: it must not be a strong a.
        query = _query_for(ra, first_name=rb["first_name"] + "x", birth_date=rb["birth_date"][:4])
        for c in engine.search(query):
            assert not (c.band == "strong" and c.national_id == ra["national_id"])
    assert checked >= 10


def test_only_the_best_candidate_can_be_strong_and_candidates_are_best_first(engine: Engine, population):
    rec = population.record(7)
    candidates = engine.search(Query(first_name=rec["first_name"], last_name=rec["last_name"]), limit=5)
    assert len(candidates) <= 5
    assert all(c.band != "strong" for c in candidates[1:])
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_common_names_and_a_year_alone_are_not_enough_for_strong(engine: Engine):
    candidates = engine.search(Query(first_name="Mohamed", last_name="El Alaoui", birth_date="1980"))
    assert all(c.band != "strong" for c in candidates)


def test_the_why_line_names_agreeing_and_disagreeing_fields(engine: Engine, population):
    rec = _person_with_full_date(population)
    best = engine.search(_query_for(rec, mother_first_name="Zzzzzz"))[0]
    assert "date of birth exact" in best.why
    assert "disagrees: mother's first name" in best.why


def test_generated_requests_are_found_and_strong_is_precise(engine: Engine, population):
    queries = make_queries(population, 300, seed=303, unregistered_share=0.3)
    found_in_5 = registered = strong = strong_right = unregistered_strong = 0
    for gq in queries:
        from gmmp.identification.engine import query_from_row

        candidates = engine.search(query_from_row({**gq.fields}))
        top = candidates[0] if candidates else None
        if gq.true_national_id:
            registered += 1
            found_in_5 += gq.true_national_id in [c.national_id for c in candidates]
        elif top and top.band == "strong":
            unregistered_strong += 1
        if top and top.band == "strong":
            strong += 1
            strong_right += top.national_id == gq.true_national_id
    assert registered and strong
    assert found_in_5 / registered >= 0.95
    assert strong_right == strong
    assert unregistered_strong == 0


def test_engine_reports_its_model_version_and_size(engine: Engine):
    assert engine.model_version.startswith("fs-")
    assert engine.count == REGISTER_PEOPLE
