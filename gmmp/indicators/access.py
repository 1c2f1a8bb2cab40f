"""Who reads the shared indicators, and who may go from a number to the cases behind it."""

from gmmp.cases.perms import user_sees_personal_data
from gmmp.organisations.enums import OrganisationKind


def may_read_indicators(user) -> bool:
    """Central administrations of both sides and the GMMP secretariat."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and bool(user.organisation_id)
        and user.organisation.kind in {OrganisationKind.CENTRAL, OrganisationKind.SECRETARIAT}
    )


def may_drill_down(user) -> bool:
    """Reading the cases behind a number needs the right to see cases at all: never the secretariat,
    which works on aggregates only. Which cases is decided by Case.objects.visible_to(user)."""
    return may_read_indicators(user) and user_sees_personal_data(user)
