"""The main menu, by what the user may reach. Each item is shown by the same rule its page applies (the
domain's permission functions): no menu entry leads to a refusal. Features that are not installed are
simply absent."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gmmp.cases.perms import actor_may, user_sees_personal_data
from gmmp.cases.workflow import Actor
from gmmp.collab.perms import escalations_page_allowed, interview_calendar_allowed
from gmmp.governance.actions import may_read_governance
from gmmp.identification.perms import register_search_allowed
from gmmp.indicators.access import may_read_indicators
from gmmp.minors.perms import supervises_children_cases, user_sees_children
from gmmp.mobility.perms import may_see_workers
from gmmp.organisations.enums import OrganisationKind as K

# (url name, label, who may see it: the page's own rule)
ITEMS = [
    ("cases:list", _("Demandes"), user_sees_personal_data),
    ("cases:new", _("Nouvelle demande"), lambda u: u.org_kind == K.PREFECTURE),
    ("identification:search", _("Registre"), lambda u: register_search_allowed(u)[0]),
    ("indicators:dashboard", _("Indicateurs"), may_read_indicators),
    ("governance:meetings", _("Suivi du GMMP"), may_read_governance),
    ("mobility:index", _("Mobilité et migration"), lambda u: may_read_indicators(u) or may_see_workers(u)),
    ("minors:list", _("Mineurs"), lambda u: user_sees_children(u) or supervises_children_cases(u)),
    ("minors:indicators", _("Mineurs (chiffres)"), may_read_indicators),
    (
        "documents:border_scan",
        _("Contrôle à l'arrivée"),
        lambda u: actor_may(u, None, Actor.BORDER_POLICE)[0],
    ),
    ("collab:calendar", _("Auditions"), interview_calendar_allowed),
    ("collab:escalations", _("Signalements"), escalations_page_allowed),
    ("documents:verify", _("Vérifier un laissez-passer"), lambda u: True),
    ("admin:index", _("Administration"), lambda u: u.is_staff),
    ("www:help", _("Aide"), lambda u: True),
]


def navigation(request):
    """The menu. Kept on the request for the user it was built for: Django runs the context processors
    again for every template rendered with the request (the case page's panels render two more), and the
    menu's permission checks were ~1 ms each time."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    kept = getattr(request, "_gmmp_navigation", None)
    if kept is not None and kept[0] == (user.pk, request.path):
        return kept[1]
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
    menu = {"nav_items": items, "session_idle_seconds": settings.SESSION_IDLE_SECONDS}
    request._gmmp_navigation = ((user.pk, request.path), menu)
    return menu
