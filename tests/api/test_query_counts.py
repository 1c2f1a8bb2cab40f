"""Every API list answers with a number of queries that does not grow with its rows: 1 row, then 13,
for each persona who reads that list (the same rule as the list pages, tests/www/test_case_pages.py).
The border police get no case list (403, tests/security/test_authorization_review.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gmmp.cases.enums import CaseState as S
from gmmp.minors.enums import MinorState
from gmmp.mobility import actions as mobility
from gmmp.mobility.enums import Housing
from gmmp.organisations.models import Departement
from gmmp.organisations.tokens import api_token_create
from tests.api.conftest import Caller
from tests.factories import make_case
from tests.minors.conftest import walk

MORE = 12  # 1 row, then 1 + 12 = 13 rows
CASE_STATES = (S.ROUTED, S.IDENTIFIED, S.LPC_ISSUED, S.READMITTED)


@pytest.fixture
def token_of(personas, minor_personas):
    """A caller with a token of one persona (either table) and the given scopes."""
    users = {**personas, **minor_personas}

    def make(username: str, scopes: list[str]) -> Caller:
        _token, raw = api_token_create(user=users[username], name="query counts", scopes=scopes)
        return Caller(users[username], raw)

    return make


def _queries(caller, path: str, rows: int) -> int:
    caller.get(path)  # warm: a first request may fill caches (content types, policies)
    with CaptureQueriesContext(connection) as captured:
        response = caller.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    assert len(items) == rows, (path, len(items))
    return len(captured)


@pytest.mark.parametrize(
    "persona",
    [
        "dgef_central",  # the national list
        "dmsf_central",
        "cg_paris_agent",  # the consulate's queue
        "pref75_agent",  # the préfecture's own requests
    ],
)
def test_the_case_list_costs_the_same_queries_for_one_case_or_thirteen(api, lpc_ready, persona):
    caller = api(persona, scopes=["cases:read"])
    make_case(S.ROUTED, **lpc_ready)
    one = _queries(caller, "?limit=50", 1)
    for i in range(MORE):
        make_case(CASE_STATES[i % len(CASE_STATES)], **lpc_ready)
    assert _queries(caller, "?limit=50", 1 + MORE) == one


@pytest.mark.parametrize("persona", ["pref75_agent", "cg_paris_agent", "dgef_central", "dmsf_central"])
def test_a_case_timeline_costs_the_same_queries_for_one_event_or_many(api, lpc_ready, persona):
    caller = api(persona, scopes=["cases:read"])
    short = make_case(S.IDENTIFIED, **lpc_ready)  # both with a comment: one key lookup each
    long = make_case(S.READMITTED, **lpc_ready)
    few = caller.get(f"{short.reference}/events").json()
    many = caller.get(f"{long.reference}/events").json()
    assert len(many) >= len(few) + 3
    assert _queries(caller, f"{long.reference}/events", len(many)) == _queries(
        caller, f"{short.reference}/events", len(few)
    )


def _contracts(personas, count: int, start: int) -> None:
    anapec = personas["anapec_officer"]
    farm = mobility.employer_create(
        user=anapec,
        name=f"EARL Démo {start}",
        siret=f"{start:014d}",
        departement=Departement.objects.get(code="13"),
        sector="agriculture",
    )
    for i in range(start, start + count):
        worker = mobility.worker_create(
            user=anapec,
            anapec_ref=f"DEMO-Q{i}",
            last_name=f"DEMO-NOM{i}",
            first_name="Fatima",
            birth_date=dt.date(1990, 1, 1),
        )
        mobility.contract_create(
            user=anapec,
            worker=worker,
            employer=farm,
            start_date=dt.date(2025, 4, 1),
            end_date=dt.date(2025, 9, 30),
            monthly_wage=Decimal("1766.92"),
            housing=Housing.EMPLOYER,
        )


@pytest.mark.parametrize("persona", ["ofii_officer", "anapec_officer"])
def test_the_seasonal_contract_list_costs_the_same_queries_for_one_or_thirteen(api, personas, persona):
    caller = api(persona, scopes=["mobility:read"])
    _contracts(personas, 1, start=1)
    one = _queries(caller, "/api/v1/mobility/contracts", 1)
    _contracts(personas, MORE, start=100)
    assert _queries(caller, "/api/v1/mobility/contracts", 1 + MORE) == one


@pytest.mark.parametrize("persona", ["ase75_officer", "judge_paris", "cg_paris_cp"])
def test_the_childrens_case_list_costs_the_same_queries_for_one_or_thirteen(
    token_of, minor_personas, persona
):
    caller = token_of(persona, ["minors:read"])
    walk(minor_personas, MinorState.REFERRED)
    one = _queries(caller, "/api/v1/minors/", 1)
    for i in range(MORE):
        walk(minor_personas, MinorState.REFERRED, last_name=f"Demo-Enfant{i}")
    assert _queries(caller, "/api/v1/minors/", 1 + MORE) == one


def test_a_case_reads_its_legal_events_and_the_rules_once(api, personas):
    """The deadlines' clock and the legal block share one read of the legal events, and the rules are
    read once (they were read twice and one at a time)."""
    caller = api("pref75_agent", scopes=["cases:read"])
    case = make_case(S.ROUTED, prefecture_user=personas["pref75_agent"])
    assert case.detention_start
    caller.get(case.reference)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = caller.get(case.reference)
    assert response.status_code == 200, response.content
    sqls = [q["sql"] for q in captured]
    assert sum('FROM "cases_legalevent"' in sql for sql in sqls) == 1
    assert sum('FROM "core_policyvalue"' in sql for sql in sqls) == 1
