"""The protected track's workflow, declared as data: states, named groups and the transition table.

Every step is one transition from exactly the state the previous step leads to, so no step can be
skipped: no travel document before the judge orders the return and the Moroccan side confirms who
receives the child; no hand-over before the travel document and escort. There is no detention clock
and no removal order anywhere in this track. Who may act is an actor rule checked in `perms.py`; `MINORS_WORKFLOW` runs the steps with the platform's
one transition runner (`gmmp.core.workflow`: lock, state and actor check, one ledger event, effects on
commit).
"""

from django.utils.translation import gettext_lazy as _

from gmmp.core.workflow import Transition, Workflow

from .enums import Actor
from .enums import MinorState as S
from .models import MinorEvent
from .perms import actor_may

TERMINAL = frozenset({S.NOT_IDENTIFIED, S.FOUND_ADULT, S.STAY_ORDERED, S.FOLLOWED_12M, S.CLOSED})
OPEN = frozenset(set(S) - TERMINAL)
# After the hand-over the child is in Morocco: France's protection no longer closes the case, follow-ups do.
RETURNED = frozenset({S.HANDED_OVER, S.FOLLOWED_3M})
BEFORE_HANDOVER = OPEN - RETURNED


def _t(name, label, sources, targets, actor, **extra) -> Transition:
    return Transition(name, label, frozenset(sources), frozenset(targets), actor, **extra)


# In the order a child's case goes through them.
_TABLE = [
    _t(
        "identify",
        _("Identifier l'enfant"),
        {S.REFERRED},
        {S.IDENTIFIED, S.NOT_IDENTIFIED},
        Actor.CONSULATE,
    ),
    _t("trace_family", _("Rechercher la famille"), {S.IDENTIFIED}, {S.FAMILY_TRACED}, Actor.CONSULATE),
    _t("assess_age", _("Évaluer l'âge"), {S.FAMILY_TRACED}, {S.AGE_ASSESSED, S.FOUND_ADULT}, Actor.ASE),
    _t("screen", _("Évaluer vulnérabilité et traite"), {S.AGE_ASSESSED}, {S.SCREENED}, Actor.ASE),
    _t("assess_best_interests", _("Évaluer l'intérêt supérieur"), {S.SCREENED}, {S.ASSESSED}, Actor.ASE),
    _t(
        "decide",
        _("Rendre la décision du juge"),
        {S.ASSESSED, S.INQUIRY},
        {S.RETURN_ORDERED, S.STAY_ORDERED, S.INQUIRY},
        Actor.JUDGE,
    ),
    _t(
        "confirm_reception",
        _("Confirmer qui accueille l'enfant"),
        {S.RETURN_ORDERED},
        {S.RECEPTION_CONFIRMED},
        Actor.CHILD_SERVICES,
    ),
    _t(
        "issue_travel_document",
        _("Délivrer le document de voyage et prévoir l'escorte"),
        {S.RECEPTION_CONFIRMED},
        {S.TRAVEL_READY},
        Actor.CONSULATE,
    ),
    _t(
        "confirm_handover",
        _("Confirmer la remise de l'enfant"),
        {S.TRAVEL_READY},
        {S.HANDED_OVER},
        Actor.CHILD_SERVICES,
    ),
    _t(
        "record_followup_3m",
        _("Enregistrer le suivi à 3 mois"),
        {S.HANDED_OVER},
        {S.FOLLOWED_3M},
        Actor.CHILD_SERVICES,
    ),
    _t(
        "record_followup_12m",
        _("Enregistrer le suivi à 12 mois"),
        {S.FOLLOWED_3M},
        {S.FOLLOWED_12M},
        Actor.CHILD_SERVICES,
    ),
    _t(
        "close",
        _("Clore le parcours"),
        BEFORE_HANDOVER,
        {S.CLOSED},
        Actor.FRENCH_PROTECTION,
        needs_reason=True,
        reason_prompt=_("Indiquez le motif de la clôture."),
    ),
]

# The order of the steps for the case page's progress line.
STEPS = [
    S.REFERRED,
    S.IDENTIFIED,
    S.FAMILY_TRACED,
    S.AGE_ASSESSED,
    S.SCREENED,
    S.ASSESSED,
    S.RETURN_ORDERED,
    S.RECEPTION_CONFIRMED,
    S.TRAVEL_READY,
    S.HANDED_OVER,
    S.FOLLOWED_3M,
    S.FOLLOWED_12M,
]


STATE_REFUSAL = _("« %(action)s » n'est pas possible quand le dossier est à l'étape « %(state)s ».")
MINORS_WORKFLOW = Workflow("minors", MinorEvent, _TABLE, actor_may, STATE_REFUSAL)
TRANSITIONS = MINORS_WORKFLOW.transitions
transition_allowed = MINORS_WORKFLOW.allowed
transitions_available = MINORS_WORKFLOW.available


def steps_awaiting(user, case) -> list:
    """The steps forward on `case` that are `user`'s to take now: what the list shows as "yours to act on"
    (closing the track is open to the protection side at almost every step: it is not a step forward)."""
    forward = set(STEPS)
    return [t for t in transitions_available(user, case) if t.targets & forward]
