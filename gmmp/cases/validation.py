"""Input checks shared by the web forms and the API schemas (the actions assume valid input).

Each check returns the problem as a translated sentence (or None), so that each layer reports it its own
way: a form error, or a 422 field detail in the API.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gmmp.core import clock, dateformats
from gmmp.core.text import name_problem, text_pattern, text_problem

_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# The same rule as a JSON-schema pattern (the API states it): a year from 1900 (to 2099), a month, or a
# day that exists. "Not after today" is left to the check: a schema does not move with the calendar.
# Equivalence with `partial_date_problem`: tests/cases/test_partial_date_pattern.py.
PARTIAL_DATE_PATTERN = f"(?:{dateformats.YEAR}(?:-{dateformats.MONTH})?|{dateformats.DAY})"


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


def partial_date_in_future(value: str) -> bool:
    """True when `value` is a well-formed partial date refused only for being after today."""
    return partial_date_problem(value) is not None and partial_date_problem(value, today=dt.date.max) is None


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
    elif removal_order_date and removal_order_date < EARLIEST_RECORD_DATE:
        errors["removal_order_date"] = _("Date de la mesure d'éloignement invraisemblable (avant 1990).")
    if detention_start:
        if detention_start < EARLIEST_RECORD_DATE:
            errors["detention_start"] = _("Date de début de rétention invraisemblable (avant 1990).")
        elif detention_start > today:
            errors["detention_start"] = _("Le début de la rétention ne peut pas être dans le futur.")
        elif removal_order_date and detention_start < removal_order_date:
            errors["detention_start"] = _(
                "Le début de la rétention ne peut pas précéder la mesure d'éloignement."
            )
    return errors


# Fields that hold a person's name: clean text with at least one letter (gmmp.core.text).
NAME_FIELDS = frozenset(
    {
        "last_name",
        "first_names",
        "earlier_names",
        "aliases",
        "father_first_name",
        "mother_first_name",
        "mother_last_name",
        "spouse_name",
        "established_last_name",
        "established_first_names",
        "holder_last_name",
        "holder_first_names",
        "holder_name_ar",
    }
)

# No record of this platform predates it by decades: a removal order or a detention dated earlier is
# a typing error (0001-01-01 is what an empty date picker sends).
EARLIEST_RECORD_DATE = dt.date(1990, 1, 1)


def field_text_problem(field: str, value: str) -> str | None:
    """The rule for any text field, web or API: names need a letter; all text must be clean."""
    return name_problem(value) if field in NAME_FIELDS else text_problem(value)


def field_text_pattern(field: str, *, required: bool) -> str:
    """The same rule as a JSON-schema `pattern` (the API's schemas state it; gmmp.core.text)."""
    return text_pattern(required=required, name=field in NAME_FIELDS)


def evidence_kind_problem(category: str, kind: str) -> str | None:
    """A proof of nationality is a passport or a CNIE (the indicators count proofs); a photograph is
    filed as one. Shared by the evidence form and the API."""
    from .enums import PROOF_KINDS, EvidenceCategory, EvidenceKind

    if category == EvidenceCategory.PROOF and kind not in PROOF_KINDS:
        return _("Une preuve de nationalité est un passeport ou une CNIE, valide ou périmé.")
    if (category == EvidenceCategory.PHOTO) != (kind == EvidenceKind.PHOTO):
        return _("Une photographie se classe dans la catégorie « Photographie ».")
    return None
