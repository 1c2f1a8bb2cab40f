from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What happened, in words. The sentence shown to the user is in `messages.sentence`; e-mails carry
    the same words and the case reference, never a name."""

    CASE_ROUTED = "case_routed", _("Nouvelle demande transmise à votre consulat")
    CASE_TO_ROUTE = "case_to_route", _("Demande à orienter vers un consulat")
    INFORMATION_REQUESTED = "information_requested", _("Le consulat demande un complément d'information")
    INFORMATION_ANSWERED = "information_answered", _("La préfecture a répondu à la demande de complément")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("Audition programmée")
    INTERVIEW_CHANGED = "interview_changed", _("Audition modifiée")
    INTERVIEW_CONFIRMED = "interview_confirmed", _("Audition confirmée par la préfecture ou le centre")
    INTERVIEW_CANCELLED = "interview_cancelled", _("Audition annulée")
    DECISION = "decision", _("Décision d'identification rendue")
    LPC_ISSUED = "lpc_issued", _("Laissez-passer délivré")
    LPC_EXPIRING = "lpc_expiring", _("Le laissez-passer expire bientôt")
    LPC_REPRESENTED = (
        "lpc_represented",
        _("Un laissez-passer déjà utilisé a été présenté de nouveau à la frontière"),
    )
    DEPARTURE_SCHEDULED = "departure_scheduled", _("Départ programmé")
    DEPARTURE_FAILED = "departure_failed", _("Départ en échec")
    ARRIVAL_REFUSED = "arrival_refused", _("Arrivée refusée à la frontière")
    READMITTED = "readmitted", _("Réadmission confirmée à l'arrivée")
    WITHDRAWN = "withdrawn", _("Demande retirée par la préfecture")
    REPLY_DUE_SOON = "reply_due_soon", _("Réponse du consulat attendue bientôt")
    REPLY_OVERDUE = "reply_overdue", _("Réponse du consulat en retard")
    RELEASE_SOON_NO_LPC = (
        "release_soon_no_lpc",
        _("Libération proche et pas encore de laissez-passer"),
    )
    MESSAGE = "message", _("Nouveau message sur la demande")
    ESCALATION_RAISED = "escalation_raised", _("Demande signalée à l'administration centrale marocaine")
    ESCALATION_ANSWERED = (
        "escalation_answered",
        _("L'administration centrale marocaine a répondu au signalement"),
    )
    QUARTER_CLOSED = (
        "quarter_closed",
        _("Trimestre clos : les indicateurs et le rapport trimestriel sont disponibles"),
    )
    GOVERNANCE_ACTION_DUE = "governance_action_due", _("Action du GMMP bientôt à échéance")
    MINOR_REFERRED = "minor_referred", _("Mineur signalé : vous êtes désigné sur son dossier")
    MINOR_CASE_OPENED = (
        "minor_case_opened",
        _("Nouveau dossier de mineur pour votre organisation (journal des consultations)"),
    )
    MINOR_STEP = "minor_step", _("Le dossier d'un mineur a franchi une étape")
    MINOR_FOLLOWUP_LATE = "minor_followup_late", _("Rapport de suivi d'un mineur en retard")
    LEDGER_MISMATCH = (
        "ledger_mismatch",
        _("Vérification nocturne du registre : la chaîne ne tient plus (modification, ajout ou suppression)"),
    )


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    SKIPPED = "skipped", _("Non envoyé")
