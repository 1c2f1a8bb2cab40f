"""Which ledger event tells whom: one rule per event kind, applied after the commit of the transition.

The actor is never notified of their own act. Audiences are the parties of the case (services.Audience):
another préfecture, another consulate or the secretariat never hear of a case that is not theirs.
"""

from gmmp.cases.enums import CaseState as S
from gmmp.cases.models import Case, CaseEvent

from .enums import NotificationKind as N
from .services import Audience as A
from .services import notify, recipients


def _rule(event: CaseEvent) -> tuple[str, list[str], dict] | None:
    kind, to = event.kind, event.to_state
    details = event.details or {}
    if kind == "submit":
        if to == S.ROUTED:
            return N.CASE_ROUTED, [A.CONSULATE], {}
        return N.CASE_TO_ROUTE, [A.MA_CENTRAL], {}
    if kind in ("route", "reroute"):
        return N.CASE_ROUTED, [A.CONSULATE], {}
    if kind == "schedule_interview":
        # Scheduling again while an interview is planned is a change of slot or place.
        changed = event.from_state == S.INTERVIEW_SCHEDULED
        return (
            N.INTERVIEW_CHANGED if changed else N.INTERVIEW_SCHEDULED,
            [A.PREFECTURE, A.CRA],
            {"date": details.get("interview_at", "")},
        )
    if kind == "interview_confirmed":
        return N.INTERVIEW_CONFIRMED, [A.CONSULATE], {"date": details.get("at", "")}
    if kind == "interview_cancelled":
        return N.INTERVIEW_CANCELLED, [A.PREFECTURE, A.CRA], {}
    if kind == "message_posted":
        other = A.CONSULATE if details.get("side") == "prefecture" else A.PREFECTURE
        return N.MESSAGE, [other], {}
    if kind == "escalation_raised":
        return N.ESCALATION_RAISED, [A.MA_CENTRAL, A.CONSULATE], {}
    if kind == "escalation_answered":
        return N.ESCALATION_ANSWERED, [A.PREFECTURE, A.FR_CENTRAL, A.CONSULATE], {}
    if kind == "request_information":
        return N.INFORMATION_REQUESTED, [A.PREFECTURE], {}
    if kind == "answer_information":
        return N.INFORMATION_ANSWERED, [A.CONSULATE], {}
    if kind == "decide":
        return N.DECISION, [A.PREFECTURE, A.CRA], {"decision": details.get("decision", to)}
    if kind == "issue_laissez_passer":
        return N.LPC_ISSUED, [A.PREFECTURE, A.CRA], {}
    if kind == "schedule_departure":
        return N.DEPARTURE_SCHEDULED, [A.CONSULATE, A.BORDER], {"date": details.get("departure_date", "")}
    if kind == "record_departure" and to == S.DEPARTURE_FAILED:
        return N.DEPARTURE_FAILED, [A.CONSULATE], {}
    if kind == "confirm_readmission":
        return N.READMITTED, [A.PREFECTURE, A.CONSULATE], {}
    if kind == "lpc_reuse_flagged":
        return N.LPC_REPRESENTED, [A.CONSULATE, A.PREFECTURE], {}
    if kind == "arrival_refused":
        return N.ARRIVAL_REFUSED, [A.CONSULATE, A.PREFECTURE], {}
    if kind == "withdraw":
        return N.WITHDRAWN, [A.CONSULATE], {}
    return None


def case_event_notify(event: CaseEvent) -> list:
    """The notifications of one ledger event (idempotent: `case-event:<id>` is the key)."""
    rule = _rule(event)
    if rule is None:
        return []
    kind, audiences, params = rule
    case = Case.objects.select_related("prefecture", "consulate").get(pk=event.case_id)
    users = recipients(audiences, case, exclude=event.actor)
    return notify(key=f"case-event:{event.pk}", kind=kind, users=users, case=case, params=params, at=event.at)


def _on_case_event(outcome) -> None:
    case_event_notify(outcome.event)


def subscribe() -> None:
    """Notify after the commit of every case ledger event: an on-commit effect of the case workflow
    (transitions and the events recorded beside them alike); a failing effect is logged by the runner
    and never undoes the change."""
    from gmmp.cases.workflow import CASE_WORKFLOW
    from gmmp.collab.workflow import ESCALATION_WORKFLOW, INTERVIEW_WORKFLOW

    # Interviews and escalations write to the case ledger through workflows of their own.
    for workflow in (CASE_WORKFLOW, INTERVIEW_WORKFLOW, ESCALATION_WORKFLOW):
        if _on_case_event not in workflow.effects:
            workflow.on_commit(_on_case_event)
