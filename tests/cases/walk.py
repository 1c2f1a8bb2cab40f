"""Helpers for the workflow tests: who performs each transition on a Paris case (valid arguments: tests.factories).

A Paris case is filed by PREF-75 and routed to CG-PARIS (see tests/personas.py).
"""

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.cases.workflow import Actor
from gmmp.organisations.models import Jurisdiction
from tests.factories import make_case

# The persona who may perform each kind of transition on a Paris case
ACTOR_PERSONA = {
    Actor.FILING_PREFECTURE: "pref75_agent",
    Actor.ASSIGNED_CONSULATE: "cg_paris_agent",
    Actor.ROUTING_AUTHORITY: "cg_paris_supervisor",
    Actor.MOROCCAN_CENTRAL: "dmsf_central",
    Actor.BORDER_POLICE: "border_casa",
    Actor.IDENTIFYING_AUTHORITY: "cg_paris_agent",
}


def make_submitted_case(personas):
    """A Paris case left in "submitted": PREF-75's département has no consulate in force when it is sent."""
    Jurisdiction.objects.filter(departement__code="75").delete()
    case = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
    actions.case_submit(case=case, user=personas["pref75_agent"])
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    return case


def paris_case(state: str, personas):
    if state == CaseState.SUBMITTED:
        return make_submitted_case(personas)
    return make_case(
        state,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
        border_user=personas["border_casa"],
    )


def snapshot(case) -> tuple:
    """What a refused transition must leave unchanged: the case row and its ledger."""
    case.refresh_from_db()
    row = {
        f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields if f.attname != "updated_at"
    }
    return row, list(CaseEvent.objects.filter(case=case).values_list("sequence", "hash"))
