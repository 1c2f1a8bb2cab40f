"""Every change to a case happens here: one function per transition, keyword-only, taking the acting
user. The transitions run through `CASE_WORKFLOW.run` (`gmmp.core.workflow`): it locks the case row,
checks the state and the actor, lets the transition apply its own rule (the `Step` each function
returns), writes the change and its one ledger event together and defers the effects until the commit.

Input is validated before (forms, API schemas); these functions enforce the invariants.
"""

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.core import clock
from gmmp.core.errors import Refused
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.core.text import filename_neutralise
from gmmp.core.workflow import Step
from gmmp.organisations.enums import OrganisationKind
from gmmp.organisations.models import Organisation
from gmmp.organisations.selectors import consulate_competent_for

from . import deadlines, hooks, legal, safeguard
from .comments import value_seal
from .enums import (
    RELEASING_KINDS,
    RIGHTS_KINDS,
    Actor,
    AgeBasis,
    AgeFinding,
    CaseState,
    Decision,
    DepartureFailure,
    DepartureOutcome,
    EventKind,
    IdentificationBand,
    LegalEventKind,
    LegalOutcome,
    ReleaseCause,
    ReversalReason,
    WithdrawalReason,
)
from .evidence import EVIDENCE_FILES, evidence_write
from .models import Case, CaseEvent, Evidence, LegalEvent
from .perms import CASE_WORKERS, actor_may, evidence_actor_may
from .workflow import CASE_WORKFLOW, OPEN, REVERSIBLE_BEFORE_DEPARTURE, TRANSITIONS

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


def event_record(*, case: Case, user, kind: str, **fields: Any) -> CaseEvent:
    """Append one event that is not a transition to the case's ledger (`fields`: reason, comment,
    details; from_state and to_state are the case's state unless given), inside the transaction that
    changes the case, its row locked; the workflow's effects see it after the commit."""
    return CASE_WORKFLOW.note(subject=case, user=user, kind=kind, **fields)


def event_note(
    *, case: Case, user, kind: str, reason: str = "", comment: str = "", details: dict
) -> CaseEvent:
    """An event that leaves the case in its state (from = to = the locked case's state)."""
    return event_record(case=case, user=user, kind=kind, reason=reason, comment=comment, details=details)


# The person's birth and parents, as a request (and a minor's referral) declares them.
BIRTH_FIELDS = ("sex", "birth_date", "birth_place")
PARENT_FIELDS = ("father_first_name", "mother_first_name", "mother_last_name")

# What a préfecture fills in (the web form and the API schema); everything else is the workflow's.
REQUEST_FIELDS = (
    "last_name",
    "first_names",
    "earlier_names",
    "aliases",
    *BIRTH_FIELDS,
    *PARENT_FIELDS,
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


def _legal_timeline(case: Case) -> list[LegalEvent]:
    return list(LegalEvent.objects.filter(case=case).order_by("on", "recorded_at", "pk"))


def _detention_events(case: Case, timeline: list | None = None) -> list:
    """The legal events of the current detention (a new placement starts a new clock)."""
    timeline = _legal_timeline(case) if timeline is None else timeline
    start = case.detention_start
    return [e for e in timeline if start is not None and e.on >= start]


def _detention_end(case: Case, timeline: list | None = None) -> dt.date | None:
    """The release date kept on the case: the end of the period a judge actually authorised."""
    if not case.detention_start:
        return None
    return deadlines.detention_end(
        case.detention_start, _stages(case.detention_start), _detention_events(case, timeline)
    )


def _check_no_suspensive_procedure(case: Case) -> None:
    pending = deadlines.pending_suspensive(_legal_timeline(case))
    if pending["appeal"]:
        raise TransitionRefused(
            _(
                "Un recours suspensif contre la mesure d'éloignement est en cours : aucun départ avant le jugement."
            ),
            code="suspensive_appeal_pending",
        )
    if pending["asylum"]:
        raise TransitionRefused(
            _("Une demande d'asile est en cours d'examen : aucun départ avant la décision."),
            code="asylum_claim_pending",
        )


def _check_before_release(case: Case, day: dt.date) -> None:
    """A departure must happen while the detention is authorised: strictly before the release date."""
    if case.detention_start and case.detention_end and day >= case.detention_end:
        raise TransitionRefused(
            _(
                "La personne est libérée le %(release)s (fin de la période de rétention autorisée) : un départ "
                "le %(day)s n'est pas possible."
            )
            % {"release": case.detention_end.strftime("%d/%m/%Y"), "day": day.strftime("%d/%m/%Y")},
            code="after_release",
        )


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
    case.detention_end = _detention_end(case, timeline=[])
    case.save()
    case.reference = f"DI-{case.created_at:%Y}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    details: dict[str, Any] = {}
    if case.age_finding:
        details["age"] = {
            "finding": case.age_finding,
            "basis": case.age_basis,
            "reference": value_seal(case_id=case.pk, value=case.age_reference),
        }
    if duplicates:
        details["duplicate_of"] = duplicates
    event_record(
        case=case,
        user=user,
        kind=EventKind.CREATED,
        from_state="",
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
    locked.detention_end = _detention_end(locked)
    locked.save()
    event_record(
        case=locked,
        user=user,
        kind=EventKind.UPDATED,
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


def case_file(
    *,
    user,
    data: dict,
    age_contest: dict | None = None,
    duplicate_reason: str = "",
    evidence: dict | None = None,
    submit: bool = False,
) -> Case:
    """File a request in one go, for the web form and the API alike: create the draft, attach the
    evidence file if one is given (`evidence`: `evidence_add`'s keywords but `case` and `user`), submit it
    when asked.

    All or nothing: when a step is refused its `Refused` is raised and nothing is kept, neither the draft,
    nor its events, nor the evidence file (written before its row, so removed here once the rollback is
    done rather than left for the orphan sweep)."""
    written: list[str] = []
    try:
        with transaction.atomic():
            case = case_create(
                user=user, data=data, age_contest=age_contest, duplicate_reason=duplicate_reason
            )
            if evidence:
                written.append(evidence_add(case=case, user=user, **evidence).storage_name)
            if submit:
                case_submit(case=case, user=user)
    except Exception:
        EVIDENCE_FILES.discard(written)
        raise
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
            details={
                "from_consulate": locked.consulate.code if locked.consulate else "",
                "consulate": consulate.code,
            },
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
    register_band: str = "",
    established: dict | None = None,
) -> Case:
    """The consulate's identification decision. `established` holds the identity as the consulate
    established it (last_name, first_names, birth_date, birth_place) for an identified person;
    `register_band` how the register record confirmed stood against the request as filed (computed by
    the adapter from the engine, `identification.services.register_band_for`; blank counts as not
    strong for the guard against the wrong person, `safeguard.py`)."""

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
            if register_national_id:
                if register_band and register_band not in IdentificationBand.values:
                    raise TransitionRefused(_("Niveau de proposition inconnu."), code="invalid_field")
                details["register_band"] = register_band
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
        safeguard.identification_check(locked)
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
        _check_no_suspensive_procedure(locked)
        safeguard.identification_check(locked)
        problem = hooks.departure_check(case=locked, departure_date=departure_date)
        if problem:
            raise TransitionRefused(problem, code="lpc_does_not_cover_date")
        _check_before_release(locked, departure_date)
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
    *,
    case: Case,
    user,
    outcome: str,
    departed_at: dt.datetime | None = None,
    failure_reason: str = "",
    comment: str = "",
    correction_reason: str = "",
) -> Case:
    """The outcome of a scheduled departure, at the actual date and time it happened (`departed_at`). A time
    before the scheduled date is refused unless `correction_reason` says why (the plan was moved)."""

    def rule(locked: Case) -> Step:
        if outcome not in DepartureOutcome.values:
            raise TransitionRefused(_("Issue du départ inconnue."), code="invalid_outcome")
        if outcome == DepartureOutcome.FAILED:
            if not failure_reason.strip():
                raise TransitionRefused(_("Indiquez la raison de l'échec du départ."), code="reason_required")
            if failure_reason not in DepartureFailure.values:
                raise TransitionRefused(_("Raison d'échec du départ inconnue."), code="invalid_reason")
        if departed_at is None:
            raise TransitionRefused(
                _("Indiquez la date et l'heure effectives du départ."), code="departed_at_required"
            )
        if departed_at > clock.now():
            raise TransitionRefused(
                _("La date et l'heure effectives du départ ne peuvent pas être dans le futur."),
                code="date_in_future",
            )
        actual_day = clock.local_date(departed_at)
        correction = correction_reason.strip()
        if locked.departure_date and actual_day < locked.departure_date and not correction:
            raise TransitionRefused(
                _(
                    "Le départ est programmé le %(planned)s : une date effective antérieure (%(actual)s) "
                    "n'est acceptée qu'avec le motif de la correction."
                )
                % {
                    "planned": locked.departure_date.strftime("%d/%m/%Y"),
                    "actual": actual_day.strftime("%d/%m/%Y"),
                },
                code="before_scheduled_date",
            )
        if outcome == DepartureOutcome.DEPARTED:
            _check_no_suspensive_procedure(locked)
            _check_before_release(locked, actual_day)
            to_state, reason = CaseState.DEPARTED, ""
        else:
            to_state, reason = CaseState.DEPARTURE_FAILED, failure_reason
        details: dict[str, Any] = {
            "outcome": outcome,
            "departure_date": locked.departure_date.isoformat() if locked.departure_date else None,
            "departed_at": departed_at.astimezone(dt.UTC).isoformat(),
        }
        if locked.departure_date and actual_day != locked.departure_date:
            details["date_corrected"] = True
        return Step(
            to_state,
            reason=reason,
            comment="\n".join(filter(None, [comment.strip(), correction])),
            details=details,
            update={"departed_at": departed_at},
        )

    CASE_WORKFLOW.run("record_departure", obj=case, user=user, rule=rule)
    return case


def case_confirm_readmission(*, case: Case, user, comment: str = "", details: dict | None = None) -> Case:
    def rule(locked: Case) -> Step:
        safeguard.reversal_check(locked)
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
    the protected track opens the child's case (`hooks.minor_track_open`) and the request is withdrawn
    (reason `minor`, the child's case reference in the event's details). `birth_date`, when given, is the
    birth date the basis establishes; the declared one stays in the ledger."""

    def rule(locked: Case) -> Step:
        fields = _age_fields(
            {"finding": finding, "basis": basis, "reference": reference, "decided_on": decided_on}
        )
        seal = functools.partial(value_seal, case_id=locked.pk)
        details = {"finding": finding, "basis": basis, "reference": seal(value=fields["age_reference"])}
        if birth_date and birth_date != locked.birth_date:
            details["birth_date"] = {"old": seal(value=locked.birth_date), "new": seal(value=birth_date)}
            fields["birth_date"] = birth_date
        if decided_on:
            details["decided_on"] = decided_on.isoformat()
        if finding == AgeFinding.MINOR:
            # No child stays in the adult track: the protected track opens the child's case in this transaction
            # (refused, e.g. no officer designated, nothing is recorded and the refusal says why).
            details["minor_case"] = hooks.minor_track_open(
                case=locked,
                user=user,
                birth_date=fields.get("birth_date", ""),
                basis=str(AgeBasis(basis).label),
                reference=fields["age_reference"],
            )
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


def evidence_refusal(*, case: Case, user) -> Refused | None:
    """Why `user` may not attach a file to `case` now, or None: `evidence_add`'s own check, which an adapter
    may ask first so as to refuse before it reads an upload."""
    ok, why = evidence_actor_may(user, case)
    if not ok:
        return Refused(why, code="forbidden")
    if case.state not in OPEN:
        return Refused(_("On ne peut plus joindre de pièce à une demande terminée."), code="invalid_state")
    return None


@transaction.atomic
def evidence_add(
    *, case: Case, user, category: str, kind: str, original_name: str, data: bytes, content_type: str
) -> Evidence:
    """Attach a checked file (see evidence.evidence_check) to an open case."""
    locked = _lock(case)
    refusal = evidence_refusal(case=locked, user=user)
    if refusal is not None:
        raise refusal
    item = Evidence(
        case=locked,
        category=category,
        kind=kind,
        original_name=filename_neutralise(original_name),
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
        details={"evidence": item.pk, "category": category, "kind": kind, "size": item.size},
    )
    return item


# ---------------------------------------------------------------------------------------------- legal timeline

_DECIDED_OUTCOMES = {
    LegalEventKind.APPEAL_DECIDED: {LegalOutcome.REJECTED, LegalOutcome.ORDER_ANNULLED},
    LegalEventKind.ASYLUM_DECIDED: {LegalOutcome.REJECTED, LegalOutcome.PROTECTION_GRANTED},
}
_JUDGE_ON_DETENTION = (
    LegalEventKind.EXTENSION_GRANTED,
    LegalEventKind.EXTENSION_REFUSED,
    LegalEventKind.RELEASE_ORDERED,
)


def _legal_event_problem(case: Case, timeline: list, fields: dict) -> tuple[str, str] | None:
    """(code, message) when this legal event cannot be recorded, else None."""
    kind, on = fields["kind"], fields["on"]
    if kind not in LegalEventKind.values:
        return "invalid_field", _("Nature d'événement inconnue.")
    if on > clock.today():
        return "date_in_future", _("La date de l'événement ne peut pas être dans le futur.")
    if kind not in RIGHTS_KINDS and not fields["reference"]:
        return "reference_required", _("Indiquez la référence de la décision, du recours ou de la demande.")
    if kind in _JUDGE_ON_DETENTION:
        if not case.detention_start:
            return "not_detained", _(
                "La personne n'est pas placée en rétention : aucune décision sur la rétention."
            )
        if on < case.detention_start:
            return "invalid_field", _("La décision ne peut pas précéder le début de la rétention.")
    if kind == LegalEventKind.EXTENSION_GRANTED:
        extended_to = fields["extended_to"]
        start = case.detention_start
        assert start is not None  # a judge's decision on detention was refused above without one
        cap = deadlines.detention_clock(start, clock.today(), _stages(start)).cap
        if extended_to is None or extended_to <= on:
            return "invalid_field", _(
                "Indiquez jusqu'à quelle date la rétention est prolongée (après la décision)."
            )
        if extended_to > cap:
            return "beyond_cap", _(
                "La rétention ne peut pas être prolongée au-delà de la durée maximale (%(cap)s)."
            ) % {"cap": cap.strftime("%d/%m/%Y")}
        if case.detention_end and extended_to <= case.detention_end:
            return "invalid_field", _(
                "La prolongation doit aller au-delà de la période déjà autorisée (%(end)s)."
            ) % {"end": case.detention_end.strftime("%d/%m/%Y")}
    if kind == LegalEventKind.APPEAL_LODGED and fields["suspensive"] is None:
        return "invalid_field", _("Précisez si le recours est suspensif.")
    if kind in _DECIDED_OUTCOMES:
        if fields["outcome"] not in _DECIDED_OUTCOMES[kind]:
            return "invalid_field", _("Indiquez l'issue de la décision.")
        lodged = (
            LegalEventKind.APPEAL_LODGED
            if kind == LegalEventKind.APPEAL_DECIDED
            else LegalEventKind.ASYLUM_CLAIMED
        )
        if sum(1 for e in timeline if e.kind == lodged) <= sum(1 for e in timeline if e.kind == kind):
            return "nothing_pending", _("Aucun recours ou demande en attente de décision n'est enregistré.")
    if kind == LegalEventKind.RELEASED and fields["cause"] not in ReleaseCause.values:
        return "invalid_field", _("Indiquez la cause de la libération.")
    if kind in (LegalEventKind.RIGHTS_INFORMED, LegalEventKind.INTERPRETER) and not fields["language"]:
        return "invalid_field", _("Indiquez la langue.")
    if kind == LegalEventKind.COUNSEL_CONTACTED and not fields["counsel"]:
        return "invalid_field", _("Indiquez l'avocat ou l'association contacté.")
    return None


def _legal_step(locked: Case, user, fields: dict, *, release: bool, comment: str) -> Step:
    """Check and store one legal event (inside the transition's transaction), and say what moves."""
    timeline = _legal_timeline(locked)
    problem = _legal_event_problem(locked, timeline, fields)
    if problem:
        code, message = problem
        raise TransitionRefused(message, code=code)
    item = LegalEvent.objects.create(case=locked, recorded_by=user, recorded_at=clock.now(), **fields)
    details = {
        "legal_kind": fields["kind"],
        "on": fields["on"].isoformat(),
        # The decision's reference and the person's language are personal: sealed (crypto-shredded).
        "reference": value_seal(case_id=locked.pk, value=fields["reference"]),
        "legal_event": item.pk,
    }
    for key in ("extended_to", "suspensive", "outcome"):
        value = fields[key]
        if value not in (None, ""):
            details[key] = value.isoformat() if isinstance(value, dt.date) else value
    if fields["language"]:
        details["language"] = value_seal(case_id=locked.pk, value=fields["language"])
    update = {"detention_end": _detention_end(locked, [*timeline, item])}
    if release:
        # Every release has the same ledger kind, its cause as the reason: the indicators count them by cause.
        return Step(
            CaseState.RELEASED, update=update, details=details, reason=fields["cause"], comment=comment
        )
    return Step(locked.state, update=update, details=details, reason=fields["kind"], comment=comment)


def _legal_fields(kind: str, on: dt.date, reference: str, **given) -> dict:
    return {
        "kind": kind,
        "on": on,
        "reference": (reference or "").strip(),
        "extended_to": given.get("extended_to") if kind == LegalEventKind.EXTENSION_GRANTED else None,
        "suspensive": given.get("suspensive") if kind == LegalEventKind.APPEAL_LODGED else None,
        "outcome": given.get("outcome") or "" if kind in _DECIDED_OUTCOMES else "",
        "cause": given.get("cause") or "" if kind in RELEASING_KINDS else "",
        "language": (given.get("language") or "").strip()
        if kind in (LegalEventKind.RIGHTS_INFORMED, LegalEventKind.INTERPRETER)
        else "",
        "counsel": (given.get("counsel") or "").strip() if kind == LegalEventKind.COUNSEL_CONTACTED else "",
    }


def case_record_legal_event(
    *,
    case: Case,
    user,
    kind: str,
    on: dt.date,
    reference: str = "",
    extended_to: dt.date | None = None,
    suspensive: bool | None = None,
    outcome: str = "",
    language: str = "",
    counsel: str = "",
    comment: str = "",
) -> Case:
    """One dated fact of the person's legal situation (a release has its own transition, `release`). The
    detention clock reads them: an extension granted moves the release date to its end; a pending
    suspensive appeal or asylum claim forbids any departure."""

    def rule(locked: Case) -> Step:
        if kind in RELEASING_KINDS:
            raise TransitionRefused(
                _(
                    "Une libération (ou un refus de prolongation) s'enregistre avec « Enregistrer la libération »."
                ),
                code="invalid_field",
            )
        fields = _legal_fields(
            kind,
            on,
            reference,
            extended_to=extended_to,
            suspensive=suspensive,
            outcome=outcome,
            language=language,
            counsel=counsel,
        )
        return _legal_step(locked, user, fields, release=False, comment=comment)

    CASE_WORKFLOW.run("record_legal_event", obj=case, user=user, rule=rule)
    return case


def case_release(
    *,
    case: Case,
    user,
    on: dt.date,
    reference: str,
    kind: str = LegalEventKind.RELEASED,
    cause: str = "",
    comment: str = "",
) -> Case:
    """The person is released: a judge refused the extension or ordered release, or a release for any other
    cause (the cap reached, an appeal, an asylum claim…). The detention ends on that day and the case moves
    to "released" until the procedure resumes or the request is withdrawn."""

    def rule(locked: Case) -> Step:
        if kind not in RELEASING_KINDS:
            raise TransitionRefused(_("Nature de libération inconnue."), code="invalid_field")
        judge = kind in (LegalEventKind.EXTENSION_REFUSED, LegalEventKind.RELEASE_ORDERED)
        fields = _legal_fields(kind, on, reference, cause=ReleaseCause.JUDGE if judge else cause)
        return _legal_step(locked, user, fields, release=True, comment=comment)

    CASE_WORKFLOW.run("release", obj=case, user=user, rule=rule)
    return case


def case_resume(
    *, case: Case, user, detention_start: dt.date | None = None, detention_place=None, comment: str = ""
) -> Case:
    """After a release, the procedure resumes in the state it had stopped in. With `detention_start` the
    person is placed in detention again (a new clock starts); without, they are no longer detained."""

    def rule(locked: Case) -> Step:
        release = (
            locked.events.filter(kind=EventKind.RELEASE).order_by("-sequence").values("from_state").first()
        )
        back_to = release["from_state"] if release else CaseState.ROUTED
        update: dict[str, Any] = {"detention_start": None, "detention_place": None}
        if detention_start is not None:
            if detention_start > clock.today():
                raise TransitionRefused(
                    _("Le début de la rétention ne peut pas être dans le futur."), code="date_in_future"
                )
            released_on = (
                LegalEvent.objects.filter(case=locked, kind__in=RELEASING_KINDS)
                .order_by("-on")
                .values_list("on", flat=True)
                .first()
            )
            if released_on and detention_start <= released_on:
                raise TransitionRefused(
                    _("Le nouveau placement en rétention doit suivre la libération du %(on)s.")
                    % {"on": released_on.strftime("%d/%m/%Y")},
                    code="invalid_field",
                )
            if detention_start < locked.removal_order_date:
                raise TransitionRefused(
                    _("Le début de la rétention ne peut pas précéder la mesure d'éloignement."),
                    code="invalid_field",
                )
            update = {
                "detention_start": detention_start,
                "detention_place": detention_place or locked.detention_place,
            }
        for attr, value in update.items():
            setattr(locked, attr, value)
        _check_adult_track(locked)
        update["detention_end"] = _detention_end(locked)
        return Step(
            back_to,
            update=update,
            comment=comment,
            details={"detention_start": detention_start.isoformat() if detention_start else None},
        )

    CASE_WORKFLOW.run("resume", obj=case, user=user, rule=rule)
    return case


def case_extend_reply_deadline(*, case: Case, user, reason: str) -> Case:
    """The consulate asks for more time: the reply is then due on the extended deadline (policy, from the
    day the request was routed), once."""

    def rule(locked: Case) -> Step:
        if locked.reply_extended_at is not None:
            raise TransitionRefused(_("Le délai de réponse a déjà été prorogé."), code="already_extended")
        routed_on = clock.local_date(locked.routed_at) if locked.routed_at else clock.today()
        extended = deadlines.reply_due(routed_on, policy_value(PolicyKeys.REPLY_DEADLINE_EXTENDED, routed_on))
        if locked.reply_due and extended <= locked.reply_due:
            raise TransitionRefused(
                _("Le délai en vigueur court déjà au-delà de la prorogation."), code="already_extended"
            )
        return Step(
            locked.state,
            comment=reason.strip(),
            update={"reply_due": extended, "reply_extended_at": clock.now()},
            details={
                "from": locked.reply_due.isoformat() if locked.reply_due else None,
                "to": extended.isoformat(),
            },
        )

    CASE_WORKFLOW.run("extend_reply_deadline", obj=case, user=user, rule=rule, reason=reason)
    return case


# Identity fields the filing préfecture may correct on a submitted request (the removal order and the
# detention have their own events).
IDENTITY_FIELDS = tuple(
    f
    for f in REQUEST_FIELDS
    if f not in ("removal_order_reference", "removal_order_date", "detention_start", "detention_place")
)


def case_correct_identity(*, case: Case, user, changes: dict, reason: str) -> Case:
    """Correct declared identity fields of a submitted request; old and new values go to the ledger so
    that the consulate sees what changed."""

    def rule(locked: Case) -> Step:
        unknown = sorted(set(changes) - set(IDENTITY_FIELDS))
        if unknown:
            raise TransitionRefused(
                _("Ces champs ne se corrigent pas ainsi : %(fields)s.") % {"fields": ", ".join(unknown)},
                code="invalid_field",
            )
        diff = {
            f: {"old": getattr(locked, f), "new": v} for f, v in changes.items() if getattr(locked, f) != v
        }
        if not diff:
            raise TransitionRefused(_("Aucun champ n'a changé."), code="nothing_changed")
        for field, change in diff.items():
            setattr(locked, field, change["new"])
        _check_adult_track(locked)
        # The ledger keeps which fields changed for good, their values only until retention (sealed).
        sealed = {
            f: {side: value_seal(case_id=locked.pk, value=c[side]) for side in ("old", "new")}
            for f, c in diff.items()
        }
        return Step(
            locked.state,
            update={f: c["new"] for f, c in diff.items()},
            comment=reason.strip(),
            details={"changes": sealed},
        )

    CASE_WORKFLOW.run("correct_identity", obj=case, user=user, rule=rule, reason=reason)
    return case


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
    return event_note(
        case=locked,
        user=user,
        kind=EventKind.REGISTER_SEARCHED,
        reason=outcome,
        comment=comment,
        details={"outcome": outcome, "model_version": model_version, "candidates": candidates},
    )


@transaction.atomic
def case_confirm_identification(*, case: Case, user, comment: str = "") -> CaseEvent:
    """A second consular officer, who did not make the decision, confirms the identification (the guard
    against the wrong person, `safeguard.py`). No state change: one event in the ledger."""
    locked = _lock(case)
    ok, why = actor_may(user, locked, Actor.ASSIGNED_CONSULATE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    decided = safeguard.identification_event(locked)
    if decided is None or locked.state != CaseState.IDENTIFIED:
        raise TransitionRefused(
            _("Seule une identification en attente de laissez-passer se confirme."), code="invalid_state"
        )
    if decided.actor_id == user.pk:
        raise TransitionRefused(
            _("La confirmation doit venir d'un autre agent que celui qui a identifié la personne."),
            code="same_officer",
        )
    return event_note(
        case=locked,
        user=user,
        kind=EventKind.IDENTIFICATION_CONFIRMED,
        comment=comment,
        details={"decision_event": decided.sequence},
    )


# What a reversal before departure clears: the identity established on the wrong person.
DECISION_FIELDS = {
    "decided_at": None,
    "register_national_id": "",
    "register_model_version": "",
    "established_last_name": "",
    "established_first_names": "",
    "established_birth_date": "",
    "established_birth_place": "",
}


def case_identification_reversed(*, case: Case, user, reason: str, comment: str = "") -> Case:
    """The person is found not to be the one identified (the assigned consulate or Moroccan central, with
    a reason code). Before departure the case goes back to the consulate (`routed`: the queue shows it
    again) to identify the right person or conclude, and the identity established on the wrong person is
    cleared; after departure the reversal is recorded and the state stays. Either way the document in
    force is revoked in the same transaction (the documents app's reversal handler: `identity_doubt`, its
    number in the event's `revoked_lpc`), no
    laissez-passer or departure rests on the reversed identification (`safeguard.identification_check`),
    the border refuses its document, and it is counted (`identification_reversals`)."""

    def rule(locked: Case) -> Step:
        if reason not in ReversalReason.values:
            raise TransitionRefused(_("Indiquez le motif de l'infirmation."), code="reason_required")
        if reason == ReversalReason.OTHER and not comment.strip():
            raise TransitionRefused(_("Précisez le motif de l'infirmation."), code="reason_required")
        decided = safeguard.identification_event(locked)
        if decided is None:
            raise TransitionRefused(_("Cette personne n'a pas été identifiée."), code="invalid_state")
        if safeguard.identification_reversed(locked, decided):
            raise TransitionRefused(_("Cette identification est déjà infirmée."), code="already_recorded")
        details = decided.details or {}
        back = locked.state in REVERSIBLE_BEFORE_DEPARTURE
        done = hooks.identification_reversed(case=locked, user=user)  # the documents app revokes the LPC
        return Step(
            CaseState.ROUTED if back else locked.state,
            update=DECISION_FIELDS if back else {},
            reason=reason,
            comment=comment,
            details={
                "reason": reason,
                "decision_event": decided.sequence,
                "register_match": bool(details.get("register_match")),
                "register_band": details.get("register_band", ""),
                **done,
            },
        )

    CASE_WORKFLOW.run("identification_reversed", obj=case, user=user, rule=rule, reason=reason)
    return case


ACTIONS: dict[str, Callable[..., Case]] = {
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
    "record_legal_event": case_record_legal_event,
    "release": case_release,
    "resume": case_resume,
    "extend_reply_deadline": case_extend_reply_deadline,
    "correct_identity": case_correct_identity,
    "identification_reversed": case_identification_reversed,
}
assert set(ACTIONS) == set(TRANSITIONS), "every declared transition has exactly one action"
