"""The case ledger joins the keyed chain (core/ledger_chain.py): events written before are linked in
the order they were written. On SQLite, triggers refuse UPDATE and DELETE on the ledger and the chain
as PostgreSQL's do (cases 0003, core 0003).

SQLite has no TRUNCATE: a test database's flush deletes rows. The triggers therefore hold while the
one-row table gmmp_ledger_guard says so (1, set here); the test suite sets it to 0 for its flushes, and
an operator's deliberate maintenance would have to do the same, in plain sight."""

from django.db import migrations

SQLITE_TABLES = ["cases_caseevent", "core_chainlink"]


def backfill(apps, schema_editor):
    from gmmp.core.ledger_chain import chain_backfill

    chain_backfill(apps, labels=["cases.caseevent"])


def sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("CREATE TABLE IF NOT EXISTS gmmp_ledger_guard (enabled integer NOT NULL)")
    schema_editor.execute("INSERT INTO gmmp_ledger_guard (enabled) VALUES (1)")
    for table in SQLITE_TABLES:
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_refuse_{op.lower()} BEFORE {op} ON {table} "
                f"WHEN (SELECT enabled FROM gmmp_ledger_guard LIMIT 1) = 1 "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: {op} refused'); END;"
            )


def sqlite_triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SQLITE_TABLES:
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_{op}")
    schema_editor.execute("DROP TABLE IF EXISTS gmmp_ledger_guard")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_legal_timeline"), ("core", "0003_ledger_chain")]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(sqlite_triggers, sqlite_triggers_drop),
    ]
