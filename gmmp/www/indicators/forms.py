from django import forms
from django.utils.translation import gettext_lazy as _

from gmmp.indicators import periods
from gmmp.indicators.engine import BREAKDOWNS
from gmmp.organisations.enums import OrganisationKind
from gmmp.organisations.models import Departement, Organisation

BREAKDOWN_LABELS = {
    "none": _("Aucune"),
    "consulate": _("Consulat"),
    "prefecture": _("Préfecture"),
    "departement": _("Département"),
    "month": _("Mois"),
}


class DashboardForm(forms.Form):
    period = forms.CharField(
        label=_("Période"),
        max_length=30,
        help_text=_("Trimestre 2025Q1, mois 2025-03, année 2025 ou dates 2025-01-01..2025-02-15"),
    )
    breakdown = forms.ChoiceField(
        label=_("Ventilation"), choices=[(b, BREAKDOWN_LABELS[b]) for b in BREAKDOWNS], required=False
    )
    consulate = forms.ChoiceField(label=_("Consulat"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consulates = Organisation.objects.filter(kind=OrganisationKind.CONSULATE).order_by("name")
        self.fields["consulate"].choices = [("", _("Tous"))] + [(o.code, o.display_name) for o in consulates]
        self.fields["departement"].choices = [("", _("Tous"))] + [
            (d.code, str(d)) for d in Departement.objects.order_by("code")
        ]

    def clean_period(self):
        try:
            return periods.parse(self.cleaned_data["period"])
        except periods.PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_breakdown(self):
        return self.cleaned_data.get("breakdown") or "none"
