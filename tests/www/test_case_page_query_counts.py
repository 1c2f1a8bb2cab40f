"""The case page answers with a fixed number of queries, whatever the number of events, messages,
evidence and interviews the case has (issue 15: the page made 23–24 queries, six of them the
collaboration panel's figures and up to three the bell's count; now one query for the panel's figures
and one for the bell). The page still shows the same figures: checked here on the rendered panel."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gmmp.cases import actions as case_actions
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.collab import actions
from gmmp.collab.enums import EscalationReason
from gmmp.collab.selectors import case_collab_summary
from gmmp.core import clock
from tests.factories import make_case, valid_kwargs

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A routed case's page, for each reader, pinned: session, the user with their organisation (one query
# since session 5, organisations.backends), the case, the access-log row, the rules (one read), the legal
# events (read once for the legal timeline and the deadlines), the events and the case key, the bell, the
# collaboration panel (one), the evidence (11; 15 before session 4 read the legal events twice, the rules
# one at a time, and the identification guard its decision event even on a case never identified). An
# identified case adds the laissez-passer's reads.
CASE_PAGE_QUERIES = 11
MORE = 6


@pytest.fixture
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _page(client, case) -> tuple[int, str]:
    url = f"/cases/{case.reference}/"
    client.get(url)  # warm: a first request may fill caches (content types, rules)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _thread_link(page: str) -> str:
    found = re.search(r'data-testid="thread-link">(.*?)</a>', page, re.S)
    assert found, "the thread link is on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


def _grow(case, personas, i: int) -> None:
    actions.message_post(case=case, user=personas["cg_paris_agent"], body=f"Question {i}")
    actions.message_post(case=case, user=personas["pref75_agent"], body=f"Réponse {i}")
    case_actions.evidence_add(
        case=case,
        user=personas["pref75_agent"],
        category="proof",
        kind="passport",
        original_name=f"passeport-{i}.pdf",
        data=PDF,
        content_type="application/pdf",
    )


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        ("cg_paris_agent", CASE_PAGE_QUERIES),
        ("pref75_agent", CASE_PAGE_QUERIES),
        ("dgef_central", CASE_PAGE_QUERIES),
        ("dmsf_central", CASE_PAGE_QUERIES + 1),  # the Moroccan central level: one more read
    ],
)
def test_the_case_page_costs_the_same_queries_with_one_or_many_messages_and_pieces(
    client, personas, files, persona, queries
):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    client.force_login(personas[persona])
    _grow(case, personas, 0)
    one, _ = _page(client, case)
    for i in range(1, 1 + MORE):
        _grow(case, personas, i)
    many, page = _page(client, case)
    assert many == one == queries
    assert page.count("passeport-") >= 1 + MORE  # every piece listed


def test_the_collaboration_panel_shows_the_same_figures(client, personas):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    Case.objects.filter(pk=case.pk).update(reply_due=clock.today() - dt.timedelta(days=4))
    for body in ("Un", "Deux", "Trois"):
        actions.message_post(case=case, user=personas["cg_paris_agent"], body=body)
    client.force_login(personas["pref75_agent"])
    _, page = _page(client, case)
    assert _thread_link(page) == "Fil de la demande (3) · 3 non lus"
    assert "Auditions (0)" in page
    assert "Signalement ouvert" not in page
    # Writing marks the thread read up to one's own message; a later message counts again.
    actions.message_post(case=case, user=personas["pref75_agent"], body="Réponse")
    _, page = _page(client, case)
    assert _thread_link(page) == "Fil de la demande (4)"
    with clock.frozen(clock.now() + dt.timedelta(minutes=5)):
        actions.message_post(case=case, user=personas["cg_paris_agent"], body="Quatre")
    _, page = _page(client, case)
    assert _thread_link(page) == "Fil de la demande (5) · 1 non lu"
    client.force_login(personas["pref75_supervisor"])  # never opened the thread: all others' messages
    _, page = _page(client, case)
    assert _thread_link(page) == "Fil de la demande (5) · 5 non lus"
    actions.escalation_raise(case=case, user=personas["pref75_agent"], reason=EscalationReason.REPLY_OVERDUE)
    _, page = _page(client, case)
    assert "Signalement ouvert" in page
    assert clock.today().strftime("%d/%m/%Y") in page


@pytest.mark.parametrize("persona", ["pref92_agent", "cg_lyon_agent", "gmmp_secretariat"])
def test_the_panel_counts_nothing_of_a_thread_the_user_may_not_read(personas, persona):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    actions.message_post(case=case, user=personas["pref75_agent"], body="Un")
    summary = case_collab_summary(user=personas[persona], case=case)
    assert (summary["thread"], summary["messages"], summary["unread"]) == (False, 0, 0)
    reader = case_collab_summary(user=personas["dmsf_central"], case=case)
    assert (reader["thread"], reader["messages"], reader["unread"]) == (True, 1, 1)


def _tables_read(client, url: str) -> list[str]:
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured]


def test_the_case_page_reads_the_legal_events_and_the_rules_once(client, personas):
    """The legal timeline and the deadlines' clock share one read of the legal events; the two rules the
    deadlines need (detention stages, "due soon") come from one read of the rules."""
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    assert case.detention_start  # the clock reads the judges' decisions
    client.force_login(personas["pref75_agent"])
    sqls = _tables_read(client, f"/cases/{case.reference}/")
    assert sum('FROM "cases_legalevent"' in sql for sql in sqls) == 1
    assert sum('FROM "core_policyvalue"' in sql for sql in sqls) == 1


def test_the_identification_panel_reads_the_events_the_page_has_read(client, personas, lpc_ready):
    """An identified case's page reads its events once (the timeline): the guard against the wrong person
    finds the decision and any reversal among them (it read them twice more before session 4)."""
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    client.force_login(personas["cg_paris_agent"])
    sqls = _tables_read(client, f"/cases/{case.reference}/")
    events = [sql for sql in sqls if 'FROM "cases_caseevent"' in sql]
    assert not [sql for sql in events if "'decide'" in sql or "'identification_reversed'" in sql]
    assert len(events) == 2  # the timeline, and the laissez-passer panel's photo exception (4 before)


def test_the_identification_panel_shows_a_reversal_found_among_the_events(client, personas, lpc_ready):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    case_actions.ACTIONS["identification_reversed"](
        case=case, user=personas["cg_paris_agent"], **valid_kwargs("identification_reversed")
    )
    client.force_login(personas["cg_paris_agent"])
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="identification-reversed"' in page
