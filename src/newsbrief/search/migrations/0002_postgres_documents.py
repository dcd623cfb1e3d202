"""The PostgreSQL backend's document table, created only on PostgreSQL (it is the index there;
SQLite boards use the embedded tantivy index instead)."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS search_document (
    brief_id bigint PRIMARY KEY,
    language varchar(10) NOT NULL,
    author varchar(150) NOT NULL DEFAULT '',
    categories text[] NOT NULL DEFAULT '{}',
    published_at timestamptz NOT NULL,
    vector tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS search_document_vector ON search_document USING gin (vector);
CREATE INDEX IF NOT EXISTS search_document_categories ON search_document USING gin (categories);
CREATE INDEX IF NOT EXISTS search_document_published ON search_document (published_at);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
