"""Every answer under /api/ is JSON `{code, message}`, even those Django writes itself (unknown address,
method not taken, unreadable body, unexpected error), and an address without its final slash is served
as the documented one rather than redirected (a redirect turns a POST into a GET)."""

import pytest
from django.test import Client, override_settings

from gmmp.cases.enums import CaseState as S
from tests.factories import case_data, make_case


@pytest.fixture
def case(lpc_ready):
    return make_case(S.ROUTED, **lpc_ready)


def _json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return body


def test_an_unknown_api_address_answers_json_404(api):
    response = api("pref75_agent").get("/api/v1/no-such-thing/")
    _json_error(response, 404, "not_found")


def test_an_unknown_api_address_answers_json_404_to_anonymous_callers_too():
    _json_error(Client().get("/api/v1/no-such-thing"), 404, "not_found")


def test_a_method_the_address_does_not_take_answers_json_405_with_allow(api, case):
    caller = api("pref75_agent")
    response = caller.client.put(f"/api/v1/cases/{case.reference}")
    body = _json_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert "PUT" in body["message"]


def test_an_address_without_its_final_slash_is_served_not_redirected(api):
    caller = api("pref75_agent")
    listed = caller.client.get("/api/v1/cases")
    assert listed.status_code == 200
    assert "items" in listed.json()
    created = caller.client.post("/api/v1/cases", data=case_data(), content_type="application/json")
    assert created.status_code == 201, created.content[:300]


def test_an_unreadable_body_answers_json_400_in_the_callers_language(api):
    caller = api("pref75_agent")
    response = caller.client.post(
        "/api/v1/cases/", data="{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = _json_error(response, 400, "bad_request")
    assert "Cannot parse" not in body["message"]
    assert body["message"].startswith("Unreadable request body")


def test_an_unexpected_error_under_the_api_answers_json_500_and_is_logged(api, monkeypatch, caplog):
    from gmmp.api import cases as api_cases

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api_cases, "case_list_for_user", broken)
    caller = api("pref75_agent")
    caller.client.raise_request_exception = False
    with override_settings(DEBUG=False):
        response = caller.get("")
    _json_error(response, 500, "server_error")
    assert any("Internal Server Error" in r.getMessage() for r in caplog.records)
