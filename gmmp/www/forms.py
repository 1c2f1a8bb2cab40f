"""What the forms of the web layer share: fields and readings common with the API's input schemas, and
the handling of a posted form's action (`acted`)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gmmp.cases.validation import field_text_problem
from gmmp.core.errors import Refused


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


class InlineSelect(forms.Select):
    """Django's Select written without its templates: the same HTML as www/widgets/select.html (options
    inline) and Django's attrs.html. A template node per option cost ~30 µs: a national list's filters
    (~125 options) took 3.7 ms to render, now ~0.3 ms (bench/RESULTS.md, "Load, fifth pass"). One choice
    at a time, no option groups (anything else is rendered by Django)."""

    template_name = "www/widgets/select.html"

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _v, label in self.choices):
            return super().render(name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        out = [f'<select name="{escape(name)}"']
        for key, val in attrs.items():
            if val is not False:
                out.append(f" {key}" if val is True else f' {key}="{conditional_escape(val)}"')
        out.append(">")
        values = self.format_value(value)
        chosen = False
        for val, label in self.choices:
            selected = not chosen and str(val) in values
            chosen = chosen or selected
            out.append(
                f'\n  <option value="{conditional_escape(val)}"{" selected" if selected else ""}>{conditional_escape(label)}</option>'
            )
        out.append("\n</select>")
        return mark_safe("".join(out))


def acted(request, act: Callable[[], object], done: str) -> bool:
    """Run a posted form's action: its refusal is shown as an error, its success as `done`. Whether it was done."""
    try:
        act()
    except Refused as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True
