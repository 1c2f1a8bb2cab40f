"""Interviews and escalations run on the shared workflow runner: declared transitions, a refusal with a
stable code, one event in the case's ledger (the case's state as from/to, the object's own move in the
details) and the notifications as an on-commit effect of the workflow."""

import datetime as dt
import logging

import pytest

from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.collab import actions
from gmmp.collab.enums import EscalationState, InterviewStatus
from gmmp.collab.workflow import ESCALATION_WORKFLOW, INTERVIEW_WORKFLOW
from gmmp.core import clock
from gmmp.core.errors import Codes, Refused
from gmmp.notifications.case_events import _on_case_event
from gmmp.organisations.models import Organisation
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(personas):
    case = make_case(
        CaseState.ROUTED,
        prefecture_user=personas["pref75_agent"],
        detention_place=Organisation.objects.get(code="CRA-VINCENNES"),
    )
    starts = dt.datetime.combine(clock.today() + dt.timedelta(days=2), dt.time(10, 0), tzinfo=dt.UTC)
    return actions.interview_schedule(
        case=case,
        user=personas["cg_paris_agent"],
        slot=actions.Slot(starts_at=starts, mode="consulate", room="B"),
    )


def test_the_notifications_are_an_effect_of_both_workflows():
    assert _on_case_event in INTERVIEW_WORKFLOW.effects
    assert _on_case_event in ESCALATION_WORKFLOW.effects


def test_a_confirmation_is_one_event_in_the_case_ledger_with_the_interview_move(personas, interview):
    before = CaseEvent.objects.filter(case=interview.case).count()
    actions.interview_confirm(interview=interview, user=personas["pref75_agent"])
    assert (
        interview.status == InterviewStatus.CONFIRMED and interview.confirmed_by == personas["pref75_agent"]
    )
    events = CaseEvent.objects.filter(case=interview.case).order_by("sequence")
    assert events.count() == before + 1
    event = events.last()
    assert event.kind == "interview_confirmed"
    assert event.from_state == event.to_state == CaseState.INTERVIEW_SCHEDULED
    assert event.details["status"] == ["proposed", "confirmed"]
    assert event.details["interview"] == interview.pk


def test_the_runner_refuses_in_the_wrong_state_then_for_the_wrong_actor(personas, interview):
    actions.interview_cancel(interview=interview, user=personas["cg_paris_agent"])
    with pytest.raises(Refused) as refused:
        actions.interview_confirm(interview=interview, user=personas["pref75_agent"])
    assert refused.value.code == Codes.INVALID_STATE and "Annulée" in refused.value.message
    fresh = actions.interview_schedule(
        case=interview.case,
        user=personas["cg_paris_agent"],
        slot=actions.Slot(starts_at=interview.starts_at, mode="consulate"),
    )
    with pytest.raises(Refused) as refused:
        actions.interview_confirm(interview=fresh, user=personas["cg_paris_agent"])  # not the consulate's
    assert refused.value.code == Codes.FORBIDDEN
    fresh.refresh_from_db()
    assert fresh.status == InterviewStatus.PROPOSED


def test_what_each_actor_may_do_with_an_interview_is_declared(personas, interview):
    names = lambda user: {t.name for t in INTERVIEW_WORKFLOW.available(user, interview)}  # noqa: E731
    assert names(personas["cg_paris_agent"]) == {"interview_cancelled", "interview_outcome"}
    assert names(personas["cra_vincennes"]) == {"interview_confirmed"}
    assert names(personas["cg_lyon_agent"]) == set()


def test_the_log_line_of_an_escalation_says_its_own_move_not_the_cases(
    personas, caplog, django_capture_on_commit_callbacks
):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    case.reply_due = clock.today() - dt.timedelta(days=2)
    case.save(update_fields=["reply_due"])
    escalation = actions.escalation_raise(case=case, user=personas["pref75_agent"], reason="reply_overdue")
    with (
        caplog.at_level(logging.INFO, logger="gmmp.core.workflow"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.escalation_answer(escalation=escalation, user=personas["dmsf_central"], answer="Relancé.")
    assert f": {EscalationState.OPEN} -> {EscalationState.ANSWERED} (escalation_answered)" in caplog.text
    assert "routed -> routed" not in caplog.text


def test_an_escalation_answer_moves_it_once(personas):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    case.reply_due = clock.today() - dt.timedelta(days=2)
    case.save(update_fields=["reply_due"])
    escalation = actions.escalation_raise(case=case, user=personas["pref75_agent"], reason="reply_overdue")
    raised = CaseEvent.objects.get(case=case, kind="escalation_raised")
    assert raised.details["escalation"] == escalation.pk and raised.reason == "reply_overdue"
    actions.escalation_answer(escalation=escalation, user=personas["dmsf_central"], answer="Relancé.")
    assert escalation.state == EscalationState.ANSWERED and escalation.answered_at is not None
    answered = CaseEvent.objects.get(case=case, kind="escalation_answered")
    assert answered.details["state"] == ["open", "answered"] and answered.to_state == CaseState.ROUTED
    with pytest.raises(Refused) as refused:
        actions.escalation_answer(escalation=escalation, user=personas["dmsf_central"], answer="Encore.")
    assert refused.value.code == Codes.INVALID_STATE
