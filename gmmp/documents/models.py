from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gmmp.cases.models import PARTIAL_DATE_RE, Case, partial_date_validator
from gmmp.organisations.models import Organisation


class LpcStatus(models.TextChoices):
    # "Expired" is not stored: it follows from the dates and today (see LaissezPasser.status_on).
    ISSUED = "issued", _("Délivré")
    REVOKED = "revoked", _("Révoqué")
    USED = "used", _("Utilisé")


class RevocationReason(models.TextChoices):
    REISSUED = "reissued", _("Remplacé par un nouveau laissez-passer")
    ERROR = "error", _("Erreur dans le document")
    LOST = "lost", _("Document perdu ou volé")
    CASE_ENDED = "case_ended", _("Procédure d'éloignement abandonnée")
    IDENTITY_DOUBT = "identity_doubt", _("Doute sur l'identité")
    OTHER = "other", _("Autre motif")


class ArrivalRefusal(models.TextChoices):
    """Why the border police refuse an arrival on a valid document (recorded, the parties told)."""

    PHOTO_MISMATCH = "photo_mismatch", _("La personne ne correspond pas à la photo")
    NAME_MISMATCH = "name_mismatch", _("Le nom ne correspond pas à la personne")
    DOCUMENT_DAMAGED = "document_damaged", _("Document présenté altéré")
    OTHER = "other", _("Autre motif")


class LpcCounter(models.Model):
    """The last number given by a consulate in a year. Locked while a number is taken, so numbers are
    unique and gapless: the increment commits or rolls back with the document that uses it."""

    consulate = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consulate", "year"], name="lpc_counter_unique")]

    def __str__(self) -> str:
        return f"{self.consulate_id}/{self.year}: {self.last}"


# The holder's identity as printed on the document: the one list the actions, the forms, the API and
# retention derive theirs from.
HOLDER_FIELDS = (
    "holder_last_name",
    "holder_first_names",
    "holder_name_ar",
    "holder_birth_date",
    "holder_birth_place",
    "holder_sex",
)


class LaissezPasser(models.Model):
    """A consular laissez-passer: a numbered, signed, one-way travel document for an identified person.

    The holder's identity is the one the consulate established, copied at issuance: later edits of the
    case never change a document already printed.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("demande"), on_delete=models.PROTECT, related_name="laissez_passers"
    )
    consulate = models.ForeignKey(
        Organisation, verbose_name=_("consulat"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("numéro"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    check_code = models.CharField(_("code de contrôle"), max_length=12)
    status = models.CharField(_("statut"), max_length=10, choices=LpcStatus.choices, default=LpcStatus.ISSUED)

    holder_last_name = models.CharField(_("nom"), max_length=100)
    holder_first_names = models.CharField(_("prénom(s)"), max_length=150)
    holder_name_ar = models.CharField(_("nom en caractères arabes"), max_length=200, blank=True)
    holder_birth_date = models.CharField(
        _("date de naissance"), max_length=10, blank=True, validators=[partial_date_validator]
    )
    holder_birth_place = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    holder_sex = models.CharField(_("sexe"), max_length=1, blank=True)
    # The photo, normalised (JPEG) and encrypted under the data directory like evidence files.
    photo_storage_name = models.CharField(max_length=80, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    destination = models.CharField(_("destination"), max_length=80)

    valid_from = models.DateField(_("valable du"))
    valid_to = models.DateField(_("valable jusqu'au"))
    issued_at = models.DateTimeField(_("délivré le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("délivré par"), on_delete=models.PROTECT, related_name="+"
    )
    key_id = models.CharField(max_length=16)
    seal = models.TextField(_("cachet électronique"))
    extensions = models.PositiveSmallIntegerField(default=0)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )

    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(
        _("motif de révocation"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("laissez-passer consulaire")
        verbose_name_plural = _("laissez-passer consulaires")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consulate", "year", "sequence"], name="lpc_number_per_consulate_year"
            ),
            # At most one document in force per case: re-issue revokes the old one first.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="issued"), name="lpc_one_current_per_case"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="lpc_validity_ordered"
            ),
            models.CheckConstraint(
                condition=Q(holder_birth_date__regex=PARTIAL_DATE_RE) | Q(holder_birth_date=""),
                name="lpc_birth_date_partial",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="lpc_revoked_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="used") | Q(used_at__isnull=False), name="lpc_used_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def holder_full_name(self) -> str:
        return f"{self.holder_last_name.upper()} {self.holder_first_names}".strip()

    def status_on(self, day) -> str:
        """issued / revoked / used as stored, or "expired" / "not_yet_valid" for an issued one."""
        if self.status != LpcStatus.ISSUED:
            return self.status
        if day > self.valid_to:
            return "expired"
        if day < self.valid_from:
            return "not_yet_valid"
        return "valid"
