"""What every form of the web layer shares with the API's input schemas."""

from gmmp.cases.validation import field_text_problem


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
