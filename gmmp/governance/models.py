"""The GMMP's own work: meetings (with delegations and agenda), what they recommend or decide, and the
actions that follow, each aimed at a shared indicator."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gmmp.core import clock
from gmmp.organisations.enums import Side
from gmmp.organisations.models import Organisation


def _in_language(obj, field: str) -> str:
    lang = (get_language() or "fr")[:2]
    return {"ar": getattr(obj, f"{field}_ar", ""), "en": getattr(obj, f"{field}_en", "")}.get(
        lang
    ) or getattr(obj, field)


class DatePrecision(models.TextChoices):
    DAY = "day", _("jour")
    MONTH = "month", _("mois")
    YEAR = "year", _("année")


def format_partial_date(day, precision: str) -> str:
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(day, "YEAR_MONTH_FORMAT")
    return formats.date_format(day, "DATE_FORMAT")


class TitledDate:
    """A meeting or a milestone: its title in the reader's language, its date at its precision."""

    title: str
    date: dt.date
    date_precision: str

    @property
    def display_title(self) -> str:
        return _in_language(self, "title")

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("Réunion plénière")
    CONSULS_ASSEMBLY = "consuls_assembly", _("Assemblée des consuls généraux")
    TECHNICAL = "technical", _("Réunion technique")


class Meeting(TitledDate, models.Model):
    key = models.SlugField(
        max_length=60, unique=True, help_text=_("Identifiant stable (reprise des données).")
    )
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(_("numéro"), null=True, blank=True)
    title = models.CharField(_("intitulé (français)"), max_length=200)
    title_ar = models.CharField(_("intitulé (arabe)"), max_length=200, blank=True)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("précision de la date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_note = models.CharField(_("note sur la date"), max_length=300, blank=True)
    place = models.CharField(_("lieu"), max_length=200)
    co_chair_fr = models.CharField(_("coprésident français"), max_length=200, blank=True)
    co_chair_ma = models.CharField(_("coprésident marocain"), max_length=200, blank=True)
    summary = models.TextField(_("compte rendu"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.date_display})"


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    side = models.CharField(_("délégation"), max_length=4, choices=Side.choices)
    name = models.CharField(_("nom"), max_length=150)
    function = models.CharField(_("fonction"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_co_chair = models.BooleanField(_("coprésident"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("participant")
        ordering = ["side", "-is_co_chair", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="participant_once_per_meeting")
        ]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("point (français)"), max_length=300)
    title_ar = models.CharField(_("point (arabe)"), max_length=300, blank=True)
    title_en = models.CharField(_("point (anglais)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _in_language(self, "title")


class OutcomeKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommandation")
    DECISION = "decision", _("Décision")


class Outcome(models.Model):
    """A recommendation or a decision recorded at a meeting."""

    key = models.SlugField(max_length=80, unique=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("nature"), max_length=20, choices=OutcomeKind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("texte (français)"))
    text_ar = models.TextField(_("texte (arabe)"), blank=True)
    text_en = models.TextField(_("texte (anglais)"), blank=True)

    class Meta:
        verbose_name = _("recommandation ou décision")
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.display_text[:80]

    @property
    def display_text(self) -> str:
        return _in_language(self, "text")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    CANCELLED = "cancelled", _("Abandonnée")


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionItem(models.Model):
    key = models.SlugField(max_length=80, unique=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("décidée lors de"), on_delete=models.PROTECT, related_name="actions"
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("suite de"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(_("action (français)"), max_length=300)
    title_ar = models.CharField(_("action (arabe)"), max_length=300, blank=True)
    title_en = models.CharField(_("action (anglais)"), max_length=300, blank=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("organisation responsable"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    indicator_id = models.CharField(_("indicateur visé"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("action de suivi")
        verbose_name_plural = _("actions de suivi")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ActionStatus]), name="action_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _in_language(self, "title")

    def is_overdue(self, today) -> bool:
        return self.status in OPEN_STATUSES and self.due_date is not None and self.due_date < today


class StatusUpdate(models.Model):
    """One change of a followed item's status, with who and why: the follow-up's history. A subclass
    names the item (`SUBJECT`, its foreign key with related_name "updates") and the status's choices."""

    SUBJECT = ""
    status: str
    at = models.DateTimeField(default=clock.now)
    note = models.TextField(_("commentaire"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{getattr(self, f'{self.SUBJECT}_id')}: {self.status}"


class ActionUpdate(StatusUpdate):
    """Each change of an action's state."""

    SUBJECT = "action"
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)


class Milestone(TitledDate, models.Model):
    """A dated event of the cooperation that is not a meeting of the Group (a declaration, a mission)."""

    key = models.SlugField(max_length=60, unique=True)
    date = models.DateField(_("date"))
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    title = models.CharField(_("intitulé (français)"), max_length=300)
    title_ar = models.CharField(_("intitulé (arabe)"), max_length=300, blank=True)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("jalon")
        ordering = ["date"]

    def __str__(self) -> str:
        return self.display_title


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("À mettre en œuvre")
    IN_PROGRESS = "in_progress", _("En cours")
    IMPLEMENTED = "implemented", _("Mise en œuvre")


class Recommendation(models.Model):
    """One itemised recommendation (e.g. of the April 2025 joint mission on identification and LPC issuance),
    tied to the shared indicators it should move, followed from its adoption."""

    key = models.SlugField(max_length=80, unique=True)
    number = models.PositiveSmallIntegerField(_("numéro"))
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("issue de"), on_delete=models.PROTECT, related_name="recommendations"
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("adoptée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    adopted_on = models.DateField(_("adoptée le"))
    text = models.TextField(_("texte (français)"))
    text_ar = models.TextField(_("texte (arabe)"), blank=True)
    text_en = models.TextField(_("texte (anglais)"), blank=True)
    indicator_ids = models.JSONField(_("indicateurs visés"), default=list)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("organisation responsable"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("état"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )

    class Meta:
        verbose_name = _("recommandation suivie")
        verbose_name_plural = _("recommandations suivies")
        ordering = ["milestone", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_text[:60]}"

    @property
    def display_text(self) -> str:
        return _in_language(self, "text")


class RecommendationUpdate(StatusUpdate):
    SUBJECT = "recommendation"
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices)


class CooperationAssessment(models.Model):
    """The Group's reading of one quarter: each side writes its reading beside the figures, both co-chairs
    sign. The first signature freezes the figures shown (ledger mark and instant) and the readings."""

    quarter = models.DateField(_("trimestre"), unique=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=clock.now)
    ledger_high_water = models.BigIntegerField(null=True, blank=True)
    figures_as_of = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("évaluation trimestrielle de la coopération")
        verbose_name_plural = _("évaluations trimestrielles de la coopération")
        ordering = ["-quarter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__day=1) & Q(quarter__month__in=[1, 4, 7, 10]),
                name="assessment_quarter_first_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quarter.year}Q{(self.quarter.month - 1) // 3 + 1}"

    @property
    def code(self) -> str:
        return str(self)


class AssessmentReading(models.Model):
    assessment = models.ForeignKey(CooperationAssessment, on_delete=models.CASCADE, related_name="readings")
    side = models.CharField(_("partie"), max_length=4, choices=Side.choices)
    text = models.TextField(_("lecture des chiffres"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=clock.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_as = models.CharField(_("signé au nom de"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("lecture d'une partie")
        ordering = ["side"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "side"], name="assessment_reading_once_per_side"),
            models.CheckConstraint(condition=Q(side__in=["FR", "MA"]), name="assessment_reading_side"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.side}"
