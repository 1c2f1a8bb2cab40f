"""The TOTP second factor: enrolment, login with the code, the admin behind the same login, enforcement."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.personas import PASSWORD


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def enrolled(client, personas):
    user = personas["cg_paris_agent"]
    client.force_login(user)
    assert client.get("/account/security/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/security/", {"token": _code(device)})
    assert response.status_code == 302
    client.logout()
    device.refresh_from_db()
    return user, device


def test_enrolment_shows_a_qr_code_and_needs_a_valid_first_code(client, personas):
    client.force_login(personas["pref75_agent"])
    page = client.get("/account/security/").content.decode()
    assert "<svg" in page and 'data-testid="totp-secret"' in page
    response = client.post("/account/security/", {"token": "000000"})
    assert response.status_code == 400 and not TOTPDevice.objects.filter(confirmed=True).exists()


def test_an_enrolled_user_cannot_log_in_without_the_code(client, enrolled):
    user, _device = enrolled
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200 and "code à 6 chiffres" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_enrolled_user_logs_in_with_password_and_code(client, enrolled):
    user, device = enrolled
    device.last_t = -1  # the enrolment code may be the current one: allow it again for this test
    device.save()
    response = client.post(
        "/login/", {"username": user.username, "password": PASSWORD, "otp_token": _code(device)}
    )
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200


def test_a_wrong_code_is_refused(client, enrolled):
    user, _device = enrolled
    response = client.post(
        "/login/", {"username": user.username, "password": PASSWORD, "otp_token": "123456"}
    )
    assert "Code de vérification incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_when_required_every_page_leads_to_enrolment_first(client, personas, settings):
    settings.MFA_REQUIRED = True
    client.force_login(personas["pref75_agent"])
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/account/security/"
    assert client.get("/account/security/").status_code == 200


def test_the_admin_login_goes_through_the_platform_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
