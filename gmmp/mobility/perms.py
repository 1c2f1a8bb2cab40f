"""Who sees and does what in legal mobility and irregular migration. Denied by default.

- Workers' personal data (names, birth dates, CIN, contracts, checks, complaints): the programme's officers
  only (OFII in France, ANAPEC in Morocco). Everybody else reads aggregates through the indicators.
- Student visa figures: the French side's central administration and the GMMP secretariat record them.
- Irregular migration figures: each side's central administration records its own; the secretariat may
  record both (it compiles the Group's tables).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from gmmp.organisations.enums import OrganisationKind, Role, Side

PROGRAMME_ROLES = {Role.OFII_OFFICER, Role.ANAPEC_OFFICER}
NOTHING = Q(pk__in=[])


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id)


def may_see_workers(user) -> bool:
    return (
        _active(user)
        and user.organisation.kind == OrganisationKind.MOBILITY_AGENCY
        and user.role in PROGRAMME_ROLES
    )


def contract_visibility_filter(user) -> Q:
    """Both agencies run the programme together: each officer sees every contract; nobody else any."""
    return Q() if may_see_workers(user) else NOTHING


def may_act_on_programme(user) -> tuple[bool, str]:
    if may_see_workers(user):
        return True, ""
    return False, _(
        "Le programme des travailleurs saisonniers est réservé aux agents de l'OFII et de l'ANAPEC."
    )


def may_record_visas(user) -> tuple[bool, str]:
    if _active(user) and (
        user.organisation.kind == OrganisationKind.SECRETARIAT
        or (
            user.organisation.kind == OrganisationKind.CENTRAL
            and user.organisation.side == Side.FR
            and user.role in {Role.CENTRAL, Role.SUPERVISOR}
        )
    ):
        return True, ""
    return False, _(
        "Les chiffres des visas étudiants sont saisis par l'administration centrale française ou le "
        "secrétariat du GMMP."
    )


def may_record_irregular(user, side: str) -> tuple[bool, str]:
    if not _active(user):
        return False, _("Connexion requise.")
    org = user.organisation
    if org.kind == OrganisationKind.SECRETARIAT:
        return True, ""
    if org.kind == OrganisationKind.CENTRAL and user.role in {Role.CENTRAL, Role.SUPERVISOR}:
        if org.side == side:
            return True, ""
        return False, _("Chaque partie saisit ses propres chiffres de la migration irrégulière.")
    return False, _(
        "Les chiffres de la migration irrégulière sont saisis par les administrations centrales et le "
        "secrétariat du GMMP."
    )


def may_record_irregular_either(user) -> tuple[bool, str]:
    """Whether the user may record either side's irregular figures (the page, the import); else why not."""
    french = may_record_irregular(user, "FR")
    return (True, "") if french[0] or may_record_irregular(user, "MA")[0] else french
