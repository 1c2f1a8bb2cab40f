from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gmmp.core import clock
from gmmp.core.ledger import AppendOnlyError, AppendOnlyModel

# The access log refuses changes like every append-only table (core.ledger): no update, no delete,
# from a row or a queryset, whatever the database (PostgreSQL also refuses them in a trigger).
AccessLogImmutableError = AppendOnlyError


class AccessLog(AppendOnlyModel):
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

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.organisation_code} {self.action} {self.object_type} {self.object_id}"
