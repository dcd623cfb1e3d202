"""The PostgreSQL document's one ``vector`` split in two: ``words`` (title A, body B), the only
column the commonest queries read, match and rank, and ``grams`` (the Chinese bigrams and
unigrams, C and D), read only by queries with Chinese words; ``terms`` keeps the number of
distinct terms of both, which ``ts_rank`` normalizes by. Existing rows are converted in place
(the weights tell words from grams), so no reindex is needed."""

from django.db import migrations

FORWARD = """
CREATE TABLE search_document_new (
    brief_id bigint PRIMARY KEY,
    language varchar(10) NOT NULL,
    author varchar(150) NOT NULL DEFAULT '',
    categories text[] NOT NULL DEFAULT '{}',
    published_at timestamptz NOT NULL,
    terms integer NOT NULL DEFAULT 0,
    words tsvector NOT NULL DEFAULT '',
    grams tsvector NOT NULL DEFAULT ''
);
INSERT INTO search_document_new
    SELECT brief_id, language, author, categories, published_at, length(vector),
        ts_filter(vector, '{a,b}'), ts_filter(vector, '{c,d}')
    FROM search_document;
DROP TABLE search_document;
ALTER TABLE search_document_new RENAME TO search_document;
ALTER INDEX search_document_new_pkey RENAME TO search_document_pkey;
CREATE INDEX search_document_words ON search_document USING gin (words);
CREATE INDEX search_document_grams ON search_document USING gin (grams);
CREATE INDEX search_document_categories ON search_document USING gin (categories);
CREATE INDEX search_document_published ON search_document (published_at);
ANALYZE search_document;
"""

BACKWARD = """
ALTER TABLE search_document ADD COLUMN vector tsvector NOT NULL DEFAULT '';
UPDATE search_document SET vector = (words::text || ' ' || grams::text)::tsvector;
ALTER TABLE search_document ALTER COLUMN vector DROP DEFAULT;
DROP INDEX IF EXISTS search_document_words;
DROP INDEX IF EXISTS search_document_grams;
ALTER TABLE search_document DROP COLUMN words, DROP COLUMN grams, DROP COLUMN terms;
CREATE INDEX search_document_vector ON search_document USING gin (vector);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgres_documents")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
