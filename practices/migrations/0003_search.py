"""Full-text search on PostgreSQL: configuration, trigger-maintained vector, indexes.

Nothing happens on SQLite, where practices.search falls back to icontains.
The vector is computed by a trigger rather than in Python so that it stays
right for every write path: admin, bulk_create, raw SQL loads, and renames
of the organisation or region a practice points at.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARD_SQL = r"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'exchange_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION exchange_unaccent (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION exchange_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION practices_goodpractice_search_vector() RETURNS trigger AS $$
DECLARE
    organisation_text text := '';
    region_text text := '';
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
    weight_b := concat_ws(' ', NEW.summary, replace(NEW.keywords, ',', ' '));
    weight_c := concat_ws(' ', NEW.description, NEW.resources_needed, NEW.evidence_of_success,
                          NEW.difficulties, NEW.potential_for_transfer, NEW.expert_opinion,
                          NEW.city, organisation_text, region_text);
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

DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_trg ON practices_goodpractice;
CREATE TRIGGER practices_goodpractice_search_vector_trg
    BEFORE INSERT OR UPDATE ON practices_goodpractice
    FOR EACH ROW EXECUTE FUNCTION practices_goodpractice_search_vector();

-- Renaming an organisation or a region refreshes the practices that name it.
CREATE OR REPLACE FUNCTION practices_refresh_vectors_of_organisation() RETURNS trigger AS $$
BEGIN
    UPDATE practices_goodpractice SET search_vector = NULL WHERE organisation_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS practices_organisation_renamed_trg ON exchange_organisation;
CREATE TRIGGER practices_organisation_renamed_trg
    AFTER UPDATE OF name, name_en, acronym ON exchange_organisation
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_en IS DISTINCT FROM NEW.name_en
          OR OLD.acronym IS DISTINCT FROM NEW.acronym)
    EXECUTE FUNCTION practices_refresh_vectors_of_organisation();

CREATE OR REPLACE FUNCTION practices_refresh_vectors_of_region() RETURNS trigger AS $$
BEGIN
    UPDATE practices_goodpractice SET search_vector = NULL
     WHERE region_id IN (SELECT id FROM exchange_region WHERE country_code = NEW.country_code
                                                           AND NEW.level = 0
                         UNION SELECT NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS practices_region_renamed_trg ON exchange_region;
CREATE TRIGGER practices_region_renamed_trg
    AFTER UPDATE OF name, name_en, nuts_code ON exchange_region
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_en IS DISTINCT FROM NEW.name_en
          OR OLD.nuts_code IS DISTINCT FROM NEW.nuts_code)
    EXECUTE FUNCTION practices_refresh_vectors_of_region();

CREATE INDEX IF NOT EXISTS practice_search_vector_idx
    ON practices_goodpractice USING gin (search_vector);
CREATE INDEX IF NOT EXISTS practice_title_trgm_idx
    ON practices_goodpractice USING gin (title gin_trgm_ops);

-- Fill the vector of the rows that exist already.
UPDATE practices_goodpractice SET search_vector = NULL;
"""

BACKWARD_SQL = r"""
DROP INDEX IF EXISTS practice_title_trgm_idx;
DROP INDEX IF EXISTS practice_search_vector_idx;
DROP TRIGGER IF EXISTS practices_region_renamed_trg ON exchange_region;
DROP FUNCTION IF EXISTS practices_refresh_vectors_of_region();
DROP TRIGGER IF EXISTS practices_organisation_renamed_trg ON exchange_organisation;
DROP FUNCTION IF EXISTS practices_refresh_vectors_of_organisation();
DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_trg ON practices_goodpractice;
DROP FUNCTION IF EXISTS practices_goodpractice_search_vector();
UPDATE practices_goodpractice SET search_vector = NULL;
DROP TEXT SEARCH CONFIGURATION IF EXISTS exchange_unaccent;
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
        ("practices", "0002_proposal_language"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
