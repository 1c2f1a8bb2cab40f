"""The API's case detail carries the person's legal situation (`legal`): the timeline, the suspensive remedies
still pending (no departure while any is), the release; documented in the OpenAPI schema; read only by those
who see the case (404 for anyone else, as for a missing case)."""

import datetime as dt

import pytest

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.core import clock
from tests.api.conftest import api  # noqa: F401 - the API caller fixture
from tests.factories import extension_kwargs, make_case


def d(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


@pytest.fixture
def case(lpc_ready):
    return make_case(CaseState.LPC_ISSUED, **lpc_ready)


def legal(case, user, **kwargs):
    return actions.case_record_legal_event(case=case, user=user, **kwargs)


def test_the_case_detail_has_an_empty_legal_block_at_first(api, case):  # noqa: F811
    body = api("pref75_agent").get(case.reference).json()
    assert body["legal"] == {
        "events": [],
        "pending_suspensive": [],
        "departure_blocked": False,
        "release": None,
        "detention_end": str(d(2)),  # the first stage only: placed two days ago, nothing decided by a judge
    }


def test_the_legal_block_lists_the_timeline_and_the_pending_suspensive_remedies(api, case, personas):  # noqa: F811
    pref = personas["pref75_agent"]
    legal(case, pref, **extension_kwargs(case, 30))
    legal(case, pref, kind="appeal_lodged", on=d(0), reference="TA 1", suspensive=False)
    legal(case, pref, kind="appeal_lodged", on=d(0), reference="TA 2", suspensive=True)
    legal(case, pref, kind="asylum_claimed", on=d(0), reference="OFPRA 1")
    legal(case, pref, kind="rights_informed", on=d(0), language="arabe")
    body = api("pref75_agent").get(case.reference).json()["legal"]
    assert [e["kind"] for e in body["events"]] == [
        "extension_granted",
        "appeal_lodged",
        "appeal_lodged",
        "asylum_claimed",
        "rights_informed",
    ]
    extension = body["events"][0]
    assert extension["extended_to"] == str(case.detention_start + dt.timedelta(days=30))
    assert extension["kind_label"] and extension["reference"] == f"JLD-{case.pk}-30"
    assert [(e["kind"], e["reference"]) for e in body["pending_suspensive"]] == [
        ("appeal_lodged", "TA 2"),
        ("asylum_claimed", "OFPRA 1"),
    ]
    assert body["departure_blocked"] is True
    assert body["detention_end"] == str(case.detention_start + dt.timedelta(days=30))
    # Judged and decided: nothing pending any more, a departure may be scheduled again.
    legal(case, pref, kind="appeal_decided", on=d(0), reference="TA 2", outcome="rejected")
    legal(case, pref, kind="asylum_decided", on=d(0), reference="OFPRA 1", outcome="rejected")
    body = api("pref75_agent").get(case.reference).json()["legal"]
    assert body["pending_suspensive"] == [] and body["departure_blocked"] is False


def test_the_legal_block_shows_the_release_and_whether_it_is_current(api, case, personas):  # noqa: F811
    pref = personas["pref75_agent"]
    actions.case_release(case=case, user=pref, kind="release_ordered", on=d(0), reference="JLD 26/9")
    body = api("pref75_agent").get(case.reference).json()
    assert body["state"] == "released"
    assert body["legal"]["release"] == {
        "kind": "release_ordered",
        "on": str(d(0)),
        "cause": "judge",
        "cause_label": "Décision du juge",
        "reference": "JLD 26/9",
        "current": True,
    }
    assert body["legal"]["detention_end"] == str(d(0))
    actions.case_resume(case=case, user=pref)
    body = api("pref75_agent").get(case.reference).json()
    assert body["state"] == "lpc_issued" and body["legal"]["release"]["current"] is False


def test_the_assigned_consulate_reads_the_legal_block_too(api, case, personas):  # noqa: F811
    legal(case, personas["pref75_agent"], kind="asylum_claimed", on=d(0), reference="OFPRA 2")
    response = api("cg_paris_agent").get(case.reference)
    assert response.status_code == 200
    assert response.json()["legal"]["departure_blocked"] is True


@pytest.mark.parametrize("who", ["pref92_agent", "cg_lyon_agent", "ofii_officer"])
def test_a_case_that_is_not_yours_answers_404_like_a_missing_one(api, case, personas, who):  # noqa: F811
    legal(case, personas["pref75_agent"], kind="asylum_claimed", on=d(0), reference="OFPRA 3")
    caller = api(who, scopes=("cases:read",))
    response = caller.get(case.reference)
    missing = caller.get("DI-2099-999999")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert "OFPRA" not in response.content.decode()


def test_the_openapi_schema_documents_the_legal_block(api):  # noqa: F811
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    case_out = components["CaseOut"]
    assert "legal" in case_out["required"]
    assert case_out["properties"]["legal"]["description"]
    legal_out = components["LegalOut"]["properties"]
    assert set(legal_out) == {"events", "pending_suspensive", "departure_blocked", "release", "detention_end"}
    assert "suspensive_appeal_pending" in legal_out["pending_suspensive"]["description"]
    assert "after_release" in legal_out["detention_end"]["description"]
    event = components["LegalEventOut"]["properties"]
    assert {"kind", "on", "reference", "extended_to", "suspensive", "outcome", "cause"} <= set(event)
