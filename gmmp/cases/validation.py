"""Input checks shared by the web forms and the API schemas (the actions assume valid input).

Each check returns the problem as a translated sentence (or None), so that each layer reports it its own
way: a form error, or a 422 field detail in the API.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gmmp.core import clock

_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def partial_date_problem(value: str, *, today: dt.date | None = None) -> str | None:
    """None when `value` is '' or YYYY, YYYY-MM, YYYY-MM-DD naming a real day between 1900 and today."""
    if value == "":
        return None
    if not (value.isascii() and _PARTIAL.match(value)):
        return _("Date attendue : AAAA, AAAA-MM ou AAAA-MM-JJ (une année seule suffit).")
    parts = [int(p) for p in value.split("-")]
    year, month, day = parts + [1] * (3 - len(parts))
    try:
        first_day = dt.date(year, month, day)
    except ValueError:
        return _("Cette date n'existe pas dans le calendrier.")
    if year < 1900 or first_day > (today or clock.today()):
        return _("Date de naissance hors des limites plausibles (1900 à aujourd'hui).")
    return None


def partial_date_clean(value: str) -> str:
    """The web form's reading: also accepts the French habit JJ/MM/AAAA or MM/AAAA; raises ValidationError."""
    value = (value or "").strip()
    if "/" in value:
        parts = value.split("/")
        if all(p.isdigit() for p in parts):
            value = "-".join(p.zfill(2) for p in reversed(parts))
    problem = partial_date_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_partial_date")
    return value


def removal_dates_check(
    *, removal_order_date: dt.date | None, detention_start: dt.date | None, today: dt.date
) -> dict:
    """Field errors for the removal order and detention dates, as {field: message}."""
    errors = {}
    if removal_order_date and removal_order_date > today:
        errors["removal_order_date"] = _("La date de la mesure d'éloignement ne peut pas être dans le futur.")
    if detention_start:
        if detention_start > today:
            errors["detention_start"] = _("Le début de la rétention ne peut pas être dans le futur.")
        elif removal_order_date and detention_start < removal_order_date:
            errors["detention_start"] = _(
                "Le début de la rétention ne peut pas précéder la mesure d'éloignement."
            )
    return errors
