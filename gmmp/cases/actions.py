"""Every change to a case happens here: one function per transition, keyword-only, taking the acting
user. The transitions run through `CASE_WORKFLOW.run` (`gmmp.core.workflow`): it locks the case row,
checks the state and the actor, lets the transition apply its own rule (the `Step` each function
returns), writes the change and its one ledger event together and defers the effects until the commit.

Input is validated before (forms, API schemas); these functions enforce the invariants.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.core import clock
from gmmp.core.errors import Refused
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.core.workflow import Step
from gmmp.organisations.enums import OrganisationKind
from gmmp.organisations.models import Organisation
from gmmp.organisations.selectors import consulate_competent_for

from . import deadlines, hooks
from .enums import Actor, CaseState, Decision, DepartureFailure, DepartureOutcome, EventKind, WithdrawalReason
from .evidence import evidence_write
from .models import Case, CaseEvent, Evidence
from .perms import CASE_WORKERS, actor_may, evidence_actor_may
from .workflow import CASE_WORKFLOW, OPEN, TRANSITIONS

# The name the case's callers know; every refusal of a case action is a `core.errors.Refused`.
TransitionRefused = Refused


def _lock(case: Case) -> Case:
    return CASE_WORKFLOW.lock(case)


def event_record(
    *,
    case: Case,
    user,
    kind: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    comment: str = "",
    details: dict | None = None,
) -> CaseEvent:
    """Append one event that is not a transition to the case's ledger (call inside the transaction that
    changes the case, its row locked); the workflow's effects see it after the commit."""
    return CASE_WORKFLOW.record(
        subject=case,
        user=user,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        comment=comment,
        details=details,
    )


# What a préfecture fills in (the web form and the API schema); everything else is the workflow's.
REQUEST_FIELDS = (
    "last_name",
    "first_names",
    "earlier_names",
    "aliases",
    "sex",
    "birth_date",
    "birth_place",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
    "nationality_claimed",
    "languages",
    "civil_status",
    "spouse_name",
    "physical_description",
    "removal_order_reference",
    "removal_order_date",
    "detention_start",
    "detention_place",
)


def _check_request_fields(data: dict) -> None:
    # State, routing, deadlines and the consulate's findings change only through the transitions.
    unknown = sorted(set(data) - set(REQUEST_FIELDS))
    if unknown:
        raise TransitionRefused(
            _("Ces champs ne font pas partie de la demande : %(fields)s.") % {"fields": ", ".join(unknown)},
            code="invalid_field",
        )


def _stages(on: dt.date) -> list[int]:
    return policy_value(PolicyKeys.DETENTION_STAGES, on)


@transaction.atomic
def case_create(*, user, data: dict) -> Case:
    """A new request, as a draft of the user's préfecture."""
    org = user.organisation if user.organisation_id else None
    if (
        org is None
        or org.kind != OrganisationKind.PREFECTURE
        or user.role not in CASE_WORKERS
        or not user.is_active
    ):
        raise TransitionRefused(_("Seul un agent de préfecture peut déposer une demande."), code="forbidden")
    _check_request_fields(data)
    case = Case(
        prefecture=org, created_by=user, created_at=clock.now(), reference=uuid.uuid4().hex[:20], **data
    )
    if case.detention_start:
        case.detention_end = deadlines.detention_end(case.detention_start, _stages(case.detention_start))
    case.save()
    case.reference = f"DI-{case.created_at:%Y}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    event_record(case=case, user=user, kind=EventKind.CREATED, to_state=case.state)
    return case


@transaction.atomic
def case_update_draft(*, case: Case, user, data: dict) -> Case:
    locked = _lock(case)
    ok, why = actor_may(user, locked, Actor.FILING_PREFECTURE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    if locked.state != CaseState.DRAFT:
        raise TransitionRefused(_("Seul un brouillon peut être modifié."), code="invalid_state")
    _check_request_fields(data)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.detention_end = (
        deadlines.detention_end(locked.detention_start, _stages(locked.detention_start))
        if locked.detention_start
        else None
    )
    locked.save()
    event_record(
        case=locked,
        user=user,
        kind=EventKind.UPDATED,
        from_state=locked.state,
        to_state=locked.state,
        details={"fields": sorted(data)},
    )
    CASE_WORKFLOW.copy_back(case, locked)
    return case


def _route_to(case: Case, consulate: Organisation) -> dict:
    today = clock.today()
    return {
        "consulate": consulate,
        "routed_at": clock.now(),
        "reply_due": deadlines.reply_due(today, policy_value(PolicyKeys.REPLY_DEADLINE, today)),
    }


def case_submit(*, case: Case, user) -> Case:
    """Send the request; it goes to the consulate competent for the préfecture's département today."""

    def rule(locked: Case) -> Step:
        competent = consulate_competent_for(departement_id=locked.prefecture.departement_id, on=clock.today())
        now = clock.now()
        if competent is None:
            return Step(
                CaseState.SUBMITTED,
                update={"submitted_at": now},
                details={"routing": "no_competent_consulate"},
            )
        return Step(
            CaseState.ROUTED,
            update={"submitted_at": now, **_route_to(locked, competent)},
            details={"routing": "jurisdiction", "consulate": competent.code},
        )

    CASE_WORKFLOW.run("submit", obj=case, user=user, rule=rule)
    return case


def _check_consulate(consulate) -> None:
    if consulate is None or consulate.kind != OrganisationKind.CONSULATE or not consulate.is_active:
        raise TransitionRefused(_("Choisissez un consulat général en activité."), code="invalid_consulate")


def case_route(*, case: Case, user, consulate: Organisation, comment: str = "") -> Case:
    def rule(locked: Case) -> Step:
        _check_consulate(consulate)
        return Step(
            CaseState.ROUTED,
            comment=comment,
            update=_route_to(locked, consulate),
            details={"routing": "manual", "consulate": consulate.code},
        )

    CASE_WORKFLOW.run("route", obj=case, user=user, rule=rule)
    return case


def case_reroute(*, case: Case, user, consulate: Organisation, reason: str) -> Case:
    def rule(locked: Case) -> Step:
        _check_consulate(consulate)
        if consulate.pk == locked.consulate_id:
            raise TransitionRefused(_("La demande est déjà à ce consulat."), code="same_consulate")
        # The new consulate starts from the queue: its reply is due from today.
        return Step(
            CaseState.ROUTED,
            comment=reason,
            update={**_route_to(locked, consulate), "interview_at": None, "interview_mode": ""},
            details={"from_consulate": locked.consulate.code, "consulate": consulate.code},
        )

    CASE_WORKFLOW.run("reroute", obj=case, user=user, rule=rule, reason=reason)
    return case


def case_schedule_interview(*, case: Case, user, at: dt.datetime, mode: str, comment: str = "") -> Case:
    def rule(locked: Case) -> Step:
        return Step(
            CaseState.INTERVIEW_SCHEDULED,
            comment=comment,
            update={"interview_at": at, "interview_mode": mode},
            details={"interview_at": at.isoformat(), "mode": mode},
        )

    CASE_WORKFLOW.run("schedule_interview", obj=case, user=user, rule=rule)
    return case


def case_request_information(*, case: Case, user, question: str) -> Case:
    CASE_WORKFLOW.run(
        "request_information",
        obj=case,
        user=user,
        reason=question,
        rule=lambda locked: Step(CaseState.INFORMATION_REQUESTED, comment=question),
    )
    return case


def case_answer_information(*, case: Case, user, answer: str) -> Case:
    CASE_WORKFLOW.run(
        "answer_information",
        obj=case,
        user=user,
        reason=answer,
        rule=lambda locked: Step(CaseState.ROUTED, comment=answer),
    )
    return case


def case_decide(
    *,
    case: Case,
    user,
    decision: str,
    comment: str = "",
    register_national_id: str = "",
    register_model_version: str = "",
    established: dict | None = None,
) -> Case:
    """The consulate's identification decision. `established` holds the identity as the consulate
    established it (last_name, first_names, birth_date, birth_place) for an identified person."""

    def rule(locked: Case) -> Step:
        update: dict = {"decided_at": clock.now()}
        details: dict = {"decision": decision}
        if decision == Decision.IDENTIFIED:
            found = established or {}
            update.update(
                established_last_name=found.get("last_name") or locked.last_name,
                established_first_names=found.get("first_names") or locked.first_names,
                established_birth_date=found.get("birth_date") or locked.birth_date,
                established_birth_place=found.get("birth_place") or locked.birth_place,
                register_national_id=register_national_id,
                register_model_version=register_model_version,
            )
            details.update(register_match=bool(register_national_id), model_version=register_model_version)
        elif decision not in (Decision.NOT_NATIONAL, Decision.NOT_ESTABLISHED):
            raise TransitionRefused(_("Décision inconnue."), code="invalid_decision")
        details["proof"] = locked.evidence.filter(category="proof").exists()
        details["interviewed"] = locked.interview_at is not None
        return Step(decision, comment=comment, details=details, update=update)

    CASE_WORKFLOW.run("decide", obj=case, user=user, rule=rule)
    return case


def case_issue_laissez_passer(*, case: Case, user, **document_fields) -> Case:
    """Issue the consular laissez-passer. The document itself is made by the issuer registered in
    `hooks` (the documents app); its details (number, validity) go into the event."""

    def rule(locked: Case) -> Step:
        details = hooks.lpc_issue(case=locked, user=user, **document_fields)
        released = locked.detention_end is not None and clock.today() >= locked.detention_end
        return Step(CaseState.LPC_ISSUED, details={**details, "after_release": released})

    CASE_WORKFLOW.run("issue_laissez_passer", obj=case, user=user, rule=rule)
    return case


def case_schedule_departure(
    *,
    case: Case,
    user,
    departure_date: dt.date,
    carrier: str,
    transport_number: str,
    departure_port: str,
    arrival_port: str,
    escort: bool = False,
) -> Case:
    def rule(locked: Case) -> Step:
        problem = hooks.departure_check(case=locked, departure_date=departure_date)
        if problem:
            raise TransitionRefused(problem, code="lpc_does_not_cover_date")
        plan = {
            "departure_date": departure_date,
            "carrier": carrier,
            "transport_number": transport_number,
            "departure_port": departure_port,
            "arrival_port": arrival_port,
            "escort": escort,
        }
        return Step(
            CaseState.DEPARTURE_SCHEDULED,
            update=plan,
            details={**plan, "departure_date": departure_date.isoformat()},
        )

    CASE_WORKFLOW.run("schedule_departure", obj=case, user=user, rule=rule)
    return case


def case_record_departure(
    *, case: Case, user, outcome: str, failure_reason: str = "", comment: str = ""
) -> Case:
    def rule(locked: Case) -> Step:
        if outcome == DepartureOutcome.DEPARTED:
            to_state, reason = CaseState.DEPARTED, ""
        elif outcome == DepartureOutcome.FAILED:
            if not failure_reason.strip():
                raise TransitionRefused(_("Indiquez la raison de l'échec du départ."), code="reason_required")
            if failure_reason not in DepartureFailure.values:
                raise TransitionRefused(_("Raison d'échec du départ inconnue."), code="invalid_reason")
            to_state, reason = CaseState.DEPARTURE_FAILED, failure_reason
        else:
            raise TransitionRefused(_("Issue du départ inconnue."), code="invalid_outcome")
        return Step(
            to_state,
            reason=reason,
            comment=comment,
            details={
                "outcome": outcome,
                "departure_date": locked.departure_date.isoformat() if locked.departure_date else None,
            },
        )

    CASE_WORKFLOW.run("record_departure", obj=case, user=user, rule=rule)
    return case


def case_confirm_readmission(*, case: Case, user, comment: str = "", details: dict | None = None) -> Case:
    def rule(locked: Case) -> Step:
        return Step(
            CaseState.READMITTED,
            comment=comment,
            details={"arrival_port": locked.arrival_port, **(details or {})},
        )

    CASE_WORKFLOW.run("confirm_readmission", obj=case, user=user, rule=rule)
    return case


def case_withdraw(*, case: Case, user, reason: str, comment: str = "") -> Case:
    def rule(locked: Case) -> Step:
        if reason not in WithdrawalReason.values:
            raise TransitionRefused(_("Motif de retrait inconnu."), code="invalid_reason")
        return Step(CaseState.WITHDRAWN, reason=reason, comment=comment)

    CASE_WORKFLOW.run("withdraw", obj=case, user=user, rule=rule, reason=reason)
    return case


def case_close(*, case: Case, user, comment: str = "") -> Case:
    CASE_WORKFLOW.run(
        "close", obj=case, user=user, rule=lambda locked: Step(CaseState.CLOSED, comment=comment)
    )
    return case


@transaction.atomic
def evidence_add(
    *, case: Case, user, category: str, kind: str, original_name: str, data: bytes, content_type: str
) -> Evidence:
    """Attach a checked file (see evidence.evidence_check) to an open case."""
    locked = _lock(case)
    ok, why = evidence_actor_may(user, locked)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    if locked.state not in OPEN:
        raise TransitionRefused(
            _("On ne peut plus joindre de pièce à une demande terminée."), code="invalid_state"
        )
    item = Evidence(
        case=locked,
        category=category,
        kind=kind,
        original_name=original_name[:200],
        content_type=content_type,
        size=len(data),
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
    item.storage_name = uuid.uuid4().hex
    item.sha256 = evidence_write(item.storage_name, data)
    item.save()
    event_record(
        case=locked,
        user=user,
        kind=EventKind.EVIDENCE_ADDED,
        from_state=locked.state,
        to_state=locked.state,
        details={"evidence": item.pk, "category": category, "kind": kind, "size": item.size},
    )
    return item


ACTIONS = {
    "submit": case_submit,
    "route": case_route,
    "reroute": case_reroute,
    "schedule_interview": case_schedule_interview,
    "request_information": case_request_information,
    "answer_information": case_answer_information,
    "decide": case_decide,
    "issue_laissez_passer": case_issue_laissez_passer,
    "schedule_departure": case_schedule_departure,
    "record_departure": case_record_departure,
    "confirm_readmission": case_confirm_readmission,
    "withdraw": case_withdraw,
    "close": case_close,
}
assert set(ACTIONS) == set(TRANSITIONS), "every declared transition has exactly one action"


@transaction.atomic
def case_record_register_search(
    *, case: Case, user, outcome: str, model_version: str, candidates: int, comment: str = ""
) -> CaseEvent:
    """The consulate searched the register for this case and concluded (`not_found`); the decision
    itself stays a separate step (interview, other registers). No personal data in the event."""
    locked = _lock(case)
    ok, why = actor_may(user, locked, Actor.ASSIGNED_CONSULATE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    if locked.state not in TRANSITIONS["decide"].sources:
        raise TransitionRefused(
            _("La recherche au registre ne se conclut que sur une demande en attente d'identification."),
            code="invalid_state",
        )
    return event_record(
        case=locked,
        user=user,
        kind=EventKind.REGISTER_SEARCHED,
        from_state=locked.state,
        to_state=locked.state,
        reason=outcome,
        comment=comment,
        details={"outcome": outcome, "model_version": model_version, "candidates": candidates},
    )
