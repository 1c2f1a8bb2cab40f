from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gmmp.core import clock


class ReportRun(models.Model):
    """One report as it was produced: the period, parameters, indicator versions and the ledger's
    high-water mark. Recomputing with these gives the same figures, whatever was recorded since."""

    # The tables computed when the run was created, kept on the instance for the report rendered at once
    # (services.report_run_create); not a column.
    _computed: dict

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Rapport trimestriel")
        EXPORT = "export", _("Export du tableau de bord")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    period_kind = models.CharField(max_length=10)
    first_day = models.DateField(_("premier jour"))
    last_day = models.DateField(_("dernier jour"))
    breakdown = models.CharField(max_length=20, default="none")
    filters = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("langue"), max_length=5)
    versions = models.JSONField(_("versions des indicateurs"))
    ledger_high_water = models.BigIntegerField(_("dernier événement pris en compte"))
    # The minors' chapter reads its own ledger (minors.MinorEvent): its high-water mark, for the same reason.
    minors_high_water = models.BigIntegerField(
        _("dernier événement des mineurs pris en compte"), null=True, blank=True
    )
    totals = models.JSONField(_("chiffres d'ensemble"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("rapport produit")
        verbose_name_plural = _("rapports produits")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="report_run_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} ({self.language})"

    @property
    def period(self):
        from .periods import Period

        return Period(self.period_kind, self.first_day, self.last_day)
