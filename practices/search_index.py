"""What the practice search indexes, and the SQL that keeps each database's index current.

``INDEXED_FIELDS`` is the one list of indexed ``GoodPractice`` columns. Both
installers read it:

- PostgreSQL: the trigger function that fills ``search_vector`` (weighted
  ``tsvector``, see ``practices.search``) and the columns whose change fires it;
- SQLite: two FTS5 tables, ``practices_search_words`` (``porter unicode61
  remove_diacritics 2``: accents, English stems; one column per weight, ranked
  by bm25) and ``practices_search_trigrams`` (the title and its translations,
  ``trigram``: the candidates of a misspelt word), filled by triggers.

To index another column, add it here and add a migration that runs
``RunPython(install)``: ``install`` indexes only the columns the table has at
that point of the migration history, and refills.

Staff translations (``PracticeTranslation``, a row per practice and language)
are indexed with their practice: each ``translated_<name>`` at the weight of
the field ``<name>`` of this list it translates, English stems (PostgreSQL)
only for English ones. A change of a translation reindexes its practice.
The organisation, region (and country), topics and projects of a practice are
indexed too, at weight C, on both databases.
"""

from typing import NamedTuple

from core.search import UNFOLDED_LETTERS


class IndexedField(NamedTuple):
    name: str
    weight: str  # "A" (title), "B" (summary, keywords) or "C" (the rest)
    # English stems: "always" (titles are often English whatever the
    # language of the rest), "english" (only when the practice's language
    # is English), "never".
    stems: str = "english"
    # Keywords are a comma-separated list: commas count as spaces.
    commas: bool = False


INDEXED_FIELDS = (
    IndexedField("title", "A", stems="always"),
    IndexedField("summary", "B"),
    IndexedField("keywords", "B", commas=True),
    IndexedField("description", "C"),
    IndexedField("resources_needed", "C"),
    IndexedField("evidence_of_success", "C"),
    IndexedField("difficulties", "C"),
    IndexedField("potential_for_transfer", "C"),
    IndexedField("expert_opinion", "C"),
    IndexedField("city", "C"),
)
WEIGHTS = ("A", "B", "C")
# The fields a PracticeTranslation translates (PracticeTranslation.FIELDS).
TRANSLATED_FIELDS = (
    "title",
    "summary",
    "description",
    "resources_needed",
    "evidence_of_success",
    "difficulties",
    "potential_for_transfer",
)
TRANSLATION_TABLE = "practices_practicetranslation"

# The field (of INDEXED_FIELDS) whose misspelt words are found, in the
# original and in its translations: trigram indexes on PostgreSQL
# (migrations 0003, 0021), the trigram FTS5 table on SQLite.
TRIGRAM_FIELD = "title"

TABLE = "practices_goodpractice"
WORDS_TABLE = "practices_search_words"
TRIGRAMS_TABLE = "practices_search_trigrams"


def install(apps, schema_editor, *, refill=True):
    """Install (or reinstall) the practice search index for the current ``INDEXED_FIELDS``.

    A ``RunPython`` function; ``refill=False`` keeps PostgreSQL's vectors
    (SQLite's index is always refilled: it is small).
    """
    install_on(schema_editor.connection, refill=refill)


def install_on(connection, *, refill=True, translations=None):
    """``translations``: index the translations table (default: when it exists)."""
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, TABLE)}
        if translations is None:
            translations = TRANSLATION_TABLE in connection.introspection.table_names(cursor)
        fields = [f for f in INDEXED_FIELDS if f.name in columns]
        translated = [f for f in fields if f.name in TRANSLATED_FIELDS] if translations else []
        if connection.vendor == "postgresql":
            statements = postgresql_sql(fields, refill=refill, translated=translated)
        elif connection.vendor == "sqlite":
            statements = sqlite_sql(fields, translated=translated)
        else:
            statements = []
        for statement in statements:
            cursor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for statement in sqlite_drop_sql():
                cursor.execute(statement)


# PostgreSQL


def _translated_sql(translated, weight, alias):
    parts = [f"{alias}.translated_{f.name}" for f in translated if f.weight == weight]
    return f"concat_ws(' ', {', '.join(parts)})" if parts else None


def postgresql_sql(fields, *, refill, translated=()):
    """Return the statements that (re)create the ``search_vector`` trigger function and trigger."""

    def value(field):
        column = f"NEW.{field.name}"
        return f"replace({column}, ',', ' ')" if field.commas else column

    def group(weight, stems):
        parts = [value(f) for f in fields if f.weight == weight and f.stems in stems]
        if weight == "C" and "english" in stems:
            parts += ["organisation_text", "region_text", "tag_text"]
        return f"concat_ws(' ', {', '.join(parts)})" if parts else None

    always, english = [], []
    for weight in WEIGHTS:
        simple = group(weight, ("always", "english", "never"))
        if simple:
            always.append(f"setweight(to_tsvector('exchange_unaccent', {simple}), '{weight}')")
        stemmed = group(weight, ("always",))
        if stemmed:
            always.append(f"setweight(to_tsvector('english', {stemmed}), '{weight}')")
        stemmed = group(weight, ("english",))
        if stemmed:
            english.append(f"setweight(to_tsvector('english', {stemmed}), '{weight}')")
    translation_text, translation_vector = "", ""
    if translated:
        selects, names, appended = [], [], []
        for weight in WEIGHTS:
            text = _translated_sql(translated, weight, "tr")
            if not text:
                continue
            name = f"translated_{weight.lower()}"
            selects += [
                f"string_agg({text}, ' ')",
                f"string_agg({text}, ' ') FILTER (WHERE tr.language_code = 'en')",
            ]
            names += [name, f"english_{weight.lower()}"]
            appended += [
                f"setweight(to_tsvector('exchange_unaccent', coalesce({name}, '')), '{weight}')",
                f"setweight(to_tsvector('english', coalesce(english_{weight.lower()}, '')),"
                f" '{weight}')",
            ]
        translation_text = f"""
        SELECT {", ".join(selects)}
          INTO {", ".join(names)}
          FROM {TRANSLATION_TABLE} tr
         WHERE tr.master_id = NEW.id;"""
        translation_vector = f"""
    IF {names[0]} IS NOT NULL THEN
        NEW.search_vector := NEW.search_vector || {" || ".join(appended)};
    END IF;"""
    declared = "".join(
        f"\n    {name} text;"
        for weight in WEIGHTS
        if _translated_sql(translated, weight, "tr")
        for name in (f"translated_{weight.lower()}", f"english_{weight.lower()}")
    )
    changed = [f.name for f in fields] + ["language", "organisation_id", "region_id"]
    when = "\n          OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in changed)
    function = rf"""
CREATE OR REPLACE FUNCTION practices_goodpractice_search_vector() RETURNS trigger AS $$
DECLARE
    organisation_text text := '';
    region_text text := '';
    tag_text text := '';
    english boolean := coalesce(NEW.language, 'en') = 'en';{declared}
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
          INTO tag_text;{translation_text}
    END IF;
    NEW.search_vector := {" || ".join(always) or "''::tsvector"};
    IF english THEN
        NEW.search_vector := NEW.search_vector || {" || ".join(english) or "''::tsvector"};
    END IF;{translation_vector}
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
    trigger = f"""
DROP TRIGGER IF EXISTS practices_goodpractice_search_vector_upd_trg ON {TABLE};
CREATE TRIGGER practices_goodpractice_search_vector_upd_trg
    BEFORE UPDATE ON {TABLE}
    FOR EACH ROW
    WHEN (NEW.search_vector IS NULL
          OR {when}
          OR (NEW.search_vector IS DISTINCT FROM OLD.search_vector
              AND current_setting('practices.appending_tags', true) IS DISTINCT FROM 'on'))
    EXECUTE FUNCTION practices_goodpractice_search_vector();
"""
    statements = [function, trigger]
    if translated:
        # A change of a translation asks for its practice's full refresh, as
        # every other trigger does (search_vector = NULL).
        statements.append(f"""
CREATE OR REPLACE FUNCTION practices_refresh_vector_of_translated() RETURNS trigger AS $$
BEGIN
    UPDATE {TABLE} SET search_vector = NULL
     WHERE id IN (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.master_id END,
                  CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.master_id END);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS practices_translation_changed_trg ON {TRANSLATION_TABLE};
CREATE TRIGGER practices_translation_changed_trg
    AFTER INSERT OR UPDATE OR DELETE ON {TRANSLATION_TABLE}
    FOR EACH ROW EXECUTE FUNCTION practices_refresh_vector_of_translated();
""")
    if refill:
        statements.append(f"UPDATE {TABLE} SET search_vector = NULL")
    return statements


# SQLite


def _folded(sql):
    for letter, plain in UNFOLDED_LETTERS.items():
        sql = f"replace({sql}, '{letter}', '{plain}')"
    return sql


def _concat(parts):
    # concat_ws() needs SQLite 3.44; Python may ship an older one.
    return "(" + " || ' ' || ".join(f"coalesce({part}, '')" for part in parts) + ")"


def _related_text(practice):
    """SQL for the organisation, region, country, topics and projects of ``practice`` (an alias)."""
    organisation = _concat(["o.name", "o.name_en", "o.acronym"])
    region = _concat(["r.name", "r.name_en", "r.nuts_code", "c.name", "c.name_en"])
    project = _concat(["p.acronym", "p.title_en"])
    return _concat(
        [
            f"(SELECT {organisation} FROM exchange_organisation o"
            f" WHERE o.id = {practice}.organisation_id)",
            f"(SELECT {region} FROM exchange_region r LEFT JOIN exchange_region c"
            " ON c.nuts_code = r.country_code AND c.level = 0 AND c.id <> r.id"
            f" WHERE r.id = {practice}.region_id)",
            "(SELECT group_concat(t.name, ' ') FROM practices_goodpractice_topics gt"
            " JOIN exchange_topic t ON t.id = gt.topic_id"
            f" WHERE gt.goodpractice_id = {practice}.id)",
            f"(SELECT group_concat({project}, ' ') FROM practices_goodpractice_projects gp"
            " JOIN exchange_project p ON p.id = gp.project_id"
            f" WHERE gp.goodpractice_id = {practice}.id)",
        ]
    )


def _index_rows(fields, where, translated=()):
    """SQL that (re)writes the FTS5 rows of the practices selected by ``where`` (on alias ``g``)."""

    def column(weight):
        parts = [
            f"replace(g.{f.name}, ',', ' ')" if f.commas else f"g.{f.name}"
            for f in fields
            if f.weight == weight
        ]
        texts = [f"tr.translated_{f.name}" for f in translated if f.weight == weight]
        if texts:
            parts.append(
                f"(SELECT group_concat({_concat(texts)}, ' ') FROM {TRANSLATION_TABLE} tr"
                " WHERE tr.master_id = g.id)"
            )
        if weight == "C":
            parts.append(_related_text("g"))
        return _folded(_concat(parts)) if parts else "''"

    title = next((f"g.{f.name}" for f in fields if f.name == TRIGRAM_FIELD), "''")
    if any(f.name == TRIGRAM_FIELD for f in translated):
        # The titles of every version: a misspelt word of any of them finds it.
        title = _concat(
            [
                title,
                f"(SELECT group_concat(tr.translated_{TRIGRAM_FIELD}, ' ')"
                f" FROM {TRANSLATION_TABLE} tr WHERE tr.master_id = g.id)",
            ]
        )
    return [
        f"DELETE FROM {WORDS_TABLE} WHERE rowid IN (SELECT g.id FROM {TABLE} g WHERE {where})",
        f"DELETE FROM {TRIGRAMS_TABLE} WHERE rowid IN (SELECT g.id FROM {TABLE} g WHERE {where})",
        f"INSERT INTO {WORDS_TABLE} (rowid, a, b, c) SELECT g.id, "
        f"{column('A')}, {column('B')}, {column('C')} FROM {TABLE} g WHERE {where}",
        f"INSERT INTO {TRIGRAMS_TABLE} (rowid, title) SELECT g.id, {_folded(title)} "
        f"FROM {TABLE} g WHERE {where}",
    ]


def _trigger(name, event, table, where, fields, *, when="", translated=()):
    body = ";\n    ".join(_index_rows(fields, where, translated))
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when}\n"
        f"BEGIN\n    {body};\nEND"
    )


TRIGGERS = (
    "practices_fts_insert",
    "practices_fts_update",
    "practices_fts_delete",
    "practices_fts_topic_added",
    "practices_fts_topic_removed",
    "practices_fts_project_added",
    "practices_fts_project_removed",
    "practices_fts_organisation_renamed",
    "practices_fts_region_renamed",
    "practices_fts_translation_added",
    "practices_fts_translation_changed",
    "practices_fts_translation_removed",
)


def sqlite_drop_sql():
    return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS] + [
        f"DROP TABLE IF EXISTS {WORDS_TABLE}",
        f"DROP TABLE IF EXISTS {TRIGRAMS_TABLE}",
    ]


def sqlite_sql(fields, translated=()):
    """Return the statements that (re)create the FTS5 tables and triggers, and fill them."""
    watched = [f.name for f in fields] + ["organisation_id", "region_id"]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)

    def trigger(name, event, table, where, **kwargs):
        return _trigger(name, event, table, where, fields, translated=translated, **kwargs)

    translation_triggers = []
    if translated:
        translation_triggers = [
            trigger(
                "practices_fts_translation_added",
                "INSERT",
                TRANSLATION_TABLE,
                "g.id = NEW.master_id",
            ),
            trigger(
                "practices_fts_translation_changed",
                "UPDATE",
                TRANSLATION_TABLE,
                "g.id IN (OLD.master_id, NEW.master_id)",
            ),
            trigger(
                "practices_fts_translation_removed",
                "DELETE",
                TRANSLATION_TABLE,
                "g.id = OLD.master_id",
            ),
        ]
    return [
        *sqlite_drop_sql(),
        f"CREATE VIRTUAL TABLE {WORDS_TABLE} USING fts5("
        "a, b, c, tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE VIRTUAL TABLE {TRIGRAMS_TABLE} USING fts5(title, tokenize='trigram')",
        trigger("practices_fts_insert", "INSERT", TABLE, "g.id = NEW.id"),
        trigger("practices_fts_update", "UPDATE", TABLE, "g.id = NEW.id", when=f"WHEN {changed}"),
        f"CREATE TRIGGER practices_fts_delete AFTER DELETE ON {TABLE} FOR EACH ROW BEGIN "
        f"DELETE FROM {WORDS_TABLE} WHERE rowid = OLD.id; "
        f"DELETE FROM {TRIGRAMS_TABLE} WHERE rowid = OLD.id; END",
        trigger(
            "practices_fts_topic_added",
            "INSERT",
            "practices_goodpractice_topics",
            "g.id = NEW.goodpractice_id",
        ),
        trigger(
            "practices_fts_topic_removed",
            "DELETE",
            "practices_goodpractice_topics",
            "g.id = OLD.goodpractice_id",
        ),
        trigger(
            "practices_fts_project_added",
            "INSERT",
            "practices_goodpractice_projects",
            "g.id = NEW.goodpractice_id",
        ),
        trigger(
            "practices_fts_project_removed",
            "DELETE",
            "practices_goodpractice_projects",
            "g.id = OLD.goodpractice_id",
        ),
        trigger(
            "practices_fts_organisation_renamed",
            "UPDATE OF name, name_en, acronym",
            "exchange_organisation",
            "g.organisation_id = NEW.id",
        ),
        # A country's rename reaches the practices of every region of it.
        trigger(
            "practices_fts_region_renamed",
            "UPDATE OF name, name_en, nuts_code",
            "exchange_region",
            "g.region_id IN (SELECT id FROM exchange_region WHERE id = NEW.id "
            "OR (NEW.level = 0 AND country_code = NEW.country_code))",
        ),
        *translation_triggers,
        *_index_rows(fields, "1 = 1", translated),
    ]
