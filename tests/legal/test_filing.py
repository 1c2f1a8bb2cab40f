"""Filing: a possible minor and a duplicate are refused through the actions, the web form and the API."""

import pytest

from gmmp.cases import actions
from gmmp.cases.comments import comments_open
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.core import clock
from tests.api.conftest import api  # noqa: F401 - the API caller fixture
from tests.api.test_create import request_body
from tests.factories import case_data, filing_form, make_case


def _minor_year() -> str:
    return str(clock.today().year - 18)


def _form(**overrides) -> dict:
    return filing_form(**{"removal_order_reference": "OQTF-LEGAL-1", **overrides})


# ---------------------------------------------------------------------------------------------- web


def test_the_form_refuses_a_possible_minor_says_why_and_points_to_the_minors_track(client, personas):
    client.force_login(personas["pref75_agent"])
    response = client.post("/cases/new/", _form(birth_date=_minor_year()))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="minor-refused"' in page
    assert "parcours protégé des mineurs" in page
    assert not Case.objects.filter(removal_order_reference="OQTF-LEGAL-1").exists()


def test_the_form_files_a_contested_age_established_as_adult(client, personas):
    client.force_login(personas["pref75_agent"])
    response = client.post(
        "/cases/new/",
        _form(birth_date=_minor_year(), age_basis="judge", age_reference="TJ Paris 26/77"),
    )
    assert response.status_code == 302
    case = Case.objects.get(removal_order_reference="OQTF-LEGAL-1")
    assert (case.age_finding, case.age_basis, case.age_reference) == ("adult", "judge", "TJ Paris 26/77")
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="age-finding"' in page and "TJ Paris 26/77" in page


def test_the_form_warns_of_a_duplicate_offers_to_open_it_then_files_with_a_reason(
    client, lpc_ready, personas
):
    existing = make_case(CaseState.ROUTED, **lpc_ready, removal_order_reference="OQTF-LEGAL-1")
    client.force_login(personas["pref75_agent"])
    response = client.post("/cases/new/", _form())
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="duplicates"' in page and f'href="/cases/{existing.reference}/"' in page
    assert Case.objects.filter(removal_order_reference="OQTF-LEGAL-1").count() == 1
    response = client.post("/cases/new/", _form(duplicate_reason="Nouvelle mesure après annulation"))
    assert response.status_code == 302
    new = Case.objects.filter(removal_order_reference="OQTF-LEGAL-1").latest("pk")
    [created] = comments_open(new.events.filter(kind="created"))
    assert created.details["duplicate_of"] == [existing.reference]
    assert created.comment_text == "Nouvelle mesure après annulation"  # stored encrypted (crypto-shredding)


def test_a_duplicate_of_another_prefectures_case_is_named_but_not_linked(client, personas):
    other = make_case(
        CaseState.ROUTED,
        prefecture_user=personas["pref92_agent"],
        consulate_user=personas["cg_colombes_agent"],
        removal_order_reference="OQTF-LEGAL-1",
    )
    client.force_login(personas["pref75_agent"])
    page = client.post("/cases/new/", _form()).content.decode()
    assert other.reference in page and f'href="/cases/{other.reference}/"' not in page


def test_same_names_and_complete_birth_date_on_an_open_case_is_a_duplicate(personas, lpc_ready):
    make_case(CaseState.ROUTED, **lpc_ready, birth_date="1994-05-12")
    with pytest.raises(actions.DuplicateRequest) as exc:
        actions.case_create(
            user=personas["pref75_agent"],
            data=case_data(
                removal_order_reference="OQTF-OTHER", last_name="el idrissi", birth_date="1994-05-12"
            ),
        )
    assert exc.value.code == "duplicate_request"


def test_namesakes_with_only_the_same_birth_year_are_not_duplicates(personas, lpc_ready):
    make_case(CaseState.ROUTED, **lpc_ready, birth_date="1994")
    actions.case_create(user=personas["pref75_agent"], data=case_data(birth_date="1994"))


def test_a_finished_case_is_not_a_duplicate(personas, lpc_ready):
    make_case(CaseState.WITHDRAWN, **lpc_ready)
    actions.case_create(user=personas["pref75_agent"], data=case_data())


def test_the_case_page_shows_every_field_captured_at_filing(client, personas):
    case = make_case(
        prefecture_user=personas["pref75_agent"],
        civil_status="marié",
        spouse_name="BENNANI Salma",
        physical_description="1,75 m, cicatrice à la main gauche",
        earlier_names="ALAOUI",
    )
    client.force_login(personas["pref75_agent"])
    page = client.get(f"/cases/{case.reference}/").content.decode()
    for value in ("marié", "BENNANI Salma", "cicatrice à la main gauche", "ALAOUI", "Abdelkader", "Bennani"):
        assert value in page, value


# ---------------------------------------------------------------------------------------------- API


def test_the_api_refuses_a_possible_minor_with_422_minor_in_adult_track(api):  # noqa: F811
    response = api("pref75_agent").post("", request_body(birth_date=_minor_year(), submit=True))
    assert response.status_code == 422
    assert response.json()["code"] == "minor_in_adult_track"
    assert not Case.objects.exists()


def test_the_api_files_a_possible_minor_whose_majority_was_established(api):  # noqa: F811
    body = request_body(
        birth_date=_minor_year(),
        age_contested={"finding": "adult", "basis": "assessment", "reference": "EV-9"},
    )
    response = api("pref75_agent").post("", body)
    assert response.status_code == 201, response.content
    assert Case.objects.get().age_basis == "assessment"


def test_the_api_refuses_a_duplicate_with_409_unless_confirmed_with_a_reason(api):  # noqa: F811
    caller = api("pref75_agent")
    assert caller.post("", request_body(submit=True)).status_code == 201
    response = caller.post("", request_body(submit=True))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_request"
    assert body["details"][0]["prefecture"] == "PREF-75"
    response = caller.post("", request_body(submit=True, duplicate_reason="Nouvelle OQTF"))
    assert response.status_code == 201
    assert Case.objects.count() == 2


def test_the_api_records_an_age_established_as_minor_and_withdraws_the_request(
    api,  # noqa: F811
    personas,
    lpc_ready,
    minor_personas,
):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    caller = api("pref75_agent")
    response = caller.transition(
        case.reference, "assess_age", {"finding": "minor", "basis": "judge", "reference": "JE Paris 26/1"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    response = api("cg_paris_agent").transition(
        case.reference, "assess_age", {"finding": "minor", "basis": "judge", "reference": "x"}
    )
    assert response.status_code in (403, 409)
