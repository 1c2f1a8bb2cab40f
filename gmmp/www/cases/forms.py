from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gmmp.cases import legal
from gmmp.cases.actions import IDENTITY_FIELDS, REQUEST_FIELDS
from gmmp.cases.enums import (
    RELEASING_KINDS,
    AgeBasis,
    AgeFinding,
    Decision,
    DepartureFailure,
    DepartureOutcome,
    EvidenceCategory,
    EvidenceKind,
    InterviewMode,
    LegalEventKind,
    LegalOutcome,
    ReleaseCause,
    WithdrawalReason,
)
from gmmp.cases.evidence import evidence_check
from gmmp.cases.models import Case
from gmmp.cases.validation import evidence_kind_problem, partial_date_clean, removal_dates_check
from gmmp.core import clock
from gmmp.organisations.enums import OrganisationKind
from gmmp.organisations.models import Organisation, localized_name
from gmmp.organisations.selectors import consulates
from gmmp.www.forms import InlineSelect, TextRulesMixin, aliases_field, names_per_line

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseForm(TextRulesMixin, forms.ModelForm):
    required_css_class = "required"  # the label of a required field carries the * (explained above the form)
    aliases = aliases_field()
    birth_date = forms.CharField(
        label=_("Date de naissance"),
        required=False,
        help_text=_("AAAA, AAAA-MM ou AAAA-MM-JJ : une année seule suffit."),
    )
    # A contested age: the person declares (or papers say) a minor's birth date, but their majority was
    # established. Without it, a possible minor cannot be filed here (legal.adult_track_problem).
    age_basis = forms.ChoiceField(
        label=_("Majorité établie malgré la date déclarée : sur quel fondement ?"),
        choices=[("", "—"), *AgeBasis.choices],
        required=False,
    )
    age_reference = forms.CharField(
        label=_("Référence de la décision sur l'âge"), required=False, max_length=80
    )
    age_decided_on = forms.DateField(label=_("Date de la décision sur l'âge"), required=False, widget=DATE)
    duplicate_reason = forms.CharField(
        label=_("Déposer quand même : pourquoi ?"),
        required=False,
        max_length=500,
        help_text=_("Seulement si une demande en cours existe déjà pour cette mesure ou cette personne."),
    )

    class Meta:
        model = Case
        fields = list(REQUEST_FIELDS)  # what a préfecture fills in, in the order of the form
        widgets = {
            "removal_order_date": DATE,
            "detention_start": DATE,
            "physical_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detention_place"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.CRA, is_active=True
        )
        self.fields["detention_place"].help_text = _("Laisser vide si la personne n'est pas en rétention.")
        if self.instance.pk and isinstance(self.instance.aliases, list):
            self.initial["aliases"] = "\n".join(self.instance.aliases)
        for name in ("last_name", "first_names"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if self.instance.pk and self.instance.age_basis:
            self.initial.update(
                age_basis=self.instance.age_basis,
                age_reference=self.instance.age_reference,
                age_decided_on=self.instance.age_decided_on,
            )
        self.minor_refused = False
        self.duplicates = []

    def clean_aliases(self):
        return names_per_line(self.cleaned_data["aliases"])

    def clean_birth_date(self):
        return partial_date_clean(self.cleaned_data["birth_date"])

    def clean(self):
        data = super().clean()
        for field, message in removal_dates_check(
            removal_order_date=data.get("removal_order_date"),
            detention_start=data.get("detention_start"),
            today=clock.today(),
        ).items():
            self.add_error(field, message)
        if data.get("age_basis") and not (data.get("age_reference") or "").strip():
            self.add_error("age_reference", _("Indiquez la référence du document ou de la décision."))
        if "birth_date" in data and not self.has_error("birth_date"):
            finding = AgeFinding.ADULT if data.get("age_basis") else ""
            days = [clock.today()] + ([data["detention_start"]] if data.get("detention_start") else [])
            for on in days:
                problem = legal.adult_track_problem(birth_date=data["birth_date"], age_finding=finding, on=on)
                if problem:
                    self.minor_refused = True
                    self.add_error("birth_date", problem)
                    break
        if data.get("removal_order_reference") and not self.errors:
            self.duplicates = list(legal.duplicates_of(data, exclude_pk=self.instance.pk))
            if self.duplicates and not (data.get("duplicate_reason") or "").strip():
                self.add_error(
                    "duplicate_reason",
                    _(
                        "Une demande en cours existe déjà pour cette mesure d'éloignement ou cette personne : "
                        "ouvrez-la, ou indiquez pourquoi en déposer une nouvelle."
                    ),
                )
        return data

    def domain_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def age_contest(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("age_basis"):
            return None
        return {
            "finding": AgeFinding.ADULT,
            "basis": d["age_basis"],
            "reference": d["age_reference"],
            "decided_on": d.get("age_decided_on"),
        }


class EvidenceForm(TextRulesMixin, forms.Form):
    required_css_class = "required"
    category = forms.ChoiceField(label=_("Catégorie"), choices=EvidenceCategory.choices)
    kind = forms.ChoiceField(label=_("Nature de la pièce"), choices=EvidenceKind.choices)
    file = forms.FileField(label=_("Fichier (PDF, JPEG ou PNG)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is said before the upload, not only after a refused one.
        self.fields["file"].help_text = _("PDF, JPEG ou PNG, %(max)s Mo au plus.") % {
            "max": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        }
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        )

    def ask_again(self, name: str) -> None:
        """The rest of the page had errors: a browser cannot keep a chosen file across a reload, so the
        file field says so plainly instead of coming back silently empty."""
        self.add_error(
            "file",
            _("Le fichier « %(name)s » n'a pas été conservé : choisissez-le à nouveau avant d'envoyer.")
            % {"name": name},
        )

    def clean(self):
        data = super().clean()
        problem = evidence_kind_problem(data.get("category", ""), data.get("kind", ""))
        if problem and data.get("file") is not None:
            self.add_error("kind", problem)
        upload = data.get("file")
        if upload is not None:
            data["file_name"] = upload.name
            try:
                data["content"], data["content_type"] = evidence_check(upload)
            except ValidationError as exc:
                self.add_error("file", exc)
        return data

    def evidence(self) -> dict:
        """The checked file as `evidence_add` (and `case_file`) take it."""
        data = self.cleaned_data
        return {
            "original_name": data["file_name"],
            "data": data["content"],
            **{key: data[key] for key in ("category", "kind", "content_type")},
        }


class OptionalEvidenceForm(EvidenceForm):
    """The evidence part of the new-request form: optional, but checked when given. `kept` is the file
    kept from an earlier submission of the same form (www/cases/pending.py), used when no new file comes."""

    required_css_class = ""

    def __init__(self, *args, kept: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
        self.kept = kept

    def clean(self):
        data = super().clean()
        if data.get("file") is None and self.kept is not None:
            problem = evidence_kind_problem(data.get("category", ""), data.get("kind", ""))
            if problem:
                self.add_error("kind", problem)
            data["content"], data["content_type"] = self.kept["content"], self.kept["content_type"]
            data["file_name"] = self.kept["name"]
        return data

    def evidence_if_any(self) -> dict | None:
        return self.evidence() if self.cleaned_data.get("content") else None


class TransitionForm(TextRulesMixin, forms.Form):
    """A transition with nothing to fill in; subclasses add fields and `action_kwargs()`."""

    needs_case: ClassVar[bool] = False  # built with `case=` (its choices or initial values depend on it)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CommentForm(TransitionForm):
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RouteForm(TransitionForm):
    consulate = forms.ModelChoiceField(label=_("Consulat"), queryset=Organisation.objects.none())
    comment = forms.CharField(label=_("Commentaire"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consulate"].queryset = consulates()


class RerouteForm(TransitionForm):
    consulate = forms.ModelChoiceField(label=_("Nouveau consulat"), queryset=Organisation.objects.none())
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consulate"].queryset = consulates()


class ScheduleInterviewForm(TransitionForm):
    at = forms.DateTimeField(
        label=_("Date et heure"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    mode = forms.ChoiceField(label=_("Modalité"), choices=InterviewMode.choices)
    comment = forms.CharField(label=_("Commentaire"), required=False)


class RequestInformationForm(TransitionForm):
    question = forms.CharField(label=_("Informations demandées"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerInformationForm(TransitionForm):
    answer = forms.CharField(label=_("Réponse"), widget=forms.Textarea(attrs={"rows": 3}))


def _register_band(case, national_id: str) -> str:
    if not national_id or case is None:
        return ""
    from gmmp.identification.services import register_band_for

    return register_band_for(case=case, national_id=national_id)


class DecideForm(TransitionForm):
    needs_case = True
    decision = forms.ChoiceField(label=_("Décision"), choices=Decision.choices, widget=forms.RadioSelect)
    established_last_name = forms.CharField(label=_("Nom établi"), required=False)
    established_first_names = forms.CharField(label=_("Prénom(s) établi(s)"), required=False)
    established_birth_date = forms.CharField(label=_("Date de naissance établie"), required=False)
    established_birth_place = forms.CharField(label=_("Lieu de naissance établi"), required=False)
    register_national_id = forms.CharField(label=_("Identifiant au registre"), required=False, max_length=20)
    register_model_version = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None and not self.is_bound:
            self.initial.update(
                established_last_name=case.last_name,
                established_first_names=case.first_names,
                established_birth_date=case.birth_date,
                established_birth_place=case.birth_place,
            )

    def clean_established_birth_date(self):
        return partial_date_clean(self.cleaned_data["established_birth_date"])

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.IDENTIFIED:
            for field in ("established_last_name", "established_first_names"):
                if not (data.get(field) or "").strip():
                    self.add_error(field, _("Indiquez l'identité établie de la personne."))
        return data

    def action_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "decision": d["decision"],
            "comment": d["comment"],
            "register_national_id": d["register_national_id"],
            "register_model_version": d["register_model_version"],
            # The band is the platform's reading of the register, never a field the browser sends.
            "register_band": _register_band(self.case, d["register_national_id"]),
            "established": {
                "last_name": d["established_last_name"],
                "first_names": d["established_first_names"],
                "birth_date": d["established_birth_date"],
                "birth_place": d["established_birth_place"],
            },
        }


class ScheduleDepartureForm(TransitionForm):
    departure_date = forms.DateField(label=_("Date de départ"), widget=DATE)
    carrier = forms.CharField(label=_("Transporteur"), max_length=80)
    transport_number = forms.CharField(label=_("Numéro de vol ou de traversée"), max_length=20)
    departure_port = forms.CharField(label=_("Port ou aéroport de départ"), max_length=80)
    arrival_port = forms.CharField(label=_("Port ou aéroport d'arrivée"), max_length=80)
    escort = forms.BooleanField(label=_("Escorte"), required=False)

    def clean_departure_date(self):
        value = self.cleaned_data["departure_date"]
        if value < clock.today():
            raise ValidationError(_("La date de départ ne peut pas être dans le passé."))
        return value


class RecordDepartureForm(TransitionForm):
    outcome = forms.ChoiceField(label=_("Issue"), choices=DepartureOutcome.choices, widget=forms.RadioSelect)
    departed_at = forms.DateTimeField(
        label=_("Date et heure effectives"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Quand le départ a eu lieu (ou a échoué)."),
    )
    correction_reason = forms.CharField(
        label=_("Motif de la correction"),
        required=False,
        max_length=500,
        help_text=_("Seulement si le départ a eu lieu avant la date programmée."),
    )
    failure_reason = forms.ChoiceField(
        label=_("Raison de l'échec"), choices=[("", "—"), *DepartureFailure.choices], required=False
    )
    comment = forms.CharField(label=_("Commentaire"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DepartureOutcome.FAILED and not data.get("failure_reason"):
            self.add_error("failure_reason", _("Indiquez la raison de l'échec du départ."))
        if data.get("outcome") == DepartureOutcome.DEPARTED:
            data["failure_reason"] = ""
        return data


class WithdrawForm(TransitionForm):
    reason = forms.ChoiceField(label=_("Motif"), choices=WithdrawalReason.choices)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssessAgeForm(TransitionForm):
    finding = forms.ChoiceField(label=_("Âge établi"), choices=AgeFinding.choices, widget=forms.RadioSelect)
    basis = forms.ChoiceField(label=_("Fondement"), choices=AgeBasis.choices)
    reference = forms.CharField(label=_("Référence du document ou de la décision"), max_length=80)
    decided_on = forms.DateField(label=_("Date de la décision"), required=False, widget=DATE)
    birth_date = forms.CharField(label=_("Date de naissance établie (facultatif)"), required=False)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_birth_date(self):
        return partial_date_clean(self.cleaned_data["birth_date"])


class LegalEventForm(TransitionForm):
    kind = forms.ChoiceField(
        label=_("Événement"),
        choices=[(k, label) for k, label in LegalEventKind.choices if k not in RELEASING_KINDS],
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    reference = forms.CharField(
        label=_("Référence"), required=False, max_length=80, help_text=_("Décision, recours ou demande.")
    )
    extended_to = forms.DateField(label=_("Rétention prolongée jusqu'au"), required=False, widget=DATE)
    suspensive = forms.TypedChoiceField(
        label=_("Recours suspensif"),
        choices=[("", "—"), ("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )
    outcome = forms.ChoiceField(label=_("Issue"), choices=[("", "—"), *LegalOutcome.choices], required=False)
    language = forms.CharField(label=_("Langue"), required=False, max_length=60)
    counsel = forms.CharField(label=_("Avocat ou association"), required=False, max_length=150)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReleaseForm(TransitionForm):
    kind = forms.ChoiceField(
        label=_("Libération"),
        choices=[(k, label) for k, label in LegalEventKind.choices if k in RELEASING_KINDS],
        initial=LegalEventKind.RELEASED,
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    reference = forms.CharField(label=_("Référence"), max_length=80)
    cause = forms.ChoiceField(
        label=_("Cause"),
        choices=[("", "—"), *ReleaseCause.choices],
        required=False,
        help_text=_("Une décision du juge (refus de prolongation, remise en liberté) a pour cause le juge."),
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResumeForm(TransitionForm):
    detention_start = forms.DateField(
        label=_("Nouveau placement en rétention le"),
        required=False,
        widget=DATE,
        help_text=_("Laisser vide si la personne n'est plus retenue."),
    )
    detention_place = forms.ModelChoiceField(
        label=_("Lieu de rétention"), queryset=Organisation.objects.none(), required=False
    )
    comment = forms.CharField(label=_("Commentaire"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detention_place"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.CRA, is_active=True
        )


class ExtendReplyDeadlineForm(TransitionForm):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))


class CorrectIdentityForm(TransitionForm):
    """The declared identity, pre-filled: only the fields changed are sent to the action."""

    needs_case = True
    reason = forms.CharField(label=_("Motif de la correction"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        model_fields = forms.models.fields_for_model(
            Case, fields=[f for f in IDENTITY_FIELDS if f != "aliases"]
        )
        for name, field in model_fields.items():
            field.required = name in ("last_name", "first_names")
            self.fields[name] = field
        self.fields["aliases"] = aliases_field()
        self.fields["reason"] = self.fields.pop("reason")  # last
        if case is not None and not self.is_bound:
            self.initial.update({f: getattr(case, f) for f in IDENTITY_FIELDS})
            self.initial["aliases"] = "\n".join(case.aliases or [])

    def clean_birth_date(self):
        return partial_date_clean(self.cleaned_data["birth_date"])

    def clean_aliases(self):
        return names_per_line(self.cleaned_data["aliases"])

    def action_kwargs(self) -> dict:
        d = self.cleaned_data
        changes = {f: d[f] for f in IDENTITY_FIELDS if self.case is None or getattr(self.case, f) != d[f]}
        return {"changes": changes, "reason": d["reason"]}


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    "submit": TransitionForm,
    "route": RouteForm,
    "reroute": RerouteForm,
    "schedule_interview": ScheduleInterviewForm,
    "request_information": RequestInformationForm,
    "answer_information": AnswerInformationForm,
    "decide": DecideForm,
    "schedule_departure": ScheduleDepartureForm,
    "record_departure": RecordDepartureForm,
    "confirm_readmission": CommentForm,
    "withdraw": WithdrawForm,
    "close": CommentForm,
    "assess_age": AssessAgeForm,
    "record_legal_event": LegalEventForm,
    "release": ReleaseForm,
    "resume": ResumeForm,
    "extend_reply_deadline": ExtendReplyDeadlineForm,
    "correct_identity": CorrectIdentityForm,
}
# issue_laissez_passer has its own page in the documents feature (photo, validity, PDF).


class CaseFilterForm(TextRulesMixin, forms.Form):
    q = forms.CharField(
        label=_("Recherche"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Référence, nom, mesure…")}),
    )
    state = forms.ChoiceField(label=_("État"), required=False, widget=InlineSelect)
    consulate = forms.ChoiceField(label=_("Consulat"), required=False, widget=InlineSelect)
    prefecture = forms.ChoiceField(label=_("Préfecture"), required=False, widget=InlineSelect)
    created_from = forms.DateField(label=_("Déposée depuis"), required=False, widget=DATE)
    created_to = forms.DateField(label=_("jusqu'au"), required=False, widget=DATE)

    def __init__(self, *args, show_org_filters=False, **kwargs):
        super().__init__(*args, **kwargs)
        from gmmp.cases.enums import CaseState
        from gmmp.organisations.selectors import prefectures

        self.fields["state"].choices = [("", _("Tous")), *CaseState.choices]
        if show_org_filters:
            # Codes and names only: ~120 organisations built as models took ~3 ms a page.
            names, lang = ("code", "name", "name_ar", "name_en"), (get_language() or "fr")[:2]
            self.fields["consulate"].choices = [
                ("", _("Tous")),
                *[(code, localized_name(*n, lang=lang)) for code, *n in consulates().values_list(*names)],
            ]
            self.fields["prefecture"].choices = [
                ("", _("Toutes")),
                *[(code, localized_name(*n, lang=lang)) for code, *n in prefectures().values_list(*names)],
            ]
        else:
            del self.fields["consulate"]
            del self.fields["prefecture"]
