"""/api/v1/lpc: consular laissez-passer for the systems of both administrations.

Issue (the case transition), read, extend, re-issue, revoke, verify, PDF. A document of a case the
caller may not see answers 404 like a missing one; every read of personal data is logged. The
public, unauthenticated check is the web page /lpc/verify/, not this API.
"""

import base64
import binascii
import datetime as dt
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field, StringConstraints

from gmmp.audit.services import access_log_record
from gmmp.cases.actions import case_issue_laissez_passer
from gmmp.cases.perms import actor_may
from gmmp.cases.workflow import Actor
from gmmp.core.http import private_file
from gmmp.core.ratelimit import rate_limit_hit
from gmmp.documents import photos
from gmmp.documents.actions import lpc_extend, lpc_photo_exception_record, lpc_reissue, lpc_revoke
from gmmp.documents.models import HOLDER_FIELDS, LaissezPasser, RevocationReason
from gmmp.documents.render import lpc_pdf
from gmmp.documents.selectors import lpc_current, lpc_get_for_user, lpc_verify

from .auth import require_scope, scoped_case
from .errors import ApiError
from .schemas import (
    BASE64_PATTERN,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PartialDate,
    SchemaPattern,
    Strict,
    filled,
    when,
)

router = Router(tags=["documents"])

READ, WRITE, VERIFY = "cases:read", "cases:write", "lpc:verify"

Str = Annotated[str, StringConstraints(strip_whitespace=True)]


class _In(Strict):
    """Unknown fields refused, text held to the shared rules (see schemas.Strict)."""


class HolderIn(_In):
    holder_last_name: Annotated[Str, StringConstraints(max_length=100)] = ""
    holder_first_names: Annotated[Str, StringConstraints(max_length=150)] = ""
    holder_name_ar: Annotated[Str, StringConstraints(max_length=200)] = ""
    holder_birth_date: PartialDate = ""
    holder_birth_place: Annotated[Str, StringConstraints(max_length=120)] = ""
    holder_sex: Annotated[Str, StringConstraints(pattern=r"^[MFX]?$")] = ""
    photo_base64: Annotated[str, SchemaPattern(BASE64_PATTERN)] | None = Field(
        None, description="JPEG or PNG, base64; or photo_evidence."
    )
    photo_evidence: int | None = Field(None, description="Id of an image evidence of the case.")
    valid_from: dt.date | None = Field(None, description="Default: today.")
    valid_to: dt.date | None = Field(
        None, description="Default: the validity in force (policy lpc.validity_days)."
    )
    destination: Annotated[Str, StringConstraints(max_length=80)] = ""


class IssueIn(HolderIn):
    case: Annotated[Str, StringConstraints(min_length=1, max_length=20)] = Field(
        description="Case reference."
    )


class ReissueIn(HolderIn):
    comment: Annotated[Str, StringConstraints(max_length=1000)] = ""


class ExtendIn(_In):
    valid_to: dt.date
    comment: Annotated[Str, StringConstraints(max_length=1000)] = ""


class RevokeIn(_In):
    reason: RevocationReason = Field(description="Not reissued (that is the re-issue's own revocation).")
    comment: Annotated[Str, StringConstraints(max_length=1000)] = Field(
        "", description="Required when the reason is 'other'."
    )

    field_rules = (
        when("reason", [RevocationReason.REISSUED], {"not": {}}),
        when("reason", [RevocationReason.OTHER], filled("comment")),
    )


class VerifyIn(_In):
    payload: Annotated[Str, StringConstraints(max_length=2000)] = ""
    number: Annotated[Str, StringConstraints(max_length=40)] = ""
    check_code: Annotated[Str, StringConstraints(max_length=12)] = ""

    field_rules = ({"anyOf": [filled("payload"), filled("number", "check_code")]},)


class LpcOut(Schema):
    number: str
    case: str
    consulate: str
    status: str = Field(description="issued / revoked / used as stored")
    status_today: str = Field(description="valid / expired / not_yet_valid / revoked / used")
    holder_last_name: str
    holder_first_names: str
    holder_name_ar: str
    holder_birth_date: str
    holder_birth_place: str
    holder_sex: str
    has_photo: bool
    destination: str
    valid_from: dt.date
    valid_to: dt.date
    extensions: int
    issued_at: dt.datetime
    key_id: str
    seal: str = Field(description="The signed payload printed as the QR code.")
    check_code: str
    replaces: str | None
    revocation_reason: str
    pdf_url: str


class VerifyOut(Schema):
    status: str = Field(description="valid / expired / not_yet_valid / revoked / used / forged")
    message: str
    number: str | None
    holder_name: str | None


def _invalid(field: str, message: str, kind: str = "value_error") -> NinjaValidationError:
    return NinjaValidationError([{"loc": ["body", "payload", field], "msg": message, "type": kind}])


def _out(lpc: LaissezPasser) -> dict:
    from gmmp.core import clock

    return {
        "number": lpc.number,
        "case": lpc.case.reference,
        "consulate": lpc.consulate.code,
        "status": lpc.status,
        "status_today": lpc.status_on(clock.today()),
        **{field: getattr(lpc, field) for field in HOLDER_FIELDS},
        "has_photo": bool(lpc.photo_storage_name),
        "destination": lpc.destination,
        "valid_from": lpc.valid_from,
        "valid_to": lpc.valid_to,
        "extensions": lpc.extensions,
        "issued_at": lpc.issued_at,
        "key_id": lpc.key_id,
        "seal": lpc.seal,
        "check_code": lpc.check_code,
        "replaces": lpc.replaces.number if lpc.replaces else None,
        "revocation_reason": lpc.revocation_reason,
        "pdf_url": reverse("api:lpc_pdf", kwargs={"number": lpc.number}),
    }


def _log(request, action: str, lpc: LaissezPasser, **detail) -> None:
    access_log_record(
        user=request.user,
        action=action,
        object_type="laissez_passer",
        object_id=lpc.number,
        channel="api",
        detail={"case": lpc.case.reference, **detail},
    )


def _photo_kwargs(payload: HolderIn) -> dict:
    if payload.photo_base64:
        try:
            raw = base64.b64decode(payload.photo_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _invalid("photo_base64", _("Photo : base64 invalide.")) from exc
        try:
            photos.photo_normalise(raw)
        except DjangoValidationError as exc:
            raise _invalid("photo_base64", exc.messages[0], "invalid_file") from exc
        return {"photo": raw, "photo_evidence": None}
    return {"photo": None, "photo_evidence": payload.photo_evidence}


def _holder_kwargs(payload: HolderIn) -> dict:
    data = {f: getattr(payload, f) for f in (*HOLDER_FIELDS, "valid_from", "valid_to", "destination")}
    if data["valid_from"] and data["valid_to"] and data["valid_to"] < data["valid_from"]:
        raise _invalid("valid_to", _("La fin de validité précède son début."), "date_order")
    return data


def _fetch(request, number: str, scope: str) -> LaissezPasser:
    require_scope(request, scope)
    return lpc_get_for_user(user=request.user, number=number)


@router.post(
    "/",
    response={201: LpcOut, **WRITE_ERRORS},
    url_name="lpc_issue",
    operation_id="lpc_issue",
    summary="Issue the laissez-passer of an identified case (the case transition issue_laissez_passer)",
)
def lpc_issue_endpoint(request, payload: IssueIn):
    case = scoped_case(request, payload.case, WRITE)
    case_issue_laissez_passer(
        case=case, user=request.user, **_holder_kwargs(payload), **_photo_kwargs(payload)
    )
    lpc = lpc_current(case)
    assert lpc is not None, "the document just issued is the case's current one"
    _log(request, "view", lpc)
    return Status(201, _out(lpc))


class PhotoExceptionIn(Strict):
    case: Annotated[Str, StringConstraints(min_length=1, max_length=20)] = Field(
        description="Case reference."
    )
    reason: Annotated[Str, StringConstraints(min_length=1, max_length=500)] = Field(
        description="Why no photo can be attached (kept encrypted in the case ledger)."
    )


class PhotoExceptionOut(Schema):
    reference: str
    event_sequence: int


@router.post(
    "/photo-exception",
    response={201: PhotoExceptionOut, **WRITE_ERRORS},
    url_name="lpc_photo_exception",
    operation_id="lpc_photo_exception",
    summary="A consulate supervisor allows this case's laissez-passer without the holder's photo",
)
def lpc_photo_exception_endpoint(request, payload: PhotoExceptionIn):
    case = scoped_case(request, payload.case, WRITE)
    event = lpc_photo_exception_record(case=case, user=request.user, reason=payload.reason)
    return Status(201, {"reference": case.reference, "event_sequence": event.sequence})


def _verify_rate_limit(request) -> None:
    """The same limit as the public page, in the shared cache: per token, else per user."""
    limit, window = settings.LPC_VERIFY_RATE
    token = getattr(request, "api_token", None)
    who = f"token:{token.pk}" if token is not None else f"user:{request.user.pk}"
    wait = rate_limit_hit(f"lpc-verify-api:{who}", limit=limit, window=window)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            _("Trop de vérifications : réessayez dans %(n)s secondes.") % {"n": wait},
            {"retry_after": wait},
        )


# Declared before /{number}: ninja matches paths in order.
@router.post(
    "/verify",
    response={200: VerifyOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    url_name="lpc_verify",
    operation_id="lpc_verify",
    summary="Check a seal (payload) or a number with its check code (token scope lpc:verify; rate-limited)",
)
def lpc_verify_endpoint(request, payload: VerifyIn):
    require_scope(request, VERIFY)
    _verify_rate_limit(request)
    if not payload.payload and not (payload.number and payload.check_code):
        raise _invalid("payload", _("Indiquez le contenu du code QR, ou le numéro et le code de contrôle."))
    result = lpc_verify(text=payload.payload, number=payload.number, check_code=payload.check_code)
    access_log_record(
        user=request.user,
        action="verify",
        object_type="laissez_passer",
        object_id=result.lpc.number if result.lpc else "",
        channel="api",
        detail={
            "status": result.status,
            "reason": result.reason,
            "method": "seal" if payload.payload else "code",
        },
    )
    return Status(
        200,
        {
            "status": result.status,
            "message": result.message,
            "number": result.lpc.number if result.lpc else None,
            "holder_name": result.lpc.holder_full_name if result.lpc else None,
        },
    )


@router.get("/{number}", response={200: LpcOut, **READ_ERRORS}, url_name="lpc_read", operation_id="lpc_read")
def lpc_read_endpoint(request, number: str):
    lpc = _fetch(request, number, READ)
    _log(request, "view", lpc)
    return Status(200, _out(lpc))


@router.get(
    "/{number}/pdf",
    response={200: None, **READ_ERRORS},
    url_name="lpc_pdf",
    operation_id="lpc_pdf",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def lpc_pdf_endpoint(request, number: str):
    lpc = _fetch(request, number, READ)
    _log(request, "download", lpc, format="pdf")
    return private_file(
        lpc_pdf(lpc, verify_url=request.build_absolute_uri(reverse("documents:verify"))),
        content_type="application/pdf",
        filename=f"{lpc.number}.pdf",
    )


def _require_consulate(request, lpc: LaissezPasser) -> None:
    from gmmp.cases.actions import TransitionRefused

    ok, why = actor_may(request.user, lpc.case, Actor.ASSIGNED_CONSULATE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")


@router.post(
    "/{number}/extend",
    response={200: LpcOut, **WRITE_ERRORS},
    url_name="lpc_extend",
    operation_id="lpc_extend",
)
def lpc_extend_endpoint(request, number: str, payload: ExtendIn):
    lpc = _fetch(request, number, WRITE)
    _require_consulate(request, lpc)
    lpc_extend(lpc=lpc, user=request.user, valid_to=payload.valid_to, comment=payload.comment)
    _log(request, "view", lpc)  # the answer carries the holder's identity
    return Status(200, _out(lpc))


@router.post(
    "/{number}/reissue",
    response={201: LpcOut, **WRITE_ERRORS},
    url_name="lpc_reissue",
    operation_id="lpc_reissue",
    summary="Replace the document by a new one (new number); the old is revoked",
)
def lpc_reissue_endpoint(request, number: str, payload: ReissueIn):
    lpc = _fetch(request, number, WRITE)
    _require_consulate(request, lpc)
    kwargs = _holder_kwargs(payload)
    photo = _photo_kwargs(payload)
    new = lpc_reissue(
        lpc=lpc,
        user=request.user,
        comment=payload.comment,
        photo=photo["photo"],
        photo_evidence=photo["photo_evidence"],
        valid_from=kwargs.pop("valid_from"),
        valid_to=kwargs.pop("valid_to"),
        destination=kwargs.pop("destination"),
        **{k: v for k, v in kwargs.items() if v},
    )
    _log(request, "view", new)
    return Status(201, _out(new))


@router.post(
    "/{number}/revoke",
    response={200: LpcOut, **WRITE_ERRORS},
    url_name="lpc_revoke",
    operation_id="lpc_revoke",
)
def lpc_revoke_endpoint(request, number: str, payload: RevokeIn):
    lpc = _fetch(request, number, WRITE)
    _require_consulate(request, lpc)
    lpc_revoke(lpc=lpc, user=request.user, reason=payload.reason.value, comment=payload.comment)
    _log(request, "view", lpc)
    return Status(200, _out(lpc))
