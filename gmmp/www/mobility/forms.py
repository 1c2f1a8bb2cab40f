from django import forms
from django.utils.translation import gettext_lazy as _

from gmmp.mobility.enums import CheckKind, ComplaintOutcome, IrregularMeasure, StudyLevel, VisaPost


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
