"""Trigram indexes for the queue's search (tickets.search), on PostgreSQL only.

pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it.
Each index is on `UPPER(column::text)`, the expression Django's `icontains` compares, so that
the planner can use it. SQLite (`make run`) gets none and searches with a plain scan.
"""

from django.db import migrations

INDEXES = [
    ("ticket_number_trgm_idx", "tickets_ticket", "number"),
    ("ticket_title_trgm_idx", "tickets_ticket", "title"),
    ("ticket_description_trgm_idx", "tickets_ticket", "description"),
    ("enterprise_name_trgm_idx", "enterprises_enterprise", "name"),
    ("enterprise_uscc_trgm_idx", "enterprises_enterprise", "uscc"),
]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_dispatches_moved_out"),
        ("tickets", "0009_alter_ticket_channel"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
