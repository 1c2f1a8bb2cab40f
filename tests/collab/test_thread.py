"""The case's message thread: who reads it, who writes in it, unread marks, the other side told,
reads logged, erased by retention."""

import pytest
from django.urls import reverse

from gmmp.audit.models import AccessLog
from gmmp.cases.actions import TransitionRefused
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.collab import actions
from gmmp.collab.models import CaseMessage
from gmmp.collab.selectors import thread_unread_count
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.models import Notification
from tests.factories import make_case

pytestmark = pytest.mark.django_db

READERS = {
    "pref75_agent",
    "pref75_supervisor",
    "cg_paris_agent",
    "cg_paris_supervisor",
    "dgef_central",
    "dmsf_central",
    "maece_central",
}
WRITERS = {"pref75_agent", "pref75_supervisor", "cg_paris_agent", "cg_paris_supervisor"}


@pytest.fixture
def case(personas):
    return make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])


@pytest.mark.parametrize(
    "persona",
    sorted(READERS) + ["pref92_agent", "cg_lyon_agent", "cra_vincennes", "border_casa", "gmmp_secretariat"],
)
def test_who_reads_the_thread(client, personas, case, persona):
    actions.message_post(case=case, user=personas["cg_paris_agent"], body="Avez-vous son passeport ?")
    client.force_login(personas[persona])
    response = client.get(reverse("collab:thread", args=[case.reference]))
    assert response.status_code == (200 if persona in READERS else 404)
    if persona in READERS:
        assert "Avez-vous son passeport ?" in response.content.decode()


@pytest.mark.parametrize("persona", sorted(READERS | {"pref92_agent", "cra_vincennes", "gmmp_secretariat"}))
def test_who_writes_in_the_thread(personas, case, persona):
    if persona in WRITERS:
        actions.message_post(case=case, user=personas[persona], body="Bonjour")
    else:
        with pytest.raises(TransitionRefused):
            actions.message_post(case=case, user=personas[persona], body="Bonjour")


def test_a_message_tells_the_other_side_only(personas, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.message_post(case=case, user=personas["cg_paris_agent"], body="Question")
    told = set(Notification.objects.filter(kind=N.MESSAGE).values_list("recipient__username", flat=True))
    assert told == {"pref75_agent", "pref75_supervisor"}
    with django_capture_on_commit_callbacks(execute=True):
        actions.message_post(case=case, user=personas["pref75_agent"], body="Réponse")
    told = set(Notification.objects.filter(kind=N.MESSAGE).values_list("recipient__username", flat=True))
    assert told == {"pref75_agent", "pref75_supervisor", "cg_paris_agent", "cg_paris_supervisor"}


def test_unread_marks_follow_each_reader(client, personas, case):
    actions.message_post(case=case, user=personas["cg_paris_agent"], body="Un")
    actions.message_post(case=case, user=personas["cg_paris_agent"], body="Deux")
    assert thread_unread_count(user=personas["pref75_agent"], case=case) == 2
    assert thread_unread_count(user=personas["cg_paris_agent"], case=case) == 0
    client.force_login(personas["pref75_agent"])
    client.get(reverse("collab:thread", args=[case.reference]))
    assert thread_unread_count(user=personas["pref75_agent"], case=case) == 0
    assert thread_unread_count(user=personas["pref75_supervisor"], case=case) == 2


def test_reading_the_thread_is_logged_and_the_ledger_holds_no_text(client, personas, case):
    actions.message_post(case=case, user=personas["cg_paris_agent"], body="Le père s'appelle Abdelkader ?")
    client.force_login(personas["dgef_central"])
    client.get(reverse("collab:thread", args=[case.reference]))
    assert AccessLog.objects.filter(
        object_type="case_thread", object_id=case.reference, user=personas["dgef_central"]
    ).exists()
    event = case.events.get(kind="message_posted")
    assert "Abdelkader" not in str(event.payload())


def test_an_empty_message_is_refused(personas, case):
    with pytest.raises(TransitionRefused) as refused:
        actions.message_post(case=case, user=personas["pref75_agent"], body="  ")
    assert refused.value.code == "reason_required"


def test_an_attachment_is_checked_like_evidence(client, personas, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas["pref75_agent"])
    url = reverse("collab:thread", args=[case.reference])
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(url, {"body": "Voici", "attachment": bad})
    assert response.status_code == 400
    assert not CaseMessage.objects.exists()
    good = SimpleUploadedFile("passeport.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(url, {"body": "Voici", "attachment": good})
    message = CaseMessage.objects.get()
    attachment = message.attachments.get()
    download = reverse("collab:attachment", args=[case.reference, attachment.pk])
    assert client.get(download).content == b"%PDF-1.4 test"
    client.force_login(personas["pref92_agent"])
    assert client.get(download).status_code == 404


def test_retention_erases_the_messages_and_their_files(personas, case):
    from gmmp.cases.retention import case_erase_personal_data
    from gmmp.collab.files import attachment_dir

    message = actions.message_post(
        case=case,
        user=personas["pref75_agent"],
        body="Texte",
        attachments=[("a.pdf", b"%PDF-1", "application/pdf")],
    )
    name = message.attachments.get().storage_name
    Case.objects.filter(pk=case.pk).update(state=CaseState.WITHDRAWN)
    case_erase_personal_data(case=case, stage=1)
    message.refresh_from_db()
    assert message.body == "" and message.erased_at is not None
    assert not message.attachments.exists()
    assert not (attachment_dir() / name).exists()
