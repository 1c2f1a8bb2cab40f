"""The second factor holds on every path a session reaches, the API included; recovery codes; idle
sessions end, with a warning on the page first."""

import time

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gmmp.cases.enums import CaseState
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case
from tests.personas import PASSWORD

API_READS = ["/api/v1/cases/", "/api/v1/indicators/definitions"]


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    client.get("/account/security/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/account/security/", {"token": _code(device)}).status_code == 302
    page = client.get("/account/security/").content.decode()
    codes = [line.split("<code>")[1].split("</code>")[0] for line in page.split("<li>") if "<code>" in line]
    device.refresh_from_db()
    return device, codes


@pytest.mark.parametrize("url", API_READS)
def test_a_password_only_session_cannot_read_the_api_when_the_second_factor_is_required(
    client, personas, settings, lpc_ready, url
):
    settings.MFA_REQUIRED = True
    make_case(CaseState.ROUTED, **lpc_ready)
    client.force_login(personas["dgef_central"])
    response = client.get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"


def test_a_session_with_its_second_factor_reads_the_api(client, personas, settings):
    settings.MFA_REQUIRED = True
    user = personas["dgef_central"]
    client.force_login(user)
    _enrol(client, user)  # enrolment confirms the factor for this session
    assert client.get("/api/v1/cases/").status_code == 200


def test_a_token_is_judged_alone_even_with_an_unverified_session_cookie(client, personas, settings):
    settings.MFA_REQUIRED = True
    user = personas["dgef_central"]
    client.force_login(user)
    _token, raw = api_token_create(user=user, name="sys", scopes=["cases:read"])
    assert client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_an_enrolled_user_session_without_the_code_cannot_read_the_api_even_when_not_required(
    client, personas, settings
):
    settings.MFA_REQUIRED = False
    user = personas["dgef_central"]
    enrolling = Client()
    enrolling.force_login(user)
    _enrol(enrolling, user)
    client.force_login(user)  # a session that never gave the code
    assert client.get("/api/v1/cases/").status_code == 401


def test_a_revoked_token_on_a_write_is_401_not_a_csrf_403(personas):
    token, raw = api_token_create(user=personas["pref75_agent"], name="old", scopes=["cases:write"])
    token.revoked_at = timezone.now()
    token.save()
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post("/api/v1/cases/", data="{}", content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_enrolment_gives_ten_recovery_codes_shown_once(client, personas):
    user = personas["cg_paris_agent"]
    client.force_login(user)
    _device, codes = _enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert codes[0] not in client.get("/account/security/").content.decode()


def test_a_recovery_code_logs_in_once(client, personas):
    user = personas["cg_paris_agent"]
    client.force_login(user)
    _device, codes = _enrol(client, user)
    client.logout()
    login = {"username": user.username, "password": PASSWORD, "otp_token": codes[3]}
    assert client.post("/login/", login).status_code == 302
    assert client.get("/cases/").status_code == 200
    client.logout()
    again = client.post("/login/", login)
    assert again.status_code == 200 and "_auth_user_id" not in client.session


def test_new_recovery_codes_replace_the_old_ones(client, personas):
    user = personas["cg_paris_agent"]
    client.force_login(user)
    device, old = _enrol(client, user)
    device.last_t = -1
    device.save()
    assert client.post("/account/security/", {"token": _code(device), "recovery": "1"}).status_code == 302
    page = client.get("/account/security/").content.decode()
    assert 'data-testid="recovery-codes"' in page and old[0] not in page
    client.logout()
    refused = client.post("/login/", {"username": user.username, "password": PASSWORD, "otp_token": old[0]})
    assert "_auth_user_id" not in client.session and refused.status_code == 200


def _seen(client, when: int) -> None:
    from django.core import signing

    from gmmp.core.middleware import SessionIdleTimeoutMiddleware as M

    client.cookies[M.COOKIE] = signing.get_cookie_signer(salt=M.COOKIE + M.SALT).sign(str(when))


def test_an_active_session_stays_and_a_page_view_writes_nothing_to_the_session(client, personas, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(personas["pref75_agent"])
    _seen(client, int(time.time()) - 500)
    response = client.get("/cases/")
    assert response.status_code == 200 and "gmmp_seen" in response.cookies


def test_an_idle_session_ends_and_the_next_page_asks_to_log_in_again(client, personas, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(personas["pref75_agent"])
    assert client.get("/cases/").status_code == 200
    _seen(client, int(time.time()) - 601)
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_an_idle_session_gets_401_from_the_api(client, personas, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(personas["pref75_agent"])
    client.get("/cases/")
    _seen(client, int(time.time()) - 601)
    assert client.get("/api/v1/cases/").status_code == 401


def test_pages_carry_the_idle_limit_for_the_warning(client, personas, settings):
    settings.SESSION_IDLE_SECONDS = 900
    client.force_login(personas["pref75_agent"])
    page = client.get("/cases/").content.decode()
    assert 'data-session-idle="900"' in page and 'id="session-warning"' in page and "session.js" in page
