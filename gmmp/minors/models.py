"""The child's case, its documents and its own append-only ledger.

The child's personal data lives on `MinorCase` (erasable by retention); the ledger `MinorEvent` carries
only codes, dates and organisations, never a name or the child's words, so that the indicators and the
audit can read it without reading any personal data.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gmmp.cases.models import PARTIAL_DATE_RE, partial_date_validator
from gmmp.core import clock
from gmmp.core.ledger import ActorEvent
from gmmp.organisations.models import Departement, Organisation

from .enums import (
    AgeBasis,
    AgeConclusion,
    ChildSex,
    ClosureReason,
    FamilyOutcome,
    JudicialOutcome,
    MinorState,
    ReceivingKind,
    Recommendation,
    ScreeningResult,
)


class MinorCaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The children's cases whose personal data `user` may read: named officers and the judge only."""
        from .perms import minor_visibility_filter

        return self.filter(minor_visibility_filter(user))


def _user_fk(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


def _org_fk(verbose_name, related_name, null=False):
    return models.ForeignKey(
        Organisation,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        null=null,
        blank=null,
    )


class MinorCase(models.Model):
    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    state = models.CharField(
        _("état"), max_length=30, choices=MinorState.choices, default=MinorState.REFERRED
    )
    created_at = models.DateTimeField(_("signalé le"), default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    departement = models.ForeignKey(Departement, verbose_name=_("département"), on_delete=models.PROTECT)

    # The organisations involved and their named officers: only these people see the child's data.
    ase = _org_fk(_("aide sociale à l'enfance"), "minor_cases_ase")
    ase_officer = _user_fk(_("agent de l'ASE désigné"))
    court = _org_fk(_("tribunal pour enfants"), "minor_cases_court")
    judge = _user_fk(_("juge des enfants"))
    consulate = _org_fk(_("consulat"), "minor_cases_consulate")
    consulate_officer = _user_fk(_("référent protection de l'enfance du consulat"))
    child_services = _org_fk(_("services marocains de protection de l'enfance"), "minor_cases_services")
    child_services_officer = _user_fk(_("agent des services marocains désigné"))
    justice = _org_fk(_("ministère de la Justice (Maroc)"), "minor_cases_justice", null=True)
    justice_contact = _user_fk(_("correspondant du ministère de la Justice"))

    # The child, as referred
    last_name = models.CharField(_("nom"), max_length=100)
    first_names = models.CharField(_("prénom(s)"), max_length=150)
    sex = models.CharField(_("sexe"), max_length=1, choices=ChildSex.choices, default=ChildSex.UNKNOWN)
    birth_date = models.CharField(
        _("date de naissance déclarée"),
        max_length=10,
        blank=True,
        validators=[partial_date_validator],
        help_text=_("AAAA, AAAA-MM ou AAAA-MM-JJ : une année seule suffit."),
    )
    birth_place = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    father_first_name = models.CharField(_("prénom du père"), max_length=100, blank=True)
    mother_first_name = models.CharField(_("prénom de la mère"), max_length=100, blank=True)
    mother_last_name = models.CharField(_("nom de la mère"), max_length=100, blank=True)
    languages = models.CharField(_("langues parlées"), max_length=200, blank=True)
    placement = models.CharField(_("lieu de placement"), max_length=200, blank=True)
    circumstances = models.TextField(_("circonstances de la prise en charge"), blank=True)

    # Identification by the consulate
    register_national_id = models.CharField(_("identifiant au registre"), max_length=20, blank=True)
    identification_note = models.TextField(_("observations de l'identification"), blank=True)

    # Family tracing
    family_outcome = models.CharField(
        _("résultat de la recherche familiale"), max_length=20, choices=FamilyOutcome.choices, blank=True
    )
    father_register_id = models.CharField(_("père : identifiant au registre"), max_length=20, blank=True)
    mother_register_id = models.CharField(_("mère : identifiant au registre"), max_length=20, blank=True)
    family_contacts = models.TextField(_("contacts pris"), blank=True)

    # Age
    age_declared = models.PositiveSmallIntegerField(_("âge déclaré"), null=True, blank=True)
    age_documents = models.TextField(_("documents présentés"), blank=True)
    age_assessment = models.TextField(_("évaluation"), blank=True)
    age_basis = models.CharField(_("fondement"), max_length=20, choices=AgeBasis.choices, blank=True)
    age_conclusion = models.CharField(
        _("conclusion"), max_length=10, choices=AgeConclusion.choices, blank=True
    )

    # Vulnerability and trafficking screening
    vulnerabilities = models.JSONField(_("vulnérabilités"), default=list, blank=True)
    trafficking_indicators = models.JSONField(_("indices de traite"), default=list, blank=True)
    screening_result = models.CharField(
        _("résultat du repérage"), max_length=10, choices=ScreeningResult.choices, blank=True
    )
    screening_referral_service = models.CharField(_("service saisi"), max_length=200, blank=True)
    screening_referral_date = models.DateField(_("saisi le"), null=True, blank=True)
    screening_notes = models.TextField(_("observations du repérage"), blank=True)

    # Best-interests assessment, with the child's own view in the child's words and language
    child_view = models.TextField(_("avis de l'enfant, dans ses mots"), blank=True)
    child_view_language = models.CharField(_("langue de l'avis"), max_length=60, blank=True)
    recommendation = models.CharField(
        _("recommandation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    assessment_reasons = models.TextField(_("motifs de l'évaluation"), blank=True)

    # The judge's decision
    judicial_outcome = models.CharField(
        _("décision du juge"), max_length=10, choices=JudicialOutcome.choices, blank=True
    )
    decision_date = models.DateField(_("date de la décision"), null=True, blank=True)
    decision_reference = models.CharField(_("référence de la décision"), max_length=60, blank=True)

    # Who receives the child in Morocco (confirmed by the Moroccan side before any travel)
    receiving_kind = models.CharField(_("accueil"), max_length=20, choices=ReceivingKind.choices, blank=True)
    receiving_name = models.CharField(_("famille ou établissement"), max_length=200, blank=True)
    receiving_person = models.CharField(_("personne qui accueille"), max_length=150, blank=True)
    receiving_relation = models.CharField(_("lien avec l'enfant ou fonction"), max_length=100, blank=True)
    reception_confirmed_at = models.DateTimeField(_("accueil confirmé le"), null=True, blank=True)

    # Travel
    travel_document_number = models.CharField(_("numéro du document de voyage"), max_length=40, blank=True)
    travel_date = models.DateField(_("date du voyage"), null=True, blank=True)
    escort = models.CharField(_("escorte"), max_length=200, blank=True)

    # Hand-over, confirmed by the Moroccan side
    handover_date = models.DateField(_("date de la remise"), null=True, blank=True)
    handover_place = models.CharField(_("lieu de la remise"), max_length=200, blank=True)
    handover_person = models.CharField(_("personne qui a reçu l'enfant"), max_length=150, blank=True)

    # Follow-up after return
    followup_3m_due = models.DateField(_("suivi à 3 mois attendu le"), null=True, blank=True)
    followup_3m_received = models.DateField(_("suivi à 3 mois reçu le"), null=True, blank=True)
    followup_3m_content = models.TextField(_("suivi à 3 mois"), blank=True)
    followup_12m_due = models.DateField(_("suivi à 12 mois attendu le"), null=True, blank=True)
    followup_12m_received = models.DateField(_("suivi à 12 mois reçu le"), null=True, blank=True)
    followup_12m_content = models.TextField(_("suivi à 12 mois"), blank=True)

    closure_reason = models.CharField(
        _("motif de clôture"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    # Storage limitation (retention.py): when the child's personal data was erased.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    objects = MinorCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier de mineur non accompagné")
        verbose_name_plural = _("dossiers de mineurs non accompagnés")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "followup_3m_due"]),
            models.Index(fields=["consulate", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__regex=PARTIAL_DATE_RE) | Q(birth_date=""),
                name="minor_birth_date_partial",
            ),
            # No travel document without the judge's order to return and a confirmed receiving person.
            models.CheckConstraint(
                condition=Q(travel_document_number="")
                | (
                    Q(judicial_outcome="return")
                    & Q(reception_confirmed_at__isnull=False)
                    & ~Q(receiving_person="")
                ),
                name="minor_travel_needs_return_order_and_reception",
            ),
            # A hand-over names its date, place and receiving person.
            models.CheckConstraint(
                condition=Q(handover_date__isnull=True) | (~Q(handover_place="") & ~Q(handover_person="")),
                name="minor_handover_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_names}".strip()

    def followup_due(self, which: str) -> dt.date | None:
        return {"3m": self.followup_3m_due, "12m": self.followup_12m_due}[which]


class MinorDocument(models.Model):
    """A file of the child's case (the judge's decision), encrypted at rest, served only through checked views."""

    case = models.ForeignKey(MinorCase, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("nature"), max_length=30, default="judicial_decision")
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True, default=uuid.uuid4)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("document du dossier de mineur")
        verbose_name_plural = _("documents des dossiers de mineurs")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class MinorEvent(ActorEvent):
    """The protected track's ledger: one row per step, append-only, hash-chained per case (`core.ledger`).

    No personal data: codes (`reason`), non-identifying details, and snapshots of the organisations at the
    time of the event, which is all the indicators need. Actions never write a free-text comment here."""

    subject_field = "case"

    case = models.ForeignKey(MinorCase, on_delete=models.PROTECT, related_name="events")
    # Snapshots at the time of the event (the actor's organisation and side: core.ledger.ActorEvent)
    consulate = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    ase = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="minor_event_sequence_unique")
        ]
        indexes = [models.Index(fields=["kind", "at"])]

    @classmethod
    def snapshot(cls, subject, user) -> dict:
        return {
            **super().snapshot(subject, user),
            "consulate_id": subject.consulate_id,
            "ase_id": subject.ase_id,
        }

    def payload(self) -> dict:
        return {
            **super().payload(),
            "consulate": self.consulate_id,
            "ase": self.ase_id,
        }
