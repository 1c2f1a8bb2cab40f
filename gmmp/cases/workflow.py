"""The readmission case's workflow, declared as data: states, named groups, and the transition table.

Each transition names the states it leaves from, the states it may lead to, and who may perform it
(an actor rule checked in `perms.py`). The functions that perform transitions live in `actions.py`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .enums import CaseState as S

# Named state groups
AWAITING_CONSULATE = frozenset({S.ROUTED, S.INTERVIEW_SCHEDULED, S.INFORMATION_REQUESTED})
DECIDED_NEGATIVE = frozenset({S.NOT_NATIONAL, S.NOT_ESTABLISHED})
TERMINAL = frozenset({S.READMITTED, S.NOT_NATIONAL, S.NOT_ESTABLISHED, S.WITHDRAWN, S.CLOSED})
CLOSED = frozenset({S.CLOSED})
OPEN = frozenset(set(S) - TERMINAL)
# A person may still be waiting in detention: the clock and the queues matter in these states.
DETENTION_RELEVANT = frozenset(
    {S.SUBMITTED, *AWAITING_CONSULATE, S.IDENTIFIED, S.LPC_ISSUED, S.DEPARTURE_SCHEDULED, S.DEPARTURE_FAILED}
)


class Actor:
    """Who may perform a transition; the checks live in perms.actor_may."""

    FILING_PREFECTURE = "filing_prefecture"
    ASSIGNED_CONSULATE = "assigned_consulate"
    ROUTING_AUTHORITY = "routing_authority"  # supervisor of the assigned consulate, or Moroccan central
    MOROCCAN_CENTRAL = "moroccan_central"
    BORDER_POLICE = "border_police"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    targets: frozenset
    actor: str
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            _("Transmettre la demande"),
            frozenset({S.DRAFT}),
            frozenset({S.ROUTED, S.SUBMITTED}),
            Actor.FILING_PREFECTURE,
        ),
        Transition(
            "route",
            _("Orienter vers un consulat"),
            frozenset({S.SUBMITTED}),
            frozenset({S.ROUTED}),
            Actor.MOROCCAN_CENTRAL,
        ),
        Transition(
            "reroute",
            _("Réorienter vers un autre consulat"),
            AWAITING_CONSULATE,
            AWAITING_CONSULATE,
            Actor.ROUTING_AUTHORITY,
            needs_reason=True,
        ),
        Transition(
            "schedule_interview",
            _("Programmer une audition"),
            AWAITING_CONSULATE,
            frozenset({S.INTERVIEW_SCHEDULED}),
            Actor.ASSIGNED_CONSULATE,
        ),
        Transition(
            "request_information",
            _("Demander un complément"),
            frozenset({S.ROUTED, S.INTERVIEW_SCHEDULED}),
            frozenset({S.INFORMATION_REQUESTED}),
            Actor.ASSIGNED_CONSULATE,
        ),
        Transition(
            "answer_information",
            _("Répondre à la demande de complément"),
            frozenset({S.INFORMATION_REQUESTED}),
            frozenset({S.ROUTED}),
            Actor.FILING_PREFECTURE,
        ),
        Transition(
            "decide",
            _("Rendre la décision d'identification"),
            AWAITING_CONSULATE,
            frozenset({S.IDENTIFIED, *DECIDED_NEGATIVE}),
            Actor.ASSIGNED_CONSULATE,
        ),
        Transition(
            "issue_laissez_passer",
            _("Délivrer le laissez-passer consulaire"),
            frozenset({S.IDENTIFIED}),
            frozenset({S.LPC_ISSUED}),
            Actor.ASSIGNED_CONSULATE,
        ),
        Transition(
            "schedule_departure",
            _("Programmer le départ"),
            frozenset({S.LPC_ISSUED, S.DEPARTURE_SCHEDULED, S.DEPARTURE_FAILED}),
            frozenset({S.DEPARTURE_SCHEDULED}),
            Actor.FILING_PREFECTURE,
        ),
        Transition(
            "record_departure",
            _("Enregistrer l'issue du départ"),
            frozenset({S.DEPARTURE_SCHEDULED}),
            frozenset({S.DEPARTED, S.DEPARTURE_FAILED}),
            Actor.FILING_PREFECTURE,
        ),
        Transition(
            "confirm_readmission",
            _("Confirmer la réadmission"),
            frozenset({S.DEPARTED}),
            frozenset({S.READMITTED}),
            Actor.BORDER_POLICE,
        ),
        Transition(
            "withdraw",
            _("Retirer la demande"),
            OPEN - {S.DEPARTED},
            frozenset({S.WITHDRAWN}),
            Actor.FILING_PREFECTURE,
            needs_reason=True,
        ),
        Transition("close", _("Clôturer le dossier"), TERMINAL - CLOSED, CLOSED, Actor.FILING_PREFECTURE),
    ]
}
