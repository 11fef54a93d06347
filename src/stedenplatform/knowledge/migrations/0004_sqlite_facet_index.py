"""A covering index for the SQLite search: every FTS5 match looks its
document up by id, and with this index SQLite reads the visibility and facet
columns from the narrow index instead of the wide document row (which holds
the extracted text). PostgreSQL reads them from the heap after its GIN
bitmap and gains nothing from it, so it is created on SQLite only.
"""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS knowledge_document_search_facets ON knowledge_document "
    "(id, visibility, group_id, collection_id, kind, theme, year, programme_id, "
    "organisation_id)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS knowledge_document_search_facets")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_dutch_constraint_messages")]

    operations = [migrations.RunPython(create_index, drop_index)]
