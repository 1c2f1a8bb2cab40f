"""What every form of the web layer shares with the API's input schemas."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gmmp.cases.validation import field_text_problem


def aliases_field() -> forms.CharField:
    """The other full names a person is known by, typed one per line (`names_per_line` reads them)."""
    return forms.CharField(
        label=_("Alias"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Un nom complet par ligne."),
    )


def names_per_line(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class TextRulesMixin:
    """Every text a form accepts is held to the shared rules (gmmp.core.text through
    cases.validation.field_text_problem): no control or bidi character, nothing invisible-only, a
    letter in a name. The API's schemas apply the same function (api/schemas.Strict)."""

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            for item in value if isinstance(value, list | tuple) else [value]:
                problem = field_text_problem(name, item) if isinstance(item, str) else None
                if problem:
                    self.add_error(name, problem)
                    break
