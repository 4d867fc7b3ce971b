"""The database task queue is a table where every row is inserted, updated twice and later deleted: PostgreSQL's
default autovacuum (after 20 % of the table is dead) lets the queue's partial index fill with dead entries that every
worker's fetch walks (measured: 30 ms per fetch with 160,000 dead rows, 0.1 ms after a VACUUM). These storage
parameters have it vacuumed after 1,000 dead rows plus 1 % of the table. PostgreSQL only; ADR 0014."""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"
PARAMETERS = (
    "autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0.01, "
    "autovacuum_analyze_threshold = 1000, autovacuum_analyze_scale_factor = 0.02"
)


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET ({PARAMETERS})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} RESET (autovacuum_vacuum_threshold, autovacuum_vacuum_scale_factor,"
            " autovacuum_analyze_threshold, autovacuum_analyze_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_lean_intake_indexes"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(tune, untune, elidable=False)]
