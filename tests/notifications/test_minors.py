"""The protected track tells only the people named on the child's case (and the clerks of its court) of
its steps; the supervisors of the organisations involved hear that a case was opened, with a link to its
access log; overdue follow-up reports reach the officers who owe them; never a name, never the actor."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from gmmp.core import clock
from gmmp.minors import actions
from gmmp.minors.enums import MinorState as S
from gmmp.minors.models import MinorCase
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.jobs import minors_reminders
from gmmp.notifications.messages import sentence
from gmmp.notifications.models import Notification
from tests.minors.conftest import CHILD, take, walk

pytestmark = pytest.mark.django_db


def told(kind, case=None) -> set[str]:
    notes = Notification.objects.filter(kind=kind)
    if case is not None:
        notes = notes.filter(case_reference=case.reference)
    return set(notes.values_list("recipient__username", flat=True))


def test_a_referral_tells_the_named_people_and_the_supervisors_not_the_actor(
    minor_personas, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.minor_refer(user=minor_personas["ase75_officer"], data=dict(CHILD))
    assert told(N.MINOR_REFERRED, case) == {
        "judge_paris",
        "clerk_paris",
        "cg_paris_cp",
        "ma_enfance_officer",
        "ma_justice_contact",
    }
    opened = told(N.MINOR_CASE_OPENED, case)
    assert "ase75_supervisor" in opened and "ase75_officer" not in opened
    # Nobody of the adult track but a supervisor of an organisation involved; no central reader.
    everyone = set(
        Notification.objects.filter(case_reference=case.reference).values_list(
            "recipient__username", flat=True
        )
    )
    assert everyone.isdisjoint(
        {
            "pref75_agent",
            "cg_paris_agent",
            "dgef_central",
            "gmmp_secretariat",
            "ase93_officer",
            "judge_bobigny",
            "cg_villemomble_cp",
        }
    )


def test_each_step_tells_the_others_named_on_the_case(minor_personas, django_capture_on_commit_callbacks):
    case = walk(minor_personas, S.REFERRED)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "identify", minor_personas)
    assert told(N.MINOR_STEP, case) == {
        "ase75_officer",
        "judge_paris",
        "clerk_paris",
        "ma_enfance_officer",
        "ma_justice_contact",
    }
    note = Notification.objects.filter(kind=N.MINOR_STEP).first()
    assert note.case_id is None and note.case_reference == case.reference
    with translation.override("fr"):
        assert sentence(note.kind, note.params).endswith(": Identifier l'enfant")
    assert CHILD["last_name"] not in str(note.params)


def test_the_notification_opens_the_childs_case_for_a_named_person(
    client, minor_personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.minor_refer(user=minor_personas["ase75_officer"], data=dict(CHILD))
    note = Notification.objects.get(kind=N.MINOR_REFERRED, recipient=minor_personas["judge_paris"])
    client.force_login(minor_personas["judge_paris"])
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "minors:detail", args=[case.reference]
    )
    supervisor_note = Notification.objects.get(
        kind=N.MINOR_CASE_OPENED, recipient=minor_personas["ase75_supervisor"]
    )
    client.force_login(minor_personas["ase75_supervisor"])
    response = client.get(reverse("notifications:open", args=[supervisor_note.pk]))
    assert response["Location"] == reverse("minors:access_log", args=[case.reference])


def test_an_overdue_followup_reminds_the_officers_who_owe_it_once(
    minor_personas, django_capture_on_commit_callbacks
):
    case = walk(minor_personas, S.HANDED_OVER)
    MinorCase.objects.filter(pk=case.pk).update(followup_3m_due=clock.today() - dt.timedelta(days=2))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert minors_reminders() == {"reminders": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert minors_reminders() == {"reminders": 0}
    assert told(N.MINOR_FOLLOWUP_LATE, case) == {"ma_enfance_officer", "cg_paris_cp"}
    assert Notification.objects.filter(kind=N.MINOR_FOLLOWUP_LATE).count() == 2
    note = Notification.objects.filter(kind=N.MINOR_FOLLOWUP_LATE).first()
    with translation.override("fr"):
        assert sentence(note.kind, note.params).endswith("suivi à 3 mois")
    assert not any(CHILD["last_name"] in m.body for m in mail.outbox)
