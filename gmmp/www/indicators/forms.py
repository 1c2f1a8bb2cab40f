import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gmmp.core import clock
from gmmp.indicators import periods
from gmmp.indicators.engine import BREAKDOWNS
from gmmp.organisations.enums import OrganisationKind
from gmmp.organisations.models import Departement, Organisation
from gmmp.www.forms import TextRulesMixin

BREAKDOWN_LABELS = {
    "none": _("Aucune"),
    "consulate": _("Consulat"),
    "prefecture": _("Préfecture"),
    "departement": _("Département"),
    "month": _("Mois"),
}

CUSTOM = "custom"


def period_choices(today: dt.date) -> list:
    """What the period picker offers: quarters (the one in progress first), months, years, or dates."""
    current = periods.current_quarter(today)
    quarters, q = [], current
    for _n in range(8):
        label = q.code
        if q == current:
            label = gettext("%(code)s (en cours, provisoire)") % {"code": q.code}
        quarters.append((q.code, label))
        q = q.previous()
    months, m = [], periods.month(today.year, today.month)
    for _n in range(12):
        label = f"{m.first_day:%m/%Y}"
        if m.first_day.month == today.month and m.first_day.year == today.year:
            label = gettext("%(month)s (en cours)") % {"month": label}
        months.append((m.code, label))
        m = m.previous()
    years = [(str(y), str(y)) for y in range(today.year, today.year - 3, -1)]
    return [
        (gettext("Trimestres"), quarters),
        (gettext("Mois"), months),
        (gettext("Années"), years),
        (gettext("Autre"), [(CUSTOM, gettext("Dates choisies (du … au …)"))]),
    ]


class DashboardForm(TextRulesMixin, forms.Form):
    period = forms.CharField(
        label=_("Période"),
        max_length=30,
        widget=forms.Select,
        help_text=_(
            "Un trimestre, un mois ou une année ; pour d'autres dates, choisir « Dates choisies » et "
            "remplir du … au …. Une période en cours donne des chiffres provisoires."
        ),
    )
    first_day = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    breakdown = forms.ChoiceField(
        label=_("Ventilation"), choices=[(b, BREAKDOWN_LABELS[b]) for b in BREAKDOWNS], required=False
    )
    consulate = forms.ChoiceField(label=_("Consulat"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        choices = period_choices(today)
        offered = {code for _group, items in choices for code, _label in items}
        asked = (self.data.get("period") or "").strip()
        if asked and asked not in offered:
            # A period reached by a link (an older quarter, a range): shown as chosen, not lost.
            try:
                choices.insert(0, (gettext("Choisie"), [(asked, periods.parse(asked).label)]))
            except periods.PeriodError:
                pass
        self.fields["period"].widget.choices = choices
        consulates = Organisation.objects.filter(kind=OrganisationKind.CONSULATE).order_by("name")
        self.fields["consulate"].choices = [("", _("Tous"))] + [(o.code, o.display_name) for o in consulates]
        self.fields["departement"].choices = [("", _("Tous"))] + [
            (d.code, str(d)) for d in Departement.objects.order_by("code")
        ]

    def clean(self):
        data = super().clean()
        text = (self.data.get("period") or "").strip()
        try:
            if text == CUSTOM:
                first, last = data.get("first_day"), data.get("last_day")
                if not first or not last:
                    raise periods.PeriodError(
                        gettext("Dates choisies : indiquer le premier et le dernier jour.")
                    )
                period = periods.custom(first, last)
            else:
                period = periods.parse(text)
        except periods.PeriodError as exc:
            self.add_error("period", str(exc))
            return data
        if periods.not_started(period, clock.today()):
            self.add_error(
                "period",
                gettext("La période %(period)s n'a pas encore commencé : aucun chiffre à montrer.")
                % {"period": period.label},
            )
            return data
        data["period"] = period
        return data

    def clean_breakdown(self):
        return self.cleaned_data.get("breakdown") or "none"
