"""The seasonal contract's workflow, declared as data: who may move a contract, from which status to
which. `CONTRACT_WORKFLOW` runs the moves with the platform's one transition runner (`gmmp.core.workflow`:
row lock, status and actor check with a readable reason, one `ProgrammeEvent`); the actions, each with
its own rule, live in `actions.py`."""

from django.utils.translation import gettext_lazy as _

from gmmp.core.workflow import Transition, Workflow

from . import perms
from .enums import ContractStatus as S
from .errors import MobilityRefused
from .models import ProgrammeEvent

PROGRAMME = "programme"  # the one actor rule: OFII and ANAPEC officers (perms.may_act_on_programme)


def _t(kind: str, sources, target: S, state_refusal) -> Transition:
    """One row: named after its ledger kind, labelled with the status it leads to."""
    return Transition(
        kind, target.label, frozenset(sources), frozenset({target}), PROGRAMME, state_refusal=state_refusal
    )


_TABLE = [
    _t(
        "contract_arrival",
        {S.SIGNED},
        S.IN_FRANCE,
        _("L'arrivée ne peut être enregistrée que pour un contrat signé."),
    ),
    # Also after the contract was marked as not returned (a late return).
    _t(
        "contract_return",
        {S.IN_FRANCE, S.NOT_RETURNED},
        S.RETURNED,
        _("Le retour ne peut être enregistré que pour un travailleur arrivé en France."),
    ),
    _t(
        "contract_no_return",
        {S.IN_FRANCE},
        S.NOT_RETURNED,
        _("Seul un travailleur arrivé en France peut être déclaré non retourné."),
    ),
    _t(
        "contract_cancel",
        {S.SIGNED},
        S.CANCELLED,
        _("Seul un contrat en attente d'arrivée peut être annulé."),
    ),
]


def _actor_may(user, contract, actor: str) -> tuple[bool, str]:
    return perms.may_act_on_programme(user)


# Each move words its own refusal (no workflow-wide sentence); refusals are the app's own type.
CONTRACT_WORKFLOW = Workflow(
    "contract", ProgrammeEvent, _TABLE, _actor_may, state_field="status", refused=MobilityRefused
)
