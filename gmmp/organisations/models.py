import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import OrganisationKind, Role, Side


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.CharField(_("région"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TimeZone(models.TextChoices):
    """Where people work: France (préfectures, centres, consulates) and Morocco (central administrations,
    border posts). Times are stored in UTC and shown in the reader's zone; legal dates (deadlines, the
    indicators' days) stay French dates whatever the reader's zone."""

    PARIS = "Europe/Paris", _("France (heure de Paris)")
    CASABLANCA = "Africa/Casablanca", _("Maroc (heure de Casablanca)")
    UTC = "UTC", _("Temps universel (UTC)")


class Organisation(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    side = models.CharField(_("partie"), max_length=4, choices=Side.choices)
    name = models.CharField(_("nom (français)"), max_length=200)
    name_ar = models.CharField(_("nom (arabe)"), max_length=200, blank=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=200, blank=True)
    departement = models.ForeignKey(
        Departement, verbose_name=_("département"), on_delete=models.PROTECT, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Blank: the platform's display zone (settings.DISPLAY_TIME_ZONE, Paris). Moroccan offices in Morocco
    # show Casablanca time; consulates, in France, show Paris time.
    time_zone = models.CharField(_("fuseau horaire"), max_length=40, choices=TimeZone.choices, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="prefecture") | Q(departement__isnull=False),
                name="prefecture_has_departement",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["prefecture", "cra"]) | Q(side="FR"),
                name="french_kinds_are_french",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["consulate", "border_police"]) | Q(side="MA"),
                name="moroccan_kinds_are_moroccan",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["child_welfare", "juvenile_court"]) | Q(departement__isnull=False),
                name="child_welfare_and_court_have_departement",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized_name(self.name, self.name_ar, self.name_en)


def localized_name(name: str, name_ar: str, name_en: str, lang: str = "") -> str:
    """An organisation's name in `lang` (default: the current language), its French name when it has none
    there."""
    lang = lang or (get_language() or "fr")[:2]
    return {"ar": name_ar, "en": name_en}.get(lang) or name


class JurisdictionQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Jurisdiction(models.Model):
    """Which consulate is competent for a département, over a period (dated, configurable data)."""

    departement = models.ForeignKey(
        Departement, verbose_name=_("département"), on_delete=models.PROTECT, related_name="jurisdictions"
    )
    consulate = models.ForeignKey(
        Organisation,
        verbose_name=_("consulat"),
        on_delete=models.PROTECT,
        related_name="jurisdictions",
        limit_choices_to={"kind": OrganisationKind.CONSULATE},
    )
    valid_from = models.DateField(_("valable du"))
    valid_to = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    confirmed = models.BooleanField(_("confirmé par une source officielle"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("compétence territoriale")
        verbose_name_plural = _("carte des compétences territoriales")
        ordering = ["departement__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="jurisdiction_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["departement", "valid_from"], name="jurisdiction_one_start_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.departement.code} → {self.consulate.code} ({self.valid_from}–{self.valid_to or '…'})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.consulate_id and self.consulate.kind != OrganisationKind.CONSULATE:
            raise ValidationError({"consulate": _("Choisissez un consulat général.")})
        if self.departement_id and self.valid_from:
            others = Jurisdiction.objects.filter(departement_id=self.departement_id).exclude(pk=self.pk)
            end = self.valid_to or dt.date.max
            for other in others:
                other_end = other.valid_to or dt.date.max
                if other.valid_from <= end and self.valid_from <= other_end:
                    raise ValidationError(
                        _("Cette période chevauche une autre compétence pour ce département : %(other)s")
                        % {"other": other}
                    )


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, blank=True)
    preferred_language = models.CharField(_("langue"), max_length=5, blank=True)
    # Blank: the organisation's zone.
    time_zone = models.CharField(_("fuseau horaire"), max_length=40, choices=TimeZone.choices, blank=True)

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(is_superuser=True) | Q(role=""),
                name="user_with_role_has_organisation",
            )
        ]

    @property
    def display_time_zone(self) -> str:
        """The zone this user reads and types times in: their own choice, else their organisation's, else
        the platform's."""
        if self.time_zone:
            return self.time_zone
        org = self.organisation
        return (org.time_zone if org else "") or settings.DISPLAY_TIME_ZONE

    @property
    def side(self) -> str | None:
        org = self.organisation  # None without a query when there is no organisation
        return org.side if org else None

    @property
    def org_kind(self) -> str | None:
        org = self.organisation
        return org.kind if org else None


class ApiTokenScope(models.TextChoices):
    CASES_READ = "cases:read", _("Lire les demandes")
    CASES_WRITE = "cases:write", _("Créer des demandes et effectuer des transitions")
    REGISTER_SEARCH = "register:search", _("Rechercher dans le registre")
    INDICATORS_READ = "indicators:read", _("Lire les indicateurs (agrégats)")
    MOBILITY_READ = "mobility:read", _("Lire les contrats du programme saisonnier (agents OFII et ANAPEC)")
    MOBILITY_WRITE = (
        "mobility:write",
        _("Enregistrer les chiffres de la mobilité et de la migration irrégulière"),
    )
    MINORS_READ = "minors:read", _("Lire les dossiers de mineurs où l'on est désigné")
    MINORS_WRITE = "minors:write", _("Signaler un mineur et enregistrer les étapes de son parcours")
    LPC_VERIFY = "lpc:verify", _("Vérifier des laissez-passer (et rien d'autre)")


class ApiToken(models.Model):
    """A scoped token for system-to-system calls. Only a hash of the secret is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("utilisateur"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("portées"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
