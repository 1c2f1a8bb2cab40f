"""/api/v1/cases: readmission cases for the systems of both administrations.

The endpoints are thin: they check the token's scope, fetch the case through the access-checked
selectors (a case that is not the caller's answers 404 exactly like a missing one), validate input
with the schemas, call one action, and log every read of personal data (channel "api").
"""

import enum
from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.errors import ValidationError as NinjaValidationError

from gmmp.audit.services import access_log_record
from gmmp.cases import actions, selectors
from gmmp.cases.deadlines import urgency
from gmmp.cases.enums import (
    CaseState,
    EventKind,
    EvidenceCategory,
    EvidenceKind,
    LegalEventKind,
    ReleaseCause,
)
from gmmp.cases.evidence import evidence_check, evidence_read
from gmmp.cases.models import Case, Evidence
from gmmp.cases.perms import (
    user_sees_arrivals_only,
    user_sees_personal_data,
)
from gmmp.cases.selectors import (
    case_deadlines,
    case_get_for_action,
    case_get_for_user,
    case_legal_timeline,
    case_list_for_user,
    case_ref_get_for_user,
    case_timeline,
)
from gmmp.cases.validation import evidence_kind_problem
from gmmp.cases.workflow import (
    AWAITING_CONSULATE,
    CASE_WORKFLOW,
    DETENTION_RELEVANT,
    TRANSITIONS,
    transitions_available,
)
from gmmp.core import clock
from gmmp.core.http import private_file, reverse_each
from gmmp.core.models import PolicyKeys, policy_reader, policy_value
from gmmp.core.text import filename_neutralise
from gmmp.identification.services import register_band_for
from gmmp.organisations.enums import OrganisationKind
from gmmp.organisations.models import Organisation

from . import schemas as s
from .auth import require_scope, scoped_case
from .errors import ApiError

router = Router(tags=["cases"])

READ, WRITE = "cases:read", "cases:write"

E = s.ErrorOut
READ_ERRORS, WRITE_ERRORS = s.READ_ERRORS, s.WRITE_ERRORS


# ---------------------------------------------------------------------------------------------- helpers


def _invalid(field: str, message: str, kind: str, source: str = "body") -> NinjaValidationError:
    """A 422 shaped like the schemas' own errors, for checks that need the database."""
    loc = [source, field] if source in ("form", "query") else [source, "payload", field]
    return NinjaValidationError([{"loc": loc, "msg": message, "type": kind}])


def _plain(value):
    """Enum members to their values, so that ledger details and model fields hold plain strings."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _log(request, action: str, object_type: str, object_id: str = "", detail: dict | None = None) -> None:
    access_log_record(
        user=request.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        channel="api",
        detail=detail,
    )


def _may_write(request) -> bool:
    token = getattr(request, "api_token", None)
    return token is None or WRITE in token.scopes


def _org(org) -> dict | None:
    return {"code": org.code, "name": org.display_name} if org is not None else None


def _case_url(reference: str) -> str:
    return reverse("api:case_read", kwargs={"reference": reference})


def _lpc_endpoint() -> str:
    # The documents API (gmmp/api/documents.py) issues the laissez-passer: POST {"case": reference, ...}.
    try:
        return reverse("api:lpc_issue")
    except NoReverseMatch:
        return "/api/v1/lpc/"


def _action_url(case: Case, name: str) -> str:
    if name == "issue_laissez_passer":
        return _lpc_endpoint()
    return reverse(f"api:case_transition_{name}", kwargs={"reference": case.reference})


def _clock_out(clock_) -> dict | None:
    if clock_ is None:
        return None
    return {
        "start": clock_.start,
        "days_elapsed": clock_.days_elapsed,
        "stage_days": clock_.stage_days,
        "stage_end": clock_.stage_end,
        "release_by": clock_.release_by,
        "days_left": clock_.days_left,
        "ended": clock_.ended,
    }


def _urgency_out(u) -> dict:
    return {"overdue": u.overdue, "due_soon": u.due_soon, "due_date": u.due_date}


def _evidence_out(case: Case, item: Evidence) -> dict:
    return {
        "id": item.pk,
        "category": item.category,
        "kind": item.kind,
        "original_name": filename_neutralise(item.original_name),
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
        "uploaded_at": item.uploaded_at,
        "download_url": reverse(
            "api:case_evidence_download", kwargs={"reference": case.reference, "evidence_id": item.pk}
        ),
    }


def _legal_event_out(e) -> dict:
    return {
        "kind": e.kind,
        "kind_label": str(LegalEventKind(e.kind).label),
        "on": e.on,
        "reference": e.reference,
        "extended_to": e.extended_to,
        "suspensive": e.suspensive,
        "outcome": e.outcome or None,
        "cause": e.cause or None,
        "language": e.language,
        "counsel": e.counsel,
        "recorded_at": e.recorded_at,
    }


def _legal_out(case: Case, legal: dict | None = None) -> dict:
    legal = legal or case_legal_timeline(case)
    release = legal["release"]
    return {
        "events": [_legal_event_out(e) for e in legal["events"]],
        "pending_suspensive": [_legal_event_out(e) for e in legal["pending_events"]],
        "departure_blocked": bool(legal["pending_events"]),
        "release": {
            "kind": release.kind,
            "on": release.on,
            "cause": release.cause,
            "cause_label": str(ReleaseCause(release.cause).label),
            "reference": release.reference,
            "current": case.state == CaseState.RELEASED,
        }
        if release
        else None,
        "detention_end": case.detention_end,
    }


def _case_out(request, case: Case) -> dict:
    """The full case as the caller may see it; logs the read (personal data)."""
    legal = case_legal_timeline(case)  # read once for the deadlines and the legal block
    deadlines = case_deadlines(case, policy=policy_reader(), legal_events=legal["events"])
    available = transitions_available(request.user, case) if _may_write(request) else []
    decided = case.state not in {CaseState.DRAFT, CaseState.SUBMITTED, *AWAITING_CONSULATE}
    _log(request, "view", "case", case.reference)
    return {
        "reference": case.reference,
        "state": case.state,
        "state_label": str(CaseState(case.state).label),
        "prefecture": _org(case.prefecture),
        "consulate": _org(case.consulate),
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
        "routed_at": case.routed_at,
        "decided_at": case.decided_at,
        "identity": {f: getattr(case, f) for f in s.IdentityOut.model_fields},
        "removal_order_reference": case.removal_order_reference,
        "removal_order_date": case.removal_order_date,
        "detention_start": case.detention_start,
        "detention_place": _org(case.detention_place),
        "interview_at": case.interview_at,
        "interview_mode": case.interview_mode or None,
        "established": {
            "last_name": case.established_last_name,
            "first_names": case.established_first_names,
            "birth_date": case.established_birth_date,
            "birth_place": case.established_birth_place,
            "register_national_id": case.register_national_id,
            "register_model_version": case.register_model_version,
        }
        if decided and case.decided_at
        else None,
        "departure": {f: getattr(case, f) for f in s.DepartureOut.model_fields}
        if case.departure_date
        else None,
        "deadlines": {
            "detention": _clock_out(deadlines.clock),
            "reply_due": deadlines.reply_due,
            "awaiting_reply": deadlines.awaiting_reply,
            "urgency": _urgency_out(deadlines.urgency),
        },
        "actions": [
            {"name": t.name, "label": str(t.label), "method": "POST", "url": _action_url(case, t.name)}
            for t in available
        ],
        "evidence": [_evidence_out(case, item) for item in case.evidence.all()],
        "legal": _legal_out(case, legal),
    }


# ---------------------------------------------------------------------------------------------- create, list, read


@router.post(
    "/",
    response={201: s.CaseOut, **WRITE_ERRORS},
    url_name="case_create",
    operation_id="case_create",
    summary="Create an identification request (draft, or submitted with submit: true)",
)
def case_create_endpoint(request, payload: s.CaseCreateIn):
    """Only an agent or supervisor of a préfecture may file; the request belongs to their préfecture.
    With `submit: true` the request is created and submitted in one transaction: if the submission is
    refused, nothing is saved (no draft is left behind) and the refusal is returned."""
    require_scope(request, WRITE)
    data = _plain(
        payload.model_dump(exclude={"submit", "detention_place", "age_contested", "duplicate_reason"})
    )
    data["detention_place"] = None
    if payload.detention_place:
        data["detention_place"] = Organisation.objects.filter(
            code=payload.detention_place, kind=OrganisationKind.CRA, is_active=True
        ).first()
        if data["detention_place"] is None:
            raise _invalid(
                "detention_place", _("Aucun centre de rétention ne porte ce code."), "unknown_organisation"
            )
    case = actions.case_file(
        user=request.user,
        data=data,
        age_contest=_plain(payload.age_contested.model_dump()) if payload.age_contested else None,
        duplicate_reason=payload.duplicate_reason,
        submit=payload.submit,
    )
    case = case_get_for_user(user=request.user, reference=case.reference)
    return Status(201, _case_out(request, case))


@router.get(
    "/",
    response={200: s.CaseListOut, **READ_ERRORS},
    url_name="case_list",
    operation_id="case_list",
    summary="List the cases visible to the caller, most urgent first",
)
def case_list_endpoint(request, filters: Query[s.CaseListFilters]):
    require_scope(request, READ)
    if not user_sees_personal_data(request.user) or user_sees_arrivals_only(request.user):
        # Deny by default: no list for who reads no case file (the border police check documents).
        raise ApiError(403, "forbidden", _("Votre rôle ne donne pas accès à la liste des demandes."))
    given = filters.model_dump(exclude={"limit", "offset"}, exclude_none=True)
    qs = case_list_for_user(user=request.user, filters=_plain(given))
    # Counted up to the cap, as the list pages count (selectors.LIST_COUNT_CAP): a COUNT(*) of every row
    # grew with the national list.
    counted = qs.order_by()[: selectors.LIST_COUNT_CAP + 1].count()
    total, capped = min(counted, selectors.LIST_COUNT_CAP), counted > selectors.LIST_COUNT_CAP
    page = list(qs.only(*SUMMARY_FIELDS)[filters.offset : filters.offset + filters.limit])
    today = clock.today()
    soon = policy_value(PolicyKeys.DUE_SOON_DAYS, today)
    url = reverse_each("api:case_read", "reference")  # reversed once a page, not once a row
    items = [_summary_out(case, today, soon, url) for case in page]
    # The log says what was asked, never the search text (it may be a name).
    _log(request, "list", "case", detail={"filters": sorted(given), "total": total, "returned": len(items)})
    return {
        "total": total,
        "total_capped": capped,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": items,
    }


# What a list item reads (a Case has 56 columns; the list builds up to 200 of them).
SUMMARY_FIELDS = (
    *("reference", "state", "last_name", "first_names", "birth_date", "created_at", "detention_end"),
    *("reply_due", "prefecture__code", "consulate__code"),
)


def _summary_out(case: Case, today, due_soon_days: int, url: Callable[[str], str]) -> dict:
    # Same rule as selectors.case_deadlines, from the stored columns, without a query per row.
    due = [
        case.reply_due if case.state in AWAITING_CONSULATE else None,
        case.detention_end if case.state in DETENTION_RELEVANT else None,
    ]
    return {
        "reference": case.reference,
        "state": case.state,
        "state_label": str(CaseState(case.state).label),
        "prefecture": case.prefecture.code,
        "consulate": case.consulate.code if case.consulate else None,
        "last_name": case.last_name,
        "first_names": case.first_names,
        "birth_date": case.birth_date,
        "created_at": case.created_at,
        "detention_end": case.detention_end,
        "reply_due": case.reply_due,
        "urgency": _urgency_out(urgency(today=today, due_dates=due, due_soon_days=due_soon_days)),
        "url": url(case.reference),
    }


@router.get(
    "/{reference}",
    response={200: s.CaseOut, **READ_ERRORS},
    url_name="case_read",
    operation_id="case_read",
    summary="Read one case: identity, deadlines, the caller's possible actions, evidence list",
)
def case_read_endpoint(request, reference: str):
    return _case_out(request, scoped_case(request, reference, READ))


@router.get(
    "/{reference}/events",
    response={200: list[s.EventOut], **READ_ERRORS},
    url_name="case_events",
    operation_id="case_events",
    summary="The case's timeline (ledger events, oldest first)",
)
def case_events_endpoint(request, reference: str):
    require_scope(request, READ)  # as scoped_case, but the case for its visibility alone
    case = case_ref_get_for_user(user=request.user, reference=reference)
    events = list(case_timeline(case))
    _log(request, "view", "case_events", case.reference)
    return [
        {
            "sequence": e.sequence,
            "at": e.at,
            "kind": e.kind,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": e.actor.username if e.actor_id else None,
            "actor_organisation": e.actor_organisation.code if e.actor_organisation_id else None,
            "actor_side": e.actor_side,
            "reason": e.reason,
            "comment": e.comment_text,
            "details": e.details_open,
        }
        for e in events
    ]


# ---------------------------------------------------------------------------------------------- evidence


@router.post(
    "/{reference}/evidence",
    response={201: s.EvidenceOut, 400: E, 413: E, **WRITE_ERRORS},
    url_name="case_evidence_upload",
    operation_id="case_evidence_upload",
    summary="Attach an evidence file (multipart: file, category, kind); PDF, JPEG or PNG",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {"allOf": list(s.EVIDENCE_KIND_RULES), "properties": {"file": {"minLength": 1}}}
                }
            }
        }
    },
)
def case_evidence_upload_endpoint(
    request,
    reference: str,
    file: File[UploadedFile],
    category: Form[EvidenceCategory],
    kind: Form[EvidenceKind],
):
    """The type is read from the file's content, not its name. `proof` is for passports and CNIE
    (valid or expired); `photo` for photographs; anything else is prima facie evidence."""
    case = scoped_case(request, reference, WRITE)
    refusal = actions.evidence_refusal(case=case, user=request.user)  # before the upload is read
    if refusal is not None:
        raise refusal
    problem = evidence_kind_problem(_plain(category), _plain(kind))
    if problem:
        raise _invalid("kind", problem, "category_mismatch", source="form")
    try:
        data, content_type = evidence_check(file)
    except DjangoValidationError as exc:
        if exc.code == "too_large":
            raise ApiError(413, "too_large", exc.messages[0]) from None
        raise _invalid("file", exc.messages[0], exc.code or "invalid_file", source="form") from None
    item = actions.evidence_add(
        case=case,
        user=request.user,
        category=_plain(category),
        kind=_plain(kind),
        original_name=file.name or "file",  # neutralised by the action (no bidi, no path)
        data=data,
        content_type=content_type,
    )
    return Status(201, _evidence_out(case, item))


@router.get(
    "/{reference}/evidence/{evidence_id}",
    response={200: None, **READ_ERRORS},
    url_name="case_evidence_download",
    operation_id="case_evidence_download",
    summary="Download one evidence file (access-checked and logged)",
    openapi_extra=s.FILE_DOWNLOAD,
)
def case_evidence_download_endpoint(request, reference: str, evidence_id: int):
    case = scoped_case(request, reference, READ)
    item = get_object_or_404(case.evidence, pk=evidence_id)
    content = evidence_read(item.storage_name)
    _log(request, "download", "evidence", str(item.pk), detail={"case": case.reference})
    return private_file(
        content, content_type=item.content_type, filename=filename_neutralise(item.original_name)
    )


# ---------------------------------------------------------------------------------------------- transitions


def _consulate(code: str) -> Organisation:
    found = Organisation.objects.filter(code=code, kind=OrganisationKind.CONSULATE).first()
    if found is None:
        raise _invalid("consulate", _("Aucun consulat général ne porte ce code."), "unknown_organisation")
    return found


def _cra(code: str) -> Organisation:
    found = Organisation.objects.filter(code=code, kind=OrganisationKind.CRA, is_active=True).first()
    if found is None:
        raise _invalid(
            "detention_place", _("Aucun centre de rétention ne porte ce code."), "unknown_organisation"
        )
    return found


def _kwargs(payload) -> dict:
    return _plain(payload.model_dump())


# name → (body schema, body → keyword arguments of the action). The action checks state and actor.
TRANSITION_BODIES = {
    "submit": (s.EmptyIn, lambda p: {}),
    "route": (s.RouteIn, lambda p: {"consulate": _consulate(p.consulate), "comment": p.comment}),
    "reroute": (s.RerouteIn, lambda p: {"consulate": _consulate(p.consulate), "reason": p.reason}),
    "schedule_interview": (s.ScheduleInterviewIn, _kwargs),
    "request_information": (s.RequestInformationIn, _kwargs),
    "answer_information": (s.AnswerInformationIn, _kwargs),
    "decide": (s.DecideIn, _kwargs),
    "schedule_departure": (s.ScheduleDepartureIn, _kwargs),
    "record_departure": (
        s.RecordDepartureIn,
        lambda p: {**_kwargs(p), "failure_reason": _plain(p.failure_reason) or ""},
    ),
    "confirm_readmission": (s.CommentIn, _kwargs),
    "withdraw": (s.WithdrawIn, _kwargs),
    "close": (s.CommentIn, _kwargs),
    "assess_age": (s.AssessAgeIn, _kwargs),
    "record_legal_event": (s.LegalEventIn, lambda p: {**_kwargs(p), "outcome": _plain(p.outcome) or ""}),
    "release": (s.ReleaseIn, lambda p: {**_kwargs(p), "cause": _plain(p.cause) or ""}),
    "resume": (
        s.ResumeIn,
        lambda p: {
            "detention_start": p.detention_start,
            "detention_place": _cra(p.detention_place) if p.detention_place else None,
            "comment": p.comment,
        },
    ),
    "extend_reply_deadline": (s.ExtendReplyDeadlineIn, _kwargs),
    "correct_identity": (
        s.CorrectIdentityIn,
        lambda p: {
            "reason": p.reason,
            "changes": _plain(p.model_dump(exclude={"reason"}, exclude_none=True)),
        },
    ),
    # Also /{reference}/identification/reversal (its first operation, which answers the event).
    "identification_reversed": (s.ReversalIn, _kwargs),
}
# The laissez-passer is issued through the documents API, which makes the document itself.
assert set(TRANSITION_BODIES) | {"issue_laissez_passer"} == set(TRANSITIONS)


def _transition_endpoint(name: str, schema, to_kwargs):
    def endpoint(request, reference: str, payload: schema):
        # Acting needs the case to be visible, not its whole file (border police confirm an arrival).
        require_scope(request, WRITE)
        case = case_get_for_action(user=request.user, reference=reference)
        # The state and actor are checked first, so that a refusal says why before any field lookup.
        CASE_WORKFLOW.check(request.user, case, name)
        kwargs = to_kwargs(payload or schema())
        if name == "decide" and kwargs.get("register_national_id"):
            # The band of the confirmed register record is the platform's reading, never the client's.
            kwargs["register_band"] = register_band_for(case=case, national_id=kwargs["register_national_id"])
        actions.ACTIONS[name](case=case, user=request.user, **kwargs)
        event = case.events.order_by("-sequence").first()
        assert event is not None  # the transition just wrote it
        # A re-routing takes the case out of the old consulate's view: then it gets no case back (one read:
        # the whole file when the caller may still read it, else the selector's 404).
        try:
            fresh = case_get_for_user(user=request.user, reference=reference)
        except Http404:
            fresh = None
        return {
            "reference": case.reference,
            "transition": name,
            "state": case.state,
            "state_label": str(CaseState(case.state).label),
            "event_sequence": event.sequence,
            "case": _case_out(request, fresh) if fresh is not None else None,
        }

    if not any(field.is_required() for field in schema.model_fields.values()):
        # Nothing is required: the body may be left out altogether.
        endpoint.__defaults__ = (None,)
    endpoint.__name__ = f"case_transition_{name}"
    transition = TRANSITIONS[name]
    router.post(
        f"/{{reference}}/transitions/{name}",
        response={200: s.TransitionOut, **WRITE_ERRORS},
        url_name=f"case_transition_{name}",
        operation_id=f"case_transition_{name}",
        summary=f"Transition: {name}",
        description=f"{transition.label} — from: {', '.join(sorted(transition.sources))}. "
        "403 when the caller may not perform it, 409 (invalid_state) when the case is not in a state it leaves from.",
    )(endpoint)


for _name, (_schema, _to_kwargs) in TRANSITION_BODIES.items():
    _transition_endpoint(_name, _schema, _to_kwargs)


@router.post(
    "/{reference}/identification/confirmation",
    response={201: s.CaseEventOut, **WRITE_ERRORS},
    url_name="case_identification_confirm",
    operation_id="case_identification_confirm",
    summary="A second consular officer confirms the identification (guard against the wrong person)",
)
def case_identification_confirm_endpoint(request, reference: str, payload: s.CommentIn):
    """Needed before the laissez-passer when the person was identified from a register proposal that was
    not strong and the file holds no proof document (or a held interview). 409 `same_officer` for the
    officer who decided."""
    case = scoped_case(request, reference, WRITE)
    event = actions.case_confirm_identification(case=case, user=request.user, comment=payload.comment)
    return Status(201, {"reference": case.reference, "kind": event.kind, "event_sequence": event.sequence})


@router.post(
    "/{reference}/identification/reversal",
    response={201: s.CaseEventOut, **WRITE_ERRORS},
    url_name="case_identification_reverse",
    operation_id="case_identification_reverse",
    summary="Record that the person is not the one identified (revokes the LPC in force; counted)",
)
def case_identification_reverse_endpoint(request, reference: str, payload: s.ReversalIn):
    case = scoped_case(request, reference, WRITE)
    actions.case_identification_reversed(
        case=case, user=request.user, reason=_plain(payload.reason), comment=payload.comment
    )
    event = case.events.filter(kind=EventKind.IDENTIFICATION_REVERSED).latest("sequence")
    return Status(201, {"reference": case.reference, "kind": event.kind, "event_sequence": event.sequence})


@router.post(
    "/{reference}/transitions/issue_laissez_passer",
    response={**WRITE_ERRORS},
    url_name="case_transition_issue_laissez_passer",
    operation_id="case_transition_issue_laissez_passer",
    summary="Transition: issue_laissez_passer (done through /api/v1/lpc/)",
)
def case_transition_issue_laissez_passer(request, reference: str):
    """The laissez-passer is a document with its own fields and signature: issue it through the
    documents API. This answers 403/409 when the caller could not issue it now anyway, and otherwise
    409 `use_lpc_endpoint` pointing there; it never changes the case."""
    case = scoped_case(request, reference, WRITE)
    CASE_WORKFLOW.check(request.user, case, "issue_laissez_passer")
    url = _lpc_endpoint()
    raise ApiError(
        409,
        "use_lpc_endpoint",
        _("Le laissez-passer se délivre par l'API des documents : %(url)s") % {"url": url},
        details={"method": "POST", "url": url, "body": {"case": case.reference}},
    )


@router.post(
    "/{reference}/transitions/{name}",
    response={400: E, 404: E, 401: E, 403: E, 422: E},
    url_name="case_transition_unknown",
    operation_id="case_transition_unknown",
    summary="Any other name: 404 unknown_transition",
)
def case_transition_unknown(request, reference: str, name: str):
    scoped_case(request, reference, WRITE)
    raise ApiError(
        404,
        "unknown_transition",
        _("Transition inconnue : %(name)s.") % {"name": name[:40]},
        details={"transitions": sorted(TRANSITIONS)},
    )
