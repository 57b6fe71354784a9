"""Stem with the English dictionary only the text written in English.

Titles keep both configurations (titles are often English whatever the
language of the rest); summaries, keywords and the other texts of a practice
in another language get only the accent-free simple configuration. Smaller
vectors for non-English practices, and no English stems made from Polish
words. Nothing happens on SQLite.
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
    english boolean := coalesce(NEW.language, 'en') = 'en';
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
        || setweight(to_tsvector('exchange_unaccent', weight_c), 'C');
    IF english THEN
        NEW.search_vector := NEW.search_vector
            || setweight(to_tsvector('english', weight_b), 'B')
            || setweight(to_tsvector('english', weight_c), 'C');
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_upd_trg ON practices_goodpractice;
CREATE TRIGGER practices_goodpractice_search_vector_upd_trg
    BEFORE UPDATE ON practices_goodpractice
    FOR EACH ROW
    WHEN (NEW.search_vector IS NULL
          OR OLD.title IS DISTINCT FROM NEW.title
          OR OLD.summary IS DISTINCT FROM NEW.summary
          OR OLD.keywords IS DISTINCT FROM NEW.keywords
          OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.resources_needed IS DISTINCT FROM NEW.resources_needed
          OR OLD.evidence_of_success IS DISTINCT FROM NEW.evidence_of_success
          OR OLD.difficulties IS DISTINCT FROM NEW.difficulties
          OR OLD.potential_for_transfer IS DISTINCT FROM NEW.potential_for_transfer
          OR OLD.expert_opinion IS DISTINCT FROM NEW.expert_opinion
          OR OLD.city IS DISTINCT FROM NEW.city
          OR OLD.language IS DISTINCT FROM NEW.language
          OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
          OR OLD.region_id IS DISTINCT FROM NEW.region_id
          OR (NEW.search_vector IS DISTINCT FROM OLD.search_vector
              AND current_setting('practices.appending_tags', true) IS DISTINCT FROM 'on'))
    EXECUTE FUNCTION practices_goodpractice_search_vector();

UPDATE practices_goodpractice SET search_vector = NULL WHERE language <> 'en';
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0005_search_cheaper_refresh"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
