"""Each article's search vector, stored, indexed and kept by PostgreSQL itself.

On PostgreSQL a trigger computes `search_document` on every insert (ingest, `save()`,
`bulk_create()`, the bench generator's COPY) and on every update that names the headline, the
standfirst, the body or the vector itself (`save()`, `QuerySet.update()`, `bulk_update()`), from
the same expression as `articles.search.search_vector()`; a GIN index answers `@@` from it. The
existing rows are filled in before the trigger exists, under the lock the new column takes, so
none is missed or computed twice; the index is built once they are. The search walks the
publication time, newest first, for its newest matches, along `article_order_idx` (0016). On SQLite the column is
added and stays empty: the substring search does not read it.

The expression is written out here rather than imported, so that this migration stays what it
was when the search changes; `tests/test_search_document.py` checks it still equals `search_vector()`.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

TABLE = "articles_article"
FUNCTION = "articles_article_search_document"
INDEX = "article_search_idx"
DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE({row}headline, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE({row}standfirst, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE({row}body, '')), 'C')"
)
# An update that leaves the text and the vector as they were (a status change through `save()`)
# is not worth a new vector: a long body costs about a millisecond to read.
CREATE_FUNCTION = f"""
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.headline IS NOT DISTINCT FROM OLD.headline
        AND NEW.standfirst IS NOT DISTINCT FROM OLD.standfirst
        AND NEW.body IS NOT DISTINCT FROM OLD.body
        AND NEW.search_document IS NOT DISTINCT FROM OLD.search_document
    THEN
        RETURN NEW;
    END IF;
    NEW.search_document := {DOCUMENT.format(row="NEW.")};
    RETURN NEW;
END
$$
"""
CREATE_TRIGGER = f"""
CREATE TRIGGER {FUNCTION}
BEFORE INSERT OR UPDATE OF headline, standfirst, body, search_document ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
"""


def keep_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # For this transaction only: the index builds in memory rather than in passes on disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(f"UPDATE {TABLE} SET search_document = {DOCUMENT.format(row='')}")
        cursor.execute(CREATE_FUNCTION)
        cursor.execute(CREATE_TRIGGER)
        cursor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_document)")
        # The planner's figures for the new column: how common each word is decides between
        # walking the newest stories and reading the GIN index.
        cursor.execute(f"ANALYZE {TABLE}")


def drop_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {TABLE}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(keep_search_document, drop_search_document),
    ]
