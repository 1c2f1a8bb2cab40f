from unittest import mock

import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_not(client):
    with mock.patch("gmmp.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_login_with_the_right_password_lands_on_the_users_work(client, personas):
    response = client.post("/login/", {"username": "pref75_agent", "password": "demo-password-not-secret"})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_repeated_wrong_passwords_lock_the_account(client, personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/login/", {"username": "pref75_agent", "password": "wrong"})
    response = client.post("/login/", {"username": "pref75_agent", "password": "demo-password-not-secret"})
    assert response.status_code == 429 or "/login/" in response.get("Location", "/login/")
    assert "_auth_user_id" not in client.session


def test_a_logged_in_page_reads_the_user_and_their_organisation_in_one_query(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.post("/login/", {"username": "pref75_agent", "password": "demo-password-not-secret"})
    client.get("/help/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/help/")
    assert response.status_code == 200 and "Préfecture" in response.content.decode()  # the organisation shown
    sqls = [q["sql"] for q in captured]
    user_reads = [sql for sql in sqls if 'FROM "organisations_user"' in sql]
    assert len(user_reads) == 1 and 'JOIN "organisations_organisation"' in user_reads[0]
    assert not any('FROM "organisations_organisation"' in sql for sql in sqls)


@pytest.mark.django_db
def test_robots_txt_forbids_indexing_anything(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == ["User-agent: *", "Disallow: /"]


@pytest.mark.django_db
def test_the_favicon_address_leads_to_the_platforms_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("gmmp/favicon.svg")


@pytest.mark.parametrize("persona", ["ofii_officer", "anapec_officer"])
def test_the_seasonal_workers_officers_land_on_the_mobility_pages_not_on_a_no_access_notice(
    client, personas, persona
):
    client.force_login(personas[persona])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/mobility/"
