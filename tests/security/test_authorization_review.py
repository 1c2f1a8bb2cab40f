"""Grants found wrong in the review of the authorization matrix (tests/security/README.md), now denied:
lists that answered 200 with nothing to roles that will never read anything there, and a write that
checked its content before its caller."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from gmmp.organisations.tokens import api_token_create
from tests.minors.conftest import CHILD

NO_CASE_LIST = ["ofii_officer", "anapec_officer", "gmmp_secretariat", "border_casa"]
CASE_LIST = ["pref75_agent", "cg_paris_agent", "cra_vincennes", "dgef_central", "dmsf_central"]
ADULT_TRACK = ["pref75_agent", "cg_paris_agent", "dgef_central", "border_casa", "ofii_officer"]
NO_ESCALATIONS = ["ofii_officer", "anapec_officer", "gmmp_secretariat", "border_casa", "cra_vincennes"]
ESCALATIONS = ["pref75_agent", "cg_paris_agent", "dgef_central", "dmsf_central", "maece_central"]


def _api(user, scopes):
    _token, raw = api_token_create(user=user, name="review", scopes=scopes)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize("name", NO_CASE_LIST + CASE_LIST)
def test_the_api_case_list_is_refused_to_who_reads_no_case_file(personas, name):
    response = _api(personas[name], ["cases:read"]).get("/api/v1/cases/")
    if name in NO_CASE_LIST:
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("name", ADULT_TRACK)
def test_the_api_childrens_list_is_refused_outside_the_protected_track(personas, name):
    response = _api(personas[name], ["minors:read"]).get("/api/v1/minors/")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_the_api_childrens_list_answers_the_named_people(minor_personas):
    assert _api(minor_personas["ase75_officer"], ["minors:read"]).get("/api/v1/minors/").status_code == 200


@pytest.mark.parametrize("name", NO_ESCALATIONS + ESCALATIONS)
def test_the_escalations_page_is_for_who_may_read_an_escalation(client, personas, name):
    client.force_login(personas[name])
    status = client.get(reverse("collab:escalations")).status_code
    assert status == (404 if name in NO_ESCALATIONS else 200)


@pytest.mark.parametrize("body", [{}, CHILD])
def test_a_referral_through_the_api_is_refused_before_its_content_is_checked(personas, body):
    response = _api(personas["pref75_agent"], ["minors:write"]).post(
        "/api/v1/minors/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_child_welfare_refers_a_child_through_the_api(minor_personas):
    response = _api(minor_personas["ase75_officer"], ["minors:write"]).post(
        "/api/v1/minors/", json.dumps(CHILD), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("MNA-")


def test_a_referral_nobody_can_take_is_the_same_409_conflict_as_in_the_adult_track(minor_personas):
    # One refusal table for the whole API (api/errors.REFUSAL_STATUS): the children's track no longer
    # maps its refusals itself (it answered 422 where the adult track answers 409).
    minor_personas["cg_paris_cp"].is_active = False
    minor_personas["cg_paris_cp"].save()
    response = _api(minor_personas["ase75_officer"], ["minors:write"]).post(
        "/api/v1/minors/", json.dumps(CHILD), content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "no_officer"


@pytest.mark.parametrize("name", NO_ESCALATIONS + ESCALATIONS)
def test_the_api_escalations_list_is_for_who_may_read_an_escalation(personas, name):
    status = _api(personas[name], ["cases:read"]).get("/api/v1/escalations").status_code
    assert status == (403 if name in NO_ESCALATIONS else 200)


def test_the_api_escalations_list_is_refused_to_the_childrens_track(minor_personas):
    response = _api(minor_personas["ase75_officer"], ["cases:read"]).get("/api/v1/escalations")
    assert response.status_code == 403
