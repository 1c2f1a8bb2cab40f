"""The daily jobs the worker starts once a day (scheduler.py), or `gmmp daily_jobs` by hand.

Each alert's key holds the date it is about (the reply due date, the release date, the document's end
of validity): a job run twice, or a case seen on several days, notifies once per person and per date;
a new date (the reply deadline moved, the document extended) is a new event.
"""

import datetime as dt
import logging

from gmmp.cases.enums import CaseState as S
from gmmp.cases.models import Case
from gmmp.cases.workflow import AWAITING_CONSULATE
from gmmp.core import clock
from gmmp.core.models import PolicyKeys, policy_value

from .enums import NotificationKind as N
from .services import Audience, notify, recipients

logger = logging.getLogger("gmmp.ledger")

NOT_YET_DOCUMENTED = frozenset({S.SUBMITTED, *AWAITING_CONSULATE, S.IDENTIFIED})
DOCUMENT_IN_USE = frozenset({S.LPC_ISSUED, S.DEPARTURE_SCHEDULED, S.DEPARTURE_FAILED})


def _horizon(key: str, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=policy_value(key, today))


def _case_alert(case: Case, kind: str, key: str, audiences, date: dt.date | None) -> int:
    assert date is not None  # the queries below only select cases with this date set
    users = recipients(audiences, case)
    return len(notify(key=key, kind=kind, users=users, case=case, params={"date": date.isoformat()}))


def deadline_alerts(*, today: dt.date | None = None) -> dict:
    """Reply due within the policy's horizon (`alerts.reply_due_soon_days`, 7) (consulate), reply overdue
    (consulate and préfecture), release within `alerts.release_close_days` (7) with no laissez-passer yet
    (both). The horizons are policy rows: the day's value applies."""
    today = today or clock.today()
    horizon = _horizon(PolicyKeys.REPLY_DUE_SOON, today)
    awaiting = Case.objects.filter(state__in=AWAITING_CONSULATE, reply_due__isnull=False)
    due_soon = awaiting.filter(reply_due__gte=today, reply_due__lte=horizon)
    overdue = awaiting.filter(reply_due__lt=today)
    release_horizon = _horizon(PolicyKeys.RELEASE_CLOSE, today)
    releasing = Case.objects.filter(
        state__in=NOT_YET_DOCUMENTED, detention_end__gte=today, detention_end__lte=release_horizon
    )
    both = [Audience.CONSULATE, Audience.PREFECTURE]
    # Each alert: its kind, the cases concerned, its key's prefix, who is told, the case's date it is about.
    alerts = [
        (N.REPLY_DUE_SOON, due_soon, "reply-due", [Audience.CONSULATE], "reply_due"),
        (N.REPLY_OVERDUE, overdue, "reply-overdue", both, "reply_due"),
        (N.RELEASE_SOON_NO_LPC, releasing, "release-soon", both, "detention_end"),
    ]
    counts: dict[str, int] = {}
    for kind, cases, prefix, audiences, field in alerts:
        counts[str(kind)] = 0
        for case in cases.iterator():
            date = getattr(case, field)
            counts[str(kind)] += _case_alert(case, kind, f"{prefix}:{case.pk}:{date}", audiences, date)
    return counts


def lpc_expiry_warnings(*, today: dt.date | None = None) -> dict:
    """A document in force that ends within `alerts.lpc_expiring_days` (3) while the person has not left:
    préfecture and consulate (which can extend it)."""
    from gmmp.documents.models import LaissezPasser, LpcStatus

    today = today or clock.today()
    horizon = _horizon(PolicyKeys.LPC_EXPIRING, today)
    documents = LaissezPasser.objects.filter(
        status=LpcStatus.ISSUED, valid_to__gte=today, valid_to__lte=horizon, case__state__in=DOCUMENT_IN_USE
    ).select_related("case")
    sent = 0
    for lpc in documents.iterator():
        sent += _case_alert(
            lpc.case,
            N.LPC_EXPIRING,
            f"lpc-expiring:{lpc.pk}:{lpc.valid_to}",
            [Audience.PREFECTURE, Audience.CONSULATE],
            lpc.valid_to,
        )
    return {str(N.LPC_EXPIRING): sent}


def _previous_quarter(today: dt.date) -> str:
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year}Q{quarter - 1}" if quarter > 1 else f"{today.year - 1}Q4"


def governance_reminders(*, today: dt.date | None = None) -> dict:
    """For the GMMP (no personal data): the last quarter is closed, its indicators and report are ready
    (secretariat and both central administrations, once per quarter); follow-up actions due within
    `alerts.governance_action_due_days` (7) or late (secretariat)."""
    from gmmp.governance.models import OPEN_STATUSES, ActionItem

    today = today or clock.today()
    horizon = _horizon(PolicyKeys.GOVERNANCE_ACTION_DUE, today)
    users = recipients([Audience.SECRETARIAT])
    sent = 0
    for action in ActionItem.objects.filter(status__in=OPEN_STATUSES, due_date__lte=horizon).iterator():
        assert action.due_date is not None  # due_date__lte excludes the actions without a due date
        sent += len(
            notify(
                key=f"gmmp-action:{action.pk}:{action.due_date}",
                kind=N.GOVERNANCE_ACTION_DUE,
                users=users,
                params={"date": action.due_date.isoformat(), "link": "governance:followup"},
            )
        )
    quarter = _previous_quarter(today)
    closed = 0
    # The seasonal programme's operators supply figures the GMMP reviews with the quarter's: they are
    # told too, and sent to the page they read (the shared dashboard is the central readers').
    for audiences, link in (
        ([Audience.SECRETARIAT, Audience.FR_CENTRAL, Audience.MA_CENTRAL], "indicators:dashboard"),
        ([Audience.PROGRAMME], "mobility:index"),
    ):
        closed += len(
            notify(
                key=f"quarter-closed:{quarter}",
                kind=N.QUARTER_CLOSED,
                users=recipients(audiences),
                params={"quarter": quarter, "link": link},
            )
        )
    return {str(N.GOVERNANCE_ACTION_DUE): sent, str(N.QUARTER_CLOSED): closed}


def retention_run(*, today: dt.date | None = None) -> dict:
    from gmmp.cases.retention import retention_apply

    report = retention_apply(today=today)
    return {
        "full_erased": report.full_erased,
        "core_erased": report.core_erased,
        "orphans": report.orphan_files,
        **report.swept,
    }


def ledger_check(*, today: dt.date | None = None) -> dict:
    """Tamper evidence, nightly: verify the keyed chain over every ledger (core/ledger_chain.py). When it
    holds, publish today's signed head outside the database. When it does not, publish nothing (a head
    of a rewritten chain would anchor the rewrite), log each problem, and tell the administrators once a
    day: the number of problems only, no personal data (the detail is in the log and `gmmp ledger
    verify`)."""
    from gmmp.core.ledger_chain import chain_publish, chain_verify

    today = today or clock.today()
    report = chain_verify()
    if report.ok:
        head = chain_publish()
        return {"events": report.count, "problems": 0, "published": head["count"]}
    for problem in report.problems:
        logger.error("ledger verification failed: %s", problem)
    told = notify(
        key=f"ledger-mismatch:{today.isoformat()}",
        kind=N.LEDGER_MISMATCH,
        users=recipients([Audience.ADMINISTRATORS]),
        params={"problems": len(report.problems), "date": today.isoformat()},
    )
    return {"events": report.count, "problems": len(report.problems), "told": len(told)}


def minors_reminders(*, today: dt.date | None = None) -> dict:
    """The protected track's overdue follow-up reports: a reminder on the child's ledger, once per
    report; its on-commit effect tells the officers who owe it (minor_events.py)."""
    from gmmp.minors.actions import minor_followups_remind

    return {"reminders": minor_followups_remind(on=today or clock.today())}


# name: (local time from which it runs each day, function)
DAILY_JOBS = {
    "ledger_check": (dt.time(2, 30), ledger_check),
    "retention": (dt.time(3, 15), retention_run),
    "deadline_alerts": (dt.time(6, 0), deadline_alerts),
    "lpc_expiry": (dt.time(6, 0), lpc_expiry_warnings),
    "governance_reminders": (dt.time(6, 0), governance_reminders),
    "minors_reminders": (dt.time(6, 0), minors_reminders),
}
