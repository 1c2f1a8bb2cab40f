from django import forms
from django.utils.translation import gettext_lazy as _

from gmmp.cases.enums import ReversalReason
from gmmp.cases.validation import partial_date_clean
from gmmp.identification.engine import Query
from gmmp.identification.engine.columns import QUERY_FIELDS
from gmmp.www.forms import TextRulesMixin, aliases_field, names_per_line


class RegisterSearchForm(TextRulesMixin, forms.Form):
    last_name = forms.CharField(label=_("Nom"), required=False)
    first_name = forms.CharField(label=_("Prénom(s)"), required=False)
    aliases = aliases_field()
    sex = forms.ChoiceField(
        label=_("Sexe"), required=False, choices=[("", "—"), ("M", _("Masculin")), ("F", _("Féminin"))]
    )
    birth_date = forms.CharField(
        label=_("Date de naissance"),
        required=False,
        help_text=_("AAAA, AAAA-MM ou AAAA-MM-JJ : une année seule suffit."),
    )
    birth_place = forms.CharField(label=_("Lieu de naissance"), required=False)
    father_first_name = forms.CharField(label=_("Prénom du père"), required=False)
    mother_first_name = forms.CharField(label=_("Prénom de la mère"), required=False)
    mother_last_name = forms.CharField(label=_("Nom de la mère"), required=False)

    def clean_birth_date(self):
        return partial_date_clean(self.cleaned_data["birth_date"])

    def clean(self):
        data = super().clean()
        if not any(
            data.get(f)
            for f in ("last_name", "first_name", "aliases", "father_first_name", "mother_last_name")
        ):
            raise forms.ValidationError(_("Indiquez au moins un nom, un alias ou le nom d'un parent."))
        return data

    def query(self) -> Query:
        d = self.cleaned_data
        return Query(**{f: d[f] for f in QUERY_FIELDS}, aliases=names_per_line(d["aliases"]))

    @classmethod
    def initial_from_query(cls, query: Query) -> dict:
        return {
            "last_name": query.last_name,
            "first_name": query.first_name,
            "aliases": "\n".join(query.aliases),
            "sex": query.sex,
            "birth_date": query.birth_date,
            "birth_place": query.birth_place,
            "father_first_name": query.father_first_name,
            "mother_first_name": query.mother_first_name,
            "mother_last_name": query.mother_last_name,
        }


class SecondConfirmForm(TextRulesMixin, forms.Form):
    comment = forms.CharField(label=_("Commentaire"), required=False, max_length=1000)


class ReverseIdentificationForm(TextRulesMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=ReversalReason.choices)
    comment = forms.CharField(label=_("Précisions"), required=False, max_length=1000)
