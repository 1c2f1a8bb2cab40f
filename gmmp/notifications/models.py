from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import DeliveryStatus, NotificationKind


class Notification(models.Model):
    """One thing one user should know about, in the platform's inbox. Carries the case reference and
    non-personal parameters (dates, a decision's code); the sentence is rendered in the reader's language.

    `key` names the event (e.g. `case-event:812`, `reply-due:44:2026-12-01`): with the recipient it is
    unique, so the same event never notifies the same person twice, whoever calls `notify` again."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("nature"), max_length=40, choices=NotificationKind.choices)
    key = models.CharField(max_length=120)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case_reference = models.CharField(_("demande"), max_length=20, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("le"))
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event_recipient")
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.case_reference}"


class EmailDelivery(models.Model):
    """The e-mail copy of a notification. Sent after the commit by the worker, retried on failure, never
    twice: the worker claims the row (`sending`) before it talks to the mail server and marks it `sent`
    after; a row found still `sending` after a crash is not sent again (see delivery.py)."""

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="email")
    to_address = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("envoi par courriel")
        verbose_name_plural = _("envois par courriel")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="email_sent_has_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.status}"


class NotificationPreference(models.Model):
    """A user's choice; without a row, e-mails are on (the inbox always is)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("recevoir aussi les notifications par courriel"), default=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return f"{self.user_id} email={self.email_enabled}"


class JobRun(models.Model):
    """A daily job started for a day: unique, so two workers (or a worker and cron) never run it twice."""

    job = models.CharField(max_length=40)
    day = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("tâche quotidienne")
        verbose_name_plural = _("tâches quotidiennes")
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="job_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
