"""Settings: safe local defaults, and production refuses to start without its secrets."""

import os
import subprocess
import sys

import pytest

SCRIPT = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='gmmp.settings'; django.setup(); print('started')"


def _start(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GMMP_", "DATABASE_URL", "DJANGO_"))}
    clean.update(GMMP_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], env=clean, capture_output=True, text=True, timeout=60
    )


def test_locally_it_starts_with_no_configuration_and_keeps_its_secrets_in_the_data_dir(tmp_path):
    result = _start(tmp_path)
    assert result.returncode == 0 and "started" in result.stdout
    assert (tmp_path / "data" / "secrets" / "django_secret_key").exists()
    assert (tmp_path / "data" / "gmmp.sqlite3").parent.exists()


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "GMMP_SECRET_KEY"),
        ({"GMMP_SECRET_KEY": "x" * 50}, "GMMP_FILE_ENCRYPTION_KEY"),
        ({"GMMP_SECRET_KEY": "x" * 50, "GMMP_FILE_ENCRYPTION_KEY": "k" * 44}, "GMMP_ALLOWED_HOSTS"),
        (
            {"GMMP_SECRET_KEY": "x" * 50, "GMMP_FILE_ENCRYPTION_KEY": "k" * 44, "GMMP_ALLOWED_HOSTS": "h"},
            "GMMP_LEDGER_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_real_secrets(tmp_path, env, missing):
    result = _start(tmp_path, GMMP_ENV="production", **env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert not (tmp_path / "data" / "secrets").exists()  # nothing generated in production
