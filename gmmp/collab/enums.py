from django.db import models
from django.utils.translation import gettext_lazy as _


class InterviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée, à confirmer")
    CONFIRMED = "confirmed", _("Confirmée")
    HELD = "held", _("Tenue")
    NOT_HELD = "not_held", _("Non tenue")
    CANCELLED = "cancelled", _("Annulée")


class NotHeldReason(models.TextChoices):
    PERSON_REFUSED = "person_refused", _("La personne a refusé l'audition")
    PERSON_ABSENT = "person_absent", _("La personne n'a pas été présentée")
    NO_INTERPRETER = "no_interpreter", _("Interprète absent")
    TECHNICAL = "technical", _("Problème technique (visioconférence)")
    RELEASED = "released", _("Personne libérée")
    OTHER = "other", _("Autre motif")


class EscalationReason(models.TextChoices):
    REPLY_OVERDUE = "reply_overdue", _("Réponse du consulat en retard")
    NO_LPC_AFTER_IDENTIFICATION = "no_lpc", _("Pas de laissez-passer après l'identification")
    RELEASE_CLOSE = "release_close", _("Libération proche sans laissez-passer")


class EscalationState(models.TextChoices):
    OPEN = "open", _("Ouvert")
    ANSWERED = "answered", _("Répondu")


class ProtectionKind(models.TextChoices):
    DETENTION_NOTIFIED = "detention_notified", _("Notification de la rétention au consulat")
    VISIT = "visit", _("Visite consulaire")
    ASSISTANCE_REQUEST = "assistance_request", _("Demande d'assistance de la personne")
