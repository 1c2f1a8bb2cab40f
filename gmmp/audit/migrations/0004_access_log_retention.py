"""PostgreSQL: the access log stays append-only, except for the access-log retention's own deletions,
which say so for their transaction (SET LOCAL gmmp.access_log_retention = 'on', audit/retention.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION gmmp_accesslog_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND current_setting('gmmp.access_log_retention', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP;
        END;
        $$ LANGUAGE plpgsql;
        """,
        params=None,
    )
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;")
    schema_editor.execute(
        "CREATE TRIGGER audit_accesslog_append_only BEFORE UPDATE OR DELETE ON audit_accesslog "
        "FOR EACH ROW EXECUTE FUNCTION gmmp_accesslog_guard();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;")
    schema_editor.execute(
        "CREATE TRIGGER audit_accesslog_append_only BEFORE UPDATE OR DELETE ON audit_accesslog "
        "FOR EACH ROW EXECUTE FUNCTION gmmp_refuse_change();"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS gmmp_accesslog_guard();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_alter_accesslog_at"), ("cases", "0003_ledger_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
