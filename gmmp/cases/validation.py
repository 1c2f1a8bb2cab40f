"""Input checks shared by the web forms and the API schemas (the actions assume valid input)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def partial_date_clean(value: str) -> str:
    """'1990', '1990-05' or '1990-05-12' (a real calendar date); '' for unknown. Also accepts 12/05/1990."""
    value = (value or "").strip()
    if not value:
        return ""
    if "/" in value:  # French habit: JJ/MM/AAAA or MM/AAAA
        parts = value.split("/")
        value = "-".join(reversed(parts))
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            year = int(parts[0])
            dt.date(year, 1, 1)
        elif len(parts) == 2 and len(parts[0]) == 4:
            dt.date(int(parts[0]), int(parts[1]), 1)
            value = f"{int(parts[0]):04d}-{int(parts[1]):02d}"
        elif len(parts) == 3 and len(parts[0]) == 4:
            dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            value = f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
        else:
            raise ValueError
    except ValueError:
        raise ValidationError(
            _("Date de naissance invalide : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ (une année seule suffit)."),
            code="invalid_partial_date",
        ) from None
    if int(value[:4]) < 1900 or value[:4] > str(dt.date.today().year):
        raise ValidationError(_("L'année de naissance doit être comprise entre 1900 et aujourd'hui."), code="invalid_year")
    return value


def removal_dates_check(*, removal_order_date: dt.date | None, detention_start: dt.date | None, today: dt.date) -> dict:
    """Field errors for the removal order and detention dates, as {field: message}."""
    errors = {}
    if removal_order_date and removal_order_date > today:
        errors["removal_order_date"] = _("La date de la mesure d'éloignement ne peut pas être dans le futur.")
    if detention_start:
        if detention_start > today:
            errors["detention_start"] = _("Le début de la rétention ne peut pas être dans le futur.")
        elif removal_order_date and detention_start < removal_order_date:
            errors["detention_start"] = _("Le début de la rétention ne peut pas précéder la mesure d'éloignement.")
    return errors
