import pytest

from gmmp.cases.enums import CaseState
from tests.factories import make_case


@pytest.mark.parametrize("state", [s for s in CaseState if s != CaseState.SUBMITTED])
def test_every_state_is_reachable_through_the_actions(lpc_ready, state):
    case = make_case(state, **lpc_ready)
    assert case.state == state
    assert case.events.count() >= 1
