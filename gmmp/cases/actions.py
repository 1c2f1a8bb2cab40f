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

from . import deadlines, hooks, legal
from .enums import (
    Actor,
    AgeBasis,
    AgeFinding,
    CaseState,
    Decision,
    DepartureFailure,
    DepartureOutcome,
    EventKind,
    WithdrawalReason,
)
from .evidence import evidence_write
from .models import Case, CaseEvent, Evidence
from .perms import CASE_WORKERS, actor_may, evidence_actor_may
from .workflow import CASE_WORKFLOW, OPEN, TRANSITIONS

# The name the case's callers know; every refusal of a case action is a `core.errors.Refused`.
TransitionRefused = Refused


class DuplicateRequest(Refused):
    """An open case already exists for this removal order or this person; `duplicates` lists them."""

    def __init__(self, message: str, duplicates: list):
        super().__init__(message, code=legal.DUPLICATE_CODE)
        self.duplicates = duplicates
        self.details = [{"reference": c.reference, "prefecture": c.prefecture.code} for c in duplicates]


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


def _age_fields(age_contest: dict | None) -> dict:
    """A contested age: the finding, its basis and reference are all required."""
    if not age_contest:
        return {}
    finding, basis = age_contest.get("finding", ""), age_contest.get("basis", "")
    reference = (age_contest.get("reference") or "").strip()
    if finding not in AgeFinding.values or basis not in AgeBasis.values:
        raise TransitionRefused(_("Précisez l'âge établi et sur quoi il repose."), code="invalid_field")
    if not reference:
        raise TransitionRefused(
            _("Indiquez la référence du document ou de la décision qui établit l'âge."),
            code="reason_required",
        )
    decided_on = age_contest.get("decided_on")
    if decided_on is not None and decided_on > clock.today():
        raise TransitionRefused(
            _("La décision sur l'âge ne peut pas être dans le futur."), code="invalid_field"
        )
    return {
        "age_finding": finding,
        "age_basis": basis,
        "age_reference": reference,
        "age_decided_on": decided_on,
    }


def _check_adult_track(case: Case) -> None:
    """A possible minor is never in this track (nor in detention): checked on the day and at placement."""
    days = [clock.today()] + ([case.detention_start] if case.detention_start else [])
    for on in days:
        problem = legal.adult_track_problem(birth_date=case.birth_date, age_finding=case.age_finding, on=on)
        if problem:
            raise TransitionRefused(problem, code=legal.MINOR_CODE)


def _check_duplicates(data: dict, reason: str, exclude_pk: int | None = None) -> list[str]:
    found = list(legal.duplicates_of(data, exclude_pk=exclude_pk))
    if found and not reason.strip():
        raise DuplicateRequest(
            _(
                "Une demande en cours existe déjà pour cette mesure d'éloignement ou cette personne "
                "(%(refs)s). Ouvrez-la, ou confirmez le dépôt d'une nouvelle demande en indiquant pourquoi."
            )
            % {"refs": ", ".join(c.reference for c in found)},
            duplicates=found,
        )
    return [c.reference for c in found]


@transaction.atomic
def case_create(*, user, data: dict, age_contest: dict | None = None, duplicate_reason: str = "") -> Case:
    """A new request, as a draft of the user's préfecture.

    Refused (`minor_in_adult_track`) for a possible minor unless `age_contest` establishes the person as an
    adult on a recorded basis ({finding, basis, reference, decided_on}); refused (`duplicate_request`) when
    an open case exists for the same removal order or person, unless `duplicate_reason` says why."""
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
        prefecture=org,
        created_by=user,
        created_at=clock.now(),
        reference=uuid.uuid4().hex[:20],
        **data,
        **_age_fields(age_contest),
    )
    _check_adult_track(case)
    duplicates = _check_duplicates(data, duplicate_reason)
    if case.detention_start:
        case.detention_end = deadlines.detention_end(case.detention_start, _stages(case.detention_start))
    case.save()
    case.reference = f"DI-{case.created_at:%Y}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    details = {}
    if case.age_finding:
        details["age"] = {
            "finding": case.age_finding,
            "basis": case.age_basis,
            "reference": case.age_reference,
        }
    if duplicates:
        details["duplicate_of"] = duplicates
    event_record(
        case=case,
        user=user,
        kind=EventKind.CREATED,
        to_state=case.state,
        comment=duplicate_reason.strip() if duplicates else "",
        details=details,
    )
    return case


@transaction.atomic
def case_update_draft(*, case: Case, user, data: dict, age_contest: dict | None = None) -> Case:
    locked = _lock(case)
    ok, why = actor_may(user, locked, Actor.FILING_PREFECTURE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    if locked.state != CaseState.DRAFT:
        raise TransitionRefused(_("Seul un brouillon peut être modifié."), code="invalid_state")
    _check_request_fields(data)
    for field, value in data.items():
        setattr(locked, field, value)
    if age_contest is not None:
        for field, value in _age_fields(age_contest).items():
            setattr(locked, field, value)
    _check_adult_track(locked)
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
        _check_adult_track(locked)
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


def case_assess_age(
    *,
    case: Case,
    user,
    finding: str,
    basis: str,
    reference: str,
    decided_on: dt.date | None = None,
    birth_date: str = "",
    comment: str = "",
) -> Case:
    """Record a contested age with its basis. Established as a minor, the person leaves the adult track:
    the request is withdrawn (reason `minor`) for the protected track. `birth_date`, when given, is the
    birth date the basis establishes; the declared one stays in the ledger."""

    def rule(locked: Case) -> Step:
        fields = _age_fields(
            {"finding": finding, "basis": basis, "reference": reference, "decided_on": decided_on}
        )
        details = {"finding": finding, "basis": basis, "reference": fields["age_reference"]}
        if birth_date and birth_date != locked.birth_date:
            details["birth_date"] = {"old": locked.birth_date, "new": birth_date}
            fields["birth_date"] = birth_date
        if decided_on:
            details["decided_on"] = decided_on.isoformat()
        if finding == AgeFinding.MINOR:
            return Step(
                CaseState.WITHDRAWN,
                update=fields,
                details=details,
                reason=WithdrawalReason.MINOR,
                comment=comment,
            )
        return Step(locked.state, update=fields, details=details, comment=comment)

    CASE_WORKFLOW.run("assess_age", obj=case, user=user, rule=rule)
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
    "assess_age": case_assess_age,
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
