"""Legal mobility and irregular migration: aggregate figures (student visas, irregular migration, each
versioned: a correction supersedes a row and keeps it) and the seasonal workers' programme (workers,
contracts, rights checks, complaints: personal data, read by the programme's officers only)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gmmp.core import clock
from gmmp.organisations.enums import Side
from gmmp.organisations.models import Departement, Organisation

from .enums import (
    CheckKind,
    ComplaintOutcome,
    ComplaintStatus,
    ContractStatus,
    Housing,
    IrregularMeasure,
    Origin,
    Sector,
    StudyLevel,
    VisaPost,
)


class VersionedQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)

    def as_of(self, instant):
        """The rows in force at `instant` (a report recomputed later reads the figures it was made with)."""
        return self.filter(recorded_at__lte=instant).filter(
            Q(superseded_at__isnull=True) | Q(superseded_at__gt=instant)
        )


class ImportBatch(models.Model):
    """One imported file: counted, with its checksum (the same file twice changes nothing)."""

    class Kind(models.TextChoices):
        VISAS = "visas", _("Visas étudiants")
        IRREGULAR = "irregular", _("Migration irrégulière")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("fichier"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("lignes"))
    created = models.PositiveIntegerField(_("nouvelles"))
    corrected = models.PositiveIntegerField(_("corrigées"))
    unchanged = models.PositiveIntegerField(_("inchangées"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.created_at:%Y-%m-%d})"


class VersionedFigure(models.Model):
    recorded_at = models.DateTimeField(_("enregistré le"), default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices, default=Origin.FORM)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    superseded_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)
    note = models.CharField(_("commentaire"), max_length=300, blank=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True


class StudentVisaFigure(VersionedFigure):
    """Visa applications and decisions for study in France, one month × post × level (aggregates)."""

    month = models.DateField(_("mois"), help_text=_("Premier jour du mois."))
    post = models.CharField(_("poste"), max_length=12, choices=VisaPost.choices)
    level = models.CharField(_("niveau d'études"), max_length=10, choices=StudyLevel.choices)
    applications = models.PositiveIntegerField(_("demandes"))
    issued = models.PositiveIntegerField(_("visas délivrés"))
    refused = models.PositiveIntegerField(_("refus"))
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )

    class Meta:
        verbose_name = _("chiffre des visas étudiants")
        verbose_name_plural = _("chiffres des visas étudiants")
        ordering = ["month", "post", "level", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "post", "level"],
                condition=Q(superseded_at__isnull=True),
                name="visa_figure_one_current",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="visa_figure_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.post} {self.level}"


class IrregularFigure(VersionedFigure):
    """One side's figure for one quarter and one measure, with its source."""

    quarter = models.DateField(_("trimestre"), help_text=_("Premier jour du trimestre."))
    side = models.CharField(
        _("partie"), max_length=4, choices=[(Side.FR, Side.FR.label), (Side.MA, Side.MA.label)]
    )
    measure = models.CharField(_("mesure"), max_length=30, choices=IrregularMeasure.choices)
    value = models.PositiveIntegerField(_("valeur"))
    source = models.CharField(_("source"), max_length=300)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )

    class Meta:
        verbose_name = _("chiffre de la migration irrégulière")
        verbose_name_plural = _("chiffres de la migration irrégulière")
        ordering = ["quarter", "side", "measure", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "side", "measure"],
                condition=Q(superseded_at__isnull=True),
                name="irregular_figure_one_current",
            ),
            models.CheckConstraint(
                condition=Q(quarter__day=1) & Q(quarter__month__in=[1, 4, 7, 10]),
                name="irregular_figure_quarter_first_day",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="irregular_figure_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.quarter:%Y-%m} {self.side} {self.measure}"


class Employer(models.Model):
    name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True)
    departement = models.ForeignKey(Departement, verbose_name=_("département"), on_delete=models.PROTECT)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)

    class Meta:
        verbose_name = _("employeur")
        verbose_name_plural = _("employeurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Worker(models.Model):
    """A seasonal worker: personal data, visible to OFII and ANAPEC officers only (perms.py)."""

    anapec_ref = models.CharField(_("référence ANAPEC"), max_length=20, unique=True)
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"), null=True)  # null only once anonymised
    cin = models.CharField(_("CIN"), max_length=12, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    # Storage limitation (retention.py): when the identity was erased; the contracts stay, anonymous.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("travailleur saisonnier")
        verbose_name_plural = _("travailleurs saisonniers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=False) | Q(anonymised_at__isnull=False),
                name="worker_birth_date_until_anonymised",
            ),
        ]

    def __str__(self) -> str:
        return self.anapec_ref  # never the name: __str__ ends up in logs


class SeasonalContract(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="contracts")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contracts")
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)
    departement = models.ForeignKey(Departement, verbose_name=_("département"), on_delete=models.PROTECT)
    season = models.PositiveSmallIntegerField(_("saison"))
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    monthly_wage = models.DecimalField(_("salaire mensuel brut (€)"), max_digits=8, decimal_places=2)
    housing = models.CharField(_("logement"), max_length=12, choices=Housing.choices)
    status = models.CharField(
        _("état"), max_length=15, choices=ContractStatus.choices, default=ContractStatus.SIGNED
    )
    arrived_on = models.DateField(_("arrivée en France"), null=True, blank=True)
    returned_on = models.DateField(_("retour au Maroc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("contrat saisonnier")
        verbose_name_plural = _("contrats saisonniers")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="contract_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(monthly_wage__gt=0), name="contract_wage_positive"),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(arrived_on__isnull=False),
                name="contract_return_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker.anapec_ref} {self.season}"


class RightsCheck(models.Model):
    contract = models.ForeignKey(SeasonalContract, on_delete=models.PROTECT, related_name="checks")
    kind = models.CharField(_("contrôle"), max_length=10, choices=CheckKind.choices)
    checked_on = models.DateField(_("date du contrôle"))
    compliant = models.BooleanField(_("conforme"))
    note = models.CharField(_("constat"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("contrôle des droits")
        verbose_name_plural = _("contrôles des droits")
        ordering = ["checked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.checked_on} ({self.contract_id})"


class Complaint(models.Model):
    contract = models.ForeignKey(SeasonalContract, on_delete=models.PROTECT, related_name="complaints")
    subject = models.CharField(_("objet"), max_length=10, choices=CheckKind.choices)
    filed_on = models.DateField(_("déposée le"))
    summary = models.CharField(_("résumé"), max_length=500)
    status = models.CharField(
        _("état"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    outcome = models.CharField(_("issue"), max_length=10, choices=ComplaintOutcome.choices, blank=True)
    outcome_note = models.CharField(_("suite donnée"), max_length=500, blank=True)
    closed_on = models.DateField(_("close le"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plainte")
        verbose_name_plural = _("plaintes")
        ordering = ["filed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome="", closed_on__isnull=True)
                | (Q(status="closed", closed_on__isnull=False) & ~Q(outcome="")),
                name="complaint_closed_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.filed_on} ({self.contract_id})"  # never the summary: it may name people


class ProgrammeEvent(models.Model):
    """Append-only history of every change in this app (who, when, what)."""

    # The object a workflow moves (core.workflow: CONTRACT_WORKFLOW).
    subject_field: ClassVar[str] = "contract"

    kind = models.CharField(max_length=40)
    at = models.DateTimeField(default=clock.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    organisation_code = models.CharField(max_length=40, blank=True)
    contract = models.ForeignKey(
        SeasonalContract, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du programme")
        verbose_name_plural = _("événements du programme")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("ProgrammeEvent is append-only")
        super().save(*args, **kwargs)

    @classmethod
    def append(cls, *, subject=None, user, kind: str, at=None, details: dict | None = None, **_moves):
        """One event (the workflow runner's ledger call, `core.workflow.Ledger`, too: the contract's
        status move itself is in `kind`, so `from_state`/`to_state` are not stored)."""
        org = getattr(user, "organisation", None)
        return cls.objects.create(
            kind=kind,
            at=at or clock.now(),
            by=user,
            organisation_code=org.code if org else "",
            contract=subject,
            details=details or {},
        )
