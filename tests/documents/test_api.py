"""The /api/v1/lpc endpoints, called with scoped tokens."""

import base64
import datetime as dt
import json

import pytest
from django.test import Client

from gmmp.audit.models import AccessLog
from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.core import clock
from gmmp.documents.selectors import lpc_current
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case

from .conftest import photo_bytes

BASE = "/api/v1/lpc/"


class Caller:
    def __init__(self, user, scopes=("cases:read", "cases:write")):
        _token, raw = api_token_create(user=user, name="test", scopes=list(scopes))
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path):
        return self.client.get(BASE + path)

    def post(self, path, body):
        return self.client.post(
            BASE + path, data=json.dumps(body, default=str), content_type="application/json"
        )


@pytest.fixture
def consulate(lpc_ready):
    return Caller(lpc_ready["consulate_user"])


def test_issue_read_extend_revoke_through_the_api(lpc_ready, consulate):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    photo = base64.b64encode(photo_bytes()).decode()
    created = consulate.post("", {"case": case.reference, "photo_base64": photo, "holder_name_ar": "محمد"})
    assert created.status_code == 201, created.content
    lpc = created.json()
    assert lpc["case"] == case.reference and lpc["status_today"] == "valid" and lpc["has_photo"]
    assert lpc["seal"].startswith("LPC1-")
    assert consulate.get(lpc["number"]).json()["number"] == lpc["number"]
    new_end = dt.date.fromisoformat(lpc["valid_to"]) + dt.timedelta(days=7)
    extended = consulate.post(f"{lpc['number']}/extend", {"valid_to": new_end.isoformat()})
    assert extended.status_code == 200 and extended.json()["valid_to"] == new_end.isoformat()
    revoked = consulate.post(f"{lpc['number']}/revoke", {"reason": "error", "comment": "faute de frappe"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"issue_laissez_passer", "lpc_extended", "lpc_revoked"} <= kinds


def test_reissue_through_the_api(lpc_ready, consulate):
    case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    old = lpc_current(case)
    response = consulate.post(
        f"{old.number}/reissue", {"holder_first_names": "Mohammed", "comment": "prénom"}
    )
    assert response.status_code == 201
    assert response.json()["replaces"] == old.number and response.json()["holder_first_names"] == "Mohammed"


def test_the_api_refuses_issuance_by_another_consulate_and_unknown_fields(lpc_ready, personas, consulate):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    lyon = Caller(personas["cg_lyon_agent"])
    assert lyon.post("", {"case": case.reference}).status_code == 404  # not Lyon's case: as if missing
    bad = consulate.post("", {"case": case.reference, "validity": 30})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    not_photo = consulate.post(
        "", {"case": case.reference, "photo_base64": base64.b64encode(b"hello").decode()}
    )
    assert not_photo.status_code == 422
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED


@pytest.mark.parametrize("birth_date", ["2025-13-45", "1990-02-30", "2999"])
def test_the_holder_birth_date_follows_the_same_rule_as_the_case(lpc_ready, consulate, birth_date):
    """One partial-date type for the whole API: a month 13, a 30 February or a future year are refused."""
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    refused = consulate.post("", {"case": case.reference, "holder_birth_date": birth_date})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_input"
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED


def test_a_read_only_token_cannot_change_a_document(lpc_ready):
    case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    lpc = lpc_current(case)
    reader = Caller(lpc_ready["consulate_user"], scopes=("cases:read",))
    assert reader.get(lpc.number).status_code == 200
    response = reader.post(f"{lpc.number}/revoke", {"reason": "lost"})
    assert response.status_code == 403


def test_the_prefecture_reads_and_downloads_but_cannot_extend(lpc_ready):
    case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    lpc = lpc_current(case)
    prefecture = Caller(lpc_ready["prefecture_user"])
    pdf = prefecture.get(f"{lpc.number}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="download", object_id=lpc.number, channel="api").exists()
    refused = prefecture.post(
        f"{lpc.number}/extend", {"valid_to": (lpc.valid_to + dt.timedelta(days=3)).isoformat()}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_another_prefecture_gets_404(lpc_ready, personas):
    case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    lpc = lpc_current(case)
    other = Caller(personas["pref92_agent"])
    assert other.get(lpc.number).status_code == 404
    assert other.get(f"{lpc.number}/pdf").status_code == 404


def test_verify_endpoint_needs_a_token_and_answers_the_status(lpc_ready, personas):
    case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    lpc = lpc_current(case)
    anonymous = Client().post(
        BASE + "verify", data=json.dumps({"payload": lpc.seal}), content_type="application/json"
    )
    assert anonymous.status_code == 401
    border = Caller(personas["border_casa"], scopes=("lpc:verify",))
    ok = border.post("verify", {"payload": lpc.seal}).json()
    assert ok["status"] == "valid" and ok["number"] == lpc.number
    with clock.frozen(clock.now() + dt.timedelta(days=40)):
        assert (
            border.post("verify", {"number": lpc.number, "check_code": lpc.check_code}).json()["status"]
            == "expired"
        )
    assert border.post("verify", {"payload": "LPC1-ABC"}).json() == {
        "status": "forged",
        "message": border.post("verify", {"payload": "LPC1-ABC"}).json()["message"],
        "number": None,
        "holder_name": None,
    }
    assert border.post("verify", {}).status_code == 422
