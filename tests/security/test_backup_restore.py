"""`gmmp backup FILE` / `gmmp restore FILE`: a round trip through one archive brings back the cases,
their encrypted files, the signing keys and a ledger that still verifies; a non-empty target is
refused unless told. On SQLite here; on PostgreSQL too when the suite runs there (.ci/run)."""

import os
import subprocess
import sys
import uuid

import pytest
from django.db import connection

SEED = """
import django; django.setup()
from django.core.management import call_command
call_command("load_reference", stdout=open("/dev/null", "w"))
from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.organisations.models import Organisation, User
from tests.factories import make_case
pref = User.objects.create(username="p", organisation=Organisation.objects.get(code="PREF-75"), role="agent")
cons = User.objects.create(username="c", organisation=Organisation.objects.get(code="CG-PARIS"), role="agent")
case = make_case(CaseState.LPC_ISSUED, prefecture_user=pref, consulate_user=cons)
actions.evidence_add(case=case, user=pref, category="proof", kind="passport", original_name="p.pdf",
                     data=b"%PDF-1.4 backup-proof", content_type="application/pdf")
print(case.reference)
"""

CHECK = """
import django; django.setup()
from gmmp.cases.evidence import evidence_read
from gmmp.cases.models import Case
from gmmp.core.ledger_chain import chain_verify
from gmmp.documents.models import LaissezPasser
from gmmp.documents.selectors import lpc_verify
case = Case.objects.get()
assert evidence_read(case.evidence.get().storage_name) == b"%PDF-1.4 backup-proof"
report = chain_verify()
assert report.ok, report.problems
lpc = LaissezPasser.objects.get()
assert lpc_verify(text=lpc.seal).status == "valid"
print("OK", case.reference, report.count)
"""


def _postgres_url(name: str) -> str:
    params = connection.settings_dict
    user, password = params["USER"], params["PASSWORD"]
    host, port = params["HOST"] or "localhost", params["PORT"] or "5432"
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


@pytest.fixture
def databases(db, tmp_path):
    """Two empty databases of the suite's kind: the source and the target."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
        return
    import psycopg

    names = [f"gmmp_rt_{uuid.uuid4().hex[:8]}_{x}" for x in "ab"]
    s = connection.settings_dict
    # CREATE DATABASE cannot run inside the test's transaction: a connection of its own, in autocommit.
    params = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"]}
    params = {k: v for k, v in params.items() if v} | ({"port": s["PORT"]} if s["PORT"] else {})
    with psycopg.connect(**params, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield tuple(_postgres_url(n) for n in names)
    with psycopg.connect(**params, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _env(data_dir, database_url) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GMMP_", "DJANGO_", "DATABASE_URL"))}
    env.update(GMMP_DATA_DIR=str(data_dir), DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="gmmp.settings")
    return env


def _run(args, env, check=True):
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.django_db(transaction=False)
def test_a_backup_restores_into_an_empty_target_and_refuses_a_full_one(tmp_path, databases):
    source_url, target_url = databases
    source, target = _env(tmp_path / "a", source_url), _env(tmp_path / "b", target_url)
    gmmp = [sys.executable, "-m", "gmmp"]
    _run([*gmmp, "migrate", "-v", "0"], source)
    reference = _run([sys.executable, "-c", SEED], source).stdout.strip().splitlines()[-1]
    archive = tmp_path / "gmmp-backup.tar.gz"
    _run([*gmmp, "backup", str(archive)], source)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    restored = _run([*gmmp, "restore", str(archive)], target)
    assert "Restored" in restored.stdout
    check = _run([sys.executable, "-c", CHECK], target).stdout
    assert f"OK {reference}" in check
    _run([*gmmp, "ledger", "verify"], target)

    refused = _run([*gmmp, "restore", str(archive)], target, check=False)
    assert refused.returncode != 0 and "Refused" in refused.stderr
    _run([*gmmp, "restore", "--force", str(archive)], target)
    assert f"OK {reference}" in _run([sys.executable, "-c", CHECK], target).stdout


@pytest.mark.parametrize("manifest_is_a_directory", [False, True])
def test_restore_refuses_an_archive_without_a_manifest_with_a_message(tmp_path, manifest_is_a_directory):
    import tarfile

    from django.core.management import CommandError, call_command

    archive = tmp_path / "not-a-backup.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        if manifest_is_a_directory:
            (tmp_path / "manifest.json").mkdir()
            tar.add(tmp_path / "manifest.json", arcname="manifest.json")
    with pytest.raises(CommandError, match="not a backup archive: no file 'manifest.json'"):
        call_command("restore", str(archive))
