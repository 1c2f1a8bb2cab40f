"""The authorization matrix: every page of the URL configuration and every operation of the OpenAPI
schema, called by every persona (and by nobody), against the answer it must give.

The expected answers live in authorization_matrix.json, one line per endpoint and persona, reviewed
like code. A new page or operation has no line yet: the test fails until someone writes down who may
reach it. To see the current answers after a deliberate change:
GMMP_MATRIX_WRITE=1 pytest tests/security/test_authorization_matrix.py, then review the diff.
"""

import datetime as dt
import functools
import json
import os
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.documents.selectors import lpc_current
from gmmp.organisations.models import ApiTokenScope
from gmmp.organisations.tokens import api_token_create
from tests.api.test_transitions import ALLOWED
from tests.factories import case_data, make_case
from tests.minors.conftest import CHILD
from tests.personas import PERSONAS

from .conftest import PNG
from .test_access_log_coverage import NOT_PERSONAL, _web_patterns

MATRIX = Path(__file__).with_name("authorization_matrix.json")
ANONYMOUS = "(anonymous)"
# Pages that render slow PDFs of aggregates: their access rule is the dashboard's (tested there).
SKIPPED = {k for k, why in NOT_PERSONAL.items() if "PDF" in why}


@pytest.fixture(autouse=True)
def _fast_pdf(monkeypatch):
    monkeypatch.setattr("gmmp.www.documents.views.lpc_pdf", lambda lpc, **_: b"%PDF")
    monkeypatch.setattr("gmmp.api.documents.lpc_pdf", lambda lpc, **_: b"%PDF")


@pytest.fixture
def world(lpc_ready):
    routed = make_case(CaseState.ROUTED, **lpc_ready)
    issued = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    evidence = actions.evidence_add(
        case=routed,
        user=lpc_ready["prefecture_user"],
        category="photo",
        kind="photo",
        original_name="p.png",
        data=PNG,
        content_type="image/png",
    )
    lpc = lpc_current(issued)
    return {
        "lpc": lpc,
        "reference": routed.reference,
        "number": lpc.number,
        "evidence_id": str(evidence.pk),
        "name": "decide",
        "pk": "1",
    }


def _write_bodies() -> dict:
    """Schema-valid bodies for the API writes (django-ninja validates the body before the view's role
    check: without them every persona would get the same 422). Transitions: the suite's allowed bodies."""
    bodies = {}
    for name, _state, _who, body, _to in ALLOWED:
        if body is not None:
            bodies.setdefault(f"case_transition_{name}", body)
    created = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in case_data().items()}
    return {
        **bodies,
        "/api/v1/cases/": created,
        "/api/v1/minors/": CHILD,
        "/api/v1/mobility/visas": {
            "month": "2026-09", "post": "Rabat", "level": "master", "applications": 10, "issued": 8,
            "refused": 2,
        },
        "/api/v1/mobility/irregular": {
            "quarter": "2026Q3", "side": "FR", "measure": "returns", "value": 10, "source": "matrix",
        },
        "/api/v1/mobility/contracts": {
            "anapec_ref": "DEMO-MATRIX", "employer_siret": "00000000000011", "start_date": "2027-03-01",
            "end_date": "2027-08-31", "monthly_wage": "1801.80", "housing": "employer",
            "last_name": "DEMO-MATRICE", "first_name": "Sara", "birth_date": "1993-05-04",
        },
    }  # fmt: skip


def _bodies(world) -> dict:
    """Valid bodies, so that an operation answers on who calls it rather than on a missing field."""
    slot = (clock.now() + dt.timedelta(days=2)).isoformat()
    return {
        **_write_bodies(),
        "lpc_extend": {"valid_to": str(world["lpc"].valid_to + dt.timedelta(days=5))},
        "lpc_revoke": {"reason": "error"},
        "lpc_verify": {"payload": world["lpc"].seal},
        "lpc_issue": {"case": world["reference"]},
        "lpc_photo_exception": {"case": world["reference"], "reason": "Personne hospitalisée"},
        "case_identification_reverse": {"reason": "other_identity"},
        "case_transition_withdraw": {"reason": "released"},
        "case_transition_decide": {"decision": "not_national"},
        "case_transition_request_information": {"question": "Passeport ?"},
        "case_transition_answer_information": {"answer": "Voici"},
        "case_transition_route": {"consulate": "CG-PARIS"},
        "case_transition_reroute": {"consulate": "CG-LYON", "reason": "Compétence"},
        "/api/v1/register/search": {"last_name": "EL IDRISSI", "first_name": "Mohamed"},
        "case_message_post": {"body": "Bonjour"},
        "case_interview_schedule": {"starts_at": slot, "mode": "cra"},
        "case_interview_change": {"starts_at": slot, "mode": "cra"},
        "case_interview_outcome": {"held": True},
        "case_escalation_raise": {"reason": "reply_overdue"},
        "escalation_answer": {"answer": "Relance faite."},
        "case_protection_record": {"kind": "visit", "on": clock.today().isoformat()},
        # The legal timeline and the deadlines (valid on the world's routed case).
        "case_transition_assess_age": {"finding": "adult", "basis": "judge", "reference": "TJ Paris 26/1"},
        "case_transition_record_legal_event": {
            "kind": "appeal_lodged",
            "on": clock.today().isoformat(),
            "reference": "TA Paris 2600123",
            "suspensive": False,
        },
        "case_transition_release": {
            "kind": "released",
            "on": clock.today().isoformat(),
            "reference": "JLD 26/4",
            "cause": "judge",
        },
        "case_transition_extend_reply_deadline": {"reason": "Vérification auprès de l'état civil"},
        "case_transition_correct_identity": {"birth_place": "Rabat", "reason": "Faute de frappe"},
    }


def _multipart() -> dict:
    """Valid multipart bodies (a fresh file for each call), by operation id or path."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.mobility.test_imports import IRREGULAR, VISAS

    return {
        "case_evidence_upload": lambda: {
            "file": SimpleUploadedFile("p.png", PNG, "image/png"),
            "category": "photo",
            "kind": "photo",
        },
        "/api/v1/mobility/visas/import": lambda: {
            "file": SimpleUploadedFile("visas.csv", VISAS.encode(), "text/csv")
        },
        "/api/v1/mobility/irregular/import": lambda: {
            "file": SimpleUploadedFile("irregular.csv", IRREGULAR.encode(), "text/csv")
        },
    }


def _fill(pattern: str, world) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: world.get(m.group(1), "1"), pattern)


def _answer(do) -> int:
    with transaction.atomic():
        status = do().status_code
        transaction.set_rollback(True)
    return status


def _endpoints():
    yield from ((f"GET /{p}", p) for p in _web_patterns() if p not in SKIPPED)


def test_every_endpoint_answers_each_persona_as_written_down(world, personas):
    answers: dict[str, dict[str, int]] = {}
    web_clients = {ANONYMOUS: Client()}
    api_clients = {ANONYMOUS: Client()}
    for username in PERSONAS:
        web_clients[username] = Client()
        web_clients[username].force_login(personas[username])
        _t, raw = api_token_create(user=personas[username], name="matrix", scopes=list(ApiTokenScope.values))
        api_clients[username] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for pattern in _web_patterns():
        if pattern in SKIPPED:
            continue
        url = _fill(pattern, world)
        for method in ("get", "post"):
            key = f"{method.upper()} /{pattern}"
            row = {}
            for who, client in web_clients.items():
                if pattern == "logout/":  # on a copy of the session, which it ends
                    client = Client()
                    if who != ANONYMOUS:
                        client.force_login(personas[who])
                row[who] = _answer(functools.partial(getattr(client, method), url))
            answers[key] = row
    schema = Client().get("/api/v1/openapi.json").json()
    bodies = _bodies(world)
    multipart = _multipart()
    for path, methods in schema["paths"].items():
        url = _fill(re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/")), world)
        for method, operation in methods.items():
            key = f"{method.upper()} {path}"
            body = json.dumps(bodies.get(operation["operationId"], bodies.get(path, {})))
            files = multipart.get(operation["operationId"], multipart.get(path))
            call = (
                (lambda c, u=url: c.get(u))
                if method == "get"
                else (lambda c, u=url, f=files: c.post(u, data=f()))
                if files
                else (
                    lambda c, u=url, m=method, b=body: getattr(c, m)(
                        u, data=b, content_type="application/json"
                    )
                )
            )
            answers[key] = {
                who: _answer(functools.partial(call, client)) for who, client in api_clients.items()
            }
    if os.environ.get("GMMP_MATRIX_WRITE"):
        MATRIX.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
    expected = json.loads(MATRIX.read_text())
    unknown = sorted(set(answers) - set(expected))
    assert not unknown, f"endpoints without expected answers (write them in {MATRIX.name}): {unknown}"
    gone = sorted(set(expected) - set(answers))
    assert not gone, f"expected answers for endpoints that no longer exist: {gone}"
    differences = [
        f"{key} as {who}: {answers[key].get(who)} (expected {status})"
        for key, row in sorted(expected.items())
        for who, status in row.items()
        if answers[key].get(who) != status
    ]
    assert differences == []


def test_the_matrix_denies_by_default():
    """Sanity of the written matrix: nobody anonymous reads a case; the secretariat reads no person."""
    expected = json.loads(MATRIX.read_text())
    for key, row in expected.items():
        if "<reference>" in key or "{reference}" in key or "{number}" in key or "<str:number>" in key:
            assert row[ANONYMOUS] in (302, 401, 404, 405), key
            assert row["gmmp_secretariat"] in (302, 401, 403, 404, 405, 422), key
