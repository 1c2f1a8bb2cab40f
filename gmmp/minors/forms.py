"""Input of the protected track, shared by the pages and the API: the referral and one form per step.
They validate input; the rules (who, when, what must be recorded) are the actions'."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gmmp.cases.evidence import evidence_check
from gmmp.cases.validation import partial_date_clean
from gmmp.core import clock

from .actions import REFERRAL_FIELDS
from .enums import (
    AgeBasis,
    AgeConclusion,
    ClosureReason,
    FamilyOutcome,
    JudicialOutcome,
    ReceivingKind,
    Recommendation,
    ScreeningResult,
    TraffickingIndicator,
    Vulnerability,
)
from .models import MinorCase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(value):
    if value and value > clock.today():
        raise ValidationError(_("La date ne peut pas être dans le futur."))
    return value


class ReferralForm(forms.ModelForm):
    birth_date = forms.CharField(
        label=_("Date de naissance déclarée"),
        required=False,
        help_text=_("AAAA, AAAA-MM ou AAAA-MM-JJ : une année seule suffit."),
    )

    class Meta:
        model = MinorCase
        fields = list(REFERRAL_FIELDS)
        widgets = {"circumstances": forms.Textarea(attrs={"rows": 3})}

    def clean_birth_date(self):
        return partial_date_clean(self.cleaned_data["birth_date"])

    def domain_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StepForm(forms.Form):
    """A step's form: by default its cleaned data are the step's keywords."""

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class IdentifyForm(StepForm):
    identified = forms.TypedChoiceField(
        label=_("Résultat"),
        choices=[("yes", _("Enfant identifié comme ressortissant marocain")), ("no", _("Non identifié"))],
        coerce=lambda v: v == "yes",
    )
    register_national_id = forms.CharField(
        label=_("Identifiant au registre"),
        required=False,
        max_length=20,
        help_text=_(
            "Choisi parmi les candidats du registre recherchés par les noms de l'enfant et de ses parents."
        ),
    )
    note = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("identified") and not data.get("register_national_id"):
            self.add_error(
                "register_national_id", _("Indiquez l'identifiant au registre de l'enfant identifié.")
            )
        return data


class TraceFamilyForm(StepForm):
    outcome = forms.ChoiceField(label=_("Résultat"), choices=FamilyOutcome.choices)
    father_register_id = forms.CharField(
        label=_("Père : identifiant au registre"), required=False, max_length=20
    )
    mother_register_id = forms.CharField(
        label=_("Mère : identifiant au registre"), required=False, max_length=20
    )
    contacts = forms.CharField(label=_("Contacts pris"), widget=forms.Textarea(attrs={"rows": 3}))


class AgeForm(StepForm):
    age_declared = forms.IntegerField(label=_("Âge déclaré"), required=False, min_value=0, max_value=25)
    documents = forms.CharField(
        label=_("Documents présentés"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    assessment = forms.CharField(label=_("Évaluation"), widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.ChoiceField(label=_("Fondement"), choices=AgeBasis.choices)
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=AgeConclusion.choices)


class ScreeningForm(StepForm):
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnérabilités"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trafficking_indicators = forms.MultipleChoiceField(
        label=_("Indices de traite"),
        choices=TraffickingIndicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    result = forms.ChoiceField(label=_("Résultat du repérage"), choices=ScreeningResult.choices)
    referral_service = forms.CharField(
        label=_("Service compétent saisi"),
        required=False,
        max_length=200,
        help_text=_("Obligatoire si le repérage est positif."),
    )
    referral_date = forms.DateField(
        label=_("Saisi le"), required=False, widget=DATE, validators=[_not_future]
    )
    notes = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("result") == ScreeningResult.POSITIVE:
            if not data.get("referral_service"):
                self.add_error(
                    "referral_service", _("Un repérage positif indique le service compétent saisi.")
                )
            if not data.get("referral_date"):
                self.add_error(
                    "referral_date", _("Un repérage positif indique la date de saisine du service compétent.")
                )
        return data


class BestInterestsForm(StepForm):
    child_view = forms.CharField(
        label=_("Avis de l'enfant, dans ses propres mots"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Tel que l'enfant l'a dit, dans sa langue ; ne pas résumer ni traduire ici."),
    )
    child_view_language = forms.CharField(label=_("Langue de l'avis"), max_length=60)
    recommendation = forms.ChoiceField(label=_("Recommandation"), choices=Recommendation.choices)
    reasons = forms.CharField(label=_("Motifs"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StepForm):
    outcome = forms.ChoiceField(label=_("Décision"), choices=JudicialOutcome.choices)
    decision_date = forms.DateField(label=_("Date de la décision"), widget=DATE, validators=[_not_future])
    decision_reference = forms.CharField(label=_("Référence de la décision"), max_length=60)
    document = forms.FileField(label=_("Décision (PDF, JPEG ou PNG)"))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        data, content_type = evidence_check(upload)
        self.document = (upload.name, data, content_type)
        return upload

    def action_kwargs(self):
        name, data, content_type = self.document
        return {
            "outcome": self.cleaned_data["outcome"],
            "decision_date": self.cleaned_data["decision_date"],
            "decision_reference": self.cleaned_data["decision_reference"],
            "document_name": name,
            "document_data": data,
            "document_content_type": content_type,
        }


class ReceptionForm(StepForm):
    receiving_kind = forms.ChoiceField(label=_("Type d'accueil"), choices=ReceivingKind.choices)
    receiving_name = forms.CharField(label=_("Famille ou établissement"), max_length=200)
    receiving_person = forms.CharField(label=_("Personne qui accueillera l'enfant"), max_length=150)
    receiving_relation = forms.CharField(
        label=_("Lien avec l'enfant ou fonction"), max_length=100, required=False
    )


class TravelForm(StepForm):
    number = forms.CharField(label=_("Numéro du document de voyage"), max_length=40)
    travel_date = forms.DateField(label=_("Date du voyage"), widget=DATE)
    escort = forms.CharField(label=_("Escorte (personne et organisme)"), max_length=200)


class HandoverForm(StepForm):
    handover_date = forms.DateField(label=_("Date de la remise"), widget=DATE, validators=[_not_future])
    place = forms.CharField(label=_("Lieu de la remise"), max_length=200)
    person = forms.CharField(label=_("Personne qui a reçu l'enfant"), max_length=150)


class FollowUpForm(StepForm):
    received_on = forms.DateField(label=_("Rapport reçu le"), widget=DATE, validators=[_not_future])
    content = forms.CharField(label=_("Contenu du rapport"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, which: str = "3m", **kwargs):
        super().__init__(*args, **kwargs)
        self.which = which

    def action_kwargs(self):
        return {"which": self.which, **self.cleaned_data}


class CloseForm(StepForm):
    reason = forms.ChoiceField(label=_("Motif"), choices=ClosureReason.choices)


STEP_FORMS = {
    "identify": IdentifyForm,
    "trace_family": TraceFamilyForm,
    "assess_age": AgeForm,
    "screen": ScreeningForm,
    "assess_best_interests": BestInterestsForm,
    "decide": DecisionForm,
    "confirm_reception": ReceptionForm,
    "issue_travel_document": TravelForm,
    "confirm_handover": HandoverForm,
    "record_followup_3m": FollowUpForm,
    "record_followup_12m": FollowUpForm,
    "close": CloseForm,
}


def step_form(name: str, data=None, files=None):
    """The form of step `name`, its fields prefixed by the step's name (several forms share a page)."""
    kwargs: dict[str, Any] = {"prefix": name}
    if name.startswith("record_followup_"):
        kwargs["which"] = name.removeprefix("record_followup_")
    return STEP_FORMS[name](data, files, **kwargs)
