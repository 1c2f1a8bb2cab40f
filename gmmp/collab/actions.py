"""Every change on a case's shared pages: keyword-only, taking the acting user; atomic, the case row
locked, one ledger event (never the text of a message or notes: those are erasable personal data), and
the notifications follow from the ledger event after the commit (notifications.case_events).
Interviews and escalations move through their workflows (collab.workflow, on the shared runner)."""

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gmmp.cases.actions import _lock, case_schedule_interview, event_record
from gmmp.cases.enums import CaseState as S
from gmmp.cases.enums import EventKind as K
from gmmp.cases.models import Case
from gmmp.cases.workflow import AWAITING_CONSULATE, OPEN
from gmmp.core import clock
from gmmp.core.errors import Refused
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.core.workflow import Step

from . import perms
from .enums import EscalationReason, EscalationState, InterviewStatus, NotHeldReason, ProtectionKind
from .files import attachment_write
from .models import CaseMessage, Escalation, Interview, MessageAttachment, ProtectionEntry, ThreadRead
from .workflow import ESCALATION_WORKFLOW, INTERVIEW_WORKFLOW

MESSAGE_MAX_CHARS = 5000


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, timezone=zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)).date()


def _check(result: tuple[bool, str]) -> None:
    ok, why = result
    if not ok:
        raise Refused(why, code="forbidden")


def _same(case: Case, kind: str, user, details: dict) -> None:
    event_record(case=case, user=user, kind=kind, details=details)


# The thread ------------------------------------------------------------------------------------------


@transaction.atomic
def message_post(
    *, case: Case, user, body: str, attachments: Sequence[tuple[str, bytes, str]] = ()
) -> CaseMessage:
    """`attachments`: (original name, checked bytes, content type) — checked by cases.evidence.evidence_check."""
    locked = _lock(case)
    _check(perms.thread_may_write(user, locked))
    body = body.strip()
    if not body:
        raise Refused(_("Le message ne peut pas être vide."), code="reason_required")
    if len(body) > MESSAGE_MAX_CHARS:
        raise Refused(_("Le message dépasse %(n)s caractères.") % {"n": MESSAGE_MAX_CHARS}, code="too_long")
    message = CaseMessage.objects.create(
        case=locked, author=user, author_organisation=user.organisation, body=body, created_at=clock.now()
    )
    for name, data, content_type in attachments:
        storage_name = uuid.uuid4().hex
        MessageAttachment.objects.create(
            message=message,
            original_name=name[:200],
            content_type=content_type,
            size=len(data),
            sha256=attachment_write(storage_name, data),
            storage_name=storage_name,
        )
    # The author has read their own thread up to here.
    ThreadRead.objects.update_or_create(user=user, case=locked, defaults={"read_at": message.created_at})
    _same(
        locked,
        "message_posted",
        user,
        {"message": message.pk, "side": perms.thread_side(user, locked), "attachments": len(attachments)},
    )
    return message


def thread_mark_read(*, case: Case, user) -> None:
    ThreadRead.objects.update_or_create(user=user, case=case, defaults={"read_at": clock.now()})


# Interviews ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """When, how and where an interview is held: what scheduling one and changing one both take."""

    starts_at: dt.datetime
    mode: str
    duration_minutes: int = 45
    room: str = ""
    video_link: str = ""
    interpreter_language: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> "Slot":
        """The slot from a form's cleaned data or a request body (keys beyond the slot's are ignored)."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})

    def columns(self) -> dict:
        """The interview's columns; a video interview needs its link."""
        if self.mode == "video" and not self.video_link.strip():
            raise Refused(_("Indiquez le lien de la visioconférence."), code="video_link_required")
        return {
            "starts_at": self.starts_at,
            "duration_minutes": self.duration_minutes,
            "mode": self.mode,
            "room": self.room.strip(),
            "video_link": self.video_link.strip(),
            "interpreter_needed": bool(self.interpreter_language.strip()),
            "interpreter_language": self.interpreter_language.strip(),
        }


@transaction.atomic
def interview_schedule(*, case: Case, user, slot: Slot) -> Interview:
    """The consulate proposes a slot; the case moves to `interview_scheduled` (its own transition)."""
    locked = _lock(case)
    _check(perms.interview_may_schedule(user, locked))
    if locked.interviews.filter(status__in=[InterviewStatus.PROPOSED, InterviewStatus.CONFIRMED]).exists():
        raise Refused(
            _("Une audition est déjà prévue : modifiez-la ou annulez-la."), code="interview_already_planned"
        )
    columns = slot.columns()
    case_schedule_interview(case=locked, user=user, at=slot.starts_at, mode=slot.mode)
    assert locked.consulate is not None  # interview_may_schedule: the user is the case's consulate
    return Interview.objects.create(
        case=locked, consulate=locked.consulate, scheduled_by=user, scheduled_at=clock.now(), **columns
    )


def _lock_interview(interview: Interview) -> tuple[Case, Interview]:
    case = _lock(interview.case)
    return case, Interview.objects.select_for_update().get(pk=interview.pk)


@transaction.atomic
def interview_change(*, interview: Interview, user, slot: Slot) -> Interview:
    """A new slot or place: the confirmation is asked again."""
    case, locked = _lock_interview(interview)
    _check(perms.interview_may_schedule(user, case))
    if locked.status not in (InterviewStatus.PROPOSED, InterviewStatus.CONFIRMED):
        raise Refused(_("Cette audition n'est plus modifiable."), code="invalid_state")
    for field, value in slot.columns().items():
        setattr(locked, field, value)
    locked.status, locked.confirmed_by, locked.confirmed_at = InterviewStatus.PROPOSED, None, None
    locked.save()
    # The case's event says the interview changed.
    case_schedule_interview(case=case, user=user, at=slot.starts_at, mode=slot.mode)
    return locked


def interview_confirm(*, interview: Interview, user) -> Interview:
    INTERVIEW_WORKFLOW.run(
        K.INTERVIEW_CONFIRMED,
        obj=interview,
        user=user,
        rule=lambda locked: Step(
            InterviewStatus.CONFIRMED,
            update={"confirmed_by": user, "confirmed_at": clock.now()},
            details={"interview": locked.pk, "at": locked.starts_at.isoformat()},
        ),
    )
    return interview


def interview_cancel(*, interview: Interview, user) -> Interview:
    INTERVIEW_WORKFLOW.run(
        K.INTERVIEW_CANCELLED,
        obj=interview,
        user=user,
        rule=lambda locked: Step(InterviewStatus.CANCELLED, details={"interview": locked.pk}),
    )
    return interview


def interview_record_outcome(
    *, interview: Interview, user, held: bool, not_held_reason: str = "", notes: str = ""
) -> Interview:
    def rule(locked: Interview) -> Step:
        if not held and not_held_reason not in NotHeldReason.values:
            raise Refused(_("Indiquez pourquoi l'audition n'a pas eu lieu."), code="reason_required")
        reason = "" if held else not_held_reason
        return Step(
            InterviewStatus.HELD if held else InterviewStatus.NOT_HELD,
            update={"not_held_reason": reason, "notes": notes.strip(), "outcome_at": clock.now()},
            details={"interview": locked.pk, "held": held},
            reason=reason,
        )

    INTERVIEW_WORKFLOW.run(K.INTERVIEW_OUTCOME, obj=interview, user=user, rule=rule)
    return interview


# Escalations -----------------------------------------------------------------------------------------


def escalation_grounds(case: Case, today: dt.date | None = None) -> list[str]:
    """The reasons that make `case` stalled today (empty: nothing to escalate)."""
    today = today or clock.today()
    # Policy data (core.PolicyValue): the days after identification without an LPC, the release horizon.
    lpc_after = policy_value(PolicyKeys.LPC_AFTER_IDENTIFICATION, today)
    release_close = policy_value(PolicyKeys.RELEASE_CLOSE, today)
    grounds: list[str] = []
    if case.state in AWAITING_CONSULATE and case.reply_due and case.reply_due < today:
        grounds.append(EscalationReason.REPLY_OVERDUE)
    if (
        case.state == S.IDENTIFIED
        and case.decided_at
        and (today - _local_date(case.decided_at)).days >= lpc_after
    ):
        grounds.append(EscalationReason.NO_LPC_AFTER_IDENTIFICATION)
    if (
        case.state in (S.SUBMITTED, *AWAITING_CONSULATE, S.IDENTIFIED)
        and case.detention_end
        and today <= case.detention_end <= today + dt.timedelta(days=release_close)
    ):
        grounds.append(EscalationReason.RELEASE_CLOSE)
    return grounds


@transaction.atomic
def escalation_raise(*, case: Case, user, reason: str, comment: str = "") -> Escalation:
    locked = _lock(case)
    _check(perms.escalation_may_raise(user, locked))
    if locked.state not in OPEN:
        raise Refused(_("La demande est terminée."), code="invalid_state")
    if reason not in escalation_grounds(locked):
        raise Refused(
            _("Ce motif ne s'applique pas à la demande aujourd'hui : rien à signaler pour ce motif."),
            code="not_stalled",
        )
    if locked.escalations.filter(state=EscalationState.OPEN).exists():
        raise Refused(_("Un signalement est déjà ouvert pour cette demande."), code="already_open")
    escalation = Escalation.objects.create(
        case=locked,
        reason=reason,
        comment=comment.strip(),
        raised_by=user,
        raised_by_organisation=user.organisation,
        raised_at=clock.now(),
    )
    ESCALATION_WORKFLOW.record(
        subject=escalation,
        user=user,
        kind=K.ESCALATION_RAISED,
        from_state=locked.state,
        to_state=locked.state,
        reason=reason,
        details={"escalation": escalation.pk, "state": ["", EscalationState.OPEN]},
    )
    return escalation


def escalation_answer(*, escalation: Escalation, user, answer: str) -> Escalation:
    def rule(locked: Escalation) -> Step:
        if not answer.strip():
            raise Refused(_("La réponse ne peut pas être vide."), code="reason_required")
        now = clock.now()
        return Step(
            EscalationState.ANSWERED,
            update={
                "answer": answer.strip(),
                "answered_by": user,
                "answered_by_organisation": user.organisation,
                "answered_at": now,
            },
            details={"escalation": locked.pk, "days_open": (now - locked.raised_at).days},
        )

    ESCALATION_WORKFLOW.run(K.ESCALATION_ANSWERED, obj=escalation, user=user, rule=rule)
    return escalation


# Consular protection ---------------------------------------------------------------------------------


@transaction.atomic
def protection_record(*, case: Case, user, kind: str, on: dt.date, notes: str = "") -> ProtectionEntry:
    locked = _lock(case)
    _check(perms.protection_may_write(user, locked))
    if kind not in ProtectionKind.values:
        raise Refused(_("Nature inconnue."), code="invalid_kind")
    if on > clock.today():
        raise Refused(_("La date ne peut pas être dans le futur."), code="invalid_date")
    entry = ProtectionEntry.objects.create(
        case=locked, kind=kind, on=on, notes=notes.strip(), recorded_by=user, recorded_at=clock.now()
    )
    _same(locked, "protection_recorded", user, {"entry": entry.pk, "kind": kind})
    return entry
