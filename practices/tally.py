"""The published practices counted per region, per topic and year, per project, kept by triggers.

``PracticeTally`` holds, for the insights page's unfiltered charts, what
counting at query time would join 87,000 practices with their 174,000
topics and 130,000 projects for: a few thousand rows. Database triggers
keep it exact on every write, bulk ones and deletes included, as the
search index is kept (``practices.search_index``):

- a practice inserted, updated (publication state, region, dates,
  completeness) or deleted takes back what its old row counted and adds what
  its new row counts, when published, with the topics and projects it has;
- a topic or project link added or removed counts or takes back one, when
  its practice exists and is published.

A row's ``practices`` may fall to 0; readers skip those. The year is the one the
charts count, ``Coalesce(ExtractYear(start_date), ExtractYear(published_at))``
in ``settings.TIME_ZONE`` (read when the triggers are installed), 0 for none.
"""

from django.conf import settings

TABLE = "practices_practicetally"
PRACTICES = "practices_goodpractice"
LINKS = {"topic": "practices_goodpractice_topics", "project": "practices_goodpractice_projects"}
PUBLISHED = "published"
# The practice's columns whose change changes what it counts.
COUNTED = ("publication_state", "region_id", "start_date", "published_at", "completeness")


def install(apps, schema_editor):
    """Install the triggers and count every published practice (a ``RunPython`` function)."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = postgresql_sql()
    elif connection.vendor == "sqlite":
        statements = sqlite_sql()
    else:
        statements = []
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(apps, schema_editor):
    connection = schema_editor.connection
    statements = postgresql_drop_sql() if connection.vendor == "postgresql" else sqlite_drop_sql()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _year(vendor, alias):
    """The SQL of a practice's counted year, as Django compiles the charts' expression."""
    zone = settings.TIME_ZONE
    if vendor == "postgresql":
        return (
            f"COALESCE((COALESCE(EXTRACT(YEAR FROM {alias}.start_date),"
            f" EXTRACT(YEAR FROM {alias}.published_at AT TIME ZONE '{zone}')))::integer, 0)"
        )
    return (
        f"COALESCE(CAST(COALESCE(django_date_extract('year', {alias}.start_date),"
        f" django_datetime_extract('year', {alias}.published_at, '{zone}', 'UTC'))"
        " AS integer), 0)"
    )


UPSERT = (
    "ON CONFLICT (kind, key, year, completeness)"
    f" DO UPDATE SET practices = {TABLE}.practices + excluded.practices"
)


def _counts(vendor, alias, sign):
    """The statements counting (sign 1) or taking back (-1) practice ``alias`` and its links."""
    year = _year(vendor, alias)
    # SQLite reads "ON" after a bare FROM as a join's: a WHERE comes first.
    return [
        f"INSERT INTO {TABLE} (kind, key, year, completeness, practices)"
        f" SELECT 'region', COALESCE({alias}.region_id, 0), 0, {alias}.completeness, {sign}"
        f" WHERE true {UPSERT}",
        f"INSERT INTO {TABLE} (kind, key, year, completeness, practices)"
        f" SELECT 'topic', link.topic_id, {year}, 0, {sign}"
        f" FROM {LINKS['topic']} link WHERE link.goodpractice_id = {alias}.id {UPSERT}",
        f"INSERT INTO {TABLE} (kind, key, year, completeness, practices)"
        f" SELECT 'project', link.project_id, 0, {alias}.completeness, {sign}"
        f" FROM {LINKS['project']} link WHERE link.goodpractice_id = {alias}.id {UPSERT}",
    ]


def _link_count(vendor, kind, link, sign):
    """The statement counting (1) or taking back (-1) one link row, ``link`` (NEW or OLD)."""
    year, written = (_year(vendor, "p"), "0") if kind == "topic" else ("0", "p.completeness")
    return (
        f"INSERT INTO {TABLE} (kind, key, year, completeness, practices)"
        f" SELECT '{kind}', {link}.{kind}_id, {year}, {written}, {sign}"
        f" FROM {PRACTICES} p WHERE p.id = {link}.goodpractice_id"
        f" AND p.publication_state = '{PUBLISHED}' {UPSERT}"
    )


def _refill(vendor):
    year = _year(vendor, "p")
    published = f"p.publication_state = '{PUBLISHED}'"
    insert = f"INSERT INTO {TABLE} (kind, key, year, completeness, practices)"
    return [
        f"DELETE FROM {TABLE}",
        f"{insert} SELECT 'region', COALESCE(p.region_id, 0), 0, p.completeness, COUNT(*)"
        f" FROM {PRACTICES} p WHERE {published}"
        " GROUP BY COALESCE(p.region_id, 0), p.completeness",
        f"{insert} SELECT 'topic', link.topic_id, {year}, 0, COUNT(*)"
        f" FROM {PRACTICES} p JOIN {LINKS['topic']} link ON link.goodpractice_id = p.id"
        f" WHERE {published} GROUP BY link.topic_id, {year}",
        f"{insert} SELECT 'project', link.project_id, 0, p.completeness, COUNT(*)"
        f" FROM {PRACTICES} p JOIN {LINKS['project']} link ON link.goodpractice_id = p.id"
        f" WHERE {published} GROUP BY link.project_id, p.completeness",
    ]


def _changed(columns):
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


# PostgreSQL


def postgresql_sql():
    vendor = "postgresql"
    old = ";\n        ".join(_counts(vendor, "OLD", -1))
    new = ";\n        ".join(_counts(vendor, "NEW", 1))
    statements = [
        f"""
CREATE OR REPLACE FUNCTION practices_tally_practice() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.publication_state = '{PUBLISHED}' THEN
        {old};
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.publication_state = '{PUBLISHED}' THEN
        {new};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS practices_tally_insert_delete_trg ON {PRACTICES};
CREATE TRIGGER practices_tally_insert_delete_trg
    AFTER INSERT OR DELETE ON {PRACTICES}
    FOR EACH ROW EXECUTE FUNCTION practices_tally_practice();
DROP TRIGGER IF EXISTS practices_tally_update_trg ON {PRACTICES};
CREATE TRIGGER practices_tally_update_trg
    AFTER UPDATE ON {PRACTICES}
    FOR EACH ROW WHEN ({_changed(COUNTED)})
    EXECUTE FUNCTION practices_tally_practice();
"""
    ]
    for kind, links in LINKS.items():
        statements.append(f"""
CREATE OR REPLACE FUNCTION practices_tally_{kind}_link() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {_link_count(vendor, kind, "OLD", -1)};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {_link_count(vendor, kind, "NEW", 1)};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS practices_tally_{kind}_link_trg ON {links};
CREATE TRIGGER practices_tally_{kind}_link_trg
    AFTER INSERT OR UPDATE OR DELETE ON {links}
    FOR EACH ROW EXECUTE FUNCTION practices_tally_{kind}_link();
""")
    return statements + _refill(vendor)


def postgresql_drop_sql():
    return [
        f"DROP TRIGGER IF EXISTS practices_tally_insert_delete_trg ON {PRACTICES}",
        f"DROP TRIGGER IF EXISTS practices_tally_update_trg ON {PRACTICES}",
        "DROP FUNCTION IF EXISTS practices_tally_practice()",
        *(
            statement
            for kind, links in LINKS.items()
            for statement in (
                f"DROP TRIGGER IF EXISTS practices_tally_{kind}_link_trg ON {links}",
                f"DROP FUNCTION IF EXISTS practices_tally_{kind}_link()",
            )
        ),
    ]


# SQLite


def sqlite_sql():
    vendor = "sqlite"
    published = "publication_state = 'published'"
    statements = sqlite_drop_sql()

    def trigger(name, event, table, when, body):
        steps = "".join(f"\n    {statement};" for statement in body)
        condition = f"\nWHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition}"
            f"\nBEGIN{steps}\nEND"
        )

    statements += [
        trigger(
            "practices_tally_insert_trg",
            "INSERT",
            PRACTICES,
            f"NEW.{published}",
            _counts(vendor, "NEW", 1),
        ),
        trigger(
            "practices_tally_delete_trg",
            "DELETE",
            PRACTICES,
            f"OLD.{published}",
            _counts(vendor, "OLD", -1),
        ),
        # The old row taken back and the new one counted: sums, in any order.
        trigger(
            "practices_tally_update_new_trg",
            "UPDATE",
            PRACTICES,
            f"NEW.{published} AND ({_changed(COUNTED).replace('IS DISTINCT FROM', 'IS NOT')})",
            _counts(vendor, "NEW", 1),
        ),
        trigger(
            "practices_tally_update_old_trg",
            "UPDATE",
            PRACTICES,
            f"OLD.{published} AND ({_changed(COUNTED).replace('IS DISTINCT FROM', 'IS NOT')})",
            _counts(vendor, "OLD", -1),
        ),
    ]
    for kind, links in LINKS.items():
        statements += [
            trigger(
                f"practices_tally_{kind}_insert_trg",
                "INSERT",
                links,
                None,
                [_link_count(vendor, kind, "NEW", 1)],
            ),
            trigger(
                f"practices_tally_{kind}_delete_trg",
                "DELETE",
                links,
                None,
                [_link_count(vendor, kind, "OLD", -1)],
            ),
            trigger(
                f"practices_tally_{kind}_update_new_trg",
                "UPDATE",
                links,
                None,
                [_link_count(vendor, kind, "NEW", 1)],
            ),
            trigger(
                f"practices_tally_{kind}_update_old_trg",
                "UPDATE",
                links,
                None,
                [_link_count(vendor, kind, "OLD", -1)],
            ),
        ]
    return statements + _refill(vendor)


SQLITE_TRIGGERS = (
    "practices_tally_insert_trg",
    "practices_tally_delete_trg",
    "practices_tally_update_new_trg",
    "practices_tally_update_old_trg",
    *(
        f"practices_tally_{kind}_{event}_trg"
        for kind in LINKS
        for event in ("insert", "delete", "update_new", "update_old")
    ),
)


def sqlite_drop_sql():
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
