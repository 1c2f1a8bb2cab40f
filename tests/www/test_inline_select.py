"""The list filters' selects are written in Python (www.forms.InlineSelect) rather than through Django's
templates (a template node per option was most of a national list's filter form): the HTML is the same as
Django's, option for option, in every language, empty, bound, with a choice and with a wrong one."""

import pytest
from django import forms
from django.utils import translation

from gmmp.organisations.selectors import consulates, prefectures
from gmmp.www.cases.forms import CaseFilterForm


def _through_templates(form: CaseFilterForm) -> CaseFilterForm:
    """The same form with Django's Select and the inline-options template the filters used before."""
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField):
            widget = forms.Select(choices=field.choices)
            widget.template_name = "www/widgets/select.html"
            widget.is_required = field.required
            field.widget = widget
    return form


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"state": "routed"},
        {"state": "nope", "consulate": "CG-PARIS", "prefecture": "PREF-75", "q": "<b>x</b>"},
        {"consulate": "CG-LYON"},
    ],
)
@pytest.mark.parametrize("central", [False, True])
def test_the_filters_render_as_djangos_select_does(personas, lang, data, central):
    with translation.override(lang):
        form = CaseFilterForm(data, show_org_filters=central)
        reference = _through_templates(CaseFilterForm(data, show_org_filters=central))
        form.is_valid(), reference.is_valid()
        for ours, django_s in zip(form, reference, strict=True):
            assert str(ours) == str(django_s)
        if central:
            names = [label for _code, label in form.fields["consulate"].choices[1:]]
            assert names and names == [c.display_name for c in consulates()]
            names = [label for _code, label in form.fields["prefecture"].choices[1:]]
            assert names == [p.display_name for p in prefectures()]
            if data and data.get("consulate") == "CG-LYON":
                assert 'value="CG-LYON" selected' in str(form["consulate"])
