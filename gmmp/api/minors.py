"""/api/v1/minors: the protected track for the systems of the organisations involved.

A child's case is read only by the people named on it (404 for everyone else, like a missing case), each
read logged with channel "api". Steps go through the same forms as the pages (validation) and the same
actions (rules). The aggregates follow the small-cell rule ("< 5")."""

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict

from gmmp.core import clock
from gmmp.indicators import minors as minors_indicators
from gmmp.indicators import periods
from gmmp.indicators.access import may_read_indicators
from gmmp.minors import actions
from gmmp.minors.forms import ReferralForm, step_form
from gmmp.minors.perms import may_refer, user_sees_children
from gmmp.minors.selectors import minor_get_for_user, minor_list_for_user
from gmmp.minors.workflow import TRANSITIONS

from .auth import require_scope
from .errors import ApiError
from .schemas import READ_ERRORS, WRITE_ERRORS, one_of

router = Router(tags=["minors"])
READ, WRITE = "minors:read", "minors:write"


class ReferralIn(BaseModel):
    """The referral form's fields, as on the page (minors.forms.ReferralForm checks them)."""

    model_config = ConfigDict(extra="allow")


class StepIn(Schema):
    data: dict = {}
    document_name: str = ""
    document_base64: str = ""


def _invalid(form) -> ApiError:
    return ApiError(422, "invalid_input", _("Certaines données sont invalides."), form.errors.get_json_data())


def _out(case) -> dict:
    return {
        "reference": case.reference,
        "state": case.state,
        "state_label": str(case.get_state_display()),
        "consulate": case.consulate.code,
        "last_name": case.last_name,
        "first_names": case.first_names,
        "birth_date": case.birth_date,
        "birth_place": case.birth_place,
        "family_outcome": case.family_outcome,
        "age_conclusion": case.age_conclusion,
        "screening_result": case.screening_result,
        "recommendation": case.recommendation,
        "judicial_outcome": case.judicial_outcome,
        "handover_date": case.handover_date,
        "followup_3m_due": case.followup_3m_due,
        "followup_12m_due": case.followup_12m_due,
    }


@router.get(
    "/", response={200: list[dict], **READ_ERRORS}, summary="The children's cases the caller is named on"
)
def minor_list(request):
    require_scope(request, READ)
    if not user_sees_children(request.user):
        raise ApiError(403, "forbidden", _("Votre rôle ne donne pas accès aux dossiers des enfants."))
    return [
        {"reference": c.reference, "state": c.state, "last_name": c.last_name, "first_names": c.first_names}
        for c in minor_list_for_user(user=request.user, channel="api")
    ]


@router.get(
    "/figures",
    response={200: dict, **READ_ERRORS},
    summary="The track's indicators for a period (small-cell rule: any figure below 5 is '< 5')",
)
def minor_figures(
    request,
    period: str | None = Query(
        None, pattern=periods.PATTERN, description="2025Q1, 2025-03, 2025 or 2025-01-01..2025-03-31"
    ),
    breakdown: str = Query("none", pattern=one_of(minors_indicators.BREAKDOWNS)),
    lang: str = "fr",
):
    require_scope(request, "indicators:read")
    if not may_read_indicators(request.user):
        raise HttpError(
            403, _("Les indicateurs sont réservés aux administrations centrales et au secrétariat du GMMP.")
        )
    try:
        chosen = periods.parse(period) if period else periods.last_complete_quarter(clock.today())
        table = minors_indicators.compute(chosen, breakdown=breakdown)
    except periods.PeriodError as exc:
        raise ApiError(422, exc.code, str(exc)) from exc
    except minors_indicators.MinorsFilterError as exc:
        raise HttpError(422, str(exc)) from exc
    return table.as_dict(lang if lang in ("fr", "ar", "en") else "fr")


@router.post(
    "/",
    response={201: dict, **WRITE_ERRORS},
    summary="Refer a child (child welfare of the département or the juge des enfants)",
)
def minor_refer(request, payload: ReferralIn):
    require_scope(request, WRITE)
    allowed, why = may_refer(request.user)
    if not allowed:  # deny first: who may not refer learns nothing from the form's checks
        raise ApiError(403, "forbidden", why)
    form = ReferralForm(payload.model_dump())
    if not form.is_valid():
        raise _invalid(form)
    case = actions.minor_refer(user=request.user, data=form.domain_data())  # a Refused: the API's handler
    return Status(201, _out(case))


@router.get(
    "/{reference}",
    response={200: dict, **READ_ERRORS},
    summary="One child's case (named people only; the read is logged)",
)
def minor_detail(request, reference: str):
    require_scope(request, READ)
    return _out(minor_get_for_user(user=request.user, reference=reference, channel="api"))


@router.post(
    "/{reference}/steps/{name}",
    response={200: dict, **WRITE_ERRORS},
    summary="Take the next step of a child's case",
)
def minor_step(request, reference: str, name: str, payload: StepIn):
    require_scope(request, WRITE)
    case = minor_get_for_user(user=request.user, reference=reference, channel="api")
    if name not in TRANSITIONS:
        raise ApiError(404, "not_found", _("Étape inconnue."))
    prefix = name + "-"
    data = {prefix + k: v for k, v in payload.data.items()}
    files = {}
    if payload.document_base64:
        try:
            content = base64.b64decode(payload.document_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ApiError(422, "invalid_input", _("Le document n'est pas encodé en base64.")) from exc
        files[prefix + "document"] = SimpleUploadedFile(payload.document_name or "decision.pdf", content)
    form = step_form(name, data, files)
    if not form.is_valid():
        raise _invalid(form)
    case = actions.STEP_ACTIONS[name](case=case, user=request.user, **form.action_kwargs())
    return _out(case)
