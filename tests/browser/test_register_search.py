"""The consular officer searches the register for the person behind a request and confirms them."""

import csv

import pytest

from gmmp.cases.enums import CaseState
from gmmp.identification import services
from gmmp.identification.engine import RegisterStore, generate_register
from gmmp.www.templatetags.cases_tags import case_state_label
from tests.browser_support import login
from tests.factories import make_case

from .pages import CasePage


@pytest.fixture
def register(tmp_path, settings):
    settings.REGISTER_DIR = tmp_path / "register"
    services._engine = None
    path = generate_register(2000, 5, tmp_path / "register.csv")
    RegisterStore(settings.REGISTER_DIR).import_csv(path)
    with path.open(encoding="utf-8") as fh:
        yield list(csv.DictReader(fh))
    services._engine = None


def test_the_officer_finds_the_person_and_confirms_the_identity(new_page, register, personas):
    person = register[42]
    case = make_case(
        CaseState.ROUTED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
        last_name=person["last_name"],
        first_names=person["first_name"],
        birth_date=person["birth_date"][:4],
        birth_place=person["birth_place"],
        father_first_name=person["father_first_name"],
        mother_first_name=person["mother_first_name"],
        mother_last_name=person["mother_last_name"],
        aliases=[],
    )
    page = new_page()
    login(page, "cg_paris_agent")
    CasePage(page).open(case.reference)
    with page.expect_navigation():
        page.get_by_role("link", name="Rechercher la personne au registre").click()
    # Pre-filled from the request, searched at once; the request is shown beside the candidates.
    assert page.input_value("#id_last_name") == person["last_name"]
    best = page.locator("[data-testid=candidate]").first
    assert best.get_attribute("data-national-id") == person["national_id"]
    assert "Très probablement la même personne" in best.inner_text()  # a plain reading first
    assert "Prénom du père" not in best.inner_text()  # the detail on demand
    best.get_by_text("Détail champ par champ").click()
    assert "Prénom du père" in best.inner_text()  # explained field by field
    with page.expect_navigation():
        best.get_by_role("button").click()
    # The decision form, pre-filled from the register, asks for the decision: nothing decided yet.
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED
    form = page.locator("[data-testid=decide-form]")
    assert form.locator("[name=decide-established_last_name]").input_value() == person["last_name"]
    form.locator("[name=decide-decision][value=identified]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED and case.register_national_id == person["national_id"]
    assert CasePage(page).state == case_state_label(case)  # in words agreeing with the person's sex
