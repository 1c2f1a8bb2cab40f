"""`ready_without_departure` version 3: a person whose identification was reversed is no longer ready
for return (unless a new laissez-passer was issued since); reports stored with version 2 keep their
figure."""

from gmmp.cases import actions
from gmmp.cases.enums import CaseState, Decision
from gmmp.core import clock
from gmmp.indicators import definitions, periods
from gmmp.indicators.engine import compute
from tests.factories import make_case, sample_photo


def _ready(versions=None) -> int:
    today = clock.today().isoformat()
    return compute(periods.parse(f"{today}..{today}"), versions=versions).total.value(
        "ready_without_departure"
    )


def test_a_reversed_person_is_not_ready_for_return_in_version_3_and_still_is_in_version_2(
    lpc_ready, personas
):
    assert definitions.current_versions()["ready_without_departure"] == 3
    agent = lpc_ready["consulate_user"]
    make_case(CaseState.LPC_ISSUED, **lpc_ready)  # ready, stays ready
    reversed_ = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    assert _ready() == 2
    actions.case_identification_reversed(
        case=reversed_, user=personas["dmsf_central"], reason="other_identity"
    )
    assert _ready() == 1
    v2 = {**definitions.current_versions(), "ready_without_departure": 2}
    assert _ready(v2) == 2  # a report stored with version 2 recomputes its own figure

    # The right person identified and a new laissez-passer issued: ready again.
    actions.case_decide(case=reversed_, user=agent, decision=Decision.IDENTIFIED, comment="CNIE vérifiée")
    actions.case_issue_laissez_passer(case=reversed_, user=agent, photo=sample_photo())
    assert _ready() == 2
