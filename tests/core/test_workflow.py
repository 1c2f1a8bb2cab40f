"""The one transition runner (core.workflow), exercised through the case workflow: the checks it makes
for every transition, the single ledger event, the effects after the commit, and the rule it leaves to
each transition."""

import inspect
import logging

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from gmmp.cases import actions
from gmmp.cases.enums import CaseState, EventKind
from gmmp.cases.models import CaseEvent
from gmmp.cases.workflow import CASE_WORKFLOW, TRANSITIONS
from gmmp.core.errors import Refused
from gmmp.core.ledger import append_only_trigger
from gmmp.core.workflow import Step, Transition, Workflow
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _in_french():
    # The refusals are compared word for word: whatever language an earlier test left active.
    with translation.override("fr"):
        yield


@pytest.fixture
def routed(lpc_ready):
    return make_case(CaseState.ROUTED, **lpc_ready)


def test_a_case_refusal_is_the_one_refusal_type():
    assert actions.TransitionRefused is Refused


def test_the_wrong_state_and_the_wrong_actor_are_refused_with_their_codes(routed, personas):
    with pytest.raises(Refused) as wrong_state:
        actions.case_close(case=routed, user=personas["pref75_agent"])
    assert wrong_state.value.code == "invalid_state" and "Clôturer le dossier" in wrong_state.value.message
    with pytest.raises(Refused) as wrong_actor:
        actions.case_decide(case=routed, user=personas["pref75_agent"], decision="identified")
    assert wrong_actor.value.code == "forbidden"
    assert routed.events.count() == CaseEvent.objects.filter(case=routed).count() == 2  # created, submit


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_transition_that_needs_a_reason_is_refused_without_one(routed, personas, reason):
    before = routed.events.count()
    with pytest.raises(Refused) as refused:
        actions.case_withdraw(case=routed, user=personas["pref75_agent"], reason=reason)
    assert (refused.value.code, refused.value.message) == ("reason_required", "Indiquez le motif du retrait.")
    routed.refresh_from_db()
    assert routed.state == CaseState.ROUTED and routed.events.count() == before


def test_every_transition_that_needs_a_reason_says_which():
    needing = {name for name, t in TRANSITIONS.items() if t.needs_reason}
    assert {"reroute", "request_information", "answer_information", "withdraw"} <= needing
    assert all(TRANSITIONS[name].reason_prompt for name in needing)
    with pytest.raises(ValueError):
        Workflow(
            name="broken",
            ledger=CaseEvent,
            transitions=[
                Transition("x", "X", frozenset({"a"}), frozenset({"b"}), "anyone", needs_reason=True)
            ],
            actor_check=lambda user, obj, actor: (True, ""),
            state_refusal="%(action)s %(state)s",
        )


def test_one_event_per_transition_and_the_callers_instance_sees_the_new_state(routed, personas):
    before = routed.events.count()
    event = CASE_WORKFLOW.run(
        "withdraw",
        obj=routed,
        user=personas["pref75_agent"],
        reason="released",
        rule=lambda locked: Step(CaseState.WITHDRAWN, reason="released"),
    )
    assert routed.state == CaseState.WITHDRAWN  # copied back from the locked row
    assert routed.events.count() == before + 1
    assert (event.kind, event.from_state, event.to_state, event.sequence) == (
        "withdraw",
        CaseState.ROUTED,
        CaseState.WITHDRAWN,
        before + 1,
    )


def test_a_rule_cannot_lead_outside_the_declared_targets(routed, personas):
    with pytest.raises(RuntimeError):
        CASE_WORKFLOW.run(
            "schedule_interview",
            obj=routed,
            user=personas["cg_paris_agent"],
            rule=lambda locked: Step(CaseState.READMITTED),
        )
    routed.refresh_from_db()
    assert routed.state == CaseState.ROUTED


def test_effects_run_after_the_commit_only(routed, personas, django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    monkeypatch.setattr(CASE_WORKFLOW, "effects", [lambda outcome: seen.append(outcome)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.case_request_information(case=routed, user=personas["cg_paris_agent"], question="Acte ?")
    assert seen == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [outcome] = seen
    assert outcome.kind == "request_information" and outcome.transition is TRANSITIONS["request_information"]
    assert outcome.subject.pk == routed.pk and outcome.event.to_state == CaseState.INFORMATION_REQUESTED


def test_a_refused_transition_schedules_no_effect(
    routed, personas, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(CASE_WORKFLOW, "effects", [lambda outcome: None])
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Refused):
        actions.case_close(case=routed, user=personas["pref75_agent"])
    assert callbacks == []


def test_a_failing_effect_is_logged_and_does_not_undo_the_change(
    routed, personas, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(outcome):
        raise ValueError("mail server down")

    monkeypatch.setattr(CASE_WORKFLOW, "effects", [broken])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        actions.case_request_information(case=routed, user=personas["cg_paris_agent"], question="Acte ?")
    routed.refresh_from_db()
    assert routed.state == CaseState.INFORMATION_REQUESTED
    assert "effect" in caplog.text and "request_information" in caplog.text


def test_an_action_is_declared_by_its_rule_and_run_by_the_runner(routed, personas):
    @CASE_WORKFLOW.action("request_information")
    def case_ask(case, *, question: str) -> Step:
        if not question.endswith("?"):
            raise Refused("Une question finit par un point d'interrogation.", code="not_a_question")
        return Step(CaseState.INFORMATION_REQUESTED, comment=question)

    assert list(inspect.signature(case_ask).parameters) == ["case", "user", "question"]
    before = routed.events.count()
    with pytest.raises(Refused) as refused:  # its own rule
        case_ask(case=routed, user=personas["cg_paris_agent"], question="Acte")
    assert refused.value.code == "not_a_question"
    with pytest.raises(Refused) as refused:  # the runner's actor check
        case_ask(case=routed, user=personas["pref75_agent"], question="Acte ?")
    assert refused.value.code == "forbidden" and routed.events.count() == before
    assert case_ask(case=routed, user=personas["cg_paris_agent"], question="Acte ?") is routed
    assert routed.state == CaseState.INFORMATION_REQUESTED  # the caller's instance
    assert routed.events.count() == before + 1 and routed.events.last().kind == "request_information"
    with pytest.raises(ValueError):
        CASE_WORKFLOW.action("no_such_transition")


def test_the_transitions_are_the_first_event_kinds():
    assert list(TRANSITIONS) == list(EventKind.values)[: len(TRANSITIONS)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_a_new_ledger_table_gets_the_append_only_trigger_from_the_helper(db):
    operation = append_only_trigger("test_helper_ledger")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_helper_ledger (id integer)")
        cursor.execute("INSERT INTO test_helper_ledger VALUES (1)")
    with connection.schema_editor() as editor:
        operation.code(None, editor)
    for statement in ("UPDATE test_helper_ledger SET id = 2", "DELETE FROM test_helper_ledger"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


@pytest.mark.parametrize(
    "state", [CaseState.DRAFT, CaseState.ROUTED, CaseState.IDENTIFIED, CaseState.LPC_ISSUED]
)
def test_available_is_every_transition_refusal_would_not_refuse(personas, lpc_ready, state):
    """`available` skips writing the refusals' messages: it must still answer exactly what `refusal` says."""
    case = make_case(state, **lpc_ready)
    for user in personas.values():
        expected = [t for name, t in TRANSITIONS.items() if CASE_WORKFLOW.refusal(user, case, name) is None]
        assert CASE_WORKFLOW.available(user, case) == expected, (user.username, state)
