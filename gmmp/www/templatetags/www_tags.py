from django import template

from gmmp.organisations.models import TimeZone

register = template.Library()


@register.filter
def zone_label(name) -> str:
    """A time zone as people name it ("Maroc (heure de Casablanca)"), in the reader's language."""
    name = str(name)
    return str(TimeZone(name).label) if name in TimeZone.values else name


@register.simple_tag
def colon() -> str:
    """The colon after a label, as each language writes it: French puts a space before it, English and
    Arabic do not (the pages read "Reason : …" in English)."""
    from django.utils.translation import get_language

    return " : " if (get_language() or "fr").startswith("fr") else ": "
