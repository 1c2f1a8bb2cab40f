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
    RELEASED = "released", _("Personne libérée : procédure suspendue")
    READMITTED = "readmitted", _("Réadmission confirmée")
    WITHDRAWN = "withdrawn", _("Retirée")
    CLOSED = "closed", _("Clôturée")


# Two state groups the database needs too (the generated urgency columns of `models.Case`), so they live
# here rather than in workflow.py (which imports the models); workflow.py re-exports them with the others.
# The consulate has to answer in these states.
AWAITING_CONSULATE = frozenset(
    {CaseState.ROUTED, CaseState.INTERVIEW_SCHEDULED, CaseState.INFORMATION_REQUESTED}
)
# A person may still be waiting in detention: the clock and the queues matter in these states.
DETENTION_RELEVANT = frozenset(
    {
        CaseState.SUBMITTED,
        *AWAITING_CONSULATE,
        CaseState.IDENTIFIED,
        CaseState.LPC_ISSUED,
        CaseState.DEPARTURE_SCHEDULED,
        CaseState.DEPARTURE_FAILED,
    }
)


class Sex(models.TextChoices):
    MALE = "M", _("Masculin")
    FEMALE = "F", _("Féminin")
    UNKNOWN = "X", _("Non précisé")


class Decision(models.TextChoices):
    IDENTIFIED = "identified", _("Identifiée comme ressortissante marocaine")
    NOT_NATIONAL = "not_national", _("Non ressortissante marocaine")
    NOT_ESTABLISHED = "not_established", _("Identité non établie")


class IdentificationBand(models.TextChoices):
    """How the register proposal the consulate confirmed stood against the request as filed (the engine's
    band, recomputed by the platform at the decision, never taken from the client)."""

    STRONG = "strong", _("Forte")
    POSSIBLE = "possible", _("Possible")
    WEAK = "weak", _("Faible")


class ReversalReason(models.TextChoices):
    """Why an identification was reversed: the person is not the one identified."""

    OTHER_IDENTITY = "other_identity", _("Une autre identité a été établie")
    NOT_NATIONAL = "not_national", _("La personne n'est pas ressortissante marocaine")
    REFUSED_AT_BORDER = "refused_at_border", _("Personne non reconnue à la frontière")
    REGISTER_ERROR = "register_error", _("Erreur dans le registre ou dans la recherche")
    OTHER = "other", _("Autre motif")


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
    MINOR = "minor", _("Personne mineure : relève du parcours protégé")
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


class Actor:
    """Who may perform a transition; the checks live in perms.actor_may."""

    FILING_PREFECTURE = "filing_prefecture"
    ASSIGNED_CONSULATE = "assigned_consulate"
    ROUTING_AUTHORITY = "routing_authority"  # supervisor of the assigned consulate, or Moroccan central
    MOROCCAN_CENTRAL = "moroccan_central"
    BORDER_POLICE = "border_police"
    IDENTIFYING_AUTHORITY = "identifying_authority"  # the assigned consulate, or Moroccan central


class EventKind(models.TextChoices):
    """Every kind of event in the case ledger (`CaseEvent.kind`): the transitions (same names as in
    `workflow.TRANSITIONS`), then the events that do not move the state. Indicators filter on these."""

    # Transitions
    SUBMIT = "submit", _("Transmettre la demande")
    ROUTE = "route", _("Orienter vers un consulat")
    REROUTE = "reroute", _("Réorienter vers un autre consulat")
    SCHEDULE_INTERVIEW = "schedule_interview", _("Programmer une audition")
    REQUEST_INFORMATION = "request_information", _("Demander un complément")
    ANSWER_INFORMATION = "answer_information", _("Répondre à la demande de complément")
    DECIDE = "decide", _("Rendre la décision d'identification")
    ISSUE_LAISSEZ_PASSER = "issue_laissez_passer", _("Délivrer le laissez-passer consulaire")
    SCHEDULE_DEPARTURE = "schedule_departure", _("Programmer le départ")
    RECORD_DEPARTURE = "record_departure", _("Enregistrer l'issue du départ")
    CONFIRM_READMISSION = "confirm_readmission", _("Confirmer la réadmission")
    WITHDRAW = "withdraw", _("Retirer la demande")
    CLOSE = "close", _("Clôturer le dossier")
    ASSESS_AGE = "assess_age", _("Enregistrer l'âge établi (âge contesté)")
    RECORD_LEGAL_EVENT = "record_legal_event", _("Enregistrer un événement juridique")
    RELEASE = "release", _("Enregistrer la libération")
    RESUME = "resume", _("Reprendre la procédure")
    EXTEND_REPLY_DEADLINE = "extend_reply_deadline", _("Proroger le délai de réponse")
    CORRECT_IDENTITY = "correct_identity", _("Corriger l'identité déclarée")
    # Moves an identified case back to the consulate (before departure); after departure, recorded only.
    IDENTIFICATION_REVERSED = (
        "identification_reversed",
        _("Identification infirmée : la personne n'est pas celle qui avait été identifiée"),
    )
    # Events that leave the state as it is
    CREATED = "created", _("Demande créée")
    UPDATED = "updated", _("Brouillon modifié")
    EVIDENCE_ADDED = "evidence_added", _("Pièce ajoutée")
    REGISTER_SEARCHED = "register_searched", _("Recherche au registre conclue")
    RETENTION_APPLIED = "retention_applied", _("Durée de conservation appliquée")
    LPC_EXTENDED = "lpc_extended", _("Laissez-passer prolongé")
    LPC_REISSUED = "lpc_reissued", _("Laissez-passer réédité")
    LPC_REVOKED = "lpc_revoked", _("Laissez-passer révoqué")
    LPC_USED = "lpc_used", _("Laissez-passer utilisé à l'arrivée")
    LPC_REUSE_FLAGGED = "lpc_reuse_flagged", _("Réutilisation d'un laissez-passer signalée")
    LPC_PHOTO_EXCEPTION = (
        "lpc_photo_exception",
        _("Exception enregistrée par un superviseur : laissez-passer sans photo"),
    )
    IDENTIFICATION_CONFIRMED = (
        "identification_confirmed",
        _("Identification confirmée par un second agent consulaire"),
    )
    ARRIVAL_REFUSED = "arrival_refused", _("Arrivée refusée à la frontière")
    # Working together on the case (collab): no text in the ledger, only that it happened
    MESSAGE_POSTED = "message_posted", _("Message dans le fil de la demande")
    INTERVIEW_CONFIRMED = "interview_confirmed", _("Audition confirmée")
    INTERVIEW_CANCELLED = "interview_cancelled", _("Audition annulée")
    INTERVIEW_OUTCOME = "interview_outcome", _("Issue de l'audition enregistrée")
    ESCALATION_RAISED = "escalation_raised", _("Demande signalée à l'administration centrale marocaine")
    ESCALATION_ANSWERED = (
        "escalation_answered",
        _("Réponse de l'administration centrale marocaine au signalement"),
    )
    PROTECTION_RECORDED = "protection_recorded", _("Protection consulaire : fait enregistré")


class AgeFinding(models.TextChoices):
    """The age as established against the declared birth date (a contested age)."""

    ADULT = "adult", _("Majeure")
    MINOR = "minor", _("Mineure")


class AgeBasis(models.TextChoices):
    """What a contested age rests on."""

    DOCUMENTS = "documents", _("Documents d'état civil")
    ASSESSMENT = "assessment", _("Évaluation de l'âge")
    JUDGE = "judge", _("Décision d'un juge")


class LegalEventKind(models.TextChoices):
    """The person's legal timeline: judges' decisions on detention, appeals, asylum, release, rights."""

    EXTENSION_GRANTED = "extension_granted", _("Prolongation de la rétention accordée par le juge")
    EXTENSION_REFUSED = "extension_refused", _("Prolongation de la rétention refusée par le juge")
    RELEASE_ORDERED = "release_ordered", _("Remise en liberté ordonnée par le juge")
    APPEAL_LODGED = "appeal_lodged", _("Recours contre la mesure d'éloignement")
    APPEAL_DECIDED = "appeal_decided", _("Recours contre la mesure d'éloignement jugé")
    ASYLUM_CLAIMED = "asylum_claimed", _("Demande d'asile")
    ASYLUM_DECIDED = "asylum_decided", _("Demande d'asile examinée")
    RELEASED = "released", _("Libération")
    RIGHTS_INFORMED = "rights_informed", _("Personne informée de ses droits")
    INTERPRETER = "interpreter", _("Interprète")
    COUNSEL_CONTACTED = "counsel_contacted", _("Avocat ou association contacté")
    CONSULATE_NOTIFIED = "consulate_notified", _("Consulat informé")


class ReleaseCause(models.TextChoices):
    JUDGE = "judge", _("Décision du juge")
    CAP_REACHED = "cap_reached", _("Durée maximale ou période autorisée atteinte")
    APPEAL = "appeal", _("Recours contre la mesure d'éloignement")
    ASYLUM = "asylum", _("Demande d'asile")
    OTHER = "other", _("Autre cause")


class LegalOutcome(models.TextChoices):
    REJECTED = "rejected", _("Rejeté")
    ORDER_ANNULLED = "order_annulled", _("Mesure d'éloignement annulée")
    PROTECTION_GRANTED = "protection_granted", _("Protection accordée")


# Kinds that end the detention (the case moves to "released"), and those of the rights log.
RELEASING_KINDS = frozenset(
    {LegalEventKind.EXTENSION_REFUSED, LegalEventKind.RELEASE_ORDERED, LegalEventKind.RELEASED}
)
RIGHTS_KINDS = frozenset(
    {
        LegalEventKind.RIGHTS_INFORMED,
        LegalEventKind.INTERPRETER,
        LegalEventKind.COUNSEL_CONTACTED,
        LegalEventKind.CONSULATE_NOTIFIED,
    }
)
