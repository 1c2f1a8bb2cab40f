"""On PostgreSQL the database itself refuses UPDATE and DELETE on the ledger and the access log,
whatever the client. TRUNCATE stays possible for test-database flushes and for an operator's
deliberate maintenance, which leaves a trace in PostgreSQL's own logs."""

from django.db import migrations

TABLES = ["cases_caseevent", "audit_accesslog"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION gmmp_refuse_change() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP;
        END;
        $$ LANGUAGE plpgsql;
        """,
        params=None,  # no parameters: the driver must not read the % of RAISE as placeholders
    )
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION gmmp_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS gmmp_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial"), ("audit", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
