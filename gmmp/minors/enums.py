from django.db import models
from django.utils.translation import gettext_lazy as _


class MinorState(models.TextChoices):
    REFERRED = "referred", _("Signalé")
    IDENTIFIED = "identified", _("Identifié par le consulat")
    NOT_IDENTIFIED = "not_identified", _("Non identifié (reste protégé en France)")
    FAMILY_TRACED = "family_traced", _("Recherche familiale faite")
    AGE_ASSESSED = "age_assessed", _("Âge évalué")
    FOUND_ADULT = "found_adult", _("Reconnu majeur (sort du parcours)")
    SCREENED = "screened", _("Vulnérabilité et traite évaluées")
    ASSESSED = "assessed", _("Intérêt supérieur évalué")
    INQUIRY = "inquiry", _("Complément d'enquête ordonné")
    RETURN_ORDERED = "return_ordered", _("Retour ordonné par le juge")
    STAY_ORDERED = "stay_ordered", _("Maintien en France ordonné par le juge")
    RECEPTION_CONFIRMED = "reception_confirmed", _("Accueil confirmé au Maroc")
    TRAVEL_READY = "travel_ready", _("Document de voyage et escorte prêts")
    HANDED_OVER = "handed_over", _("Remis à la partie marocaine")
    FOLLOWED_3M = "followed_3m", _("Suivi à 3 mois reçu")
    FOLLOWED_12M = "followed_12m", _("Suivi à 12 mois reçu (parcours terminé)")
    CLOSED = "closed", _("Clos")


class FamilyOutcome(models.TextChoices):
    FOUND = "found", _("Famille retrouvée")
    NOT_FOUND = "not_found", _("Famille non retrouvée")
    REFUSES = "refuses", _("La famille refuse l'accueil")
    UNSAFE = "unsafe", _("Retour en famille dangereux")


class AgeBasis(models.TextChoices):
    CIVIL_DOCUMENT = "civil_document", _("Acte d'état civil ou document d'identité")
    CONSULAR = "consular", _("Vérification consulaire au registre")
    SOCIAL = "social", _("Évaluation sociale (entretiens)")
    MEDICAL = "medical", _("Examen médical ordonné par le juge")
    DECLARATION = "declaration", _("Déclaration seule")


class AgeConclusion(models.TextChoices):
    MINOR = "minor", _("Mineur")
    ADULT = "adult", _("Majeur")


class Vulnerability(models.TextChoices):
    HEALTH = "health", _("Santé physique")
    MENTAL_HEALTH = "mental_health", _("Santé psychique, traumatisme")
    DISABILITY = "disability", _("Handicap")
    ADDICTION = "addiction", _("Addiction")
    PREGNANCY = "pregnancy", _("Grossesse ou enfant à charge")
    STREET = "street", _("Vie à la rue, errance")
    VIOLENCE = "violence", _("Violences subies")


class TraffickingIndicator(models.TextChoices):
    CONTROLLED = "controlled", _("Contrôlé par un tiers, ne peut se déplacer librement")
    DEBT = "debt", _("Dette de passage ou de logement à rembourser")
    FORCED_CRIME = "forced_crime", _("Contraint à commettre des délits")
    SEXUAL = "sexual", _("Exploitation sexuelle")
    LABOUR = "labour", _("Travail forcé")
    DOCUMENTS_HELD = "documents_held", _("Documents confisqués")


class ScreeningResult(models.TextChoices):
    NEGATIVE = "negative", _("Négatif")
    POSITIVE = "positive", _("Positif : orientation vers le service compétent")


class Recommendation(models.TextChoices):
    RETURN = "return", _("Retour dans l'intérêt de l'enfant")
    STAY = "stay", _("Maintien en France dans l'intérêt de l'enfant")


class JudicialOutcome(models.TextChoices):
    RETURN = "return", _("Retour ordonné")
    STAY = "stay", _("Maintien en France")
    INQUIRY = "inquiry", _("Complément d'enquête")


class ReceivingKind(models.TextChoices):
    FAMILY = "family", _("Famille")
    INSTITUTION = "institution", _("Établissement de protection de l'enfance")


class ClosureReason(models.TextChoices):
    MAJORITY = "majority", _("Majorité atteinte")
    RUNAWAY = "runaway", _("Fugue, disparition")
    TRANSFERRED = "transferred", _("Transfert vers un autre département")
    OTHER = "other", _("Autre motif")


class FollowUp(models.TextChoices):
    THREE_MONTHS = "3m", _("Suivi à 3 mois")
    TWELVE_MONTHS = "12m", _("Suivi à 12 mois")


class ChildSex(models.TextChoices):
    MALE = "M", _("Masculin")
    FEMALE = "F", _("Féminin")
    UNKNOWN = "X", _("Non précisé")


class Actor:
    """Who may perform a step: always a person named on the case (perms.actor_may)."""

    ASE = "ase"  # the named officer of the département's child welfare
    JUDGE = "judge"  # the named juge des enfants, or a clerk of that court acting for the judge
    CONSULATE = "consulate"  # the consulate's named child-protection officer
    CHILD_SERVICES = "child_services"  # the named officer of Moroccan child-protection services
    FRENCH_PROTECTION = "french_protection"  # the ASE officer or the judge


class DesignationReason(models.TextChoices):
    """Why a case's named officer changed (a code: the ledger holds no free text)."""

    ABSENCE = "absence", _("Absence prolongée de l'agent désigné")
    LEFT = "left", _("L'agent a quitté le service")
    WORKLOAD = "workload", _("Répartition de la charge de travail")
    CONFLICT = "conflict", _("Conflit d'intérêts")
    OTHER = "other", _("Autre motif")
