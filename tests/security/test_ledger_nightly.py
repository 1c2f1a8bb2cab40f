"""The worker checks the ledger every night: verify the keyed chain, publish the signed head when it holds,
tell the administrators when it does not (a count, no personal data) and publish nothing then."""

import datetime as dt
import json
import logging

import pytest
from django.core.management import call_command

from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.core import clock
from gmmp.core.ledger_chain import chain_head, heads_path, published_heads
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.jobs import ledger_check
from gmmp.notifications.messages import sentence
from gmmp.notifications.models import JobRun, Notification
from gmmp.organisations.models import Organisation, User
from tests.factories import make_case
from tests.security.test_ledger_chain import tamper

NIGHT = dt.time(1, 45)  # UTC: 02:45 in Paris, after the check's hour (02:30 local)


@pytest.fixture(autouse=True)
def _heads_in_tmp(settings, tmp_path):
    settings.LEDGER_HEADS_FILE = tmp_path / "ledger" / "heads.jsonl"


@pytest.fixture
def admins(personas):
    """A platform administrator (role admin) and a staff account without organisation."""
    admin = User.objects.create(
        username="platform_admin", organisation=Organisation.objects.get(code="DGEF"), role="admin"
    )
    staff = User.objects.create(username="staff_root", is_staff=True, is_superuser=True)
    return {admin.username, staff.username}


@pytest.fixture
def ledger(lpc_ready):
    make_case(CaseState.IDENTIFIED, **lpc_ready)
    return list(CaseEvent.objects.order_by("pk"))


def _night_worker():
    """The worker once, at night: it starts the day's due jobs (the ledger check among them)."""
    night = dt.datetime.combine(clock.today(), NIGHT, tzinfo=dt.UTC)
    with clock.frozen(night):
        call_command("worker", "--once", stdout=open("/dev/null", "w"))
    return JobRun.objects.get(job="ledger_check", day=clock.today())


def test_the_worker_verifies_the_ledger_at_night_and_publishes_its_head(ledger, admins):
    run = _night_worker()
    assert run.finished_at and run.summary["problems"] == 0
    assert run.summary["events"] == len(ledger) == chain_head()[0]
    published = published_heads()
    assert [head["count"] for head in published] == [len(ledger)]
    assert json.loads(heads_path().read_text().splitlines()[-1])["mac"] == chain_head()[1]
    assert not Notification.objects.filter(kind=N.LEDGER_MISMATCH).exists()


def test_a_rewritten_ledger_alerts_the_administrators_only_and_publishes_nothing(
    ledger, admins, personas, caplog
):
    event = ledger[1]
    tamper("UPDATE cases_caseevent SET reason = %s WHERE id = %s", ["réécrit", event.pk])
    with caplog.at_level(logging.ERROR, logger="gmmp.ledger"):
        run = _night_worker()
    assert run.summary["problems"] >= 1 and run.summary["told"] == 2
    told = Notification.objects.filter(kind=N.LEDGER_MISMATCH)
    assert set(told.values_list("recipient__username", flat=True)) == admins
    assert not Notification.objects.filter(kind=N.LEDGER_MISMATCH, recipient__in=personas.values()).exists()
    assert published_heads() == []  # a head of a rewritten chain would anchor the rewrite
    assert f"cases.caseevent:{event.pk}: event edited" in caplog.text


def test_the_alert_carries_no_personal_data_and_comes_once_a_day(ledger, admins):
    case = ledger[0].case
    tamper("DELETE FROM cases_caseevent WHERE id = %s", [ledger[-1].pk])
    ledger_check()
    ledger_check()  # a second run the same day (a restart) tells no one twice
    notes = list(Notification.objects.filter(kind=N.LEDGER_MISMATCH))
    assert len(notes) == 2
    for note in notes:
        assert note.case is None and note.case_reference == ""
        assert set(note.params) == {"problems", "date"}
        words = sentence(note.kind, note.params)
        assert str(note.params["problems"]) in words
        for personal in (case.last_name, case.first_names, case.reference):
            assert personal not in words and personal not in json.dumps(note.params)
