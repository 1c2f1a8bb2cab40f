"""`gmmp register duplicates`: probable duplicate pairs of the register, with their explanation."""

import csv

import pytest
from django.core.management import call_command

from gmmp.identification import services
from gmmp.identification.engine import RegisterStore, generate_register

pytest.importorskip("splink", reason='the bench extras (pip install -e ".[bench]") bring Splink')


@pytest.fixture
def register_with_a_duplicate(tmp_path, settings):
    """3,000 generated people, and one of them registered a second time under another id."""
    settings.REGISTER_DIR = tmp_path / "register"
    services._engine = None
    path = generate_register(3000, 21, tmp_path / "register.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    person = next(r for r in rows if len(r["birth_date"]) == 10 and r["father_first_name"])
    twin = {**person, "national_id": "DUP0000001", "last_name": person["last_name"].upper()}
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, list(rows[0])).writerow(twin)
    RegisterStore(settings.REGISTER_DIR).import_csv(path)
    yield person
    services._engine = None


def test_the_same_person_under_two_ids_is_reported_with_the_fields_compared(
    register_with_a_duplicate, capsys
):
    person = register_with_a_duplicate
    call_command("register", "duplicates", "--threshold", "0.9")
    out = capsys.readouterr().out
    first_pair = out.splitlines()[0]  # best first
    assert "DUP0000001" in first_pair and person["national_id"] in first_pair
    assert "first_name" in out and "birth_date" in out  # each field's comparison level is shown
    assert "probable duplicate pair(s)" in out


def test_a_threshold_outside_zero_and_one_is_refused(register_with_a_duplicate):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="threshold"):
        call_command("register", "duplicates", "--threshold", "2")
