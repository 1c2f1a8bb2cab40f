"""Border police see what a check at their post needs: the verification, the holder's name and photo,
the expected arrival. No finished case, no evidence, no timeline comment, no case file."""

import json

import pytest
from django.test import Client

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.documents.selectors import lpc_current, lpc_latest
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case

from .conftest import PNG


@pytest.fixture
def border(personas):
    client = Client()
    client.force_login(personas["border_casa"])
    return client


@pytest.fixture
def departed(lpc_ready):
    case = make_case(CaseState.DEPARTED, last_name="ARRIVANT", **lpc_ready)
    actions.evidence_add(
        case=case,
        user=lpc_ready["prefecture_user"],
        category="photo",
        kind="photo",
        original_name="photo.png",
        data=PNG,
        content_type="image/png",
    )
    return case


def test_the_list_shows_expected_arrivals_and_no_finished_case(border, lpc_ready, departed):
    finished = make_case(CaseState.READMITTED, last_name="DEJARRIVE", **lpc_ready)
    page = border.get("/cases/").content.decode()
    assert "ARRIVANT" in page and departed.reference in page
    assert "DEJARRIVE" not in page and finished.reference not in page
    assert border.get(f"/cases/{finished.reference}/").status_code == 404


def test_the_case_page_shows_the_check_and_nothing_of_the_file(border, departed):
    page = border.get(f"/cases/{departed.reference}/").content.decode()
    lpc = lpc_current(departed)
    assert "ARRIVANT" in page and lpc.number in page and "/lpc/border/" in page
    assert "Casablanca Mohammed V" in page  # the expected arrival
    for hidden in ("CNIE vérifiée", "Bennani", "OQTF-75-2026-0001", "photo.png", "/evidence/"):
        assert hidden not in page, hidden


def test_evidence_pdf_and_transition_pages_are_not_for_border_police(border, departed):
    evidence = departed.evidence.get()
    lpc = lpc_latest(departed)
    assert border.get(f"/cases/{departed.reference}/evidence/{evidence.pk}/").status_code == 404
    assert border.get(f"/lpc/{lpc.number}/pdf/").status_code == 404
    assert border.post(f"/cases/{departed.reference}/actions/withdraw/").status_code == 404


def test_the_api_gives_border_police_no_case_file_but_lets_them_confirm(personas, departed):
    _t, raw = api_token_create(
        user=personas["border_casa"], name="pof", scopes=["cases:read", "cases:write", "lpc:verify"]
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    lpc = lpc_latest(departed)
    assert api.get("/api/v1/cases/").status_code == 403  # no list at all (deny by default)
    assert api.get(f"/api/v1/cases/{departed.reference}").status_code == 404
    assert api.get(f"/api/v1/cases/{departed.reference}/events").status_code == 404
    assert api.get(f"/api/v1/lpc/{lpc.number}").status_code == 404
    assert api.get(f"/api/v1/lpc/{lpc.number}/pdf").status_code == 404
    verified = api.post(
        "/api/v1/lpc/verify", json.dumps({"payload": lpc.seal}), content_type="application/json"
    )
    assert verified.json()["holder_name"].startswith("ARRIVANT")
    done = api.post(
        f"/api/v1/cases/{departed.reference}/transitions/confirm_readmission",
        "{}",
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "readmitted" and done.json()["case"] is None
