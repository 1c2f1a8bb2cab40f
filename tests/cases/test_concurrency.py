"""Two officers acting on the same case at once: the second sees the first one's state and is refused.

Real threads, each with its own database connection, on a transactional test database.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.cases.selectors import ledger_verify
from gmmp.cases.workflow import CASE_WORKFLOW
from gmmp.core import clock
from tests.factories import make_case


def _call(fn, **kwargs):
    """Run an action in this thread. The test database on SQLite is in memory with a shared cache, where a
    second writer gets 'database table is locked' at once instead of waiting as it does on the real
    database file (busy timeout): retry to stand for that wait. PostgreSQL waits on the row lock itself."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return fn(**kwargs)
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _run_in_threads(*jobs, together=False):
    """Run each (fn, kwargs) in its own thread, all released at the same moment when `together`;
    return what each returned or raised."""
    results = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def work(i, fn, kwargs):
        try:
            if together:
                start.wait(timeout=10)
            results[i] = _call(fn, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, fn, kw)) for i, (fn, kw) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


@pytest.fixture
def routed(lpc_ready):
    return make_case(CaseState.ROUTED, **lpc_ready)


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_decisions_taken_while_the_first_holds_the_case_is_refused(
    personas, routed, monkeypatch
):
    """The first decision holds the case (inside its transaction) while the second one starts."""
    first_holds_the_case = threading.Event()
    real_record = CASE_WORKFLOW.record

    def slow_record(**kwargs):
        event = real_record(**kwargs)
        if kwargs["kind"] == "decide" and not first_holds_the_case.is_set():
            first_holds_the_case.set()
            time.sleep(0.5)  # the second decision now waits for this transaction
        return event

    monkeypatch.setattr(CASE_WORKFLOW, "record", slow_record)

    def second(**kwargs):
        assert first_holds_the_case.wait(timeout=10)
        return actions.case_decide(**kwargs)

    # Both officers opened the case page while it was still awaiting identification
    stale_a, stale_b = Case.objects.get(pk=routed.pk), Case.objects.get(pk=routed.pk)
    agent, supervisor = personas["cg_paris_agent"], personas["cg_paris_supervisor"]
    first_result, second_result = _run_in_threads(
        (actions.case_decide, {"case": stale_a, "user": agent, "decision": "identified"}),
        (second, {"case": stale_b, "user": supervisor, "decision": "not_national"}),
    )

    assert isinstance(first_result, Case), first_result
    assert isinstance(second_result, actions.TransitionRefused), second_result
    assert second_result.code == "invalid_state"
    routed.refresh_from_db()
    assert routed.state == CaseState.IDENTIFIED
    assert list(routed.events.filter(kind="decide").values_list("to_state", "actor_id")) == [
        (CaseState.IDENTIFIED, agent.pk)
    ]
    assert ledger_verify(routed) == (True, None)


@pytest.mark.django_db(transaction=True)
def test_of_two_decisions_sent_at_the_same_moment_exactly_one_is_recorded(personas, routed):
    results = _run_in_threads(
        (
            actions.case_decide,
            {
                "case": Case.objects.get(pk=routed.pk),
                "user": personas["cg_paris_agent"],
                "decision": "identified",
            },
        ),
        (
            actions.case_decide,
            {
                "case": Case.objects.get(pk=routed.pk),
                "user": personas["cg_paris_supervisor"],
                "decision": "not_established",
            },
        ),
        together=True,
    )

    decided = [r for r in results if isinstance(r, Case)]
    refused = [r for r in results if isinstance(r, actions.TransitionRefused)]
    assert (len(decided), len(refused)) == (1, 1), results
    assert refused[0].code == "invalid_state"
    routed.refresh_from_db()
    assert routed.state == decided[0].state
    assert routed.events.filter(kind="decide").count() == 1
    assert ledger_verify(routed) == (True, None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_to_one_case_never_fork_its_ledger(personas, routed, settings, tmp_path):
    """Evidence added by the préfecture while the consulate schedules an interview: both are recorded,
    one after the other, and the hash chain stays a single line."""
    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4\n%%EOF\n"
    results = _run_in_threads(
        (
            actions.evidence_add,
            {
                "case": Case.objects.get(pk=routed.pk),
                "user": personas["pref75_agent"],
                "category": "proof",
                "kind": "passport",
                "original_name": "p.pdf",
                "data": pdf,
                "content_type": "application/pdf",
            },
        ),
        (
            actions.case_schedule_interview,
            {
                "case": Case.objects.get(pk=routed.pk),
                "user": personas["cg_paris_agent"],
                "at": clock.now() + dt.timedelta(days=1),
                "mode": "video",
            },
        ),
        together=True,
    )
    assert not any(isinstance(r, Exception) for r in results), results
    kinds = list(routed.events.order_by("sequence").values_list("sequence", "kind"))
    assert sorted(k for _s, k in kinds[-2:]) == ["evidence_added", "schedule_interview"]
    assert [s for s, _k in kinds] == list(range(1, len(kinds) + 1))
    assert ledger_verify(routed) == (True, None)
