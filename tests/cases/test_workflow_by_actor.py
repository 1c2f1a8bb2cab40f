"""Every transition by every persona: only the right side, organisation and role may perform it; the
others are refused with a readable reason and code "forbidden", and nothing changes."""

import pytest

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.cases.workflow import TRANSITIONS, transition_allowed
from gmmp.organisations.models import Organisation
from tests.factories import UserFactory, valid_kwargs
from tests.personas import PERSONAS

from .walk import paris_case, snapshot

# One source state per transition, and who may perform it on a Paris case (PREF-75 → CG-PARIS).
# Written by hand from DOMAIN.md, not derived from perms.py.
PREFECTURE_75 = {"pref75_agent", "pref75_supervisor"}
CONSULATE_PARIS = {"cg_paris_agent", "cg_paris_supervisor"}
MOROCCAN_CENTRAL = {"dmsf_central", "maece_central"}
WHO_MAY = {
    "submit": (CaseState.DRAFT, PREFECTURE_75),
    "route": (CaseState.SUBMITTED, MOROCCAN_CENTRAL),
    "reroute": (CaseState.ROUTED, {"cg_paris_supervisor"} | MOROCCAN_CENTRAL),
    "schedule_interview": (CaseState.ROUTED, CONSULATE_PARIS),
    "request_information": (CaseState.INTERVIEW_SCHEDULED, CONSULATE_PARIS),
    "answer_information": (CaseState.INFORMATION_REQUESTED, PREFECTURE_75),
    "decide": (CaseState.ROUTED, CONSULATE_PARIS),
    "issue_laissez_passer": (CaseState.IDENTIFIED, CONSULATE_PARIS),
    "schedule_departure": (CaseState.LPC_ISSUED, PREFECTURE_75),
    "record_departure": (CaseState.DEPARTURE_SCHEDULED, PREFECTURE_75),
    "confirm_readmission": (CaseState.DEPARTED, {"border_casa"}),
    "withdraw": (CaseState.ROUTED, PREFECTURE_75),
    "close": (CaseState.NOT_NATIONAL, PREFECTURE_75),
    "assess_age": (CaseState.ROUTED, PREFECTURE_75),
    "record_legal_event": (CaseState.ROUTED, PREFECTURE_75),
    "release": (CaseState.ROUTED, PREFECTURE_75),
    "resume": (CaseState.RELEASED, PREFECTURE_75),
    "extend_reply_deadline": (CaseState.ROUTED, CONSULATE_PARIS),
    "correct_identity": (CaseState.ROUTED, PREFECTURE_75),
    "identification_reversed": (CaseState.IDENTIFIED, CONSULATE_PARIS | MOROCCAN_CENTRAL),
}
ALLOWED = [(name, persona) for name, (_state, who) in WHO_MAY.items() for persona in sorted(who)]


def test_the_table_covers_every_transition():
    assert set(WHO_MAY) == set(TRANSITIONS)


@pytest.mark.parametrize("name", list(WHO_MAY))
def test_it_refuses_a_transition_to_every_persona_who_may_not_perform_it(personas, name):
    state, who = WHO_MAY[name]
    case = paris_case(state, personas)
    before = snapshot(case)
    problems = []
    for persona in sorted(set(PERSONAS) - who):
        user = personas[persona]
        try:
            actions.ACTIONS[name](case=case, user=user, **valid_kwargs(name))
        except actions.TransitionRefused as refused:
            if refused.code != "forbidden":
                problems.append(f"{persona}: code {refused.code!r}")
            if len(refused.message) < 20 or " " not in refused.message:
                problems.append(f"{persona}: unreadable reason {refused.message!r}")
            if transition_allowed(user, case, name) != (False, refused.message):
                problems.append(f"{persona}: transition_allowed disagrees")
        else:
            problems.append(f"{persona}: performed {name}")
        if snapshot(case) != before:
            problems.append(f"{persona}: changed the case or its ledger")
            before = snapshot(case)
    assert not problems, problems


@pytest.mark.parametrize(("name", "persona"), ALLOWED, ids=[f"{n}-{p}" for n, p in ALLOWED])
def test_the_right_persona_performs_the_transition(personas, name, persona):
    state, _who = WHO_MAY[name]
    case = paris_case(state, personas)
    actions.ACTIONS[name](case=case, user=personas[persona], **valid_kwargs(name))
    case.refresh_from_db()
    assert case.state in TRANSITIONS[name].targets
    last = case.events.order_by("-sequence").first()
    assert (last.kind, last.actor_id) == (name, personas[persona].pk)


@pytest.mark.parametrize(
    ("org_code", "role", "name", "state"),
    [
        ("PREF-75", "admin", "submit", CaseState.DRAFT),  # right organisation, wrong role
        ("PREF-75", "secretariat", "withdraw", CaseState.ROUTED),
        ("CG-PARIS", "admin", "decide", CaseState.ROUTED),
        ("CG-PARIS", "border_officer", "issue_laissez_passer", CaseState.IDENTIFIED),
        ("DMSF", "agent", "route", CaseState.SUBMITTED),  # Moroccan central, but an agent
        ("DMSF", "agent", "reroute", CaseState.ROUTED),
        ("DGSN-CASA", "agent", "confirm_readmission", CaseState.DEPARTED),  # border police, not an officer
        ("DGEF", "supervisor", "route", CaseState.SUBMITTED),  # French central may not route
        ("CG-LYON", "supervisor", "reroute", CaseState.ROUTED),  # supervisor of another consulate
    ],
)
def test_it_refuses_the_right_organisation_with_the_wrong_role_or_the_wrong_organisation(
    personas, org_code, role, name, state
):
    user = UserFactory(organisation=Organisation.objects.get(code=org_code), role=role)
    case = paris_case(state, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.ACTIONS[name](case=case, user=user, **valid_kwargs(name))
    assert refused.value.code == "forbidden"
    assert snapshot(case) == before


def test_it_refuses_an_inactive_user_of_the_right_organisation(personas):
    case = paris_case(CaseState.ROUTED, personas)
    agent = personas["cg_paris_agent"]
    agent.is_active = False
    agent.save()
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_decide(case=case, user=agent, decision="identified")
    assert refused.value.code == "forbidden"


def test_it_refuses_a_user_without_organisation(personas):
    case = paris_case(CaseState.DRAFT, personas)
    nobody = UserFactory(organisation=None, role="")
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_submit(case=case, user=nobody)
    assert refused.value.code == "forbidden"
    assert "organisation" in refused.value.message


def test_a_consulate_that_had_the_case_may_no_longer_act_after_it_is_rerouted(personas):
    case = paris_case(CaseState.ROUTED, personas)
    actions.case_reroute(
        case=case,
        user=personas["dmsf_central"],
        consulate=Organisation.objects.get(code="CG-LYON"),
        reason="Compétence de Lyon",
    )
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_decide(case=case, user=personas["cg_paris_agent"], decision="identified")
    assert refused.value.code == "forbidden"
    actions.case_decide(case=case, user=personas["cg_lyon_agent"], decision="identified")
    assert case.state == CaseState.IDENTIFIED
