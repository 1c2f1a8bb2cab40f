"""The readmission case's workflow, declared as data: states, named groups, and the transition table.

Each transition names the states it leaves from, the states it may lead to, and who may perform it
(an actor rule checked in `perms.py`). `CASE_WORKFLOW` runs them (`gmmp.core.workflow`); the functions
that perform transitions, each with its own rule, live in `actions.py`.
"""

from django.utils.translation import gettext_lazy as _

from gmmp.core.workflow import Transition, Workflow

from .enums import AWAITING_CONSULATE, DETENTION_RELEVANT, Actor  # noqa: F401  (re-exported)
from .enums import CaseState as S
from .enums import EventKind as K
from .models import CaseEvent
from .perms import actor_may

# Named state groups
DECIDED_NEGATIVE = frozenset({S.NOT_NATIONAL, S.NOT_ESTABLISHED})
TERMINAL = frozenset({S.READMITTED, S.NOT_NATIONAL, S.NOT_ESTABLISHED, S.WITHDRAWN, S.CLOSED})
CLOSED = frozenset({S.CLOSED})
OPEN = frozenset(set(S) - TERMINAL)
# The person's legal timeline may be recorded on any open case until departure (judges, appeals, rights).
LEGAL_OPEN = frozenset(OPEN - {S.DEPARTED})
# AWAITING_CONSULATE and DETENTION_RELEVANT are in enums.py (the database needs them too).
# An identification reversed before departure sends the case back to the consulate (to identify the right
# person or conclude); after departure the reversal is recorded and the state stays.
REVERSIBLE_BEFORE_DEPARTURE = frozenset(
    {S.IDENTIFIED, S.LPC_ISSUED, S.DEPARTURE_SCHEDULED, S.DEPARTURE_FAILED}
)
REVERSIBLE_AFTER_DEPARTURE = frozenset({S.DEPARTED, S.READMITTED})


def _t(kind: K, sources, targets, actor: str, reason_prompt=None) -> Transition:
    """One row: the transition is named after its ledger kind and labelled with it."""
    return Transition(
        kind.value,
        kind.label,
        frozenset(sources),
        frozenset(targets),
        actor,
        needs_reason=reason_prompt is not None,
        reason_prompt=reason_prompt or "",
    )


A = Actor
_TABLE = [
    _t(K.SUBMIT, {S.DRAFT}, {S.ROUTED, S.SUBMITTED}, A.FILING_PREFECTURE),
    _t(K.ROUTE, {S.SUBMITTED}, {S.ROUTED}, A.MOROCCAN_CENTRAL),
    _t(
        K.REROUTE,
        AWAITING_CONSULATE,
        AWAITING_CONSULATE,
        A.ROUTING_AUTHORITY,
        _("Indiquez le motif de la réorientation."),
    ),
    _t(K.SCHEDULE_INTERVIEW, AWAITING_CONSULATE, {S.INTERVIEW_SCHEDULED}, A.ASSIGNED_CONSULATE),
    _t(
        K.REQUEST_INFORMATION,
        {S.ROUTED, S.INTERVIEW_SCHEDULED},
        {S.INFORMATION_REQUESTED},
        A.ASSIGNED_CONSULATE,
        _("Précisez les informations demandées."),
    ),
    _t(
        K.ANSWER_INFORMATION,
        {S.INFORMATION_REQUESTED},
        {S.ROUTED},
        A.FILING_PREFECTURE,
        _("La réponse ne peut pas être vide."),
    ),
    _t(K.DECIDE, AWAITING_CONSULATE, {S.IDENTIFIED, *DECIDED_NEGATIVE}, A.ASSIGNED_CONSULATE),
    _t(K.ISSUE_LAISSEZ_PASSER, {S.IDENTIFIED}, {S.LPC_ISSUED}, A.ASSIGNED_CONSULATE),
    _t(
        K.SCHEDULE_DEPARTURE,
        {S.LPC_ISSUED, S.DEPARTURE_SCHEDULED, S.DEPARTURE_FAILED},
        {S.DEPARTURE_SCHEDULED},
        A.FILING_PREFECTURE,
    ),
    _t(K.RECORD_DEPARTURE, {S.DEPARTURE_SCHEDULED}, {S.DEPARTED, S.DEPARTURE_FAILED}, A.FILING_PREFECTURE),
    _t(K.CONFIRM_READMISSION, {S.DEPARTED}, {S.READMITTED}, A.BORDER_POLICE),
    _t(
        K.WITHDRAW,
        OPEN - {S.DEPARTED},
        {S.WITHDRAWN},
        A.FILING_PREFECTURE,
        _("Indiquez le motif du retrait."),
    ),
    _t(K.CLOSE, TERMINAL - CLOSED, CLOSED, A.FILING_PREFECTURE),
    # A contested age established on a basis (documents, assessment, judge): as a minor, the case leaves
    # the adult track (withdrawn, reason "minor"); as an adult, it stays where it is.
    _t(
        K.ASSESS_AGE,
        OPEN - {S.DRAFT, S.DEPARTED},
        (OPEN - {S.DRAFT, S.DEPARTED}) | {S.WITHDRAWN},
        A.FILING_PREFECTURE,
    ),
    # The legal timeline: a judge's decision on detention, an appeal, an asylum claim, a right exercised
    # keep the state; a release (for any cause, a judge's refusal or order included) moves the case to
    # "released", from which the procedure resumes or the request is withdrawn.
    _t(K.RECORD_LEGAL_EVENT, LEGAL_OPEN, LEGAL_OPEN, A.FILING_PREFECTURE),
    _t(K.RELEASE, LEGAL_OPEN - {S.RELEASED, S.DRAFT}, {S.RELEASED}, A.FILING_PREFECTURE),
    _t(K.RESUME, {S.RELEASED}, LEGAL_OPEN - {S.RELEASED}, A.FILING_PREFECTURE),
    _t(
        K.EXTEND_REPLY_DEADLINE,
        AWAITING_CONSULATE,
        AWAITING_CONSULATE,
        A.ASSIGNED_CONSULATE,
        _("Indiquez le motif de la prorogation."),
    ),
    _t(
        K.CORRECT_IDENTITY,
        OPEN - {S.DRAFT, S.DEPARTED},
        OPEN - {S.DRAFT, S.DEPARTED},
        A.FILING_PREFECTURE,
        _("Indiquez le motif de la correction."),
    ),
    _t(
        K.IDENTIFICATION_REVERSED,
        REVERSIBLE_BEFORE_DEPARTURE | REVERSIBLE_AFTER_DEPARTURE,
        {S.ROUTED, *REVERSIBLE_AFTER_DEPARTURE},
        A.IDENTIFYING_AUTHORITY,
        _("Indiquez le motif de l'infirmation."),
    ),
]
assert [t.name for t in _TABLE] == list(K.values)[: len(_TABLE)], "transitions and EventKind agree"


STATE_REFUSAL = _("« %(action)s » n'est pas possible quand la demande est à l'état « %(state)s ».")
CASE_WORKFLOW = Workflow(
    "case", CaseEvent, _TABLE, actor_may, STATE_REFUSAL, lock_related=("prefecture", "consulate")
)
TRANSITIONS = CASE_WORKFLOW.transitions
transition_allowed = CASE_WORKFLOW.allowed
transitions_available = CASE_WORKFLOW.available
