"""/api/v1/cases/{reference}/messages, …/interviews, …/escalations and /api/v1/escalations: working
together on a case, for the systems of both administrations.

Thin like the rest of the API: the token's scope (`cases:read` to read, `cases:write` to act), the case
or object fetched through collab's access-checked selectors (what is not the caller's answers 404 like
what does not exist), one action per call, and every read of personal data logged (channel "api").
A refusal is `{code, message}`: 403 when it is not the caller's to do, 409 when the object is not in a
state that allows it, 422 when what was sent cannot be accepted.
"""

import base64
import binascii
import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from gmmp.audit.services import access_log_record
from gmmp.cases.enums import InterviewMode
from gmmp.cases.evidence import evidence_check
from gmmp.cases.models import Case
from gmmp.collab import actions, perms, selectors
from gmmp.collab.enums import (
    EscalationReason,
    EscalationState,
    InterviewStatus,
    NotHeldReason,
    ProtectionKind,
)
from gmmp.collab.files import attachment_read
from gmmp.collab.models import CaseMessage, Escalation, Interview, MessageAttachment
from gmmp.core import clock
from gmmp.core.http import private_file
from gmmp.core.text import filename_neutralise, refused_class

from . import schemas as s
from .auth import require_scope, scoped_case
from .errors import ApiError

router = Router(tags=["collaboration"])

READ, WRITE = "cases:read", "cases:write"
E = s.ErrorOut
READ_ERRORS, WRITE_ERRORS = s.READ_ERRORS, {**s.WRITE_ERRORS, 413: E}
# No white space, and none of the characters the text rules refuse (stated here: the field has a pattern).
Url = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=200, pattern=rf"^(https://[^\s{refused_class()}]+)?$"
    ),
]


# ---------------------------------------------------------------------------------------------- schemas


class AttachmentIn(s.Strict):
    name: Annotated[str, s.Text(200, required=True)] = Field(
        description="The file's name, as shown to the other side."
    )
    content_base64: str = Field(description="The file (PDF, JPEG or PNG), base64-encoded.")


class MessageIn(s.Strict):
    body: Annotated[str, s.Text(actions.MESSAGE_MAX_CHARS, required=True)] = Field(description="Plain text.")
    attachments: list[AttachmentIn] = Field(default=[], max_length=3)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    download_url: str


class MessageOut(Schema):
    id: int
    side: str = Field(description="'prefecture' or 'consulate': who wrote it.")
    organisation: str = Field(description="The code of the author's organisation.")
    mine: bool
    unread: bool = Field(description="Written by the other side after the caller last read the thread.")
    body: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class ThreadOut(Schema):
    reference: str
    may_write: bool
    unread: int
    messages: list[MessageOut]


class ReadOut(Schema):
    reference: str
    read_at: dt.datetime


class InterviewIn(s.Strict):
    starts_at: s.DateTime
    mode: InterviewMode
    duration_minutes: int = Field(45, ge=10, le=240)
    room: Annotated[str, s.Text(120)] = ""
    video_link: Url = Field("", description="Required for a video interview (https://…).")
    interpreter_language: Annotated[str, s.Text(60)] = Field(
        "", description="Empty when no interpreter is needed."
    )

    field_rules = (s.when("mode", [InterviewMode.VIDEO], s.filled("video_link")),)


class OutcomeIn(s.Strict):
    held: bool
    not_held_reason: NotHeldReason | None = Field(None, description="Required when held is false.")
    notes: Annotated[str, s.Text(5000)] = ""

    field_rules = (s.when("held", [False], s.filled("not_held_reason")),)


class InterviewOut(Schema):
    id: int
    reference: str
    status: InterviewStatus
    status_label: str
    mode: InterviewMode
    starts_at: dt.datetime
    duration_minutes: int
    room: str
    video_link: str
    interpreter_language: str
    confirmed_at: dt.datetime | None
    not_held_reason: str
    notes: str
    outcome_at: dt.datetime | None


class EscalationIn(s.Strict):
    reason: EscalationReason = Field(description="Must hold for the case today (see `grounds`).")
    comment: s.Comment = Field("", description="No personal data.")


class AnswerIn(s.Strict):
    answer: Annotated[str, s.Text(3000, required=True)]


class EscalationOut(Schema):
    id: int
    reference: str
    reason: EscalationReason
    reason_label: str
    state: EscalationState
    comment: str
    raised_by: str = Field(description="The code of the organisation that raised it.")
    raised_at: dt.datetime
    days_open: int
    answer: str
    answered_by: str | None
    answered_at: dt.datetime | None


class CaseEscalationsOut(Schema):
    reference: str
    grounds: list[EscalationReason] = Field(description="What may be raised for the case today.")
    escalations: list[EscalationOut]


class ProtectionIn(s.Strict):
    kind: ProtectionKind
    on: s.Date = Field(description="When it happened (not in the future).")
    notes: Annotated[str, s.Text(5000)] = ""


class ProtectionOut(Schema):
    id: int
    kind: ProtectionKind
    kind_label: str
    on: dt.date
    notes: str
    recorded_at: dt.datetime


# ---------------------------------------------------------------------------------------------- helpers


def _log(request, action: str, object_type: str, object_id: str = "", detail: dict | None = None) -> None:
    access_log_record(
        user=request.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        channel="api",
        detail=detail,
    )


def _thread_case(request, reference: str, scope: str) -> Case:
    """The case whose thread the caller reads (both central levels too), when the token has `scope`."""
    require_scope(request, scope)
    return selectors.thread_case_get_for_user(user=request.user, reference=reference)


def _message_out(request, case, m: CaseMessage, read_before) -> dict:
    mine = m.author_id == request.user.pk
    return {
        "id": m.pk,
        "side": "prefecture" if m.author_organisation_id == case.prefecture_id else "consulate",
        "organisation": m.author_organisation.code,
        "mine": mine,
        "unread": not mine and (read_before is None or m.created_at > read_before),
        "body": m.body,
        "created_at": m.created_at,
        "attachments": [
            {
                "id": a.pk,
                "name": filename_neutralise(a.original_name),
                "content_type": a.content_type,
                "size": a.size,
                "download_url": reverse(
                    "api:case_message_attachment", kwargs={"reference": case.reference, "attachment_id": a.pk}
                ),
            }
            for a in m.attachments.all()
        ],
    }


def _thread_out(request, case) -> dict:
    read_before = selectors.thread_read_at(user=request.user, case=case)
    items = list(selectors.thread_messages(case=case))
    _log(request, "view", "case_thread", case.reference, detail={"messages": len(items)})
    rows = [_message_out(request, case, m, read_before) for m in items]
    return {
        "reference": case.reference,
        "may_write": perms.thread_may_write(request.user, case)[0],
        "unread": sum(r["unread"] for r in rows),
        "messages": rows,
    }


def _attachment(item: AttachmentIn) -> tuple[str, bytes, str]:
    try:
        raw = base64.b64decode(item.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(422, "invalid_input", _("La pièce jointe n'est pas encodée en base64.")) from exc
    try:
        data, content_type = evidence_check(SimpleUploadedFile(item.name, raw))
    except DjangoValidationError as exc:
        status = 413 if exc.code == "too_large" else 422
        raise ApiError(status, exc.code or "invalid_file", exc.messages[0]) from None
    return item.name, data, content_type


def _interview_out(i: Interview) -> dict:
    return {
        "id": i.pk,
        "reference": i.case.reference,
        "status": i.status,
        "status_label": str(i.get_status_display()),
        "mode": i.mode,
        "starts_at": i.starts_at,
        "duration_minutes": i.duration_minutes,
        "room": i.room,
        "video_link": i.video_link,
        "interpreter_language": i.interpreter_language,
        "confirmed_at": i.confirmed_at,
        "not_held_reason": i.not_held_reason,
        "notes": i.notes,
        "outcome_at": i.outcome_at,
    }


def _slot(payload: InterviewIn) -> actions.Slot:
    return actions.Slot.of({**payload.dict(), "mode": InterviewMode(payload.mode).value})


def _interview_fetch(request, reference: str, interview_id: int, scope: str) -> Interview:
    case = scoped_case(request, reference, scope)
    interview = selectors.interviews_for_case(case=case).filter(pk=interview_id).first()
    if interview is None:
        raise Http404
    interview.case = case
    return interview


def _escalation_out(e: Escalation, now: dt.datetime) -> dict:
    return {
        "id": e.pk,
        "reference": e.case.reference,
        "reason": e.reason,
        "reason_label": str(e.get_reason_display()),
        "state": e.state,
        "comment": e.comment,
        "raised_by": e.raised_by_organisation.code,
        "raised_at": e.raised_at,
        "days_open": ((e.answered_at or now) - e.raised_at).days,
        "answer": e.answer,
        "answered_by": e.answered_by_organisation.code if e.answered_by_organisation else None,
        "answered_at": e.answered_at,
    }


# ---------------------------------------------------------------------------------------------- thread


@router.get(
    "/cases/{reference}/messages",
    response={200: ThreadOut, **READ_ERRORS},
    url_name="case_thread",
    operation_id="case_thread",
    summary="The case's message thread (filing préfecture ↔ consulate; both central levels read it)",
)
def case_thread(request, reference: str):
    case = _thread_case(request, reference, READ)
    return _thread_out(request, case)


@router.post(
    "/cases/{reference}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    url_name="case_message_post",
    operation_id="case_message_post",
    summary="Write in the thread (the other side is notified); attachments checked like evidence",
)
def case_message_post(request, reference: str, payload: MessageIn):
    case = _thread_case(request, reference, WRITE)
    files = [_attachment(a) for a in payload.attachments]
    message = actions.message_post(case=case, user=request.user, body=payload.body, attachments=files)
    message = selectors.thread_messages(case=case).get(pk=message.pk)
    return Status(201, _message_out(request, case, message, None))


@router.post(
    "/cases/{reference}/messages/read",
    response={200: ReadOut, **s.WRITE_ERRORS},
    url_name="case_thread_read",
    operation_id="case_thread_read",
    summary="Mark the thread read up to now (the unread marks)",
)
def case_thread_read(request, reference: str):
    case = _thread_case(request, reference, READ)
    actions.thread_mark_read(case=case, user=request.user)
    return {"reference": case.reference, "read_at": selectors.thread_read_at(user=request.user, case=case)}


@router.get(
    "/cases/{reference}/messages/attachments/{attachment_id}",
    url_name="case_message_attachment",
    operation_id="case_message_attachment",
    response={200: None, **READ_ERRORS},
    summary="Download a message's attachment (access-checked and logged)",
    openapi_extra=s.FILE_DOWNLOAD,
)
def case_message_attachment(request, reference: str, attachment_id: int):
    case = _thread_case(request, reference, READ)
    item = get_object_or_404(MessageAttachment, pk=attachment_id, message__case=case)
    _log(request, "download", "case_message_attachment", str(item.pk), detail={"case": case.reference})
    return private_file(
        attachment_read(item.storage_name), content_type=item.content_type, filename=f"attachment-{item.pk}"
    )


# ---------------------------------------------------------------------------------------------- interviews


@router.get(
    "/cases/{reference}/interviews",
    response={200: list[InterviewOut], **READ_ERRORS},
    url_name="case_interviews",
    operation_id="case_interviews",
    summary="The case's interviews, oldest first",
)
def case_interviews(request, reference: str):
    case = scoped_case(request, reference, READ)
    items = list(selectors.interviews_for_case(case=case))
    _log(request, "view", "case_interviews", case.reference)
    for item in items:
        item.case = case
    return [_interview_out(i) for i in items]


@router.post(
    "/cases/{reference}/interviews",
    response={201: InterviewOut, **WRITE_ERRORS},
    url_name="case_interview_schedule",
    operation_id="case_interview_schedule",
    summary="Propose an interview (the assigned consulate); the préfecture and the CRA are notified",
)
def case_interview_schedule(request, reference: str, payload: InterviewIn):
    case = scoped_case(request, reference, WRITE)
    interview = actions.interview_schedule(case=case, user=request.user, slot=_slot(payload))
    return Status(201, _interview_out(interview))


@router.post(
    "/cases/{reference}/interviews/{interview_id}/change",
    response={200: InterviewOut, **WRITE_ERRORS},
    url_name="case_interview_change",
    operation_id="case_interview_change",
    summary="Change the slot or place (the confirmation is asked again)",
)
def case_interview_change(request, reference: str, interview_id: int, payload: InterviewIn):
    interview = _interview_fetch(request, reference, interview_id, WRITE)
    return _interview_out(
        actions.interview_change(interview=interview, user=request.user, slot=_slot(payload))
    )


@router.post(
    "/cases/{reference}/interviews/{interview_id}/confirm",
    response={200: InterviewOut, **WRITE_ERRORS},
    url_name="case_interview_confirm",
    operation_id="case_interview_confirm",
    summary="Confirm a proposed interview (the filing préfecture or the CRA)",
)
def case_interview_confirm(request, reference: str, interview_id: int):
    interview = _interview_fetch(request, reference, interview_id, WRITE)
    return _interview_out(actions.interview_confirm(interview=interview, user=request.user))


@router.post(
    "/cases/{reference}/interviews/{interview_id}/cancel",
    response={200: InterviewOut, **WRITE_ERRORS},
    url_name="case_interview_cancel",
    operation_id="case_interview_cancel",
    summary="Cancel a planned interview (the consulate)",
)
def case_interview_cancel(request, reference: str, interview_id: int):
    interview = _interview_fetch(request, reference, interview_id, WRITE)
    return _interview_out(actions.interview_cancel(interview=interview, user=request.user))


@router.post(
    "/cases/{reference}/interviews/{interview_id}/outcome",
    response={200: InterviewOut, **WRITE_ERRORS},
    url_name="case_interview_outcome",
    operation_id="case_interview_outcome",
    summary="Record whether the interview was held (and why not), with the officer's notes",
)
def case_interview_outcome(request, reference: str, interview_id: int, payload: OutcomeIn):
    interview = _interview_fetch(request, reference, interview_id, WRITE)
    done = actions.interview_record_outcome(
        interview=interview,
        user=request.user,
        held=payload.held,
        not_held_reason=payload.not_held_reason.value if payload.not_held_reason else "",
        notes=payload.notes,
    )
    return _interview_out(done)


# ---------------------------------------------------------------------------------------------- escalations


@router.get(
    "/cases/{reference}/escalations",
    response={200: CaseEscalationsOut, **READ_ERRORS},
    url_name="case_escalations",
    operation_id="case_escalations",
    summary="The case's escalations and the grounds that hold today",
)
def case_escalations(request, reference: str):
    case = scoped_case(request, reference, READ)
    items = list(selectors.escalations_for_user(user=request.user).filter(case=case))
    _log(request, "view", "escalation", case.reference, detail={"count": len(items)})
    now = clock.now()
    return {
        "reference": case.reference,
        "grounds": actions.escalation_grounds(case),
        "escalations": [_escalation_out(e, now) for e in items],
    }


@router.post(
    "/cases/{reference}/escalations",
    response={201: EscalationOut, **WRITE_ERRORS},
    url_name="case_escalation_raise",
    operation_id="case_escalation_raise",
    summary="Escalate a stalled request to the Moroccan central level (the préfecture or DGEF)",
)
def case_escalation_raise(request, reference: str, payload: EscalationIn):
    case = scoped_case(request, reference, WRITE)
    escalation = actions.escalation_raise(
        case=case, user=request.user, reason=payload.reason.value, comment=payload.comment
    )
    return Status(201, _escalation_out(escalation, clock.now()))


@router.get(
    "/escalations",
    response={200: list[EscalationOut], **READ_ERRORS},
    url_name="escalation_list",
    operation_id="escalation_list",
    summary="The escalations the caller may see (central levels of both sides, the parties), oldest first",
)
def escalation_list(request, open_only: bool = False):
    require_scope(request, READ)
    if not perms.escalations_page_allowed(request.user):  # like the page: deny who will never read one
        raise ApiError(403, "forbidden", _("Votre rôle ne donne pas accès aux signalements."))
    items = list(selectors.escalations_for_user(user=request.user, open_only=open_only)[:500])
    _log(request, "list", "escalation", detail={"count": len(items)})
    now = clock.now()
    return [_escalation_out(e, now) for e in items]


@router.post(
    "/escalations/{escalation_id}/answer",
    response={200: EscalationOut, **WRITE_ERRORS},
    url_name="escalation_answer",
    operation_id="escalation_answer",
    summary="Answer an escalation (DMSF or Foreign Affairs)",
)
def escalation_answer(request, escalation_id: int, payload: AnswerIn):
    require_scope(request, WRITE)
    escalation = selectors.escalation_get_for_user(user=request.user, pk=escalation_id)
    done = actions.escalation_answer(escalation=escalation, user=request.user, answer=payload.answer)
    return _escalation_out(done, clock.now())


# ---------------------------------------------------------------------------------------------- protection


def _protection_out(e) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_label": str(e.get_kind_display()),
        "on": e.on,
        "notes": e.notes,
        "recorded_at": e.recorded_at,
    }


def _protection_case(request, reference: str, scope: str):
    case = scoped_case(request, reference, scope)
    if not perms.protection_may_read(request.user, case):
        raise Http404
    return case


@router.get(
    "/cases/{reference}/protection",
    response={200: list[ProtectionOut], **READ_ERRORS},
    url_name="case_protection",
    operation_id="case_protection",
    summary="The consulate's consular protection record (the consulate and the Moroccan central level)",
)
def case_protection(request, reference: str):
    case = _protection_case(request, reference, READ)
    entries = list(selectors.protection_entries(case=case))
    _log(request, "view", "case_protection", case.reference)
    return [_protection_out(e) for e in entries]


@router.post(
    "/cases/{reference}/protection",
    response={201: ProtectionOut, **WRITE_ERRORS},
    url_name="case_protection_record",
    operation_id="case_protection_record",
    summary="Record a fact of consular protection (the assigned consulate)",
)
def case_protection_record(request, reference: str, payload: ProtectionIn):
    case = _protection_case(request, reference, WRITE)
    entry = actions.protection_record(
        case=case, user=request.user, kind=payload.kind.value, on=payload.on, notes=payload.notes
    )
    return Status(201, _protection_out(entry))
