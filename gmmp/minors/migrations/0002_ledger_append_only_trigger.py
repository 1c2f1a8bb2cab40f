"""On PostgreSQL the database itself refuses UPDATE and DELETE on the minors' ledger, whatever the client
(the function gmmp_refuse_change comes from cases/0003)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TRIGGER minors_minorevent_append_only BEFORE UPDATE OR DELETE ON minors_minorevent "
        "FOR EACH ROW EXECUTE FUNCTION gmmp_refuse_change();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS minors_minorevent_append_only ON minors_minorevent;")


class Migration(migrations.Migration):
    dependencies = [("minors", "0001_initial"), ("cases", "0003_ledger_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
