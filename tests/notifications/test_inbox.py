"""The inbox: the bell counts unread notifications; opening one marks it read and leads to its case;
nobody opens another's notification."""

import pytest
from django.urls import reverse

from gmmp.cases.enums import CaseState
from gmmp.notifications.models import Notification
from gmmp.notifications.services import notify
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])


def test_the_bell_shows_the_unread_count(client, personas, routed):
    client.force_login(personas["cg_paris_agent"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    assert "Nouvelle demande transmise à votre consulat" in page
    assert routed.reference in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_case(client, personas, routed):
    note = Notification.objects.get(recipient=personas["cg_paris_agent"])
    client.force_login(personas["cg_paris_agent"])
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[routed.reference]
    )
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_opens_someone_elses_notification(client, personas, routed):
    note = Notification.objects.get(recipient=personas["cg_paris_agent"])
    client.force_login(personas["cg_paris_supervisor"])
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    client.post(reverse("notifications:mark_read"), {"id": [note.pk]})
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_as_read(client, personas, routed):
    client.force_login(personas["cg_paris_supervisor"])
    client.post(reverse("notifications:mark_read"))
    assert not Notification.objects.filter(
        recipient=personas["cg_paris_supervisor"], read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(recipient=personas["cg_paris_agent"], read_at__isnull=True).exists()


def test_the_inbox_costs_the_same_queries_for_many_notifications(
    client, personas, django_assert_max_num_queries
):
    user = personas["cg_paris_agent"]
    for i in range(30):
        notify(key=f"k{i}", kind="case_routed", users=[user], case_reference=f"DI-2026-{i:06d}")
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:inbox")).status_code == 200


def test_the_email_preference_is_saved(client, personas):
    from gmmp.notifications.models import NotificationPreference

    client.force_login(personas["pref75_agent"])
    client.post(reverse("notifications:preferences"), {})
    assert NotificationPreference.objects.get(user=personas["pref75_agent"]).email_enabled is False


def test_a_border_officer_opening_an_arrival_notice_lands_on_the_arrivals_page_not_a_404(
    client, personas, routed
):
    from gmmp.notifications.enums import NotificationKind
    from gmmp.notifications.services import notify

    officer = personas["border_casa"]
    note = notify(key="t:arrival", kind=NotificationKind.DEPARTURE_SCHEDULED, users=[officer], case=routed)[0]
    client.force_login(officer)
    response = client.get(reverse("notifications:open", args=[note.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("cases:list")
    assert routed.last_name not in response.content.decode()  # no case file for the border post
