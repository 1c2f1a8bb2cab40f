import datetime as dt

from .enums import OrganisationKind
from .models import Jurisdiction, Organisation


def consulate_competent_for(*, departement_id: int | None, on: dt.date) -> Organisation | None:
    row = (
        Jurisdiction.objects.in_force_on(on)
        .filter(departement_id=departement_id, consulate__is_active=True)
        .select_related("consulate")
        .order_by("-valid_from")
        .first()
    )
    return row.consulate if row else None


def consulates():
    return Organisation.objects.filter(kind=OrganisationKind.CONSULATE, is_active=True).order_by("name")


def prefectures():
    return Organisation.objects.filter(kind=OrganisationKind.PREFECTURE, is_active=True).order_by(
        "departement__code"
    )
