from django import forms
from django.utils.translation import gettext_lazy as _

from gmmp.mobility.enums import CheckKind, ComplaintOutcome, Housing, IrregularMeasure, StudyLevel, VisaPost
from gmmp.mobility.models import Employer

DATE = forms.DateInput(attrs={"type": "date"})  # each field gets its own copy (Field deep-copies it)


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=7, help_text=_("AAAA-MM"), **kwargs)


class VisaForm(forms.Form):
    month = MonthField(label=_("Mois"))
    post = forms.ChoiceField(label=_("Poste"), choices=VisaPost.choices)
    level = forms.ChoiceField(label=_("Niveau d'études"), choices=StudyLevel.choices)
    applications = forms.IntegerField(label=_("Demandes"), min_value=0)
    issued = forms.IntegerField(label=_("Visas délivrés"), min_value=0)
    refused = forms.IntegerField(label=_("Refus"), min_value=0)
    note = forms.CharField(label=_("Commentaire (correction)"), required=False, max_length=300)


class IrregularForm(forms.Form):
    quarter = forms.CharField(label=_("Trimestre"), max_length=7, help_text=_("par exemple 2025Q1"))
    side = forms.ChoiceField(label=_("Partie"), choices=[("FR", _("France")), ("MA", _("Maroc"))])
    measure = forms.ChoiceField(label=_("Mesure"), choices=IrregularMeasure.choices)
    value = forms.IntegerField(label=_("Valeur"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=300)
    note = forms.CharField(label=_("Commentaire (correction)"), required=False, max_length=300)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV"))


class DateForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contrôle"), choices=CheckKind.choices)
    checked_on = forms.DateField(label=_("Date du contrôle"), widget=forms.DateInput(attrs={"type": "date"}))
    compliant = forms.BooleanField(label=_("Conforme"), required=False)
    note = forms.CharField(label=_("Constat"), required=False, max_length=500)


class ComplaintForm(forms.Form):
    subject = forms.ChoiceField(label=_("Objet"), choices=CheckKind.choices)
    filed_on = forms.DateField(label=_("Déposée le"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("Résumé"), max_length=500)


class ComplaintCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Issue"), choices=ComplaintOutcome.choices)
    closed_on = forms.DateField(label=_("Close le"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Suite donnée"), required=False, max_length=500)


class ContractNewForm(forms.Form):
    """A season's contract; the worker's identity only when the ANAPEC reference is new (the action
    decides, the form only checks the shape)."""

    anapec_ref = forms.CharField(
        label=_("Référence ANAPEC"),
        max_length=20,
        help_text=_(
            "Un travailleur déjà venu est retrouvé par sa référence : son identité n'est pas à ressaisir."
        ),
    )
    last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Date de naissance"), required=False, widget=DATE)
    cin = forms.CharField(label=_("CIN"), max_length=12, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    employer = forms.ModelChoiceField(label=_("Employeur"), queryset=Employer.objects.order_by("name"))
    start_date = forms.DateField(label=_("Début du contrat"), widget=DATE)
    end_date = forms.DateField(label=_("Fin du contrat"), widget=DATE)
    monthly_wage = forms.DecimalField(
        label=_("Salaire mensuel brut (€)"), min_value=0.01, max_digits=8, decimal_places=2
    )
    housing = forms.ChoiceField(label=_("Logement"), choices=Housing.choices)

    IDENTITY = ("last_name", "first_name", "birth_date", "cin", "phone")
    CONTRACT = ("employer", "start_date", "end_date", "monthly_wage", "housing")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("La fin du contrat doit suivre son début."))
        return data
