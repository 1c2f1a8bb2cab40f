"""Every read of personal data leaves an access-log row: derived from the URL configuration and the
OpenAPI schema, so that a new page or operation is covered without anyone listing it.

Each page and each API operation is called by every persona who handles cases, on cases in several
states whose holder carries a marker name, with GET and with a POST (empty, which re-renders forms
with their errors, and a valid example where one exists). Any answer that shows the marker without
having written an AccessLog row fails the test. Each call runs in a savepoint rolled back after it,
so that a write (a revocation, say) does not change what the next call sees.
"""

import base64
import datetime as dt
import functools
import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gmmp.audit.models import AccessLog
from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.documents.selectors import lpc_current, lpc_latest
from gmmp.organisations.models import ApiTokenScope
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case

from .conftest import PNG

MARKER = "ZQXWMARK"
PERSONAS_SEEING = [
    "pref75_agent",
    "cg_paris_agent",
    "cg_paris_supervisor",
    "dgef_central",
    "dmsf_central",
    "border_casa",
]
# Pages left out, with the reason: none of them shows a person.
NOT_PERSONAL = {
    "indicators/report.pdf": "aggregates only (and a slow PDF)",
    "indicators/reports/<int:pk>.pdf": "aggregates only (and a slow PDF)",
    "logout/": "ends the session",
    "i18n/setlang/": "language switch",
}


def _web_patterns(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith(("admin/", "api/")):
                continue
            yield from _web_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


@pytest.fixture(autouse=True)
def _pdf_shows_the_holder(monkeypatch):
    # A real PDF is compressed (the marker would not show) and slow: a stand-in that shows the holder.
    def fake_pdf(lpc, **_kwargs):
        return f"%PDF {lpc.holder_last_name}".encode()

    monkeypatch.setattr("gmmp.www.documents.views.lpc_pdf", fake_pdf)
    monkeypatch.setattr("gmmp.api.documents.lpc_pdf", fake_pdf)


@pytest.fixture
def world(lpc_ready, personas):
    cases = {
        state: make_case(state, last_name=MARKER, **lpc_ready)
        for state in (
            CaseState.DRAFT,
            CaseState.ROUTED,
            CaseState.IDENTIFIED,
            CaseState.LPC_ISSUED,
            CaseState.DEPARTED,
        )
    }
    evidence = actions.evidence_add(
        case=cases[CaseState.ROUTED],
        user=lpc_ready["prefecture_user"],
        category="photo",
        kind="photo",
        original_name="photo.png",
        data=PNG,
        content_type="image/png",
    )
    lpc = lpc_current(cases[CaseState.LPC_ISSUED])
    return {
        "reference": [c.reference for c in cases.values()],
        "number": [lpc.number, lpc_latest(cases[CaseState.DEPARTED]).number],
        "evidence_id": [str(evidence.pk)],
        "name": ["decide", "withdraw", "schedule_departure"],
        "pk": ["1"],
        "lpc": lpc,
    }


def _fill(pattern: str, world) -> list[str]:
    """Every URL the pattern gives with the world's values for its parameters."""
    urls = ["/" + pattern]
    for match in re.finditer(r"<(?:\w+:)?(\w+)>", pattern):
        name = match.group(1)
        urls = [u.replace(match.group(0), value, 1) for u in urls for value in world.get(name, ["1"])]
    return urls


def _shows_marker(response) -> bool:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return MARKER.encode() in content or MARKER.lower().encode() in content


def _call(do) -> tuple[bool, bool]:
    """(shows the marker, logged) for one call, rolled back."""
    with transaction.atomic():
        before = AccessLog.objects.count()
        response = do()
        shown = _shows_marker(response)
        logged = AccessLog.objects.count() > before
        transaction.set_rollback(True)
    return shown, logged


def test_every_page_that_shows_a_person_logs_the_read(world, personas):
    patterns = [p for p in _web_patterns() if p not in NOT_PERSONAL]
    assert "cases/<str:reference>/" in patterns  # the walk found the pages
    missing, shown_somewhere = [], set()
    for username in PERSONAS_SEEING:
        client = Client()
        client.force_login(personas[username])
        for pattern in patterns:
            for url in _fill(pattern, world):
                for method in ("get", "post"):
                    shown, logged = _call(functools.partial(getattr(client, method), url))
                    if shown:
                        shown_somewhere.add(pattern)
                    if shown and not logged:
                        missing.append(f"{method.upper()} {url} as {username}")
    assert missing == []
    # The test sees the pages that matter (it would pass vacuously otherwise).
    assert {
        "cases/",
        "cases/<str:reference>/",
        "cases/<str:reference>/edit/",
        "cases/<str:reference>/actions/<str:name>/",
        "cases/<str:reference>/evidence/",
        "lpc/case/<str:reference>/issue/",
        "lpc/<str:number>/reissue/",
        "lpc/<str:number>/pdf/",
    } <= shown_somewhere


def _api_operations(client) -> list[tuple[str, str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method, path, op["operationId"])
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]


def api_examples(world) -> dict:
    """Valid bodies for operations whose answer carries personal data only when they succeed."""
    lpc = world["lpc"]
    return {
        "lpc_extend": {"valid_to": (lpc.valid_to + dt.timedelta(days=10)).isoformat()},
        "lpc_revoke": {"reason": "error"},
        "lpc_reissue": {},
        "lpc_verify": {"payload": lpc.seal},
        "lpc_issue": {"case": world["reference"][2], "photo_base64": base64.b64encode(PNG).decode()},
        "case_transition_withdraw": {"reason": "released"},
        "case_transition_decide": {"decision": "not_national"},
    }


def _api_call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_every_api_operation_that_returns_a_person_logs_the_read(world, personas):
    examples = api_examples(world)
    missing, shown_somewhere = [], set()
    for username in PERSONAS_SEEING:
        _token, raw = api_token_create(
            user=personas[username], name="audit", scopes=list(ApiTokenScope.values)
        )
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        operations = _api_operations(client)
        assert len(operations) > 20
        for method, path, operation in operations:
            pattern = re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/"))
            for url in _fill(pattern, world):
                bodies = [{}] + ([examples[operation]] if operation in examples else [])
                for body in bodies if method != "get" else [None]:
                    call = functools.partial(_api_call, client, method, url, body)
                    shown, logged = _call(call)
                    if shown:
                        shown_somewhere.add(operation)
                    if shown and not logged:
                        missing.append(f"{method.upper()} {url} {body} as {username}")
    assert missing == []
    assert {
        "case_list",
        "case_read",
        "lpc_read",
        "lpc_pdf",
        "lpc_extend",
        "lpc_revoke",
        "lpc_verify",
    } <= shown_somewhere
