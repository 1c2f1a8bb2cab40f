"""The dated jurisdiction map: loaded from a data file, re-loadable, refused whole when a line is wrong,
and editable by an administrator without overlapping periods."""

import datetime as dt
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from gmmp.organisations.models import Departement, Jurisdiction, Organisation
from gmmp.organisations.reference import DATA, ReferenceDataError, jurisdictions_load
from gmmp.organisations.selectors import consulate_competent_for

HEADER = "departement,consulate,valid_from,valid_to,confirmed,source\n"


def the_map() -> list[tuple]:
    return list(
        Jurisdiction.objects.order_by("departement__code", "valid_from").values_list(
            "departement__code", "consulate__code", "valid_from", "valid_to", "confirmed", "source"
        )
    )


def write(tmp_path, text: str, name="map.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def competent(dep_code: str, on: dt.date):
    org = consulate_competent_for(departement_id=Departement.objects.get(code=dep_code).pk, on=on)
    return org.code if org else None


def test_the_shipped_map_covers_every_departement_and_marks_what_is_not_confirmed(reference):
    covered = set(
        Jurisdiction.objects.in_force_on(dt.date(2026, 1, 1)).values_list("departement__code", flat=True)
    )
    mainland = set(Departement.objects.exclude(code__startswith="97").values_list("code", flat=True))
    assert mainland <= covered
    assert Jurisdiction.objects.filter(confirmed=False).exclude(source="").exists()
    assert not Jurisdiction.objects.filter(confirmed=False, source="").exists()
    assert set(Jurisdiction.objects.values_list("consulate__kind", flat=True)) == {"consulate"}


def test_yvelines_moved_from_pontoise_to_mantes_on_1_june_2025(reference):
    assert competent("78", dt.date(2025, 5, 31)) == "CG-PONTOISE"
    assert competent("78", dt.date(2025, 6, 1)) == "CG-MANTES"
    assert competent("95", dt.date(2025, 6, 1)) == "CG-PONTOISE"


def test_loading_the_same_file_twice_changes_nothing(reference):
    before = the_map()
    jurisdictions_load(path=DATA / "jurisdictions.csv")
    jurisdictions_load(path=DATA / "jurisdictions.csv")
    assert the_map() == before


def test_reloading_replaces_the_periods_of_the_departements_in_the_file_only(reference, tmp_path):
    others = [row for row in the_map() if row[0] not in {"78", "92"}]
    path = write(
        tmp_path,
        HEADER + "78,CG-PONTOISE,2018-05-01,2026-12-31,yes,official list\n"
        "78,CG-MANTES,2027-01-01,,yes,official list\n"
        "92,CG-ORLY,2020-01-01,,no,\n",
    )
    assert jurisdictions_load(path=path) == 3
    assert [row for row in the_map() if row[0] in {"78", "92"}] == [
        ("78", "CG-PONTOISE", dt.date(2018, 5, 1), dt.date(2026, 12, 31), True, "official list"),
        ("78", "CG-MANTES", dt.date(2027, 1, 1), None, True, "official list"),
        ("92", "CG-ORLY", dt.date(2020, 1, 1), None, False, ""),
    ]
    assert [row for row in the_map() if row[0] not in {"78", "92"}] == others
    assert competent("78", dt.date(2026, 6, 1)) == "CG-PONTOISE"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "78,CG-MANTES,2025-06-01,,yes,\n00,CG-PARIS,2018-01-01,,no,\n", "unknown département '00'"),
        (HEADER + "78,CG-NOWHERE,2025-06-01,,yes,\n", "unknown consulate 'CG-NOWHERE'"),
        (
            HEADER + "78,DMSF,2025-06-01,,yes,\n",
            "unknown consulate 'DMSF'",
        ),  # an organisation, not a consulate
        (HEADER + "78,CG-MANTES,2025-06-31,,yes,\n", "dates must be YYYY-MM-DD"),
        (HEADER + "78,CG-MANTES,01/06/2025,,yes,\n", "dates must be YYYY-MM-DD"),
        (HEADER + "78,CG-MANTES,2025-06-01,2025-05-01,yes,\n", "valid_to is before valid_from"),
        (HEADER + "78,CG-PONTOISE,2018-05-01,2025-06-01,yes,\n78,CG-MANTES,2025-06-01,,yes,\n", "overlaps"),
        (HEADER + "78,CG-PONTOISE,2018-05-01,,yes,\n78,CG-MANTES,2025-06-01,,yes,\n", "overlaps"),
        ("departement,consulate,valid_to\n78,CG-MANTES,\n", "missing columns ['valid_from']"),
        ("dep;consulate;valid_from\n78;CG-MANTES;2025-06-01\n", "missing columns"),
        ("departement,consulate\n", "missing columns ['valid_from']"),
        ("", "missing columns"),
        (HEADER + "78,CG-MANTES\n", ":2: dates must be YYYY-MM-DD"),  # a short line
        (HEADER + "78,,2025-06-01,,yes,\n", "unknown consulate ''"),
    ],
)
def test_a_wrong_file_raises_a_clear_error_and_leaves_the_map_unchanged(reference, tmp_path, text, message):
    before = the_map()
    with pytest.raises(ReferenceDataError) as error:
        jurisdictions_load(path=write(tmp_path, text))
    assert message in str(error.value)
    assert "map.csv" in str(error.value)  # says which file
    assert the_map() == before


def test_the_error_names_the_line(reference, tmp_path):
    path = write(
        tmp_path,
        HEADER + "78,CG-MANTES,2025-06-01,,yes,\n92,CG-COLOMBES,2018-05-01,,yes,\n"
        "93,CG-VILLEMOMBLE,2018-13-01,,yes,\n",
    )
    with pytest.raises(ReferenceDataError, match=r"map\.csv:4: "):
        jurisdictions_load(path=path)


def test_a_missing_or_binary_file_is_a_clear_error(reference, tmp_path):
    with pytest.raises(ReferenceDataError, match="File not found"):
        jurisdictions_load(path=tmp_path / "nope.csv")
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x01departement")
    with pytest.raises(ReferenceDataError, match="not UTF-8"):
        jurisdictions_load(path=path)


# The command


def test_the_command_loads_a_file_and_says_how_many_periods(reference, tmp_path, capsys):
    path = write(
        tmp_path, HEADER + "78,CG-MANTES,2025-06-01,,yes,\n78,CG-PONTOISE,2018-05-01,2025-05-31,yes,\n"
    )
    call_command("load_jurisdictions", str(path))
    assert "2 jurisdiction periods loaded" in capsys.readouterr().out


def test_the_command_turns_a_wrong_file_into_a_command_error(reference, tmp_path):
    before = the_map()
    with pytest.raises(CommandError, match="unknown consulate 'CG-NOWHERE'"):
        call_command("load_jurisdictions", str(write(tmp_path, HEADER + "78,CG-NOWHERE,2025-06-01,,yes,\n")))
    assert the_map() == before


def test_the_gmmp_command_exits_non_zero_with_the_message(tmp_path):
    """Through the console script, as an operator runs it (on a throw-away data directory: the file is
    refused before the database is read)."""
    env = {
        "GMMP_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    bad = write(tmp_path, "departement,consulate\n78,CG-MANTES\n", name="bad.csv")
    result = subprocess.run(
        [sys.executable, "-m", "gmmp", "load_jurisdictions", str(bad)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "missing columns ['valid_from']" in result.stderr
    assert "Traceback" not in result.stderr


# The administrator's path: the model's clean()


@pytest.fixture
def yvelines(reference):
    return Departement.objects.get(code="78")


def period(dep, code, start, end=None):
    return Jurisdiction(
        departement=dep, consulate=Organisation.objects.get(code=code), valid_from=start, valid_to=end
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2025, 5, 31), None),  # overlaps Pontoise's last day and Mantes
        (dt.date(2030, 1, 1), None),  # inside Mantes' open period
        (dt.date(2010, 1, 1), dt.date(2018, 5, 1)),  # ends on Pontoise's first day
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),  # inside Pontoise's period
    ],
)
def test_an_administrator_cannot_add_an_overlapping_period(yvelines, start, end):
    with pytest.raises(ValidationError, match="chevauche"):
        period(yvelines, "CG-PARIS", start, end).full_clean()


def test_an_administrator_can_add_an_adjacent_period_and_edit_an_existing_one(yvelines):
    mantes = Jurisdiction.objects.get(departement=yvelines, valid_from=dt.date(2025, 6, 1))
    mantes.valid_to = dt.date(2027, 12, 31)
    mantes.full_clean()  # its own period does not count as an overlap
    mantes.save()
    adjacent = period(yvelines, "CG-PARIS", dt.date(2028, 1, 1))
    adjacent.full_clean()
    adjacent.save()
    assert competent("78", dt.date(2028, 1, 1)) == "CG-PARIS"


def test_an_administrator_cannot_give_a_departement_to_something_that_is_not_a_consulate(yvelines):
    with pytest.raises(ValidationError) as error:
        period(yvelines, "DMSF", dt.date(2040, 1, 1)).full_clean()
    assert "consulate" in error.value.message_dict


def test_an_administrator_cannot_end_a_period_before_it_starts(reference):
    dep = Departement.objects.get(code="971")
    Jurisdiction.objects.filter(departement=dep).delete()
    with pytest.raises(ValidationError):
        period(dep, "CG-PARIS", dt.date(2026, 1, 2), dt.date(2026, 1, 1)).full_clean()


def test_the_admin_form_refuses_an_overlapping_period_and_saves_nothing(client, yvelines):
    from gmmp.organisations.models import User

    admin = User.objects.create_superuser("map-admin", "admin@example.invalid", "x" * 16)
    client.force_login(admin)
    before = the_map()
    form = {
        "departement": yvelines.pk,
        "consulate": Organisation.objects.get(code="CG-PARIS").pk,
        "valid_from": "2026-01-01",
        "valid_to": "",
        "source": "arrêté",
    }
    response = client.post("/admin/organisations/jurisdiction/add/", form)
    assert response.status_code == 200
    assert "chevauche" in response.content.decode()
    assert the_map() == before
    # The same period after the current one ends is accepted
    mantes = Jurisdiction.objects.get(departement=yvelines, valid_from=dt.date(2025, 6, 1))
    mantes.valid_to = dt.date(2025, 12, 31)
    mantes.save()
    response = client.post("/admin/organisations/jurisdiction/add/", form)
    assert response.status_code == 302
    assert competent("78", dt.date(2026, 1, 1)) == "CG-PARIS"
