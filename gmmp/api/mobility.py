"""/api/v1/mobility: legal mobility and irregular migration. Indicators (aggregates) for whoever reads the
shared indicators; figures recorded by the services entitled to; the seasonal programme's contracts (personal
data) for OFII and ANAPEC officers only, every read logged."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from gmmp.core import clock
from gmmp.indicators import definitions, domains, periods
from gmmp.indicators.access import may_read_indicators
from gmmp.mobility import actions, imports, perms
from gmmp.mobility.enums import Housing, IrregularMeasure, StudyLevel, VisaPost
from gmmp.mobility.models import Employer
from gmmp.mobility.selectors import contract_get_for_user, contract_list_for_user

from . import schemas as s
from .auth import require_scope
from .errors import ApiError

router = Router(tags=["mobility"])
E = s.ErrorOut
READ, WRITE, PERSONAL = "indicators:read", "mobility:write", "mobility:read"


def _lang(lang: str | None) -> str:
    return lang if lang in definitions.LANGS else "fr"


@router.get(
    "/figures/{set_id}",
    response={200: dict, **s.READ_ERRORS},
    summary="A theme's indicators (students, seasonal, irregular) for a period, with a breakdown",
)
def set_figures(
    request,
    set_id: str,
    period: str | None = Query(
        None, pattern=periods.PATTERN, description="2025Q1, 2025-03, 2025 or 2025-01-01..2025-03-31"
    ),
    breakdown: str = Query(
        "none",
        pattern=s.one_of(domains.all_breakdowns()),
        description="Each theme offers its own.",
    ),
    lang: str | None = None,
):
    require_scope(request, READ)
    if not may_read_indicators(request.user):
        raise HttpError(
            403, _("Les indicateurs sont réservés aux administrations centrales et au secrétariat du GMMP.")
        )
    if set_id not in domains.SETS:
        raise HttpError(404, _("Thème inconnu."))
    try:
        chosen = periods.parse(period) if period else periods.last_complete_quarter(clock.today())
        return domains.compute_set(set_id, chosen, breakdown=breakdown, lang=_lang(lang)).as_dict(_lang(lang))
    except periods.PeriodError as exc:
        raise ApiError(422, exc.code, str(exc)) from exc
    except domains.UnknownBreakdown as exc:  # offered by another theme: the path and the query disagree
        raise ApiError(422, "breakdown_not_in_set", str(exc)) from exc


class VisaIn(s.Strict):
    month: str = Field(pattern=f"^{imports.MONTH_PATTERN}$", description="YYYY-MM, begun")
    post: VisaPost
    level: StudyLevel
    applications: s.WholeNumber = Field(ge=0, le=s.COUNT_MAX)
    issued: s.WholeNumber = Field(ge=0, le=s.COUNT_MAX)
    refused: s.WholeNumber = Field(ge=0, le=s.COUNT_MAX)
    note: Annotated[str, s.Text(300)] = ""


class IrregularIn(s.Strict):
    quarter: str = Field(pattern=f"^{imports.QUARTER_PATTERN}$", description="2025Q1, begun")
    side: Literal["FR", "MA"]
    measure: IrregularMeasure
    value: s.WholeNumber = Field(ge=0, le=s.COUNT_MAX)
    source: Annotated[str, s.Text(300, required=True)]
    note: Annotated[str, s.Text(300)] = ""


class RecordedOut(Schema):
    id: int
    outcome: str  # created | corrected | unchanged
    previous_id: int | None = None


class ImportOut(Schema):
    rows: int
    created: int
    corrected: int
    unchanged: int
    rejects: list[dict]


def _figure_record(request, payload: Schema, record, key: str, parse) -> Status:
    """A figure recorded or corrected; `key` (the month, the quarter) is read by `parse` (422 when it cannot)."""
    require_scope(request, WRITE)
    try:
        when = parse(getattr(payload, key))
    except ValueError as exc:
        raise ApiError(422, "invalid", str(exc)) from exc
    row, outcome = record(user=request.user, **{key: when}, **payload.model_dump(exclude={key}))
    return Status(201, RecordedOut(id=row.pk, outcome=outcome, previous_id=row.previous_id))


@router.post(
    "/visas",
    response={201: RecordedOut, **s.WRITE_ERRORS},
    summary="Record or correct a month's student visa figures",
)
def visa_record(request, payload: VisaIn):
    return _figure_record(request, payload, actions.visa_figure_record, "month", imports._month)


@router.post(
    "/irregular",
    response={201: RecordedOut, **s.WRITE_ERRORS},
    summary="Record or correct a side's quarterly figure",
)
def irregular_record(request, payload: IrregularIn):
    return _figure_record(request, payload, actions.irregular_figure_record, "quarter", imports._quarter)


def _import(request, importer, file) -> ImportOut:
    require_scope(request, WRITE)
    try:
        report = importer(user=request.user, data=file.read(), filename=file.name or "upload.csv")
    except imports.ImportForbidden:  # the role, not the file: a Refused, answered by the shared table (403)
        raise
    except imports.ImportRefused as exc:
        raise ApiError(422, "refused_file", str(exc)) from exc
    return ImportOut(
        rows=report.rows,
        created=report.created,
        corrected=report.corrected,
        unchanged=report.unchanged,
        rejects=[{"line": line, "reason": reason, "row": row} for line, row, reason in report.rejects],
    )


@router.post(
    "/visas/import",
    response={200: ImportOut, **s.WRITE_ERRORS},
    summary="Import the visa system's monthly CSV export",
)
def visa_import(request, file: File[UploadedFile]):
    return _import(request, imports.visas_import, file)


@router.post(
    "/irregular/import",
    response={200: ImportOut, **s.WRITE_ERRORS},
    summary="Import quarterly irregular migration figures (CSV)",
)
def irregular_import(request, file: File[UploadedFile]):
    return _import(request, imports.irregular_import, file)


class ContractOut(Schema):
    id: int
    worker_ref: str
    worker_last_name: str
    worker_first_name: str
    employer: str
    sector: str
    departement: str
    season: int
    start_date: dt.date
    end_date: dt.date
    monthly_wage: str
    housing: str
    status: str
    arrived_on: dt.date | None
    returned_on: dt.date | None


def _contract_out(c) -> ContractOut:
    return ContractOut(
        id=c.pk,
        worker_ref=c.worker.anapec_ref,
        worker_last_name=c.worker.last_name,
        worker_first_name=c.worker.first_name,
        employer=c.employer.name,
        sector=c.sector,
        departement=c.departement.code,
        season=c.season,
        start_date=c.start_date,
        end_date=c.end_date,
        monthly_wage=str(c.monthly_wage),
        housing=c.housing,
        status=c.status,
        arrived_on=c.arrived_on,
        returned_on=c.returned_on,
    )


def _officer(request) -> None:
    require_scope(request, PERSONAL)
    if not perms.may_see_workers(request.user):
        raise HttpError(403, perms.may_act_on_programme(request.user)[1])


@router.get(
    "/contracts",
    response={200: list[ContractOut], **s.READ_ERRORS},
    summary="Seasonal contracts (OFII and ANAPEC officers)",
)
def contract_list(request, season: int | None = None, status: str = ""):
    _officer(request)
    return [
        _contract_out(c)
        for c in contract_list_for_user(user=request.user, season=season, status=status, channel="api")
    ]


class ContractIn(Schema):
    anapec_ref: str = Field(min_length=1, max_length=20, description="The worker's ANAPEC reference")
    employer_siret: str = Field(min_length=14, max_length=14)
    start_date: dt.date
    end_date: dt.date
    monthly_wage: Annotated[
        Decimal,
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "exclusiveMinimum": 0, "maximum": 999999.99, "multipleOf": 0.01},
                    {
                        "type": "string",
                        "pattern": r"^0*[0-9]{1,6}(\.[0-9]{1,2})?$",
                        "not": {"pattern": r"^[0.]*$"},
                    },
                ]
            }
        ),
    ] = Field(
        gt=0, max_digits=8, decimal_places=2, description="Gross, in euros: at most 999999.99, in cents"
    )
    housing: Housing
    last_name: str = Field("", max_length=100, description="Required when the reference is new")
    first_name: str = Field("", max_length=100, description="Required when the reference is new")
    birth_date: dt.date | None = Field(None, description="Required when the reference is new")
    cin: str = Field("", max_length=12)
    phone: str = Field("", max_length=30)


@router.post(
    "/contracts",
    response={201: ContractOut, **s.WRITE_ERRORS},
    summary="Record a season's contract (and the worker when the ANAPEC reference is new)",
)
def contract_create(request, payload: ContractIn):
    _officer(request)
    require_scope(request, WRITE)
    employer = Employer.objects.filter(siret=payload.employer_siret).first()
    if employer is None:
        raise ApiError(422, "unknown_employer", _("Aucun employeur n'a ce numéro SIRET."))
    contract = actions.seasonal_contract_register(
        user=request.user, employer=employer, **payload.model_dump(exclude={"employer_siret"})
    )
    # Read back through the selector: for a returning worker the answer shows a recorded identity, a read
    # of personal data that the access log must hold like any other.
    return Status(201, _contract_out(contract_get_for_user(user=request.user, pk=contract.pk, channel="api")))


@router.get(
    "/contracts/{contract_id}",
    response={200: ContractOut, **s.READ_ERRORS},
    summary="One seasonal contract",
)
def contract_detail(request, contract_id: int):
    require_scope(request, PERSONAL)
    contract = contract_get_for_user(user=request.user, pk=contract_id, channel="api")
    if contract is None:
        raise HttpError(404, _("Aucun contrat ne correspond."))
    return _contract_out(contract)
