"""Interviews and escalations as workflows on the shared runner (core.workflow).

Both belong to a case: their events go to the case's ledger (`ledger_subject`), so the case's timeline,
its hash chain and the notifications (notifications.case_events, an on-commit effect of each workflow)
see them like any other event of the case. The ledger kinds are the transitions' names.

- Interview: proposed → confirmed (the préfecture or the CRA); proposed/confirmed → cancelled, or →
  held / not held (the outcome), by the consulate. Scheduling and changing a slot are the case's own
  `schedule_interview` transition (collab.actions), which the interview row follows.
- Escalation: raised (created, event `escalation_raised`) → answered (the Moroccan central level).
"""

from django.utils.translation import gettext_lazy as _

from gmmp.cases.enums import EventKind as K
from gmmp.cases.models import CaseEvent
from gmmp.core.workflow import Transition, Workflow

from . import perms
from .enums import EscalationState, InterviewStatus
from .models import Escalation, Interview

I = InterviewStatus  # noqa: E741 — the table reads better with a short name
PLANNED = frozenset({I.PROPOSED, I.CONFIRMED})


class InterviewActor:
    CONSULATE = "consulate"  # the assigned consulate (perms.interview_may_schedule)
    CONFIRMER = "confirmer"  # the filing préfecture or the CRA holding the person


class EscalationActor:
    MA_CENTRAL = "ma_central"  # DMSF / Foreign Affairs (perms.escalation_may_answer)


def _interview_actor(user, interview, actor: str) -> tuple[bool, str]:
    if actor == InterviewActor.CONFIRMER:
        return perms.interview_may_confirm(user, interview.case)
    return perms.interview_may_schedule(user, interview.case)


def _escalation_actor(user, escalation, actor: str) -> tuple[bool, str]:
    return perms.escalation_may_answer(user)


INTERVIEW_WORKFLOW = Workflow(
    name="interview",
    model=Interview,
    ledger=CaseEvent,
    transitions=[
        Transition(
            K.INTERVIEW_CONFIRMED.value,
            _("Confirmer l'audition"),
            frozenset({I.PROPOSED}),
            frozenset({I.CONFIRMED}),
            InterviewActor.CONFIRMER,
        ),
        Transition(
            K.INTERVIEW_CANCELLED.value,
            _("Annuler l'audition"),
            PLANNED,
            frozenset({I.CANCELLED}),
            InterviewActor.CONSULATE,
        ),
        Transition(
            K.INTERVIEW_OUTCOME.value,
            _("Enregistrer l'issue de l'audition"),
            PLANNED,
            frozenset({I.HELD, I.NOT_HELD}),
            InterviewActor.CONSULATE,
        ),
    ],
    actor_check=_interview_actor,
    state_refusal=_("« %(action)s » n'est pas possible : l'audition est « %(state)s »."),
    lock_related=("case",),
    state_field="status",
    ledger_subject=lambda interview: interview.case,
)

ESCALATION_WORKFLOW = Workflow(
    name="escalation",
    model=Escalation,
    ledger=CaseEvent,
    transitions=[
        Transition(
            K.ESCALATION_ANSWERED.value,
            _("Répondre au signalement"),
            frozenset({EscalationState.OPEN}),
            frozenset({EscalationState.ANSWERED}),
            EscalationActor.MA_CENTRAL,
        ),
    ],
    actor_check=_escalation_actor,
    state_refusal=_("« %(action)s » n'est pas possible : le signalement est « %(state)s »."),
    lock_related=("case",),
    ledger_subject=lambda escalation: escalation.case,
)
