"""Every read of the children's cases, scoped by `visible_to(user)` and logged (audit.AccessLog)."""

from django.db.models import Q
from django.http import Http404

from gmmp.audit.models import AccessLog
from gmmp.audit.services import access_log_record

from .enums import MinorState
from .models import MinorCase, MinorDocument, MinorEvent
from .perms import may_read_access_log, user_sees_children
from .workflow import OPEN

OBJECT_TYPE = "minor_case"


def minor_list_for_user(*, user, open_only: bool = False, channel: str = "web"):
    """The children's cases the user is named on. The listing itself is logged (count, not names)."""
    qs = MinorCase.objects.visible_to(user).select_related("consulate", "ase", "departement")
    if open_only:
        qs = qs.filter(state__in=OPEN)
    rows = list(qs.order_by("-created_at")[:500])
    if user_sees_children(user):
        access_log_record(
            user=user, action="list", object_type=OBJECT_TYPE, channel=channel, detail={"count": len(rows)}
        )
    return rows


def minor_get_for_user(*, user, reference: str, channel: str = "web") -> MinorCase:
    """The case if `user` may read the child's data (and the read is logged), else 404 like a missing one."""
    case = (
        MinorCase.objects.visible_to(user)
        .select_related("consulate", "ase", "court", "child_services", "justice", "departement")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404
    access_log_record(
        user=user, action="view", object_type=OBJECT_TYPE, object_id=case.reference, channel=channel
    )
    return case


def minor_get_for_supervisor(*, user, reference: str) -> MinorCase:
    """The case's reference and state for a supervisor of an organisation involved, who reads who looked
    at the case but not the child's data (the template shows no personal field)."""
    case = MinorCase.objects.filter(reference=reference).first()
    if case is None or not may_read_access_log(user, case):
        raise Http404
    return case


def minor_access_log(case: MinorCase):
    """Every read of the child's data, newest first: shown to the supervisors on the case."""
    return (
        AccessLog.objects.filter(object_type=OBJECT_TYPE, object_id=case.reference)
        .select_related("user", "user__organisation")
        .order_by("-at")
    )


def minor_timeline(case: MinorCase):
    return (
        MinorEvent.objects.filter(case=case)
        .select_related("actor", "actor_organisation")
        .order_by("sequence")
    )


def minor_document_for_user(*, user, reference: str, document_id: int, channel: str = "web") -> MinorDocument:
    case = minor_get_for_user(user=user, reference=reference, channel=channel)
    document = MinorDocument.objects.filter(case=case, pk=document_id).first()
    if document is None:
        raise Http404
    access_log_record(
        user=user,
        action="download",
        object_type=OBJECT_TYPE,
        object_id=case.reference,
        channel=channel,
        detail={"document": document.pk},
    )
    return document


def minor_followup_late(case: MinorCase, today) -> str:
    """'3m' or '12m' when that follow-up report is overdue, else ''."""
    if case.state == MinorState.HANDED_OVER and case.followup_3m_due and case.followup_3m_due < today:
        return "3m"
    if case.state == MinorState.FOLLOWED_3M and case.followup_12m_due and case.followup_12m_due < today:
        return "12m"
    return ""


def minor_ledger_verify(case: MinorCase) -> bool:
    return MinorEvent.verify(case)[0]


def minor_cases_for_reminders():
    return MinorCase.objects.filter(Q(state=MinorState.HANDED_OVER) | Q(state=MinorState.FOLLOWED_3M))
