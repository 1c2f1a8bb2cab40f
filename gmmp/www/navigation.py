"""The main menu, by what the user may reach. Features that are not installed are simply absent."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gmmp.cases.perms import user_sees_personal_data
from gmmp.minors.perms import user_sees_children
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Side

# (url name, label, who may see it)
ITEMS = [
    ("cases:list", _("Demandes"), lambda u: user_sees_personal_data(u)),
    ("cases:new", _("Nouvelle demande"), lambda u: u.org_kind == K.PREFECTURE),
    (
        "identification:search",
        _("Registre"),
        lambda u: u.side == Side.MA and u.org_kind in {K.CONSULATE, K.CENTRAL},
    ),
    ("indicators:dashboard", _("Indicateurs"), lambda u: u.org_kind in {K.CENTRAL, K.SECRETARIAT}),
    ("governance:meetings", _("Suivi du GMMP"), lambda u: u.org_kind in {K.CENTRAL, K.SECRETARIAT}),
    (
        "mobility:index",
        _("Mobilité et migration"),
        lambda u: u.org_kind in {K.CENTRAL, K.SECRETARIAT, K.MOBILITY_AGENCY},
    ),
    (
        "minors:list",
        _("Mineurs"),
        lambda u: (
            user_sees_children(u)
            or (
                u.role == "supervisor"
                and u.org_kind in {K.CHILD_WELFARE, K.JUVENILE_COURT, K.CONSULATE, K.CHILD_PROTECTION}
            )
        ),
    ),
    ("minors:indicators", _("Mineurs (chiffres)"), lambda u: u.org_kind in {K.CENTRAL, K.SECRETARIAT}),
    ("documents:border_scan", _("Contrôle à l'arrivée"), lambda u: u.org_kind == K.BORDER_POLICE),
    ("collab:calendar", _("Auditions"), lambda u: u.org_kind == K.CONSULATE),
    ("collab:escalations", _("Signalements"), lambda u: u.org_kind == K.CENTRAL),
    ("documents:verify", _("Vérifier un laissez-passer"), lambda u: True),
    ("admin:index", _("Administration"), lambda u: u.is_staff),
    ("www:help", _("Aide"), lambda u: True),
]


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    from django.conf import settings

    items = []
    for name, label, allowed in ITEMS:
        if not allowed(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items, "session_idle_seconds": settings.SESSION_IDLE_SECONDS}
