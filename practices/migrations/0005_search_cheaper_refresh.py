"""Recompute search vectors only when something they are made of changes.

With 0004 every tagging statement recomputed the whole vector of the practices
it touched, which tripled the cost of a bulk load (practices, then their
topics, then their projects). Now:

- the row trigger runs on INSERT, and on UPDATE only when a text column, the
  organisation or the region changes, or when the vector is set to NULL (the
  way every other trigger asks for a full refresh) or to anything else (a
  save from an instance loaded before its tags changed writes a stale vector);
- adding topics or projects appends their names to the stored vector instead
  of recomputing it; removing them still recomputes (rare, and must drop words).

Nothing happens on SQLite.
"""

from django.db import migrations

TEXT_COLUMNS = [
    "title",
    "summary",
    "keywords",
    "description",
    "resources_needed",
    "evidence_of_success",
    "difficulties",
    "potential_for_transfer",
    "expert_opinion",
    "city",
    "organisation_id",
    "region_id",
]
CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in TEXT_COLUMNS)

FORWARD_SQL = rf"""
DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_trg ON practices_goodpractice;
CREATE TRIGGER practices_goodpractice_search_vector_trg
    BEFORE INSERT ON practices_goodpractice
    FOR EACH ROW EXECUTE FUNCTION practices_goodpractice_search_vector();
DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_upd_trg ON practices_goodpractice;
CREATE TRIGGER practices_goodpractice_search_vector_upd_trg
    BEFORE UPDATE ON practices_goodpractice
    FOR EACH ROW
    WHEN (NEW.search_vector IS NULL OR {CHANGED}
          OR (NEW.search_vector IS DISTINCT FROM OLD.search_vector
              AND current_setting('practices.appending_tags', true) IS DISTINCT FROM 'on'))
    EXECUTE FUNCTION practices_goodpractice_search_vector();

CREATE OR REPLACE FUNCTION practices_append_topic_names() RETURNS trigger AS $$
BEGIN
    PERFORM set_config('practices.appending_tags', 'on', true);
    UPDATE practices_goodpractice gp
       SET search_vector = coalesce(gp.search_vector, ''::tsvector)
           || setweight(to_tsvector('exchange_unaccent', added.names)
                        || to_tsvector('english', added.names), 'C')
      FROM (SELECT l.goodpractice_id, string_agg(t.name, ' ') AS names
              FROM changed_links l JOIN exchange_topic t ON t.id = l.topic_id
             GROUP BY l.goodpractice_id) added
     WHERE gp.id = added.goodpractice_id;
    PERFORM set_config('practices.appending_tags', 'off', true);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION practices_append_project_names() RETURNS trigger AS $$
BEGIN
    PERFORM set_config('practices.appending_tags', 'on', true);
    UPDATE practices_goodpractice gp
       SET search_vector = coalesce(gp.search_vector, ''::tsvector)
           || setweight(to_tsvector('exchange_unaccent', added.names)
                        || to_tsvector('english', added.names), 'C')
      FROM (SELECT l.goodpractice_id,
                   string_agg(concat_ws(' ', p.acronym, p.title_en), ' ') AS names
              FROM changed_links l JOIN exchange_project p ON p.id = l.project_id
             GROUP BY l.goodpractice_id) added
     WHERE gp.id = added.goodpractice_id;
    PERFORM set_config('practices.appending_tags', 'off', true);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS practices_topics_added_trg ON practices_goodpractice_topics;
CREATE TRIGGER practices_topics_added_trg
    AFTER INSERT ON practices_goodpractice_topics
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_append_topic_names();
DROP TRIGGER IF EXISTS practices_projects_added_trg ON practices_goodpractice_projects;
CREATE TRIGGER practices_projects_added_trg
    AFTER INSERT ON practices_goodpractice_projects
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_append_project_names();
"""

BACKWARD_SQL = r"""
DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_upd_trg ON practices_goodpractice;
DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_trg ON practices_goodpractice;
CREATE TRIGGER practices_goodpractice_search_vector_trg
    BEFORE INSERT OR UPDATE ON practices_goodpractice
    FOR EACH ROW EXECUTE FUNCTION practices_goodpractice_search_vector();
DROP TRIGGER IF EXISTS practices_topics_added_trg ON practices_goodpractice_topics;
CREATE TRIGGER practices_topics_added_trg
    AFTER INSERT ON practices_goodpractice_topics
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_refresh_vectors_of_new_links();
DROP TRIGGER IF EXISTS practices_projects_added_trg ON practices_goodpractice_projects;
CREATE TRIGGER practices_projects_added_trg
    AFTER INSERT ON practices_goodpractice_projects
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_refresh_vectors_of_new_links();
DROP FUNCTION IF EXISTS practices_append_topic_names();
DROP FUNCTION IF EXISTS practices_append_project_names();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0004_search_topics_projects"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
