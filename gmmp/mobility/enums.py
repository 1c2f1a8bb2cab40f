from django.db import models
from django.utils.translation import gettext_lazy as _


class VisaPost(models.TextChoices):
    """The French consulates in Morocco that issue student visas."""

    RABAT = "RABAT", _("Consulat général de France à Rabat")
    CASABLANCA = "CASABLANCA", _("Consulat général de France à Casablanca")
    FES = "FES", _("Consulat général de France à Fès")
    MARRAKECH = "MARRAKECH", _("Consulat général de France à Marrakech")
    TANGER = "TANGER", _("Consulat général de France à Tanger")
    AGADIR = "AGADIR", _("Consulat général de France à Agadir")


class StudyLevel(models.TextChoices):
    LICENCE = "LICENCE", _("Licence")
    MASTER = "MASTER", _("Master")
    DOCTORAT = "DOCTORAT", _("Doctorat")
    AUTRE = "AUTRE", _("Autre (classes préparatoires, langue, échange)")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture (récoltes, cueillette)")
    VITICULTURE = "viticulture", _("Viticulture (vendanges)")
    HORTICULTURE = "horticulture", _("Horticulture et maraîchage")
    TOURISM = "tourism", _("Hôtellerie et restauration saisonnières")


class Housing(models.TextChoices):
    EMPLOYER = "employer", _("Logé par l'employeur")
    COLLECTIVE = "collective", _("Hébergement collectif agréé")
    PRIVATE = "private", _("Logement trouvé par le travailleur")


class ContractStatus(models.TextChoices):
    SIGNED = "signed", _("Contrat signé, en attente d'arrivée")
    IN_FRANCE = "in_france", _("Arrivé en France")
    RETURNED = "returned", _("Retourné au Maroc")
    NOT_RETURNED = "not_returned", _("Non retourné à la fin du contrat")
    CANCELLED = "cancelled", _("Annulé avant l'arrivée")


class CheckKind(models.TextChoices):
    WAGE = "wage", _("Salaire versé")
    HOUSING = "housing", _("Logement inspecté")
    HOURS = "hours", _("Durée du travail")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Close")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Fondée : réparation obtenue")
    SETTLED = "settled", _("Réglée à l'amiable")
    DISMISSED = "dismissed", _("Non fondée")
    REFERRED = "referred", _("Transmise à l'inspection du travail")


class IrregularMeasure(models.TextChoices):
    DEPARTURES_PREVENTED = "departures_prevented", _("Départs irréguliers empêchés")
    NETWORKS_DISMANTLED = "networks_dismantled", _("Réseaux de passeurs démantelés")
    INTERCEPTIONS = "interceptions", _("Interceptions")
    IRREGULAR_ARRIVALS = "irregular_arrivals", _("Arrivées irrégulières de ressortissants")


class Origin(models.TextChoices):
    FORM = "form", _("Saisie")
    IMPORT = "import", _("Import")
