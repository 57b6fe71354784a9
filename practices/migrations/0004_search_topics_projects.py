"""Put topic names and project acronyms in the search vector (weight C).

Tags are set after the practice row is written, so the link tables get
statement-level triggers (one refresh per INSERT/DELETE statement, also for
bulk loads) that recompute the vectors of the practices they touched.
Nothing happens on SQLite.
"""

from django.db import migrations

FORWARD_SQL = r"""
CREATE OR REPLACE FUNCTION practices_goodpractice_search_vector() RETURNS trigger AS $$
DECLARE
    organisation_text text := '';
    region_text text := '';
    tag_text text := '';
    weight_b text;
    weight_c text;
BEGIN
    IF NEW.organisation_id IS NOT NULL THEN
        SELECT concat_ws(' ', o.name, o.name_en, o.acronym)
          INTO organisation_text
          FROM exchange_organisation o WHERE o.id = NEW.organisation_id;
    END IF;
    IF NEW.region_id IS NOT NULL THEN
        -- The region, and its country, so that "Poland" finds Polish practices.
        SELECT concat_ws(' ', r.name, r.name_en, r.nuts_code, c.name, c.name_en)
          INTO region_text
          FROM exchange_region r
          LEFT JOIN exchange_region c
            ON c.nuts_code = r.country_code AND c.level = 0 AND c.id <> r.id
         WHERE r.id = NEW.region_id;
    END IF;
    IF NEW.id IS NOT NULL THEN
        SELECT concat_ws(' ',
                 (SELECT string_agg(t.name, ' ')
                    FROM practices_goodpractice_topics gt
                    JOIN exchange_topic t ON t.id = gt.topic_id
                   WHERE gt.goodpractice_id = NEW.id),
                 (SELECT string_agg(concat_ws(' ', p.acronym, p.title_en), ' ')
                    FROM practices_goodpractice_projects gp
                    JOIN exchange_project p ON p.id = gp.project_id
                   WHERE gp.goodpractice_id = NEW.id))
          INTO tag_text;
    END IF;
    weight_b := concat_ws(' ', NEW.summary, replace(NEW.keywords, ',', ' '));
    weight_c := concat_ws(' ', NEW.description, NEW.resources_needed, NEW.evidence_of_success,
                          NEW.difficulties, NEW.potential_for_transfer, NEW.expert_opinion,
                          NEW.city, organisation_text, region_text, tag_text);
    NEW.search_vector :=
        setweight(to_tsvector('exchange_unaccent', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('exchange_unaccent', weight_b), 'B')
        || setweight(to_tsvector('english', weight_b), 'B')
        || setweight(to_tsvector('exchange_unaccent', weight_c), 'C')
        || setweight(to_tsvector('english', weight_c), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION practices_refresh_vectors_of_new_links() RETURNS trigger AS $$
BEGIN
    UPDATE practices_goodpractice SET search_vector = NULL
     WHERE id IN (SELECT goodpractice_id FROM changed_links);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS practices_topics_added_trg ON practices_goodpractice_topics;
CREATE TRIGGER practices_topics_added_trg
    AFTER INSERT ON practices_goodpractice_topics
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_refresh_vectors_of_new_links();
DROP TRIGGER IF EXISTS practices_topics_removed_trg ON practices_goodpractice_topics;
CREATE TRIGGER practices_topics_removed_trg
    AFTER DELETE ON practices_goodpractice_topics
    REFERENCING OLD TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_refresh_vectors_of_new_links();
DROP TRIGGER IF EXISTS practices_projects_added_trg ON practices_goodpractice_projects;
CREATE TRIGGER practices_projects_added_trg
    AFTER INSERT ON practices_goodpractice_projects
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_refresh_vectors_of_new_links();
DROP TRIGGER IF EXISTS practices_projects_removed_trg ON practices_goodpractice_projects;
CREATE TRIGGER practices_projects_removed_trg
    AFTER DELETE ON practices_goodpractice_projects
    REFERENCING OLD TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION practices_refresh_vectors_of_new_links();

UPDATE practices_goodpractice SET search_vector = NULL;
"""

BACKWARD_SQL = r"""
DROP TRIGGER IF EXISTS practices_projects_removed_trg ON practices_goodpractice_projects;
DROP TRIGGER IF EXISTS practices_projects_added_trg ON practices_goodpractice_projects;
DROP TRIGGER IF EXISTS practices_topics_removed_trg ON practices_goodpractice_topics;
DROP TRIGGER IF EXISTS practices_topics_added_trg ON practices_goodpractice_topics;
DROP FUNCTION IF EXISTS practices_refresh_vectors_of_new_links();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
        ("practices", "0003_search"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
