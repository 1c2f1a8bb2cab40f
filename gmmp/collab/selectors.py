"""Every read of the shared pages, scoped by who may see; personal data reads are logged by the views."""

import datetime as dt

from django.http import Http404

from gmmp.cases.models import Case

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


def case_collab_summary(*, user, case: Case) -> dict:
    """What the case page shows of the shared pages: counts only (no text)."""
    may_thread = Case.objects.filter(perms.thread_visibility_filter(user), pk=case.pk).exists()
    return {
        "thread": may_thread,
        "messages": CaseMessage.objects.filter(case=case).count() if may_thread else 0,
        "unread": thread_unread_count(user=user, case=case) if may_thread else 0,
        "interviews": Interview.objects.filter(case=case).count(),
        "open_escalation": Escalation.objects.filter(case=case, state=EscalationState.OPEN).first(),
        "protection": perms.protection_may_read(user, case),
    }


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
