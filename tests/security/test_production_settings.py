"""Production settings: `gmmp check --deploy` is clean; HTTPS, HSTS, proxy, CSP; no credential in a URL
or a log; the LPC signing key can come from the environment."""

import logging
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client

from gmmp.core.logfilters import RedactCredentialsFilter
from gmmp.documents.keys import KeyStore, key_id_for
from gmmp.organisations.models import ApiToken
from gmmp.organisations.tokens import api_token_create


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GMMP_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        GMMP_ENV="production",
        GMMP_SECRET_KEY="x" * 20 + Fernet.generate_key().decode(),
        GMMP_FILE_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        GMMP_LEDGER_KEY=Fernet.generate_key().decode(),
        GMMP_ALLOWED_HOSTS="gmmp.example.org",
        GMMP_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gmmp", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts_and_csp(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(SERVER_NAME='gmmp.example.org');"
        "r = c.get('/login/'); print('plain', r.status_code, r.get('Location'));"
        "r = c.get('/login/', HTTP_X_FORWARDED_PROTO='https', secure=False);"
        "print('https', r.status_code, r.get('Strict-Transport-Security'), '|', r.get('Content-Security-Policy'));"
        "print('health', c.get('/healthz').status_code)"
    )
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="gmmp.settings")
    subprocess.run([sys.executable, "-m", "gmmp", "migrate", "-v", "0"], env=env, check=True, timeout=300)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert lines["plain"].startswith("301 https://gmmp.example.org/login/"), out.stdout + out.stderr
    assert lines["https"].startswith("200 max-age=31536000; includeSubDomains; preload")
    assert "script-src 'self'" in lines["https"] and "frame-ancestors 'none'" in lines["https"]
    assert lines["health"].startswith("200")


def test_every_page_has_a_csp_without_inline_script(client, personas):
    client.force_login(personas["pref75_agent"])
    response = client.get("/cases/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    body = response.content.decode()
    assert "onchange=" not in body and "onclick=" not in body
    assert "<script>" not in body


def test_a_token_in_a_url_is_refused_and_revoked(personas):
    token, raw = api_token_create(user=personas["dgef_central"], name="leaky", scopes=["cases:read"])
    response = Client().get(f"/api/v1/cases/?token={raw}")
    assert response.status_code == 400 and response.json()["code"] == "credentials_in_url"
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/cases/?access_token=abc").status_code == 400


def test_logs_never_carry_a_token():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        "",
        0,
        "Bad Request: %s",
        ("/x?t=gmmp_0123456789_" + "a" * 40,),
        None,
    )
    RedactCredentialsFilter().filter(record)
    assert "gmmp_0123456789" not in record.getMessage() and "[redacted]" in record.getMessage()


def test_the_signing_key_can_come_from_the_environment(tmp_path, monkeypatch):
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    monkeypatch.setenv("GMMP_LPC_SIGNING_KEY", pem)
    store = KeyStore(tmp_path / "keys")
    kid, signature = store.sign(b"message")
    assert kid == key_id_for(private.public_key()) and store.current_kid() == kid
    assert not list((tmp_path / "keys").glob("*.pem"))  # never written to disk
    with pytest.raises(Exception, match="secret store"):
        store.rotate()
