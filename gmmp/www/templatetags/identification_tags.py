from django import template
from django.utils.translation import gettext_lazy as _

from gmmp.identification import texts

register = template.Library()

FIELD_LABELS = {
    "first_name": _("Prénom(s)"),
    "last_name": _("Nom"),
    "sex": _("Sexe"),
    "birth_date": _("Date de naissance"),
    "birth_place": _("Lieu de naissance"),
    "father_first_name": _("Prénom du père"),
    "mother_first_name": _("Prénom de la mère"),
    "mother_last_name": _("Nom de la mère"),
}
OUTCOME_LABELS = {
    "exact": _("identique"),
    "variant": _("variante connue"),
    "fuzzy": _("proche"),
    "partial": _("partielle"),
    "disagree": _("différente"),
    "missing": _("inconnue"),
}


@register.filter
def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


@register.filter
def outcome_label(name: str) -> str:
    return OUTCOME_LABELS.get(name, name)


@register.filter
def note_text(explanation) -> str:
    """A field's note (an engine code with its arguments) in the page's language."""
    return texts.note_text(explanation.note, explanation.note_args)


@register.filter
def reason_text(code: str) -> str:
    return texts.reason_text(code)


@register.filter
def plain_reading(band: str) -> str:
    return texts.plain_reading(band)


@register.filter
def confidence_percent(confidence: float) -> int:
    return texts.confidence_percent(confidence)
