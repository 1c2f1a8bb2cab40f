"""Each reader sees times in their own zone: the organisation's (Moroccan offices in Morocco read
Casablanca time, préfectures and consulates in France Paris time), or the zone they chose in their
preferences, where they also choose the language of their pages and e-mails."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from gmmp.core import clock
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.models import Notification
from gmmp.notifications.services import notify
from gmmp.organisations.models import User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inbox_time(user) -> str:
    # Summer: Paris is UTC+2, Casablanca UTC+1 — one instant, two wall-clock times.
    summer = clock.now().replace(month=7, day=15, hour=10, minute=0, second=0, microsecond=0, tzinfo=dt.UTC)
    note = notify(key=f"tz:{user.pk}", kind=N.QUARTER_CLOSED, users=[user], params={"quarter": "2026Q2"})[0]
    Notification.objects.filter(pk=note.pk).update(created_at=summer)
    page = _client(user).get("/notifications/").content.decode()
    for hour in ("11:00", "12:00", "10:00"):
        if f"15/07/{summer.year} {hour}" in page:
            return hour
    raise AssertionError("the notification's time is not on the page")


def test_a_moroccan_central_officer_reads_casablanca_time_and_a_prefecture_paris_time(personas):
    assert _inbox_time(personas["dmsf_central"]) == "11:00"
    assert _inbox_time(personas["pref75_agent"]) == "12:00"


def test_a_consulate_in_france_reads_paris_time(personas):
    assert personas["cg_paris_agent"].display_time_zone == "Europe/Paris"
    assert personas["border_casa"].display_time_zone == "Africa/Casablanca"


def test_the_footer_says_which_zone_the_times_are_in(personas):
    page = _client(personas["border_casa"]).get("/", follow=True).content.decode()
    assert "Maroc (heure de Casablanca)" in page


def test_a_user_chooses_another_zone_and_language_and_both_follow_them(personas):
    user = personas["dmsf_central"]
    client = _client(user)
    response = client.post("/account/preferences/", {"language": "ar", "time_zone": "UTC"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone) == ("ar", "UTC")
    assert _inbox_time(user) == "10:00"
    # The e-mails read preferred_language; the next login in any browser brings the pages back in it.
    fresh = Client()
    login = fresh.post("/login/", {"username": user.username, "password": PASSWORD})
    assert login.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_back_to_the_organisations_zone_with_a_blank_choice(personas):
    user = personas["pref75_agent"]
    User.objects.filter(pk=user.pk).update(time_zone="UTC")
    _client(user).post("/account/preferences/", {"language": "fr", "time_zone": ""})
    user.refresh_from_db()
    assert user.time_zone == "" and user.display_time_zone == "Europe/Paris"


def test_an_unknown_zone_or_language_is_refused_with_a_form_message_and_nothing_changes(personas):
    user = personas["pref75_agent"]
    client = _client(user)
    for bad in ({"language": "fr", "time_zone": "Mars/Olympus"}, {"language": "de", "time_zone": ""}):
        response = client.post("/account/preferences/", bad)
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone) == ("", "")


def test_the_action_refuses_what_the_form_would_not_offer(personas):
    from gmmp.core.errors import Refused
    from gmmp.organisations.preferences import user_preferences_set

    with pytest.raises(Refused) as refused:
        user_preferences_set(user=personas["pref75_agent"], language="fr", time_zone="Asia/Tokyo")
    assert refused.value.code == "unknown_time_zone"


def test_the_language_cookie_has_the_same_attributes_from_the_switcher_the_preferences_and_the_login(
    personas,
):
    user = personas["dmsf_central"]
    client = _client(user)
    switcher = client.post("/i18n/setlang/", {"language": "en", "next": "/"}).cookies[
        settings.LANGUAGE_COOKIE_NAME
    ]
    chosen = client.post("/account/preferences/", {"language": "ar", "time_zone": ""}).cookies[
        settings.LANGUAGE_COOKIE_NAME
    ]
    login = Client().post("/login/", {"username": user.username, "password": PASSWORD})
    at_login = login.cookies[settings.LANGUAGE_COOKIE_NAME]
    attributes = ("path", "domain", "secure", "httponly", "samesite", "max-age")
    assert (
        [switcher[a] for a in attributes]
        == [chosen[a] for a in attributes]
        == [at_login[a] for a in attributes]
    )
    assert chosen["httponly"] and chosen["samesite"] == "Lax"


def test_a_visitor_not_yet_signed_in_switches_the_login_page_to_english():
    """The switcher is on the login page and the public verification page: it must work before login
    (it used to send the visitor back to the login page, still in French, with `next=/i18n/setlang/`)."""
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get("/login/").content.decode()
