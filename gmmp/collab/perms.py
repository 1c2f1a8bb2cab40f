"""Who reads and writes what on a case's shared pages. Denied by default; a "no" comes with its reason.

- Thread: written by the filing préfecture and the assigned consulate (their case workers), read by them
  and by the central level of each side (DGEF; DMSF and Foreign Affairs). Not the CRA, the border police,
  another préfecture or consulate, or the secretariat.
- Interviews: scheduled, changed, cancelled and concluded by the assigned consulate; confirmed by the
  filing préfecture or the CRA holding the person; seen by the parties of the case.
- Escalations: raised by the filing préfecture or DGEF; answered by DMSF or Foreign Affairs.
- Protection record: the assigned consulate writes it; it and the Moroccan central level read it.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from gmmp.cases.enums import CaseState
from gmmp.cases.perms import CASE_WORKERS, NOTHING
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role, Side

CENTRAL_ROLES = {Role.CENTRAL, Role.SUPERVISOR, Role.AGENT}
ANSWERING_ROLES = {Role.CENTRAL, Role.SUPERVISOR}


def _org(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.organisation_id:
        return None
    return user.organisation


def is_central(user, side: str) -> bool:
    org = _org(user)
    return org is not None and org.kind == K.CENTRAL and org.side == side and user.role in CENTRAL_ROLES


def thread_visibility_filter(user) -> Q:
    """The cases whose thread `user` may read (a filter on Case)."""
    org = _org(user)
    if org is None:
        return NOTHING
    if org.kind == K.PREFECTURE and user.role in CASE_WORKERS:
        return Q(prefecture_id=org.id)
    if org.kind == K.CONSULATE and user.role in CASE_WORKERS:
        return Q(consulate_id=org.id) & ~Q(state=CaseState.DRAFT)
    if is_central(user, Side.FR):
        return Q()
    if is_central(user, Side.MA):
        return ~Q(state=CaseState.DRAFT)
    return NOTHING


def thread_side(user, case) -> str | None:
    """'prefecture' or 'consulate' when `user` writes in this case's thread for that party, else None."""
    org = _org(user)
    if org is None or user.role not in CASE_WORKERS:
        return None
    if org.kind == K.PREFECTURE and org.id == case.prefecture_id:
        return "prefecture"
    if org.kind == K.CONSULATE and case.consulate_id and org.id == case.consulate_id:
        return "consulate"
    return None


def thread_may_write(user, case) -> tuple[bool, str]:
    if thread_side(user, case) is None:
        return False, _(
            "Seuls la préfecture qui a déposé la demande et le consulat saisi écrivent dans ce fil."
        )
    if not case.consulate_id:
        return False, _("La demande n'est pas encore orientée vers un consulat.")
    if case.retention_stage:
        return False, _("Les données de cette demande ont été effacées.")
    return True, ""


def interview_calendar_allowed(user) -> bool:
    """The consulate's week of interviews: its agents and supervisors (not its child-protection officer,
    who reads no adult case)."""
    org = _org(user)
    return org is not None and org.kind == K.CONSULATE and user.role in CASE_WORKERS


def interview_may_schedule(user, case) -> tuple[bool, str]:
    if thread_side(user, case) != "consulate":
        return False, _("Seul le consulat saisi de la demande programme les auditions.")
    return True, ""


def interview_may_confirm(user, case) -> tuple[bool, str]:
    org = _org(user)
    if org is not None and user.role in CASE_WORKERS:
        if org.kind == K.PREFECTURE and org.id == case.prefecture_id:
            return True, ""
        if org.kind == K.CRA and case.detention_place_id and org.id == case.detention_place_id:
            return True, ""
    return False, _(
        "Seuls la préfecture qui a déposé la demande et le centre de rétention confirment l'audition."
    )


def escalation_may_raise(user, case) -> tuple[bool, str]:
    if thread_side(user, case) == "prefecture" or is_central(user, Side.FR):
        return True, ""
    return False, _("Seuls la préfecture qui a déposé la demande et la DGEF peuvent signaler une demande.")


def escalation_may_answer(user) -> tuple[bool, str]:
    if is_central(user, Side.MA) and user.role in ANSWERING_ROLES:
        return True, ""
    return False, _("Seule l'administration centrale marocaine répond aux signalements.")


def escalations_visible_filter(user) -> Q:
    """Escalations `user` may read (a filter on Escalation): the central level of both sides, and the
    parties of the case."""
    org = _org(user)
    if org is None:
        return NOTHING
    if is_central(user, Side.FR) or is_central(user, Side.MA):
        return Q()
    if org.kind == K.PREFECTURE and user.role in CASE_WORKERS:
        return Q(case__prefecture_id=org.id)
    if org.kind == K.CONSULATE and user.role in CASE_WORKERS:
        return Q(case__consulate_id=org.id)
    return NOTHING


def escalations_page_allowed(user) -> bool:
    """The escalations page is for whoever may read some escalation (deny by default: the others never
    will, whatever cases exist)."""
    return escalations_visible_filter(user) is not NOTHING


def protection_may_read(user, case) -> bool:
    return thread_side(user, case) == "consulate" or is_central(user, Side.MA)


def protection_may_write(user, case) -> tuple[bool, str]:
    if thread_side(user, case) == "consulate":
        return True, ""
    return False, _("Seul le consulat saisi de la demande tient le registre de protection consulaire.")
