from django.utils.translation import gettext as _

from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role, Side


def register_search_allowed(user) -> tuple[bool, str]:
    """Only the Moroccan side's consulates and central services search the register."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return False, _("Votre compte n'est rattaché à aucune organisation.")
    if user.side != Side.MA or user.org_kind not in {K.CONSULATE, K.CENTRAL}:
        return False, _("Seuls les consulats et les services centraux marocains consultent le registre.")
    if user.role not in {Role.AGENT, Role.SUPERVISOR, Role.CENTRAL}:
        return False, _("Votre rôle ne permet pas de consulter le registre.")
    return True, ""
