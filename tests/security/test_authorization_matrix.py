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
from tests.minors.conftest import CHILD, PATH, step_kwargs, walk
from tests.personas import MINOR_PERSONAS, PERSONAS

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


# The children's track: one case per step, each in the state the step starts from (walked through the
# real steps, as tests/minors does), so that each step's row answers on who calls it.
MINOR_STEPS = [name for name, _state in PATH] + ["close"]
MINOR_READ_STEP = "confirm_reception"  # the case read by the pages: decided, so it holds a document
_MINOR_PREFIXES = ("minors/", "api/v1/minors/")


def _minor_world(minor_personas) -> dict:
    from gmmp.minors.enums import MinorState as S
    from gmmp.minors.models import MinorDocument

    sources = [S.REFERRED] + [state for _name, state in PATH][:-1]
    cases = {name: walk(minor_personas, source) for (name, _s), source in zip(PATH, sources, strict=True)}
    cases["close"] = cases["identify"]  # closed before the hand-over; each call is rolled back
    read = cases[MINOR_READ_STEP]
    ase = minor_personas["ase75_officer"]
    colleague = type(ase).objects.create(
        username="ase75_colleague", organisation=ase.organisation, role=ase.role
    )
    return {
        "colleague": colleague.pk,
        "reference": read.reference,
        "name": MINOR_READ_STEP,
        "document_id": str(MinorDocument.objects.filter(case=read).values_list("pk", flat=True).first()),
        "steps": {name: case.reference for name, case in cases.items()},
    }


def _minor_step_body(name: str) -> dict:
    """The API's body for a step: the page form's fields, the decision's document in base64."""
    import base64

    data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in step_kwargs(name).items()}
    if name == "identify":  # the form's choice, not the action's boolean
        data["identified"] = "yes" if data["identified"] else "no"
    body = {"data": data}
    if "document_data" in data:
        body["document_base64"] = base64.b64encode(data.pop("document_data")).decode()
        body["document_name"] = data.pop("document_name")
        data.pop("document_content_type")
    return body


@pytest.fixture
def world(lpc_ready, minor_personas):
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
        "minors": _minor_world(minor_personas),
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
            "month": "2026-09", "post": "RABAT", "level": "MASTER", "applications": 10, "issued": 8,
            "refused": 2,
        },
        "/api/v1/mobility/irregular": {
            "quarter": "2026Q3", "side": "FR", "measure": "interceptions", "value": 10, "source": "matrix",
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


def _web_bodies(world) -> dict:
    """Valid form bodies for the pages' writes of the children's track (by URL pattern)."""
    minors = world["minors"]
    step = _minor_step_body(minors["name"])["data"]
    return {
        "minors/<str:reference>/steps/<str:name>/": {f"{minors['name']}-{k}": v for k, v in step.items()},
        # The ASE's place given to a colleague of the same service: its supervisor's act only.
        "minors/<str:reference>/designate/": {
            "slot": "ase_officer",
            "officer": minors["colleague"],
            "reason": "absence",
        },
    }


def _fill(pattern: str, world) -> str:
    if pattern.startswith(_MINOR_PREFIXES):  # a child's case, not the adult one
        world = world["minors"]
        if pattern.endswith("/register/"):  # the register is searched while identifying the child
            world = {**world, "reference": world["steps"]["identify"]}
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(world.get(m.group(1), "1")), pattern)


def _answer(do) -> int:
    with transaction.atomic():
        status = do().status_code
        transaction.set_rollback(True)
    return status


def _endpoints():
    yield from ((f"GET /{p}", p) for p in _web_patterns() if p not in SKIPPED)


def test_every_endpoint_answers_each_persona_as_written_down(world, personas, minor_personas):
    answers: dict[str, dict[str, int]] = {}
    web_clients = {ANONYMOUS: Client()}
    api_clients = {ANONYMOUS: Client()}
    personas = {**personas, **minor_personas}
    for username in {**PERSONAS, **MINOR_PERSONAS}:
        web_clients[username] = Client()
        web_clients[username].force_login(personas[username])
        _t, raw = api_token_create(user=personas[username], name="matrix", scopes=list(ApiTokenScope.values))
        api_clients[username] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    web_bodies = _web_bodies(world)
    for pattern in _web_patterns():
        if pattern in SKIPPED:
            continue
        url = _fill(pattern, world)
        for method in ("get", "post"):
            key = f"{method.upper()} /{pattern}"
            data = web_bodies.get(pattern) if method == "post" else None
            row = {}
            for who, client in web_clients.items():
                if pattern == "logout/":  # on a copy of the session, which it ends
                    client = Client()
                    if who != ANONYMOUS:
                        client.force_login(personas[who])
                row[who] = _answer(functools.partial(getattr(client, method), url, data))
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
            if path == "/api/v1/minors/{reference}/steps/{name}":  # one row per step, valid body, right state
                del answers[key]
                for step, reference in world["minors"]["steps"].items():
                    step_url = f"/api/v1/minors/{reference}/steps/{step}"
                    step_body = json.dumps(_minor_step_body(step))
                    answers[f"{key} [{step}]"] = {
                        who: _answer(
                            functools.partial(
                                client.post, step_url, data=step_body, content_type="application/json"
                            )
                        )
                        for who, client in api_clients.items()
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


def _case_row(key: str) -> bool:
    return any(p in key for p in ("<reference>", "{reference}", "{number}", "<str:number>"))


def test_the_two_tracks_do_not_see_into_each_other():
    """The children's track personas reach no adult's case (422: a body refused before any access check,
    see README); the adult track reaches no child's case, except the consulate's supervisor, who sees who
    read it (the access page), never the child's data."""
    expected = json.loads(MATRIX.read_text())
    for key, row in expected.items():
        if not _case_row(key):
            continue
        if "minors/" in key:
            for who in PERSONAS:
                allowed = {404, 405} | ({200, 403} if who == "cg_paris_supervisor" else set())
                assert row[who] in allowed, (key, who)
            if "/access/" not in key:
                assert row["cg_paris_supervisor"] in (403, 404, 405), key
        else:
            for who in MINOR_PERSONAS:
                assert row[who] in (401, 403, 404, 405, 422), (key, who)


def test_each_step_of_a_childs_case_is_taken_by_its_actor_only():
    """The API's step rows: 200 for the step's actor (the clerk acts for the judge), 403 for the other
    people named on the case, 404 for everyone else."""
    from tests.minors.conftest import ACTOR_OF

    expected = json.loads(MATRIX.read_text())
    named = {"ase75_officer", "judge_paris", "clerk_paris", "cg_paris_cp", "ma_enfance_officer"}
    named.add("ma_justice_contact")
    for step in MINOR_STEPS:
        row = expected[f"POST /api/v1/minors/{{reference}}/steps/{{name}} [{step}]"]
        actors = {ACTOR_OF[step]} | ({"clerk_paris", "judge_paris"} if step in ("decide", "close") else set())
        for who, status in row.items():
            want = 401 if who == ANONYMOUS else 200 if who in actors else 403 if who in named else 404
            assert status == want, (step, who)
