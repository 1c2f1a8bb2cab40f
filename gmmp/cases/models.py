import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Q, Value, When
from django.db.models.functions import Coalesce, Least, Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gmmp.core import clock
from gmmp.core.ledger import ActorEvent, AppendOnlyError
from gmmp.organisations.models import Organisation

from .enums import (
    AWAITING_CONSULATE,
    DETENTION_RELEVANT,
    AgeBasis,
    AgeFinding,
    CaseState,
    EvidenceCategory,
    EvidenceKind,
    InterviewMode,
    LegalEventKind,
    LegalOutcome,
    ReleaseCause,
    Sex,
)

PARTIAL_DATE_RE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
partial_date_validator = RegexValidator(PARTIAL_DATE_RE, _("Date attendue : AAAA, AAAA-MM ou AAAA-MM-JJ."))


# The default order of every case list (`selectors.case_list_for_user`): open cases (and drafts) before
# finished ones; among them the earliest date that matters — the consulate's reply due or the release
# date while it has to answer, the release date afterwards; no date sorts last. Generated columns: the
# database recomputes them on every write of state, reply_due or detention_end, whatever the path
# (the workflow runner, a deadline change, the admin, retention, bulk SQL), so they cannot drift, and
# the order is served by an index. Changing an expression means dropping and re-adding the column in a
# migration (`makemigrations --check` catches a change of the state groups).
URGENCY_FAR = dt.date(9999, 12, 31)
OPEN_RANK_SQL = SqlCase(
    When(state__in=sorted({*DETENTION_RELEVANT, CaseState.DRAFT}), then=Value(0)),
    default=Value(1),
)
URGENCY_DATE_SQL = SqlCase(
    When(
        state__in=sorted(AWAITING_CONSULATE),
        then=Least(
            Coalesce("detention_end", Value(URGENCY_FAR, output_field=models.DateField())),
            Coalesce("reply_due", Value(URGENCY_FAR, output_field=models.DateField())),
        ),
    ),
    When(
        state__in=sorted(DETENTION_RELEVANT),
        then=Coalesce("detention_end", Value(URGENCY_FAR, output_field=models.DateField())),
    ),
    default=Value(URGENCY_FAR, output_field=models.DateField()),
)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cases `user` may see; nothing for anyone not listed (denied by default)."""
        from .perms import case_visibility_filter

        return self.filter(case_visibility_filter(user))


class Case(models.Model):
    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    state = models.CharField(_("état"), max_length=30, choices=CaseState.choices, default=CaseState.DRAFT)
    prefecture = models.ForeignKey(
        Organisation, verbose_name=_("préfecture"), on_delete=models.PROTECT, related_name="filed_cases"
    )
    consulate = models.ForeignKey(
        Organisation,
        verbose_name=_("consulat"),
        on_delete=models.PROTECT,
        related_name="routed_cases",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("créée le"), default=clock.now)
    submitted_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    routed_at = models.DateTimeField(_("orientée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Identity as declared by the préfecture
    last_name = models.CharField(_("nom"), max_length=100)
    first_names = models.CharField(_("prénom(s)"), max_length=150)
    earlier_names = models.CharField(_("noms antérieurs"), max_length=200, blank=True)
    aliases = models.JSONField(_("alias"), default=list, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.CharField(
        _("date de naissance"),
        max_length=10,
        blank=True,
        validators=[partial_date_validator],
        help_text=_("AAAA, AAAA-MM ou AAAA-MM-JJ : une année seule suffit."),
    )
    birth_place = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    father_first_name = models.CharField(_("prénom du père"), max_length=100, blank=True)
    mother_first_name = models.CharField(_("prénom de la mère"), max_length=100, blank=True)
    mother_last_name = models.CharField(_("nom de la mère"), max_length=100, blank=True)
    nationality_claimed = models.CharField(_("nationalité déclarée"), max_length=60, blank=True)
    languages = models.CharField(_("langues parlées"), max_length=200, blank=True)
    civil_status = models.CharField(_("situation de famille"), max_length=60, blank=True)
    spouse_name = models.CharField(_("conjoint"), max_length=150, blank=True)
    physical_description = models.TextField(pgettext_lazy("description physique", "signalement"), blank=True)
    # A contested age: what was established against the declared birth date, on what basis (legal.py)
    age_finding = models.CharField(_("âge établi"), max_length=10, choices=AgeFinding.choices, blank=True)
    age_basis = models.CharField(
        _("fondement de l'âge établi"), max_length=20, choices=AgeBasis.choices, blank=True
    )
    age_reference = models.CharField(_("référence de la décision sur l'âge"), max_length=80, blank=True)
    age_decided_on = models.DateField(_("âge établi le"), null=True, blank=True)

    # The removal order and detention
    removal_order_reference = models.CharField(_("référence de la mesure d'éloignement"), max_length=60)
    removal_order_date = models.DateField(_("date de la mesure d'éloignement"))
    detention_start = models.DateField(_("début de la rétention"), null=True, blank=True)
    detention_place = models.ForeignKey(
        Organisation,
        verbose_name=_("lieu de rétention"),
        on_delete=models.PROTECT,
        related_name="detained_cases",
        null=True,
        blank=True,
    )
    # Derived in actions from detention_start and the rules in force (kept as columns to sort queues in SQL)
    detention_end = models.DateField(_("fin de rétention au plus tard"), null=True, blank=True)
    reply_due = models.DateField(_("réponse attendue le"), null=True, blank=True)
    reply_extended_at = models.DateTimeField(_("délai de réponse prorogé le"), null=True, blank=True)

    # The consulate's work
    interview_at = models.DateTimeField(_("audition le"), null=True, blank=True)
    interview_mode = models.CharField(
        _("modalité d'audition"), max_length=20, choices=InterviewMode.choices, blank=True
    )
    register_national_id = models.CharField(_("identifiant au registre"), max_length=20, blank=True)
    register_model_version = models.CharField(
        _("version du modèle d'identification"), max_length=40, blank=True
    )
    established_last_name = models.CharField(_("nom établi"), max_length=100, blank=True)
    established_first_names = models.CharField(_("prénom(s) établi(s)"), max_length=150, blank=True)
    established_birth_date = models.CharField(
        _("date de naissance établie"), max_length=10, blank=True, validators=[partial_date_validator]
    )
    established_birth_place = models.CharField(_("lieu de naissance établi"), max_length=120, blank=True)

    # Departure plan
    departure_date = models.DateField(_("date de départ"), null=True, blank=True)
    carrier = models.CharField(_("transporteur"), max_length=80, blank=True)
    transport_number = models.CharField(_("numéro de vol ou de traversée"), max_length=20, blank=True)
    departure_port = models.CharField(_("port ou aéroport de départ"), max_length=80, blank=True)
    arrival_port = models.CharField(_("port ou aéroport d'arrivée"), max_length=80, blank=True)
    escort = models.BooleanField(_("escorte"), default=False)
    departed_at = models.DateTimeField(_("départ effectif le"), null=True, blank=True)

    # Storage limitation (retention.py): what has been erased, and when
    class Retention(models.IntegerChoices):
        FULL = 0, _("Données complètes")
        CORE = 1, _("Données essentielles seulement")
        ANONYMOUS = 2, _("Données personnelles effacées")

    retention_stage = models.PositiveSmallIntegerField(
        _("conservation"), choices=Retention.choices, default=0
    )
    retention_changed_at = models.DateTimeField(null=True, blank=True)

    # The list order, kept by the database (URGENCY_DATE_SQL above); read-only.
    open_rank = models.GeneratedField(
        expression=OPEN_RANK_SQL, output_field=models.PositiveSmallIntegerField(), db_persist=True
    )
    urgency_date = models.GeneratedField(
        expression=URGENCY_DATE_SQL, output_field=models.DateField(), db_persist=True
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'identification")
        verbose_name_plural = _("demandes d'identification")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["consulate", "state"]),
            models.Index(fields=["prefecture", "state"]),
            models.Index(fields=["state", "detention_end"]),
            # The default list order: national lists, then the consulates' queues and the préfectures'
            # lists (the visibility filter first).
            models.Index(fields=["open_rank", "urgency_date", "created_at", "id"], name="case_urgency"),
            models.Index(
                fields=["consulate", "open_rank", "urgency_date", "created_at", "id"],
                name="case_consulate_urgency",
            ),
            models.Index(
                fields=["prefecture", "open_rank", "urgency_date", "created_at", "id"],
                name="case_prefecture_urgency",
            ),
            # The duplicate check at filing (legal.duplicates_of) compares case-insensitively: without these,
            # every filing read all the cases (40 ms at 100,000; bench/RESULTS.md, "Load, fourth pass").
            models.Index(Upper("removal_order_reference"), name="case_order_ref_upper"),
            models.Index(Upper("last_name"), "birth_date", name="case_last_name_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__regex=PARTIAL_DATE_RE) | Q(birth_date=""),
                name="case_birth_date_partial",
            ),
            models.CheckConstraint(
                # A draft or a request awaiting routing may be withdrawn (then closed) before any routing, and
                # a person may be released while their request still awaits routing.
                condition=Q(state__in=["draft", "submitted", "withdrawn", "closed", "released"])
                | Q(consulate__isnull=False),
                name="case_routed_has_consulate",
            ),
            models.CheckConstraint(
                condition=Q(detention_start__isnull=True)
                | Q(detention_start__gte=models.F("removal_order_date")),
                name="case_detention_after_order",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_names)


def full_name(last_name: str, first_names: str) -> str:
    """A person's name as the pages write it: family name in capitals, then the given names."""
    return f"{last_name.upper()} {first_names}".strip()


class Evidence(models.Model):
    """A file attached to a case, stored encrypted under the data directory, never served publicly."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    category = models.CharField(_("catégorie"), max_length=20, choices=EvidenceCategory.choices)
    kind = models.CharField(_("nature"), max_length=30, choices=EvidenceKind.choices)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True, default=uuid.uuid4)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class LegalEvent(models.Model):
    """One fact of the person's legal timeline, dated (the day of the decision or claim) with its reference.

    The detention clock (deadlines.detention_clock) reads these: the release date is the end of the period
    a judge actually authorised. Recorded through `actions.case_record_legal_event` (one ledger event each).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_events")
    kind = models.CharField(_("nature"), max_length=30, choices=LegalEventKind.choices)
    on = models.DateField(_("date"))
    reference = models.CharField(_("référence"), max_length=80, blank=True)
    extended_to = models.DateField(_("prolongée jusqu'au"), null=True, blank=True)
    suspensive = models.BooleanField(_("suspensif"), null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=30, choices=LegalOutcome.choices, blank=True)
    cause = models.CharField(
        _("cause de la libération"), max_length=20, choices=ReleaseCause.choices, blank=True
    )
    language = models.CharField(_("langue"), max_length=60, blank=True)
    counsel = models.CharField(_("avocat ou association"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("événement juridique")
        verbose_name_plural = _("événements juridiques")
        ordering = ["on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="extension_granted") | Q(extended_to__isnull=False),
                name="legal_extension_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind="appeal_lodged") | Q(suspensive__isnull=False),
                name="legal_appeal_says_suspensive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.on}"


# Kept for callers that catch it: the ledger refuses changes with the shared append-only error.
LedgerImmutableError = AppendOnlyError


class CaseEvent(ActorEvent):
    """One row per transition or significant change (kinds: `enums.EventKind`). Append-only and
    hash-chained per case (`core.ledger`).

    Indicators and the audit trail both read this table; it carries what they need at the time of the
    event (consulate, préfecture, detention end), so that figures never depend on later edits.
    """

    subject_field = "case"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")

    @classmethod
    def seal_comment(cls, subject, comment: str) -> str:
        # Free text may name people: encrypted with the case's key, destroyed at anonymisation.
        from .comments import comment_seal

        return comment_seal(case_id=subject.pk, text=comment)

    # Snapshots at the time of the event (the actor's organisation and side: core.ledger.ActorEvent)
    prefecture = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    consulate = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    detention_end = models.DateField(null=True)

    class Meta:
        ordering = ["case_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="case_event_sequence_unique")
        ]
        indexes = [
            # Indicators read the ledger by kind and period, and need nothing else from the row: every column their
            # filters and groupings use is in the key, so PostgreSQL answers from the index alone (index-only
            # scans; plain key columns rather than INCLUDE, which SQLite does not support).
            models.Index(
                fields=[
                    "kind",
                    "at",
                    "case",
                    "sequence",
                    "consulate",
                    "prefecture",
                    "to_state",
                    "reason",
                    "detention_end",
                    "id",
                ],
                name="caseevent_kind_at_cover",
            ),
            models.Index(fields=["consulate", "at"]),
        ]

    @classmethod
    def snapshot(cls, subject, user) -> dict:
        return {
            **super().snapshot(subject, user),
            "prefecture_id": subject.prefecture_id,
            "consulate_id": subject.consulate_id,
            "detention_end": subject.detention_end,
        }

    def payload(self) -> dict:
        # The same keys as before the shared base: the hashes of rows already written stay valid.
        return {
            **super().payload(),
            "prefecture": self.prefecture_id,
            "consulate": self.consulate_id,
            "detention_end": self.detention_end.isoformat() if self.detention_end else None,
        }


class CaseKey(models.Model):
    """The key of one case's ledger free text (cases/comments.py), wrapped with the file-encryption
    key; emptied when retention anonymises the case (crypto-shredding)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="+")
    wrapped = models.TextField(blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"key of case {self.case_id}{' (destroyed)' if self.destroyed_at else ''}"
