"""No laissez-passer without the holder's photo, unless a supervisor of the consulate recorded an
exception for the case: enforced in the action, so the web form, the API and a direct call all obey."""

import base64
import datetime as dt

import pytest
from django.test import Client

from gmmp.cases.actions import TransitionRefused, case_issue_laissez_passer
from gmmp.cases.comments import comments_open
from gmmp.cases.enums import CaseState, EventKind
from gmmp.cases.models import CaseEvent
from gmmp.core import clock
from gmmp.documents.actions import lpc_photo_exception_record, lpc_reissue
from gmmp.documents.models import LaissezPasser
from gmmp.documents.selectors import lpc_current
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case

from .conftest import photo_bytes

REASON = "Personne hospitalisée : aucune photo possible avant le vol"


def _identified(lpc_ready):
    return make_case(CaseState.IDENTIFIED, **lpc_ready)


def _issue_event(case):
    return CaseEvent.objects.filter(case=case, kind=EventKind.ISSUE_LAISSEZ_PASSER).get()


def test_issuing_without_a_photo_is_refused_and_makes_nothing(lpc_ready):
    case = _identified(lpc_ready)
    with pytest.raises(TransitionRefused) as refused:
        case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"])
    assert refused.value.code == "photo_required"
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED
    assert not LaissezPasser.objects.filter(case=case).exists()


def test_a_supervisors_recorded_exception_allows_it_and_the_issuance_names_it(lpc_ready, personas):
    case = _identified(lpc_ready)
    exception = lpc_photo_exception_record(case=case, user=personas["cg_paris_supervisor"], reason=REASON)
    assert exception.kind == EventKind.LPC_PHOTO_EXCEPTION
    assert comments_open([exception])[0].comment_text == REASON  # stored encrypted, read back
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"])
    lpc = lpc_current(case)
    assert lpc.photo_storage_name == ""
    details = _issue_event(case).details
    assert details["has_photo"] is False and details["photo_exception"] == exception.sequence


@pytest.mark.parametrize("who", ["cg_paris_agent", "cg_lyon_agent", "pref75_supervisor"])
def test_only_a_supervisor_of_the_assigned_consulate_records_the_exception(lpc_ready, personas, who):
    case = _identified(lpc_ready)
    with pytest.raises(TransitionRefused) as refused:
        lpc_photo_exception_record(case=case, user=personas[who], reason=REASON)
    assert refused.value.code == "forbidden"
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.LPC_PHOTO_EXCEPTION).exists()


def test_the_exception_needs_a_reason_a_state_before_departure_and_is_recorded_once(lpc_ready, personas):
    supervisor = personas["cg_paris_supervisor"]
    case = _identified(lpc_ready)
    with pytest.raises(TransitionRefused) as refused:
        lpc_photo_exception_record(case=case, user=supervisor, reason="  ")
    assert refused.value.code == "reason_required"
    lpc_photo_exception_record(case=case, user=supervisor, reason=REASON)
    with pytest.raises(TransitionRefused) as refused:
        lpc_photo_exception_record(case=case, user=supervisor, reason=REASON)
    assert refused.value.code == "already_recorded"
    routed = make_case(CaseState.ROUTED, **lpc_ready)
    with pytest.raises(TransitionRefused) as refused:
        lpc_photo_exception_record(case=routed, user=supervisor, reason=REASON)
    assert refused.value.code == "invalid_state"


def test_a_reissue_that_would_leave_the_document_without_a_photo_needs_the_exception(lpc_ready, personas):
    case = _identified(lpc_ready)
    lpc_photo_exception_record(case=case, user=personas["cg_paris_supervisor"], reason=REASON)
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"])
    new = lpc_reissue(lpc=lpc_current(case), user=lpc_ready["consulate_user"], comment="Nom corrigé")
    assert new.photo_storage_name == ""  # carried over, under the same recorded exception
    other = make_case(CaseState.LPC_ISSUED, **lpc_ready)  # issued with a photo
    lpc = lpc_current(other)
    LaissezPasser.objects.filter(pk=lpc.pk).update(photo_storage_name="", photo_sha256="")
    lpc.refresh_from_db()
    with pytest.raises(TransitionRefused) as refused:
        lpc_reissue(lpc=lpc, user=lpc_ready["consulate_user"])
    assert refused.value.code == "photo_required"


def _api(personas):
    _token, raw = api_token_create(
        user=personas["cg_paris_agent"], name="t", scopes=["cases:read", "cases:write"]
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_refuses_issuance_without_a_photo_and_accepts_it_with_one(lpc_ready, personas):
    case = _identified(lpc_ready)
    api = _api(personas)
    refused = api.post("/api/v1/lpc/", {"case": case.reference}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "photo_required"
    body = {"case": case.reference, "photo_base64": base64.b64encode(photo_bytes()).decode()}
    assert api.post("/api/v1/lpc/", body, content_type="application/json").status_code == 201


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_supervisor_records_the_exception_on_its_page_then_the_form_issues_without_a_photo(
    lpc_ready, personas
):
    case = _identified(lpc_ready)
    url = f"/lpc/case/{case.reference}/photo-exception/"
    agent = _as(lpc_ready["consulate_user"])
    assert agent.get(url).status_code == 302  # an agent is sent back with the reason
    case_page = agent.get(f"/cases/{case.reference}/").content.decode()
    assert "lpc-photo-exception-link" not in case_page
    supervisor = _as(personas["cg_paris_supervisor"])
    assert (
        'data-testid="lpc-photo-exception-link"'
        in supervisor.get(f"/cases/{case.reference}/").content.decode()
    )
    assert supervisor.post(url, {"reason": ""}).status_code == 400
    assert supervisor.post(url, {"reason": REASON}).status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=EventKind.LPC_PHOTO_EXCEPTION).count() == 1
    assert 'data-testid="lpc-photo-exception"' in agent.get(f"/cases/{case.reference}/").content.decode()
    response = agent.post(
        f"/lpc/case/{case.reference}/issue/",
        {
            "holder_last_name": "EL IDRISSI",
            "holder_first_names": "Mohamed",
            "valid_from": clock.today().isoformat(),
            "valid_to": (clock.today() + dt.timedelta(days=29)).isoformat(),
            "destination": "Maroc",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == CaseState.LPC_ISSUED and lpc_current(case).photo_storage_name == ""


def test_the_api_records_the_supervisors_exception(lpc_ready, personas):
    case = _identified(lpc_ready)
    _token, raw = api_token_create(
        user=personas["cg_paris_supervisor"], name="t", scopes=["cases:read", "cases:write"]
    )
    supervisor = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {"case": case.reference, "reason": REASON}
    refused = _api(personas).post("/api/v1/lpc/photo-exception", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    done = supervisor.post("/api/v1/lpc/photo-exception", body, content_type="application/json")
    assert done.status_code == 201, done.content
    assert CaseEvent.objects.filter(case=case, kind=EventKind.LPC_PHOTO_EXCEPTION).count() == 1
