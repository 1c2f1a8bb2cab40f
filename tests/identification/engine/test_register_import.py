"""Importing the register: rejects with reasons, clear errors, atomic generations, upserts."""

from __future__ import annotations

import csv
import os
import shutil

import pytest

from gmmp.identification.engine import Engine, Query, RegisterImportError, RegisterStore

from .conftest import write_csv

HEADER = [
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
GOOD = [
    ["1000000001", "Mohamed", "El Idrissi", "M", "1990-07-14", "Casablanca", "Ahmed", "Fatima", "Bennani"],
    ["1000000002", "Khadija", "Benjelloun", "F", "1985", "Fès", "Omar", "Aicha", "Tazi"],
    ["1000000003", "Youssef", "Ait Ouarab", "M", "1979-03", "Errachidia", "Lahcen", "Zineb", "Ait Ali"],
]


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_clean_file_is_imported_and_each_person_can_be_read_back(tmp_path):
    store = RegisterStore(tmp_path / "store")
    report = store.import_csv(write_csv(tmp_path / "r.csv", HEADER, GOOD))
    assert (report.imported, report.updated, report.rejected) == (3, 0, 0)
    assert store.count() == 3
    assert store.get("1000000003") == {
        "national_id": "1000000003",
        "first_name": "Youssef",
        "last_name": "Ait Ouarab",
        "sex": "M",
        "birth_date": "1979-03",
        "birth_place": "Errachidia",
        "father_first_name": "Lahcen",
        "mother_first_name": "Zineb",
        "mother_last_name": "Ait Ali",
        "first_name_ar": "",
        "last_name_ar": "",
    }
    assert store.get("999") is None


def test_extra_columns_are_ignored_and_arabic_names_kept(tmp_path):
    header = [*HEADER, "first_name_ar", "last_name_ar", "remark"]
    rows = [[*GOOD[0], "محمد", "الإدريسي", "anything"]]
    store = RegisterStore(tmp_path / "store")
    store.import_csv(write_csv(tmp_path / "r.csv", header, rows))
    assert store.get("1000000001")["first_name_ar"] == "محمد"


def test_bad_rows_go_to_the_rejects_file_with_their_reason(tmp_path):
    bad = [
        ["", "Ali", "Tazi", "M", "1990", "Rabat", "", "", ""],
        ["1000000010", "Ali", "Tazi", "X", "1990", "Rabat", "", "", ""],
        ["1000000011", "Ali", "Tazi", "M", "1990-02-30", "Rabat", "", "", ""],
        ["1000000012", "", "", "M", "1990", "Rabat", "", "", ""],
        ["1000000001", "Again", "Same Id", "M", "1990", "Rabat", "", "", ""],
        ["10 00", "Ali", "Tazi", "M", "1990", "Rabat", "", "", ""],
    ]
    source = write_csv(tmp_path / "r.csv", HEADER, GOOD + bad)
    with open(source, "a", encoding="utf-8") as handle:
        handle.write("1000000013,too,few,columns\n")
    rejects = tmp_path / "rejects.csv"
    report = RegisterStore(tmp_path / "store").import_csv(source, rejects_path=rejects)
    assert (report.imported, report.rejected) == (3, 7)
    assert report.rejects_path == rejects
    reasons = {row["national_id"]: row["reason"] for row in _rows(rejects)}
    assert reasons[""] == "missing national_id"
    assert "invalid sex" in reasons["1000000010"]
    assert "invalid birth_date" in reasons["1000000011"]
    assert reasons["1000000012"] == "no first_name nor last_name"
    assert "duplicate national_id" in reasons["1000000001"]
    assert "invalid national_id" in reasons["10 00"]
    assert "malformed row" in reasons["1000000013"]
    assert all(row["line"] for row in _rows(rejects) if "malformed" not in row["reason"])


def test_a_file_without_the_required_columns_is_refused_clearly(tmp_path):
    source = write_csv(tmp_path / "r.csv", ["national_id", "first_name"], [["1", "Ali"]])
    with pytest.raises(RegisterImportError, match="lacks required column.*last_name"):
        RegisterStore(tmp_path / "store").import_csv(source)


def test_a_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(RegisterImportError, match="not found"):
        RegisterStore(tmp_path / "store").import_csv(tmp_path / "nope.csv")


def test_a_file_that_is_not_utf8_is_refused_clearly(tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes((",".join(HEADER) + "\n" + "1000000001,Aïcha,Tazi,F,1990,Fès,,,\n").encode("latin-1"))
    with pytest.raises(RegisterImportError, match="not UTF-8"):
        RegisterStore(tmp_path / "store").import_csv(source)


def _snapshot(store: RegisterStore):
    return store.count(), [store.get(r[0]) for r in GOOD], (store.directory / "CURRENT").read_text()


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt])
def test_an_interrupted_import_leaves_the_register_exactly_as_before(tmp_path, interruption):
    store = RegisterStore(tmp_path / "store")
    store.import_csv(write_csv(tmp_path / "r.csv", HEADER, GOOD))
    before = _snapshot(store)
    engine_before = [
        c.national_id
        for c in Engine.open(store.directory).search(Query(first_name="Mohamed", last_name="Idrissi"))
    ]
    changed = [
        ["1000000001", "Karim", "Tazi", "M", "1991-01-02", "Rabat", "", "", ""],
        ["1000000099", "New", "Person", "F", "2000", "Safi", "", "", ""],
    ]

    def interrupt() -> None:
        raise interruption("killed mid-import")

    with pytest.raises(interruption):
        store.import_csv(write_csv(tmp_path / "r2.csv", HEADER, changed), _after_read=interrupt)
    assert _snapshot(store) == before
    assert store.get("1000000099") is None
    assert not list(store.directory.glob("*.tmp*"))
    engine_after = [
        c.national_id
        for c in Engine.open(store.directory).search(Query(first_name="Mohamed", last_name="Idrissi"))
    ]
    assert engine_after == engine_before


def test_leftovers_of_an_import_killed_hard_are_ignored_then_swept(tmp_path):
    store = RegisterStore(tmp_path / "store")
    store.import_csv(write_csv(tmp_path / "r.csv", HEADER, GOOD))
    # What kill -9 leaves behind: a half-written generation and a pointer never renamed.
    shutil.copytree(store.current_path(), store.directory / "gen-000009.tmp-12345")
    (store.directory / "gen-000009.tmp-12345" / "meta.json").write_text("{torn")
    (store.directory / "CURRENT.tmp").write_text("gen-000009")
    assert store.count() == 3 and Engine.open(store.directory).count == 3
    store.import_csv(write_csv(tmp_path / "r2.csv", HEADER, GOOD[:1]))
    assert not list(store.directory.glob("*.tmp*"))
    assert store.count() == 3


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    store = RegisterStore(tmp_path / "store")
    source = write_csv(tmp_path / "r.csv", HEADER, GOOD)
    store.import_csv(source)
    report = store.import_csv(source)
    assert (report.imported, report.updated, report.unchanged, report.rejected) == (0, 0, 3, 0)
    assert store.count() == 3


def test_a_new_import_updates_people_and_the_index(tmp_path):
    store = RegisterStore(tmp_path / "store")
    store.import_csv(write_csv(tmp_path / "r.csv", HEADER, GOOD))
    engine = Engine.open(store.directory)
    renamed = [
        ["1000000002", "Khadija", "Lahlou", "F", "1985-06-01", "Fès", "Omar", "Aicha", "Tazi"],
        ["1000000004", "Rachid", "Sqalli", "M", "1970", "Tanger", "", "", ""],
    ]
    report = store.import_csv(write_csv(tmp_path / "r2.csv", HEADER, renamed))
    assert (report.imported, report.updated, report.unchanged) == (1, 1, 0)
    assert store.count() == 4
    assert store.get("1000000002")["last_name"] == "Lahlou"
    assert store.get("1000000001")["last_name"] == "El Idrissi"  # untouched by the upsert
    assert engine.refresh() is True
    assert (
        engine.search(Query(first_name="Khadija", last_name="Lahlou", birth_date="1985"))[0].national_id
        == "1000000002"
    )
    assert (
        engine.search(Query(first_name="Rachid", last_name="Skalli", birth_date="1970"))[0].national_id
        == "1000000004"
    )
    assert engine.refresh() is False


def test_old_generations_are_pruned_after_a_switch(tmp_path):
    store = RegisterStore(tmp_path / "store")
    source = write_csv(tmp_path / "r.csv", HEADER, GOOD)
    for _ in range(4):
        store.import_csv(source)
    generations = sorted(p.name for p in store.directory.glob("gen-*"))
    assert len(generations) == 2 and store.current_path().name == generations[-1]
    assert os.path.exists(store.directory / "CURRENT")
