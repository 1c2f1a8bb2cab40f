from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Transmise, en attente d'orientation")
    ROUTED = "routed", _("En attente d'identification")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("Audition programmée")
    INFORMATION_REQUESTED = "information_requested", _("Complément demandé")
    IDENTIFIED = "identified", _("Identifiée comme ressortissante marocaine")
    NOT_NATIONAL = "not_national", _("Non ressortissante marocaine")
    NOT_ESTABLISHED = "not_established", _("Identité non établie")
    LPC_ISSUED = "lpc_issued", _("Laissez-passer délivré")
    DEPARTURE_SCHEDULED = "departure_scheduled", _("Départ programmé")
    DEPARTED = "departed", _("Départ effectué")
    DEPARTURE_FAILED = "departure_failed", _("Départ en échec")
    READMITTED = "readmitted", _("Réadmission confirmée")
    WITHDRAWN = "withdrawn", _("Retirée")
    CLOSED = "closed", _("Clôturée")


class Sex(models.TextChoices):
    MALE = "M", _("Masculin")
    FEMALE = "F", _("Féminin")
    UNKNOWN = "X", _("Non précisé")


class Decision(models.TextChoices):
    IDENTIFIED = "identified", _("Identifiée comme ressortissante marocaine")
    NOT_NATIONAL = "not_national", _("Non ressortissante marocaine")
    NOT_ESTABLISHED = "not_established", _("Identité non établie")


class InterviewMode(models.TextChoices):
    AT_CRA = "cra", _("En personne au centre de rétention")
    AT_CONSULATE = "consulate", _("En personne au consulat")
    VIDEO = "video", _("Par visioconférence")


class WithdrawalReason(models.TextChoices):
    ORDER_ANNULLED = "order_annulled", _("Mesure d'éloignement annulée")
    RELEASED = "released", _("Personne libérée")
    SUSPENSIVE_APPEAL = "suspensive_appeal", _("Recours suspensif en cours")
    ASYLUM_CLAIM = "asylum_claim", _("Demande d'asile")
    DUPLICATE = "duplicate", _("Demande en double")
    OTHER = "other", _("Autre motif")


class DepartureOutcome(models.TextChoices):
    DEPARTED = "departed", _("Départ effectué")
    FAILED = "failed", _("Départ en échec")


class DepartureFailure(models.TextChoices):
    REFUSED_TO_BOARD = "refused_to_board", _("Refus d'embarquer")
    RELEASED_BY_JUDGE = "released_by_judge", _("Libération par le juge")
    SUSPENSIVE_APPEAL = "suspensive_appeal", _("Recours suspensif")
    MEDICAL = "medical", _("Raison médicale")
    TRANSPORT_CANCELLED = "transport_cancelled", _("Vol ou traversée annulé")
    NO_ESCORT = "no_escort", _("Escorte indisponible")
    OTHER = "other", _("Autre motif")


class EvidenceCategory(models.TextChoices):
    PROOF = "proof", _("Preuve de nationalité")
    PRIMA_FACIE = "prima_facie", _("Commencement de preuve")
    PHOTO = "photo", _("Photographie")


class EvidenceKind(models.TextChoices):
    PASSPORT = "passport", _("Passeport")
    PASSPORT_EXPIRED = "passport_expired", _("Passeport périmé")
    CNIE = "cnie", _("Carte nationale d'identité électronique (CNIE)")
    CNIE_EXPIRED = "cnie_expired", _("CNIE périmée")
    COPY = "copy", _("Copie d'un document d'identité")
    BIRTH_CERTIFICATE = "birth_certificate", _("Acte de naissance")
    STATEMENT = "statement", _("Déclarations de la personne")
    LANGUAGE = "language", _("Langue parlée")
    PHOTO = "photo", _("Photographie")
    OTHER = "other", _("Autre pièce")


PROOF_KINDS = {
    EvidenceKind.PASSPORT,
    EvidenceKind.PASSPORT_EXPIRED,
    EvidenceKind.CNIE,
    EvidenceKind.CNIE_EXPIRED,
}
