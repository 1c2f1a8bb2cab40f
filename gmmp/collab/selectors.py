"""Every read of the shared pages, scoped by who may see; personal data reads are logged by the views."""

import datetime as dt

from django.db import connection
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


def case_collab_summary(*, user, case: Case) -> dict:
    """What the case page shows of the shared pages: counts only (no text), read in one query (the
    thread's visibility, its messages and unread ones, the interviews, the open escalation's reason and
    date), not one query a figure. Written in SQL: the same query built with the ORM (four correlated
    subqueries) cost about 6 ms of Python a page to compile, more than the six queries it replaced
    (bench/RESULTS.md, "Load, fourth pass"); the figures are pinned by
    tests/www/test_case_page_query_counts.py."""
    visible = perms.thread_visibility_filter(user)
    if visible == NOTHING:
        thread, params = "1 = 0", []
    else:  # the visibility rule stays the ORM's (collab.perms): compiled, then used as a subquery
        sql, thread_params = Case.objects.filter(visible, pk=case.pk).values("pk").query.sql_with_params()
        thread, params = f"EXISTS ({sql})", list(thread_params)
    q = connection.ops.quote_name
    message, read = q(CaseMessage._meta.db_table), q(ThreadRead._meta.db_table)
    interview, escalation = q(Interview._meta.db_table), q(Escalation._meta.db_table)
    open_escalation_sql = (
        f"FROM {escalation} e WHERE e.case_id = %s AND e.state = %s ORDER BY e.raised_at, e.id LIMIT 1"
    )
    query = f"""SELECT {thread},
        (SELECT COUNT(*) FROM {message} m WHERE m.case_id = %s),
        (SELECT COUNT(*) FROM {message} m WHERE m.case_id = %s AND m.author_id <> %s AND NOT EXISTS (
            SELECT 1 FROM {read} r WHERE r.user_id = %s AND r.case_id = m.case_id AND r.read_at >= m.created_at)),
        (SELECT COUNT(*) FROM {interview} i WHERE i.case_id = %s),
        (SELECT e.reason {open_escalation_sql}),
        (SELECT e.raised_at {open_escalation_sql})"""
    params += [case.pk, case.pk, user.pk, user.pk, case.pk]
    params += [case.pk, EscalationState.OPEN, case.pk, EscalationState.OPEN]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        may_thread, messages, unread, interviews, reason, raised_at = cursor.fetchone()
    may_thread = bool(may_thread)
    open_escalation = None
    if reason is not None:
        # Only what the panel shows (reason and date): an unsaved instance for get_reason_display.
        open_escalation = Escalation(
            case=case, reason=reason, raised_at=_datetime(Escalation, "raised_at", raised_at)
        )
    return {
        "thread": may_thread,
        "messages": messages if may_thread else 0,
        "unread": unread if may_thread else 0,
        "interviews": interviews,
        "open_escalation": open_escalation,
        "protection": perms.protection_may_read(user, case),
    }


def _datetime(model, name: str, value):
    """A column read by hand, converted as the ORM converts it (SQLite answers text, in UTC)."""
    field = model._meta.get_field(name)
    column = field.get_col(model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


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
