"""A partial index of the running dossiers for the live stocks (in progress within the deadline / late, due within
24 h): a few percent of the dossier table, so the dashboard's live counts never scan it (ADR 0012). On PostgreSQL
it covers the columns the counts read, for index-only scans."""

from django.db import migrations

RUNNING = "status IN ('accepted', 'processing', 'supplement', 'payment', 'stopped') AND accepted_at IS NOT NULL"


def create(apps, schema_editor):
    include = (
        " INCLUDE (procedure_id, channel, status, due_at)" if schema_editor.connection.vendor == "postgresql" else ""
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS metrics_dossier_running ON dossiers_dossier (agency_id, original_due_at)"
        f"{include} WHERE {RUNNING}"
    )


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS metrics_dossier_running")


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0001_initial"),
        ("dossiers", "0003_dossier_due_soon_notified_at_and_more"),
    ]
    operations = [migrations.RunPython(create, drop)]
