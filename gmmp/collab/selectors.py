"""Every read of the shared pages, scoped by who may see; personal data reads are logged by the views."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from gmmp.cases.models import Case
from gmmp.cases.perms import NOTHING

from . import perms
from .enums import EscalationState, InterviewStatus
from .models import CaseMessage, Escalation, Interview, ProtectionEntry, ThreadRead


def thread_case_get_for_user(*, user, reference: str) -> Case:
    """404 for a missing case and for one whose thread `user` may not read, alike."""
    case = (
        Case.objects.filter(perms.thread_visibility_filter(user), reference=reference)
        .select_related("prefecture", "consulate")
        .first()
    )
    if case is None:
        raise Http404
    return case


def thread_messages(*, case: Case):
    return (
        CaseMessage.objects.filter(case=case)
        .select_related("author", "author_organisation")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def thread_read_at(*, user, case: Case):
    row = ThreadRead.objects.filter(user=user, case=case).values("read_at").first()
    return row["read_at"] if row else None


def thread_unread_count(*, user, case: Case) -> int:
    read_at = thread_read_at(user=user, case=case)
    qs = CaseMessage.objects.filter(case=case).exclude(author=user)
    if read_at is not None:
        qs = qs.filter(created_at__gt=read_at)
    return qs.count()


COLLAB_FIGURES = (
    "collab_thread",
    "collab_messages",
    "collab_unread",
    "collab_interviews",
    "collab_escalation_reason",
    "collab_escalation_raised_at",
)


def case_collab_summary(*, user, case: Case) -> dict:
    """What the case page shows of the shared pages: counts only (no text), read in one query (the
    thread's visibility, its messages and unread ones, the interviews, the open escalation's reason and
    date), not one query a figure."""
    case_ref = OuterRef("pk")
    messages = CaseMessage.objects.filter(case=case_ref)
    # Unread = written by someone else after the user's read mark (every message when there is none).
    unread = messages.exclude(author=user).exclude(
        Exists(
            ThreadRead.objects.filter(user=user, case=OuterRef("case"), read_at__gte=OuterRef("created_at"))
        )
    )
    escalation = Escalation.objects.filter(case=case_ref, state=EscalationState.OPEN).order_by(
        "raised_at", "pk"
    )
    visible = perms.thread_visibility_filter(user)
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            collab_thread=Value(False)
            if visible == NOTHING
            else Exists(Case.objects.filter(visible, pk=case_ref)),
            collab_messages=_count(messages),
            collab_unread=_count(unread),
            collab_interviews=_count(Interview.objects.filter(case=case_ref)),
            collab_escalation_reason=Subquery(escalation.values("reason")[:1]),
            collab_escalation_raised_at=Subquery(escalation.values("raised_at")[:1]),
        )
        .values(*COLLAB_FIGURES)
        .get()
    )
    may_thread = bool(row["collab_thread"])
    open_escalation = None
    if row["collab_escalation_reason"] is not None:
        # Only what the panel shows (reason and date): an unsaved instance for get_reason_display.
        open_escalation = Escalation(
            case=case, reason=row["collab_escalation_reason"], raised_at=row["collab_escalation_raised_at"]
        )
    return {
        "thread": may_thread,
        "messages": row["collab_messages"] if may_thread else 0,
        "unread": row["collab_unread"] if may_thread else 0,
        "interviews": row["collab_interviews"],
        "open_escalation": open_escalation,
        "protection": perms.protection_may_read(user, case),
    }


def _count(qs) -> Coalesce:
    """A correlated COUNT(*) of `qs` (filtered on OuterRef), 0 when it has no row."""
    counted = qs.order_by().values("case").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


def interviews_for_case(*, case: Case):
    return Interview.objects.filter(case=case).select_related("confirmed_by").order_by("starts_at")


def interview_get_for_user(*, user, pk: int) -> Interview:
    from gmmp.cases.perms import case_visibility_filter

    interview = (
        Interview.objects.filter(pk=pk, case__in=Case.objects.filter(case_visibility_filter(user)))
        .select_related("case")
        .first()
    )
    if interview is None:
        raise Http404
    return interview


def interview_calendar(*, consulate, week_start: dt.date):
    """The consulate's interviews in the week from `week_start` (Monday), cancelled ones excluded."""
    start = dt.datetime.combine(week_start, dt.time.min, tzinfo=dt.UTC) - dt.timedelta(hours=14)
    end = start + dt.timedelta(days=7, hours=28)
    return (
        Interview.objects.filter(consulate=consulate, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=InterviewStatus.CANCELLED)
        .select_related("case")
        .order_by("starts_at")
    )


def escalations_for_user(*, user, open_only: bool = False):
    qs = Escalation.objects.filter(perms.escalations_visible_filter(user))
    if open_only:
        qs = qs.filter(state=EscalationState.OPEN)
    return qs.select_related("case", "raised_by_organisation", "answered_by_organisation").order_by(
        "state", "raised_at"
    )


def escalation_get_for_user(*, user, pk: int) -> Escalation:
    escalation = escalations_for_user(user=user).filter(pk=pk).first()
    if escalation is None:
        raise Http404
    return escalation


def open_escalations_count(*, user) -> int:
    return Escalation.objects.filter(
        perms.escalations_visible_filter(user), state=EscalationState.OPEN
    ).count()


def protection_entries(*, case: Case):
    return ProtectionEntry.objects.filter(case=case).select_related("recorded_by")
