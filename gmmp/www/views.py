from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gmmp.cases.perms import user_sees_personal_data
from gmmp.indicators.access import may_read_indicators
from gmmp.minors.perms import user_sees_children
from gmmp.mobility.perms import may_see_workers
from gmmp.organisations.enums import OrganisationKind as K


def home(request):
    """Each user lands where their work is: never on a page they may not open (the administrator on the
    administration, not on a refused dashboard)."""
    user = request.user
    if user_sees_personal_data(user):
        return redirect("cases:list")
    if user_sees_children(user) or (
        user.role == "supervisor" and user.org_kind in {K.CHILD_WELFARE, K.JUVENILE_COURT, K.CHILD_PROTECTION}
    ):
        return redirect("minors:list")
    if may_read_indicators(user) and _url("indicators:dashboard"):
        return redirect(_url("indicators:dashboard"))
    if may_see_workers(user):
        return redirect("mobility:index")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "www/home.html")


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


GLOSSARY = [
    (
        "GMMP",
        _(
            "Groupe migratoire mixte permanent maroco-français : l'instance commune aux deux pays, qui suit "
            "les demandes et les indicateurs."
        ),
    ),
    (
        "OQTF",
        _(
            "Obligation de quitter le territoire français : la mesure d'éloignement prise par la préfecture, "
            "dont le numéro est saisi dans la demande."
        ),
    ),
    (
        "LPC",
        _(
            "Laissez-passer consulaire : le document de voyage délivré par le consulat marocain à une personne "
            "identifiée comme ressortissante, valable pour un seul voyage et une durée limitée."
        ),
    ),
    (
        "CRA",
        _(
            "Centre de rétention administrative : le lieu où la personne est retenue en attendant son départ ; "
            "la durée de rétention est limitée par étapes."
        ),
    ),
    (
        _("Demande d'identification"),
        _(
            "La demande adressée par une préfecture au consulat compétent pour "
            "établir la nationalité d'une personne."
        ),
    ),
    (
        _("Consulat compétent"),
        _(
            "Le consulat général désigné par la carte des compétences pour le département "
            "de la préfecture, à la date de la demande."
        ),
    ),
    (
        _("Réadmission"),
        _(
            "Le retour de la personne au Maroc, confirmé par la police aux frontières marocaine au "
            "contrôle du laissez-passer à l'arrivée."
        ),
    ),
    ("DGEF", _("Direction générale des étrangers en France (ministère de l'Intérieur français).")),
    (
        "DMSF",
        _(
            "Direction de la migration et de la surveillance des frontières (ministère de l'Intérieur marocain)."
        ),
    ),
    (
        "DGSN",
        _(
            "Direction générale de la sûreté nationale (Maroc) : la police aux frontières qui contrôle les "
            "arrivées."
        ),
    ),
    (
        _("Chiffres provisoires"),
        _("Les indicateurs d'une période en cours : ils changeront jusqu'à la fin de la période."),
    ),
]


def help_page(request):
    """How the platform works, for every user: the glossary and where each task is done."""
    return render(request, "www/help.html", {"glossary": GLOSSARY})
