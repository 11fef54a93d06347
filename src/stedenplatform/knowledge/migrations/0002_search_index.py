"""Full-text index of the Kennisbank, per database.

PostgreSQL keeps a weighted tsvector (Dutch configuration) in the document
row, indexed with GIN. SQLite has no Dutch text search, so an FTS5 table
holds the Snowball-stemmed title, summary and body; the service layer keeps
it in step with the documents.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_document_fts USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
)
POSTGRES_CREATE = (
    "CREATE INDEX IF NOT EXISTS knowledge_document_search_gin "
    "ON knowledge_document USING GIN (search_vector)"
)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_document_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS knowledge_document_search_gin")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
