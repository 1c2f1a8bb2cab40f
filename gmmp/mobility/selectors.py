"""Every read of the seasonal programme's personal data, scoped to the programme's officers and logged
(`audit.AccessLog`). Aggregates are read through the indicators (gmmp.mobility.indicators)."""

from django.db.models import Prefetch

from gmmp.audit.services import access_log_record

from . import perms
from .models import Complaint, IrregularFigure, RightsCheck, SeasonalContract, StudentVisaFigure


def contracts_visible_to(user):
    return SeasonalContract.objects.filter(perms.contract_visibility_filter(user))


def contract_list_for_user(*, user, status: str = "", season: int | None = None, channel: str = "web"):
    """Contracts with their worker and employer; logged as one list read (count, filters, never names)."""
    qs = (
        contracts_visible_to(user)
        .select_related("worker", "employer", "departement")
        .order_by("-start_date", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    if season:
        qs = qs.filter(season=season)
    if perms.may_see_workers(user):
        access_log_record(
            user=user,
            action="list",
            object_type="seasonal_contract",
            channel=channel,
            detail={"status": status, "season": season, "count": qs.count()},
        )
    return qs


def contract_get_for_user(*, user, pk: int, channel: str = "web") -> SeasonalContract | None:
    """None for a missing contract and for one the user may not see alike (the caller answers 404)."""
    contract = (
        contracts_visible_to(user)
        .select_related("worker", "employer", "departement")
        .prefetch_related(
            Prefetch("checks", queryset=RightsCheck.objects.select_related("by", "organisation")),
            Prefetch("complaints", queryset=Complaint.objects.select_related("filed_by_organisation")),
            "events",
        )
        .filter(pk=pk)
        .first()
    )
    if contract is not None:
        access_log_record(
            user=user, action="view", object_type="seasonal_contract", object_id=contract.pk, channel=channel
        )
    return contract


def visa_figures_history(*, month=None, post: str = "", level: str = ""):
    """Aggregates (no personal data): every version, the one in force first."""
    qs = StudentVisaFigure.objects.all()
    if month:
        qs = qs.filter(month=month)
    if post:
        qs = qs.filter(post=post)
    if level:
        qs = qs.filter(level=level)
    return qs.select_related("recorded_by").order_by("-month", "post", "level", "-recorded_at")


def irregular_figures(*, quarter=None, current_only: bool = False):
    qs = IrregularFigure.objects.select_related("recorded_by").order_by(
        "-quarter", "side", "measure", "-recorded_at"
    )
    if quarter:
        qs = qs.filter(quarter=quarter)
    if current_only:
        qs = qs.current()
    return qs
