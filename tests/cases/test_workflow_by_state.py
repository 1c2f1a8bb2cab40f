"""Every transition of the table, from every state: allowed exactly from its sources, refused otherwise
with a readable reason and code "invalid_state", leaving the case and its ledger untouched."""

import pytest

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.cases.workflow import TRANSITIONS, transition_allowed
from tests.factories import valid_kwargs

from .order_columns import order_columns_problem
from .walk import ACTOR_PERSONA, paris_case, snapshot

ALLOWED = [(state, name) for name, t in TRANSITIONS.items() for state in CaseState if state in t.sources]


def test_every_transition_has_an_action_and_leaves_from_at_least_one_state():
    assert set(actions.ACTIONS) == set(TRANSITIONS)
    for name, t in TRANSITIONS.items():
        assert t.sources, name
        assert t.targets <= set(CaseState), name


@pytest.mark.parametrize("state", list(CaseState))
def test_it_refuses_every_transition_not_declared_from_this_state(personas, state):
    case = paris_case(state, personas)
    before = snapshot(case)
    problems = []
    for name, t in TRANSITIONS.items():
        if state in t.sources:
            continue
        user = personas[ACTOR_PERSONA[t.actor]]
        try:
            actions.ACTIONS[name](case=case, user=user, **valid_kwargs(name))
        except actions.TransitionRefused as refused:
            if refused.code != "invalid_state":
                problems.append(f"{name}: code {refused.code!r}")
            # The reason names the action and the current state, in words the user knows
            if str(t.label) not in refused.message or str(CaseState(state).label) not in refused.message:
                problems.append(f"{name}: unreadable reason {refused.message!r}")
            ok, why = transition_allowed(user, case, name)
            if ok or why != refused.message:
                problems.append(f"{name}: transition_allowed says {(ok, why)!r}")
        else:
            problems.append(f"{name}: performed from {state}")
        if snapshot(case) != before:
            problems.append(f"{name}: changed the case or its ledger")
            before = snapshot(case)
    assert not problems, problems


@pytest.mark.parametrize(("state", "name"), ALLOWED, ids=[f"{s}-{n}" for s, n in ALLOWED])
def test_it_performs_a_transition_from_each_of_its_source_states(personas, state, name):
    case = paris_case(state, personas)
    events_before = case.events.count()
    user = personas[ACTOR_PERSONA[TRANSITIONS[name].actor]]
    assert transition_allowed(user, case, name) == (True, "")

    actions.ACTIONS[name](case=case, user=user, **valid_kwargs(name))

    case.refresh_from_db()
    assert case.state in TRANSITIONS[name].targets
    new = list(CaseEvent.objects.filter(case=case).order_by("sequence")[events_before:])
    assert [(e.kind, e.from_state, e.to_state) for e in new] == [(name, state, case.state)]
    assert not order_columns_problem(case)  # the list order's stored columns followed


def test_the_passed_case_object_reflects_the_new_state(personas):
    case = paris_case(CaseState.ROUTED, personas)
    actions.case_decide(case=case, user=personas["cg_paris_agent"], decision="not_national")
    assert case.state == CaseState.NOT_NATIONAL  # without refresh_from_db: views render this object


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (CaseState.NOT_NATIONAL, "issue_laissez_passer"),
        (CaseState.NOT_ESTABLISHED, "issue_laissez_passer"),
        (CaseState.ROUTED, "issue_laissez_passer"),
        (CaseState.IDENTIFIED, "schedule_departure"),
        (CaseState.DEPARTED, "withdraw"),
        (CaseState.READMITTED, "withdraw"),
        (CaseState.IDENTIFIED, "decide"),
        (CaseState.DRAFT, "decide"),
        (CaseState.CLOSED, "close"),
        (CaseState.LPC_ISSUED, "close"),
        (CaseState.DEPARTURE_SCHEDULED, "confirm_readmission"),
        (CaseState.SUBMITTED, "reroute"),
        (CaseState.ROUTED, "route"),
    ],
)
def test_the_domain_rules_the_table_must_keep(personas, state, name):
    """Written out by hand, not derived from the table: a change of the table that breaks one fails here."""
    case = paris_case(state, personas)
    user = personas[ACTOR_PERSONA[TRANSITIONS[name].actor]]
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.ACTIONS[name](case=case, user=user, **valid_kwargs(name))
    assert refused.value.code == "invalid_state"
