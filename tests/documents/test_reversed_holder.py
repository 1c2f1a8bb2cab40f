"""A laissez-passer whose holder's identification was reversed is not valid anywhere it is checked:
the public verification page, the verification API (in the caller's language), the border scan."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from gmmp.cases.enums import CaseState
from gmmp.documents.actions import lpc_use
from gmmp.documents.selectors import lpc_current
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case, record_reversal_leaving_the_document


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()  # the shared cache is a database table


def _reversed_in_transit(lpc_ready, personas):
    """A person who left on a document still in force when the reversal was recorded (as before
    reversals revoked the document after departure)."""
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    lpc = lpc_current(case)
    record_reversal_leaving_the_document(case, personas["dmsf_central"])
    return case, lpc


def test_the_public_page_and_the_api_say_the_document_is_worth_nothing(lpc_ready, personas):
    _case, lpc = _reversed_in_transit(lpc_ready, personas)
    body = Client().post("/lpc/verify/", {"payload": lpc.seal}).content.decode()
    assert 'data-status="revoked"' in body and "SANS VALEUR" in body
    _token, raw = api_token_create(user=personas["border_casa"], name="t", scopes=["lpc:verify"])
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/lpc/verify", data=json.dumps({"payload": lpc.seal}), content_type="application/json"
    )
    assert answer.json()["status"] == "revoked"
    assert "identification was reversed" in answer.json()["message"]


def test_the_border_scan_refuses_it_and_the_case_stays_departed(lpc_ready, personas):
    case, lpc = _reversed_in_transit(lpc_ready, personas)
    scan = lpc_use(seal=lpc.seal, user=lpc_ready["border_user"])
    assert (scan.accepted, scan.status) == (False, "revoked")
    case.refresh_from_db()
    lpc.refresh_from_db()
    assert (case.state, lpc.status) == (CaseState.DEPARTED, "issued")
