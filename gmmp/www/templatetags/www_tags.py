from django import template

from gmmp.organisations.models import TimeZone

register = template.Library()


@register.filter
def zone_label(name) -> str:
    """A time zone as people name it ("Maroc (heure de Casablanca)"), in the reader's language."""
    name = str(name)
    return str(TimeZone(name).label) if name in TimeZone.values else name
