"""E-mails: sent after the commit by the worker, one per event and recipient even when the worker
retries or the same task runs twice, nothing personal beyond the case reference, per user preference."""

import smtplib

import pytest
from django.core import mail

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.notifications.delivery import backoff, email_deliver, emails_send_due
from gmmp.notifications.enums import DeliveryStatus
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.models import EmailDelivery, Notification
from gmmp.notifications.services import notify, preference_set
from gmmp.notifications.tasks import email_send
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def routed_case(personas, capture):
    with capture(execute=True):
        return make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"], last_name="ZERHOUNI")


def test_nothing_is_sent_before_the_commit_then_the_worker_sends_one_per_recipient(
    with_emails, django_capture_on_commit_callbacks, run_worker
):
    case = make_case(CaseState.ROUTED, prefecture_user=with_emails["pref75_agent"])
    assert Notification.objects.filter(case=case).count() == 0  # not committed yet: nothing told
    with django_capture_on_commit_callbacks(execute=True):
        actions.case_request_information(
            case=case, user=with_emails["cg_paris_agent"], question="Passeport ?"
        )
    run_worker()
    sent = [m for m in mail.outbox if case.reference in m.subject]
    assert sorted(m.to[0] for m in sent) == ["pref75_agent@example.test", "pref75_supervisor@example.test"]


def test_an_email_names_nobody(with_emails, django_capture_on_commit_callbacks, run_worker):
    case = routed_case(with_emails, django_capture_on_commit_callbacks)
    run_worker()
    about_case = [m for m in mail.outbox if case.reference in m.subject]
    assert about_case
    for message in about_case:
        text = message.subject + message.body
        assert case.reference in text
        for personal in ("ZERHOUNI", "Mohamed", "Abdelkader", "Bennani", "Casablanca", "1994"):
            assert personal not in text


def test_the_worker_retries_after_a_mail_server_failure_and_sends_once(
    with_emails, django_capture_on_commit_callbacks, monkeypatch
):
    case = routed_case(with_emails, django_capture_on_commit_callbacks)
    note = Notification.objects.filter(case=case, recipient=with_emails["cg_paris_agent"]).get()

    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("down")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert email_deliver(note.pk) == DeliveryStatus.PENDING
    row = EmailDelivery.objects.get(notification=note)
    assert row.attempts == 1 and row.last_error == "SMTPServerDisconnected"
    assert row.next_attempt_at > clock.now()
    # Not due yet: the sweep leaves it alone.
    emails_send_due()
    assert [m for m in mail.outbox if m.to == ["cg_paris_agent@example.test"]] == []
    # Later, the worker's sweep sends it; again and again, it stays sent once.
    with clock.frozen(clock.now() + backoff(1) + backoff(1)):
        emails_send_due()
        emails_send_due()
        email_send.call([note.pk])
        email_deliver(note.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2
    assert len([m for m in mail.outbox if m.to == ["cg_paris_agent@example.test"]]) == 1


def test_the_same_event_twice_makes_one_notification_and_one_email(with_emails, run_worker):
    user = with_emails["cg_paris_agent"]
    first = notify(key="case-event:999999", kind=N.CASE_ROUTED, users=[user], case_reference="DI-2026-000001")
    again = notify(key="case-event:999999", kind=N.CASE_ROUTED, users=[user], case_reference="DI-2026-000001")
    assert len(first) == 1 and again == []
    email_send.call([first[0].pk])
    email_send.call([first[0].pk])
    run_worker()
    assert len([m for m in mail.outbox if "DI-2026-000001" in m.subject]) == 1


def test_a_claim_left_by_a_dead_worker_is_not_sent_again(with_emails):
    import datetime as dt

    note = notify(
        key="k-dead", kind=N.CASE_ROUTED, users=[with_emails["cg_paris_agent"]], case_reference="DI-X"
    )[0]
    EmailDelivery.objects.filter(notification=note).update(
        status=DeliveryStatus.SENDING, claimed_at=clock.now() - dt.timedelta(hours=1), attempts=1
    )
    result = emails_send_due()
    assert result["abandoned"] == 1
    assert EmailDelivery.objects.get(notification=note).status == DeliveryStatus.FAILED
    assert not mail.outbox


def test_a_user_who_turned_emails_off_gets_the_inbox_only(
    with_emails, django_capture_on_commit_callbacks, run_worker
):
    preference_set(user=with_emails["cg_paris_supervisor"], email_enabled=False)
    case = routed_case(with_emails, django_capture_on_commit_callbacks)
    run_worker()
    assert Notification.objects.filter(case=case, recipient=with_emails["cg_paris_supervisor"]).exists()
    assert [m.to for m in mail.outbox if case.reference in m.subject] == [["cg_paris_agent@example.test"]]


def test_the_email_is_in_the_recipients_language(with_emails, django_capture_on_commit_callbacks, run_worker):
    user = with_emails["cg_paris_agent"]
    user.preferred_language = "ar"
    user.save(update_fields=["preferred_language"])
    routed_case(with_emails, django_capture_on_commit_callbacks)
    run_worker()
    (message,) = [m for m in mail.outbox if m.to == ["cg_paris_agent@example.test"]]
    assert any("\u0600" <= ch <= "\u06ff" for ch in message.subject)
