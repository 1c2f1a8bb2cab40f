"""Who may read the access log of a case ("who read this file") and export a person's data.

- A supervisor reads the access log of the cases their organisation sees.
- The data protection officer (role dpo) of a central administration reads it, and exports the
  subject's data, for the cases their administration sees (DGEF: every French request; DMSF and
  Foreign Affairs: every request addressed to Morocco). Denied otherwise.
"""

from django.db.models import Q

from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role, Side


def dpo_case_filter(user) -> Q | None:
    if not (
        user.is_authenticated and user.is_active and user.role == Role.DPO and user.org_kind == K.CENTRAL
    ):
        return None
    return Q() if user.side == Side.FR else ~Q(state=CaseState.DRAFT)


def is_dpo(user) -> bool:
    return dpo_case_filter(user) is not None


def access_log_case_get(*, user, reference: str) -> Case | None:
    """The case whose access log `user` may read, or None (missing and not-theirs alike)."""
    dpo = dpo_case_filter(user)
    if dpo is not None:
        return Case.objects.filter(dpo, reference=reference).first()
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        return Case.objects.visible_to(user).filter(reference=reference).first()
    return None
