from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gmmp.core import clock


class AccessLogImmutableError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AccessLogImmutableError("The access log is append-only.")


class AccessLog(models.Model):
    """Every access to personal data: who, when, what (object type and id), how. No personal data here."""

    class Action(models.TextChoices):
        VIEW = "view", _("Consultation")
        LIST = "list", _("Liste")
        DOWNLOAD = "download", _("Téléchargement")
        SEARCH = "search", _("Recherche au registre")
        EXPORT = "export", _("Export")
        VERIFY = "verify", _("Vérification")

    at = models.DateTimeField(default=clock.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    organisation_code = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=60, blank=True)
    channel = models.CharField(max_length=10, default="web")  # web | api | cli
    detail = models.JSONField(default=dict, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.organisation_code} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AccessLogImmutableError("The access log is append-only.")
        super().save(*args, **kwargs)
