"""The daily jobs: deadline alerts, laissez-passer expiry, retention, started once a day by the worker."""

import datetime as dt

import pytest
from django.core.management import call_command

from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.core import clock
from gmmp.notifications import scheduler
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.jobs import deadline_alerts, lpc_expiry_warnings
from gmmp.notifications.models import JobRun, Notification
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def told(kind, case) -> set[str]:
    return set(
        Notification.objects.filter(kind=kind, case=case).values_list("recipient__username", flat=True)
    )


def documented_case(personas, *, valid_for_days: int):
    """A Paris case with a laissez-passer in force that ends `valid_for_days` from today."""
    from gmmp.documents.models import LaissezPasser

    case = make_case(
        CaseState.LPC_ISSUED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
    )
    LaissezPasser.objects.filter(case=case).update(valid_to=clock.today() + dt.timedelta(days=valid_for_days))
    return case


def test_a_reply_due_within_a_week_alerts_the_consulate_once(personas):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    Case.objects.filter(pk=case.pk).update(reply_due=clock.today() + dt.timedelta(days=7))
    deadline_alerts()
    deadline_alerts()
    assert told(N.REPLY_DUE_SOON, case) == {"cg_paris_agent", "cg_paris_supervisor"}
    assert Notification.objects.filter(kind=N.REPLY_DUE_SOON, case=case).count() == 2


def test_a_reply_due_later_does_not_alert_yet(personas):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    Case.objects.filter(pk=case.pk).update(reply_due=clock.today() + dt.timedelta(days=8))
    deadline_alerts()
    assert told(N.REPLY_DUE_SOON, case) == set()


def test_an_overdue_reply_alerts_both_sides(personas):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    Case.objects.filter(pk=case.pk).update(reply_due=clock.today() - dt.timedelta(days=1))
    deadline_alerts()
    assert told(N.REPLY_OVERDUE, case) == {
        "cg_paris_agent",
        "cg_paris_supervisor",
        "pref75_agent",
        "pref75_supervisor",
    }


def test_a_release_within_a_week_without_laissez_passer_alerts_both_sides(personas):
    soon = make_case(
        CaseState.IDENTIFIED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
    )
    documented = make_case(
        CaseState.LPC_ISSUED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
    )
    Case.objects.filter(pk__in=[soon.pk, documented.pk]).update(
        detention_end=clock.today() + dt.timedelta(days=5)
    )
    deadline_alerts()
    assert told(N.RELEASE_SOON_NO_LPC, soon) == {
        "cg_paris_agent",
        "cg_paris_supervisor",
        "pref75_agent",
        "pref75_supervisor",
    }
    assert told(N.RELEASE_SOON_NO_LPC, documented) == set()


def test_a_laissez_passer_ending_in_three_days_warns_prefecture_and_consulate(personas):
    case = documented_case(personas, valid_for_days=3)
    lpc_expiry_warnings()
    lpc_expiry_warnings()
    assert told(N.LPC_EXPIRING, case) == {
        "cg_paris_agent",
        "cg_paris_supervisor",
        "pref75_agent",
        "pref75_supervisor",
    }
    assert Notification.objects.filter(kind=N.LPC_EXPIRING).count() == 4


def test_the_worker_starts_each_daily_job_once_a_day(personas, run_worker):
    morning = dt.datetime.combine(clock.today(), dt.time(7, 0), tzinfo=dt.UTC)
    with clock.frozen(morning):
        run_worker(jobs=True)
        run_worker(jobs=True)
    runs = JobRun.objects.filter(day=clock.today())
    assert sorted(runs.values_list("job", flat=True)) == [
        "deadline_alerts",
        "governance_reminders",
        "ledger_check",
        "lpc_expiry",
        "minors_reminders",
        "retention",
    ]
    assert all(run.finished_at for run in runs)
    with clock.frozen(morning + dt.timedelta(days=1)):
        assert len(scheduler.tick()) == 6


def test_before_its_hour_a_daily_job_waits(personas):
    night = dt.datetime.combine(clock.today(), dt.time(1, 0), tzinfo=dt.UTC)  # 02:00 in Paris
    with clock.frozen(night):
        assert scheduler.jobs_due() == []


def test_the_daily_jobs_command_runs_them_now(personas, capsys):
    call_command("daily_jobs", "--job", "deadline_alerts")
    assert "deadline_alerts" in capsys.readouterr().out


def test_a_closed_quarter_tells_the_gmmp_once_and_no_case_worker(personas):
    from gmmp.notifications.jobs import governance_reminders

    governance_reminders()
    governance_reminders()
    told_now = set(
        Notification.objects.filter(kind=N.QUARTER_CLOSED).values_list("recipient__username", flat=True)
    )
    assert told_now == {
        "gmmp_secretariat",
        "dgef_central",
        "dmsf_central",
        "maece_central",
        "ofii_officer",
        "anapec_officer",
    }
    assert (
        Notification.objects.get(kind=N.QUARTER_CLOSED, recipient=personas["gmmp_secretariat"]).params[
            "quarter"
        ]
        == "2026Q3"
    )


def test_the_release_horizon_is_policy_data(personas):
    from gmmp.core.models import PolicyKeys, PolicyValue

    case = make_case(
        CaseState.IDENTIFIED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
    )
    Case.objects.filter(pk=case.pk).update(detention_end=clock.today() + dt.timedelta(days=5))
    PolicyValue.objects.create(
        key=PolicyKeys.RELEASE_CLOSE, effective_from=clock.today(), value=3, source="test: a shorter horizon"
    )
    deadline_alerts()
    assert told(N.RELEASE_SOON_NO_LPC, case) == set()
    PolicyValue.objects.create(
        key=PolicyKeys.RELEASE_CLOSE,
        effective_from=clock.today() + dt.timedelta(days=1),
        value=10,
        source="test: a longer horizon",
    )
    deadline_alerts(today=clock.today() + dt.timedelta(days=1))
    assert "pref75_agent" in told(N.RELEASE_SOON_NO_LPC, case)


def test_the_reply_due_and_expiry_horizons_are_policy_data(personas):
    from gmmp.core.models import PolicyKeys, PolicyValue

    awaiting = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    Case.objects.filter(pk=awaiting.pk).update(reply_due=clock.today() + dt.timedelta(days=10))
    documented = documented_case(personas, valid_for_days=5)
    deadline_alerts()
    lpc_expiry_warnings()
    assert told(N.REPLY_DUE_SOON, awaiting) == set()
    assert told(N.LPC_EXPIRING, documented) == set()

    for key, days in ((PolicyKeys.REPLY_DUE_SOON, 10), (PolicyKeys.LPC_EXPIRING, 5)):
        PolicyValue.objects.create(key=key, effective_from=clock.today(), value=days, source="test: longer")
    deadline_alerts()
    lpc_expiry_warnings()
    assert told(N.REPLY_DUE_SOON, awaiting) == {"cg_paris_agent", "cg_paris_supervisor"}
    assert "pref75_agent" in told(N.LPC_EXPIRING, documented)


def test_the_alert_labels_name_no_fixed_number_of_days():
    # The horizons are policy rows: a label saying "7 days" would lie once a row changes them.
    for kind in (N.REPLY_DUE_SOON, N.LPC_EXPIRING, N.GOVERNANCE_ACTION_DUE, N.RELEASE_SOON_NO_LPC):
        assert not any(ch.isdigit() for ch in str(kind.label)), kind
