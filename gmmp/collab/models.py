"""Working together on a case: the message thread between the filing préfecture and the consulate,
interviews, escalations to the Moroccan central level, and the consulate's protection record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gmmp.cases.enums import InterviewMode
from gmmp.cases.models import Case
from gmmp.organisations.models import Organisation

from .enums import EscalationReason, EscalationState, InterviewStatus, NotHeldReason, ProtectionKind


class CaseMessage(models.Model):
    """A message in the case's thread. Personal data: reads are logged, retention erases the text."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"))
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.pk}"


class MessageAttachment(models.Model):
    """A file joined to a message: checked like evidence, stored encrypted in its own directory."""

    message = models.ForeignKey(CaseMessage, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.original_name


class ThreadRead(models.Model):
    """Up to when a user has read a case's thread (the unread marks)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "case"], name="thread_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.case_id}"


class Interview(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interviews")
    consulate = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("modalité"), max_length=20, choices=InterviewMode.choices)
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=45)
    room = models.CharField(_("salle"), max_length=120, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    interpreter_needed = models.BooleanField(_("interprète"), default=False)
    interpreter_language = models.CharField(_("langue de l'interprète"), max_length=60, blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.PROPOSED
    )
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    not_held_reason = models.CharField(_("motif"), max_length=20, choices=NotHeldReason.choices, blank=True)
    notes = models.TextField(_("notes de l'agent"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audition")
        verbose_name_plural = _("auditions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["consulate", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="video") | ~Q(video_link=""), name="interview_video_has_link"
            ),
            models.CheckConstraint(
                condition=~Q(interpreter_needed=True) | ~Q(interpreter_language=""),
                name="interview_interpreter_has_language",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_held") | ~Q(not_held_reason=""), name="interview_not_held_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Escalation(models.Model):
    """A stalled request raised by the préfecture or DGEF to the Moroccan central level, which answers."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="escalations")
    reason = models.CharField(_("motif"), max_length=20, choices=EscalationReason.choices)
    comment = models.TextField(_("précisions"), blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=EscalationState.choices, default=EscalationState.OPEN
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("signalé le"))
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("alerte à l'administration centrale", "signalement")
        verbose_name_plural = pgettext_lazy("alerte à l'administration centrale", "signalements")
        ordering = ["raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="open"), name="escalation_one_open_per_case"
            ),
            models.CheckConstraint(
                condition=~Q(state="answered") | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="escalation_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason} {self.state}"


class ProtectionEntry(models.Model):
    """The consulate's record of a detained national's situation."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protection_entries")
    kind = models.CharField(_("nature"), max_length=20, choices=ProtectionKind.choices)
    on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("protection consulaire")
        verbose_name_plural = _("protection consulaire")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.on}"
