"""The consulate searches the same register engine for the child, by the child's and the parents' names."""

import csv

import pytest

from gmmp.audit.models import AccessLog
from gmmp.identification import services
from gmmp.identification.engine import RegisterStore, generate_register
from gmmp.minors.enums import MinorState as S


@pytest.fixture
def register(tmp_path, settings):
    settings.REGISTER_DIR = tmp_path / "register"
    services._engine = None
    path = generate_register(2000, 7, tmp_path / "register.csv")
    RegisterStore(settings.REGISTER_DIR).import_csv(path)
    with path.open(encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    yield people
    services._engine = None


def test_the_consulate_finds_the_child_and_the_parents_in_the_register(
    client, minor_personas, walk_to, register
):
    person = register[0]
    case = walk_to(
        S.REFERRED,
        last_name=person["last_name"],
        first_names=person["first_name"],
        birth_date=person["birth_date"][:4],
        birth_place=person["birth_place"],
        father_first_name=person["father_first_name"],
        mother_first_name=person["mother_first_name"],
        mother_last_name=person["mother_last_name"],
    )
    client.force_login(minor_personas["cg_paris_cp"])
    response = client.get(f"/minors/{case.reference}/register/")
    assert response.status_code == 200
    results = response.context["results"]
    assert set(results) == {"child", "father", "mother"}
    assert person["national_id"] in [c.national_id for c in results["child"]]
    searches = AccessLog.objects.filter(action="search", object_type="register", object_id=case.reference)
    assert searches.count() == 3
    assert person["last_name"] not in str(list(searches.values("detail")))


def test_only_the_consulate_officer_taking_the_step_searches(client, minor_personas, walk_to, register):
    case = walk_to(S.REFERRED)
    client.force_login(minor_personas["ase75_officer"])
    assert client.get(f"/minors/{case.reference}/register/").status_code == 404
