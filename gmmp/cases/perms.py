"""Who sees which case, and who may act on it (the actor rules of `workflow.py`). Denied by default.

Every check that can say no returns the reason as a translatable sentence.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role, Side

from .enums import Actor, CaseState

NOTHING = Q(pk__in=[])
CASE_WORKERS = {Role.AGENT, Role.SUPERVISOR}
# Border police see the journeys still to come (a check at their post), never finished cases.
BORDER_VISIBLE_STATES = [
    CaseState.LPC_ISSUED,
    CaseState.DEPARTURE_SCHEDULED,
    CaseState.DEPARTED,
]


# The roles that handle cases in each kind of organisation; other members (an administrator, say) see
# no personal data through their organisation.
ROLES_SEEING_CASES = {
    K.PREFECTURE: CASE_WORKERS,
    K.CRA: CASE_WORKERS,
    K.CONSULATE: CASE_WORKERS,
    K.CENTRAL: {Role.CENTRAL, Role.SUPERVISOR, Role.AGENT},
    K.BORDER_POLICE: {Role.BORDER_OFFICER, Role.SUPERVISOR},
}


def case_visibility_filter(user) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.organisation_id:
        return NOTHING
    org = user.organisation
    if user.role not in ROLES_SEEING_CASES.get(org.kind, set()):
        return NOTHING
    if org.kind == K.PREFECTURE:
        return Q(prefecture_id=org.id)
    if org.kind == K.CRA:
        return Q(detention_place_id=org.id) & ~Q(state=CaseState.DRAFT)
    if org.kind == K.CONSULATE:
        return Q(consulate_id=org.id) & ~Q(state=CaseState.DRAFT)
    if org.kind == K.CENTRAL and org.side == Side.FR:
        return Q()  # DGEF: every French request
    if org.kind == K.CENTRAL and org.side == Side.MA:
        return ~Q(state=CaseState.DRAFT)  # DMSF, Foreign Affairs: every request addressed to Morocco
    if org.kind == K.BORDER_POLICE:
        return Q(state__in=BORDER_VISIBLE_STATES)
    return NOTHING  # the GMMP secretariat and anyone else: aggregates only, no personal data


def user_sees_personal_data(user) -> bool:
    return case_visibility_filter(user) is not NOTHING


def user_reads_case_files(user) -> bool:
    """Whether the user may read whole case files (identity, evidence, timeline). Border police may
    not: they get the expected arrivals (name, photo, document, departure) and the verification."""
    return user_sees_personal_data(user) and user.organisation.kind != K.BORDER_POLICE


def user_sees_arrivals_only(user) -> bool:
    return user_sees_personal_data(user) and user.organisation.kind == K.BORDER_POLICE


def is_moroccan_central(user) -> bool:
    return (
        bool(user.organisation_id)
        and user.organisation.kind == K.CENTRAL
        and user.organisation.side == Side.MA
    )


# The two organisations working a case: their kind, the case's field naming them, the refusal for others.
CASE_SIDES = {
    Actor.FILING_PREFECTURE: (
        K.PREFECTURE,
        "prefecture",
        gettext_lazy("Seule la préfecture qui a déposé la demande peut faire cela."),
    ),
    Actor.ASSIGNED_CONSULATE: (
        K.CONSULATE,
        "consulate",
        gettext_lazy("Seul le consulat saisi de la demande peut faire cela."),
    ),
}


def actor_may(user, case, actor: str) -> tuple[bool, str]:
    org = user.organisation if user.organisation_id else None
    if org is None or not user.is_active:
        return False, _("Votre compte n'est rattaché à aucune organisation.")
    if actor in CASE_SIDES:
        kind, field, refusal = CASE_SIDES[actor]
        if org.kind != kind or org.id != getattr(case, f"{field}_id"):
            return False, str(refusal)
        if user.role not in CASE_WORKERS:
            return False, _("Votre rôle ne permet pas de traiter les demandes.")
        return True, ""
    if actor == Actor.ROUTING_AUTHORITY:
        if org.kind == K.CONSULATE and org.id == case.consulate_id and user.role == Role.SUPERVISOR:
            return True, ""
        if is_moroccan_central(user) and user.role in {Role.SUPERVISOR, Role.CENTRAL}:
            return True, ""
        return False, _(
            "Seul un superviseur du consulat saisi ou l'administration centrale marocaine peut réorienter."
        )
    if actor == Actor.MOROCCAN_CENTRAL:
        if is_moroccan_central(user) and user.role in {Role.SUPERVISOR, Role.CENTRAL}:
            return True, ""
        return False, _("Seule l'administration centrale marocaine peut orienter une demande.")
    if actor == Actor.IDENTIFYING_AUTHORITY:
        either = (Actor.ASSIGNED_CONSULATE, Actor.MOROCCAN_CENTRAL)
        ok = any(actor_may(user, case, a)[0] for a in either)
        why = _(
            "Seuls le consulat saisi et l'administration centrale marocaine infirment une identification."
        )
        return ok, "" if ok else why
    if actor == Actor.BORDER_POLICE:
        if org.kind == K.BORDER_POLICE and user.role == Role.BORDER_OFFICER:
            return True, ""
        return False, _("Seule la police aux frontières marocaine peut confirmer la réadmission.")
    return False, _("Action non autorisée.")


def evidence_actor_may(user, case) -> tuple[bool, str]:
    """Only the filing préfecture and the consulate the case is routed to attach evidence."""
    if (
        actor_may(user, case, Actor.FILING_PREFECTURE)[0]
        or actor_may(user, case, Actor.ASSIGNED_CONSULATE)[0]
    ):
        return True, ""
    return False, _(
        "Seuls la préfecture qui a déposé la demande et le consulat saisi peuvent joindre des pièces."
    )
