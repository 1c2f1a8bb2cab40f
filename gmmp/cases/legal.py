"""The person's legal situation as rules the actions, the forms and the API share (one place each).

- the adult track: a possible minor (age.py, read in the person's favour) is never filed here unless a
  contested age was established as adult on a recorded basis;
- duplicates: an open case for the same removal order, or the same names and complete birth date.
"""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from gmmp.core.models import PolicyKeys, policy_value

from . import age
from .enums import AgeFinding
from .workflow import OPEN

MINOR_CODE = "minor_in_adult_track"
DUPLICATE_CODE = "duplicate_request"


def adult_track_problem(*, birth_date: str, age_finding: str, on: dt.date) -> str | None:
    """Why this person cannot be in the adult track on `on` (a translated sentence), or None."""
    if age_finding == AgeFinding.MINOR:
        return _(
            "L'âge établi de cette personne est celui d'un mineur : elle relève du parcours protégé "
            "des mineurs, pas d'une mesure d'éloignement ni d'une rétention."
        )
    if age_finding == AgeFinding.ADULT:
        return None
    majority = policy_value(PolicyKeys.MAJORITY_AGE, on)
    if age.possibly_minor(birth_date, on, majority):
        return _(
            "D'après la date de naissance déclarée (%(birth)s), cette personne peut avoir moins de "
            "%(age)s ans au %(on)s : un mineur ne peut faire l'objet ni d'une mesure d'éloignement ni "
            "d'un placement en rétention. Orientez-la vers le parcours protégé des mineurs ; si son âge "
            "est contesté, indiquez sur quoi repose sa majorité (documents, évaluation, juge)."
        ) % {"birth": birth_date, "age": majority, "on": on.strftime("%d/%m/%Y")}
    return None


def duplicates_of(data: dict, *, exclude_pk: int | None = None):
    """Open cases for the same removal order reference, or the same names and birth date."""
    from .models import Case

    order = (data.get("removal_order_reference") or "").strip()
    same_order = Q(removal_order_reference__iexact=order) if order else Q(pk__in=[])
    names = Q(
        last_name__iexact=(data.get("last_name") or "").strip(),
        first_names__iexact=(data.get("first_names") or "").strip(),
    )
    birth = (data.get("birth_date") or "").strip()
    # The names with a complete birth date: a year (or year and month) alone is shared by too many
    # namesakes (Mohamed EL IDRISSI, 1994) to say it is the same person; the removal order still is.
    same_person = names & Q(birth_date=birth) if len(birth) == 10 else Q(pk__in=[])
    qs = Case.objects.filter(state__in=OPEN).exclude(state="draft").filter(same_order | same_person)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("prefecture").order_by("created_at")
