"""One archive of everything the platform needs to come back: the database (as Django fixtures, so
that a SQLite backup restores into PostgreSQL and back; XML, which keeps times to the microsecond
where JSON fixtures round them to the millisecond and would break the ledger's hashes), and the data directory's encrypted files,
keys, secrets, register index and published ledger heads.

The archive holds the keys that decrypt the files and sign the documents: keep it as you keep those
keys (encrypted storage, restricted access). Secrets given in the environment (production) are not in
the data directory and so not in the archive: restore them from the secret store.
"""

import datetime as dt
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

FORMAT = 1
# Rebuilt by `migrate` on the target, or meaningless elsewhere.
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
# The database file itself travels as fixtures; collected static files are rebuilt.
SKIPPED_TOP = {"static", "gmmp.sqlite3", "gmmp.sqlite3-wal", "gmmp.sqlite3-shm"}
# A data directory holding only these is "empty": a fresh process makes its secrets on start.
FRESH_ONLY = {"secrets"}


def _keys_dir() -> Path:
    # As documents.keys.keys_dir() reads it (core imports no app).
    configured = getattr(settings, "LPC_KEYS_DIR", None) or os.environ.get("GMMP_LPC_KEYS_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys"


def _data_items() -> list[Path]:
    data = Path(settings.DATA_DIR)
    items = [p for p in sorted(data.iterdir()) if p.name not in SKIPPED_TOP and not p.name.startswith(".")]
    keys = _keys_dir()
    if keys.exists() and data not in keys.parents:
        items.append(keys)
    return items


def backup_write(path: Path) -> dict:
    """Write the archive to `path` (mode 0600); return its manifest."""
    fixtures = io.StringIO()
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--format=xml",
        *[f"--exclude={m}" for m in EXCLUDED_MODELS],
        stdout=fixtures,
    )
    db = fixtures.getvalue().encode()
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database_vendor": connection.vendor,
        "objects": db.count(b"<object "),
        "data": [p.name for p in _data_items()],
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, content in (("manifest.json", json.dumps(manifest, indent=2).encode()), ("db.xml", db)):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(content), 0o600
            tar.addfile(info, io.BytesIO(content))
        data = Path(settings.DATA_DIR)
        for item in _data_items():
            arcname = "data/" + (str(item.relative_to(data)) if data in item.parents else "keys")
            tar.add(item, arcname=arcname)
    return manifest


def target_problems() -> list[str]:
    """Why the target database or data directory is not empty ([] when it is)."""
    from django.apps import apps

    problems = []
    tables = set(connection.introspection.table_names())
    for label in ("organisations.User", "cases.Case", "core.ChainLink"):
        model = apps.get_model(label)
        if model._meta.db_table in tables and model.objects.exists():
            problems.append(f"the database already holds {label} rows")
    Path(settings.DATA_DIR)
    for item in _data_items():
        if item.name in FRESH_ONLY:
            continue
        if item.is_dir() and any(item.rglob("*")) or item.is_file():
            problems.append(f"the data directory already holds {item}")
    return problems


def _ledger_guard(enabled: bool) -> None:
    if connection.vendor == "sqlite" and "gmmp_ledger_guard" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE gmmp_ledger_guard SET enabled = %s", [int(enabled)])


def _member_bytes(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> bytes:
    try:
        src = tar.extractfile(member)
    except KeyError:
        src = None
    if src is None:
        raise ValueError(f"not a backup archive: no file {getattr(member, 'name', member)!r}")
    with src:
        return src.read()


def backup_restore(path: Path, *, force: bool = False) -> dict:
    """Bring the archive back into this database and data directory. Refuses a non-empty target
    unless `force` (then the database is flushed and the files are overwritten)."""
    with tarfile.open(path, mode="r:gz") as tar:
        manifest = json.loads(_member_bytes(tar, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"unknown archive format {manifest.get('format')!r}")
        call_command("migrate", verbosity=0)
        problems = target_problems()
        if problems and not force:
            raise FileExistsError("; ".join(problems))
        _ledger_guard(False)  # SQLite: the flush and the load go below the append-only triggers
        try:
            if problems:
                call_command("flush", interactive=False, verbosity=0)
                from django.apps import apps

                apps.get_model("core", "ChainHead").objects.get_or_create(pk=1)
            with tempfile.TemporaryDirectory() as tmp:
                fixture = Path(tmp) / "db.xml"
                fixture.write_bytes(_member_bytes(tar, "db.xml"))
                call_command("loaddata", str(fixture), verbosity=0)
        finally:
            _ledger_guard(True)
        data = Path(settings.DATA_DIR)
        members = [m for m in tar.getmembers() if m.name.startswith("data/")]
        for member in members:
            relative = Path(member.name).relative_to("data")
            if relative.parts and relative.parts[0] == "keys":
                target = _keys_dir().joinpath(*relative.parts[1:])
            else:
                target = data / relative
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                content = _member_bytes(tar, member)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, member.mode & 0o777 or 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(content)
    return manifest
