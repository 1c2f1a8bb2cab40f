"""Who reads a child's personal data, and who may take which step. Denied by default.

Stricter than the adult track: no organisation-wide visibility. A child's data is read only by the
people named on the case (the ASE officer, the consulate's child-protection officer, the officer of
Moroccan child-protection services, the Moroccan ministry of justice's contact) and the juge des enfants
(or a clerk of that court acting for the judge). Supervisors of the organisations involved see who read
the case (the access log), never the child's data. Central readers and the GMMP secretariat get
aggregates only; adult-track roles get nothing.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role

from .enums import Actor

NOTHING = Q(pk__in=[])
NAMED = ("ase_officer", "judge", "consulate_officer", "child_services_officer", "justice_contact")
# Roles of the track, and the organisation kind each belongs to.
TRACK_ROLES = {
    Role.ASE_OFFICER: K.CHILD_WELFARE,
    Role.JUVENILE_JUDGE: K.JUVENILE_COURT,
    Role.COURT_CLERK: K.JUVENILE_COURT,
    Role.CHILD_PROTECTION_OFFICER: K.CHILD_PROTECTION,  # also in a consulate (its named officer)
    Role.JUSTICE_CONTACT: K.JUSTICE,
}
REFERRING_ROLES = {Role.ASE_OFFICER: K.CHILD_WELFARE, Role.JUVENILE_JUDGE: K.JUVENILE_COURT}
# The organisations whose supervisors see who read a case (not the child's data).
SUPERVISED = ("ase", "court", "consulate", "child_services")


def _active_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id)


def minor_visibility_filter(user) -> Q:
    if not _active_member(user) or user.role not in TRACK_ROLES:
        return NOTHING
    q = NOTHING
    for field in NAMED:
        q |= Q(**{f"{field}_id": user.pk})
    if user.role == Role.COURT_CLERK:
        q |= Q(court_id=user.organisation_id)
    return q


def user_sees_children(user) -> bool:
    """May this user read any child's personal data at all (the track's pages and API)."""
    return minor_visibility_filter(user) is not NOTHING


def may_refer(user) -> tuple[bool, str]:
    if not _active_member(user):
        return False, _("Votre compte n'est rattaché à aucune organisation.")
    kind = REFERRING_ROLES.get(user.role)
    if kind is None or user.organisation.kind != kind:
        return False, _(
            "Seuls l'aide sociale à l'enfance du département et le juge des enfants signalent un mineur."
        )
    return True, ""


SUPERVISED_KINDS = {K.CHILD_WELFARE, K.JUVENILE_COURT, K.CONSULATE, K.CHILD_PROTECTION}


def supervises_children_cases(user) -> bool:
    """A supervisor of an organisation of the track: the list of its cases (reference and step only) and
    who read each one, never the child's data."""
    return _active_member(user) and user.role == Role.SUPERVISOR and user.org_kind in SUPERVISED_KINDS


def may_read_access_log(user, case) -> bool:
    """The supervisors of the organisations involved, and the people who read the child's data."""
    if not _active_member(user):
        return False
    if user.role == Role.SUPERVISOR:
        return user.organisation_id in {getattr(case, f"{org}_id") for org in SUPERVISED}
    return minor_visibility_filter(user) is not NOTHING and (
        user.pk in {getattr(case, f"{f}_id") for f in NAMED}
        or (user.role == Role.COURT_CLERK and user.organisation_id == case.court_id)
    )


# The actors that are one named person on the case: the field naming them (their role is the one of
# their slot in DESIGNATION_SLOTS) and the refusal for anyone else. A clerk of the court acts for the judge.
NAMED_ACTORS = {
    Actor.ASE: (
        "ase_officer",
        gettext_lazy("Seul l'agent de l'aide sociale à l'enfance désigné sur le dossier peut faire cela."),
    ),
    Actor.JUDGE: (
        "judge",
        gettext_lazy("Seul le juge des enfants saisi (ou le greffe de son tribunal) peut faire cela."),
    ),
    Actor.CONSULATE: (
        "consulate_officer",
        gettext_lazy("Seul le référent protection de l'enfance désigné par le consulat peut faire cela."),
    ),
    Actor.CHILD_SERVICES: (
        "child_services_officer",
        gettext_lazy(
            "Seul l'agent désigné des services marocains de protection de l'enfance peut faire cela."
        ),
    ),
}


def actor_may(user, case, actor: str) -> tuple[bool, str]:
    if not _active_member(user):
        return False, _("Votre compte n'est rattaché à aucune organisation.")
    if actor in NAMED_ACTORS:
        field, refusal = NAMED_ACTORS[actor]
        if user.pk == getattr(case, f"{field}_id") and user.role == DESIGNATION_SLOTS[field][1]:
            return True, ""
        if actor == Actor.JUDGE and user.role == Role.COURT_CLERK and user.organisation_id == case.court_id:
            return True, ""
        return False, str(refusal)
    if actor == Actor.FRENCH_PROTECTION:
        if actor_may(user, case, Actor.ASE)[0] or actor_may(user, case, Actor.JUDGE)[0]:
            return True, ""
        return False, _("Seuls l'agent de l'ASE désigné et le juge des enfants peuvent clore le parcours.")
    return False, _("Action non autorisée.")


# Each named person's place on a case: the organisation field it belongs to and the role it needs.
DESIGNATION_SLOTS = {
    "ase_officer": ("ase", Role.ASE_OFFICER),
    "judge": ("court", Role.JUVENILE_JUDGE),
    "consulate_officer": ("consulate", Role.CHILD_PROTECTION_OFFICER),
    "child_services_officer": ("child_services", Role.CHILD_PROTECTION_OFFICER),
    "justice_contact": ("justice", Role.JUSTICE_CONTACT),
}


def designation_slots_for(user, case) -> list[str]:
    """The named places on `case` that `user` may give to a colleague: a supervisor for their own
    organisation's place, the court's clerk for the judge's (the court assigns its judges)."""
    if not _active_member(user):
        return []
    slots = []
    for slot, (org_field, _role) in DESIGNATION_SLOTS.items():
        if getattr(case, f"{org_field}_id") != user.organisation_id:
            continue
        if user.role == Role.SUPERVISOR or (slot == "judge" and user.role == Role.COURT_CLERK):
            slots.append(slot)
    return slots
