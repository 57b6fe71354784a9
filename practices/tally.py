"""The published practices counted per region, per topic and year, per project, kept by triggers.

``PracticeTally`` holds, for the insights page's charts without filters or
with one topic, what counting at query time would join 87,000 practices
with their 174,000 topic and 130,000 project links for: in scope 0 every
published practice, in a topic's scope the practices of that topic. Database
triggers keep it exact on every write, bulk ones and deletes included, as
the search index is kept (``practices.search_index``):

- a practice inserted, updated (publication state, region, dates,
  completeness) or deleted takes back what its old row counted and adds what
  its new row counts, when published, with the topics and projects it has;
- a topic or project link added or removed counts or takes back what it
  changes, when its practice exists and is published (on PostgreSQL topic
  links per statement: see ``postgresql_sql``).

A row's ``practices`` may fall to 0; readers skip those. The year is the one
the charts count, ``Coalesce(ExtractYear(start_date), ExtractYear(published_at))``
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
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, TABLE)}
    if "scope" not in columns:
        # Migration 0025, before 0026 added the scope: 0026 installs them.
        return
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
    "ON CONFLICT (scope, kind, key, year, completeness)"
    f" DO UPDATE SET practices = {TABLE}.practices + excluded.practices"
)
INSERT = f"INSERT INTO {TABLE} (scope, kind, key, year, completeness, practices)"


def _scopes(practice_id):
    """The scopes a practice is counted in: every practice (0), and each of its topics."""
    return (
        f"(SELECT 0 AS scope UNION ALL SELECT topic_id FROM {LINKS['topic']}"
        f" WHERE goodpractice_id = {practice_id})"
    )


def _counts(vendor, alias, sign):
    """The statements counting (sign 1) or taking back (-1) practice ``alias`` and its links."""
    year = _year(vendor, alias)
    scopes = _scopes(f"{alias}.id")
    # SQLite reads "ON" after a bare FROM as a join's: a WHERE comes first.
    return [
        f"{INSERT} SELECT s.scope, 'region', COALESCE({alias}.region_id, 0), 0,"
        f" {alias}.completeness, {sign} FROM {scopes} s WHERE true {UPSERT}",
        f"{INSERT} SELECT s.scope, 'topic', link.topic_id, {year}, 0, {sign}"
        f" FROM {scopes} s CROSS JOIN {LINKS['topic']} link"
        f" WHERE link.goodpractice_id = {alias}.id {UPSERT}",
        f"{INSERT} SELECT s.scope, 'project', link.project_id, 0, {alias}.completeness, {sign}"
        f" FROM {scopes} s CROSS JOIN {LINKS['project']} link"
        f" WHERE link.goodpractice_id = {alias}.id {UPSERT}",
    ]


def _link_counts(vendor, kind, link, sign):
    """The statements counting (1) or taking back (-1) one link row, ``link`` (NEW or OLD).

    A project link counts in each scope of its practice. A topic link T
    counts its topic in every practice's scope (0) and in its own, the
    practice (region, other topics, projects) in scope T, and T in the
    scope of each other topic: whether the row is already there (insert)
    or gone (delete), the other topics are the links but T.
    """
    practice = (
        f" FROM {PRACTICES} p WHERE p.id = {link}.goodpractice_id"
        f" AND p.publication_state = '{PUBLISHED}'"
    )
    if kind == "project":
        return [
            f"{INSERT} SELECT s.scope, 'project', {link}.project_id, 0, p.completeness, {sign}"
            f" FROM {PRACTICES} p CROSS JOIN {_scopes(f'{link}.goodpractice_id')} s"
            f" WHERE p.id = {link}.goodpractice_id AND p.publication_state = '{PUBLISHED}'"
            f" {UPSERT}"
        ]
    year, topic = _year(vendor, "p"), f"{link}.topic_id"
    others = (
        f" JOIN {LINKS['topic']} other ON other.goodpractice_id = p.id"
        f" WHERE p.id = {link}.goodpractice_id AND p.publication_state = '{PUBLISHED}'"
        f" AND other.topic_id <> {topic}"
    )
    return [
        f"{INSERT} SELECT 0, 'topic', {topic}, {year}, 0, {sign}{practice} {UPSERT}",
        f"{INSERT} SELECT {topic}, 'topic', {topic}, {year}, 0, {sign}{practice} {UPSERT}",
        f"{INSERT} SELECT {topic}, 'region', COALESCE(p.region_id, 0), 0, p.completeness,"
        f" {sign}{practice} {UPSERT}",
        f"{INSERT} SELECT {topic}, 'topic', other.topic_id, {year}, 0, {sign}"
        f" FROM {PRACTICES} p{others} {UPSERT}",
        f"{INSERT} SELECT other.topic_id, 'topic', {topic}, {year}, 0, {sign}"
        f" FROM {PRACTICES} p{others} {UPSERT}",
        f"{INSERT} SELECT {topic}, 'project', link.project_id, 0, p.completeness, {sign}"
        f" FROM {PRACTICES} p JOIN {LINKS['project']} link ON link.goodpractice_id = p.id"
        f" WHERE p.id = {link}.goodpractice_id AND p.publication_state = '{PUBLISHED}'"
        f" {UPSERT}",
    ]


def _topic_links_counts(changed, linked, sign):
    """PostgreSQL: the statements counting (1) or taking back (-1) the topic links ``changed``.

    ``linked``: the links of their practices, ``changed`` among them (after
    an insert, before a delete). A link counts what ``_link_counts`` says;
    each pair of a practice's topics of which at least one changed once.
    """
    year = _year("postgresql", "p")
    practice = (
        f" FROM {changed} c JOIN {PRACTICES} p ON p.id = c.goodpractice_id"
        f" AND p.publication_state = '{PUBLISHED}'"
    )
    count = f"{sign} * COUNT(*)"
    is_changed = (
        "EXISTS (SELECT 1 FROM {changed} c WHERE c.goodpractice_id = {alias}.goodpractice_id"
        " AND c.topic_id = {alias}.topic_id)"
    )
    return [
        f"{INSERT} SELECT 0, 'topic', c.topic_id, {year}, 0, {count}{practice}"
        f" GROUP BY c.topic_id, {year} {UPSERT}",
        f"{INSERT} SELECT c.topic_id, 'region', COALESCE(p.region_id, 0), 0, p.completeness,"
        f" {count}{practice} GROUP BY c.topic_id, COALESCE(p.region_id, 0), p.completeness"
        f" {UPSERT}",
        f"{INSERT} SELECT c.topic_id, 'project', link.project_id, 0, p.completeness, {count}"
        f"{practice} JOIN {LINKS['project']} link ON link.goodpractice_id = p.id"
        f" GROUP BY c.topic_id, link.project_id, p.completeness {UPSERT}",
        f"{INSERT} SELECT a.topic_id, 'topic', b.topic_id, {year}, 0, {count}"
        f" FROM ({linked}) a JOIN ({linked}) b ON b.goodpractice_id = a.goodpractice_id"
        f" JOIN {PRACTICES} p ON p.id = a.goodpractice_id"
        f" AND p.publication_state = '{PUBLISHED}'"
        f" WHERE {is_changed.format(changed=changed, alias='a')}"
        f" OR {is_changed.format(changed=changed, alias='b')}"
        f" GROUP BY a.topic_id, b.topic_id, {year} {UPSERT}",
    ]


def _refill(vendor):
    year = _year(vendor, "sp")
    # Each published practice once per scope.
    scoped = (
        "(SELECT p.id, p.region_id, p.completeness, p.start_date, p.published_at, 0 AS scope"
        f" FROM {PRACTICES} p WHERE p.publication_state = '{PUBLISHED}'"
        " UNION ALL"
        " SELECT p.id, p.region_id, p.completeness, p.start_date, p.published_at, link.topic_id"
        f" FROM {PRACTICES} p JOIN {LINKS['topic']} link ON link.goodpractice_id = p.id"
        f" WHERE p.publication_state = '{PUBLISHED}') sp"
    )
    return [
        f"DELETE FROM {TABLE}",
        f"{INSERT} SELECT sp.scope, 'region', COALESCE(sp.region_id, 0), 0, sp.completeness,"
        f" COUNT(*) FROM {scoped} GROUP BY sp.scope, COALESCE(sp.region_id, 0), sp.completeness",
        f"{INSERT} SELECT sp.scope, 'topic', link.topic_id, {year}, 0, COUNT(*)"
        f" FROM {scoped} JOIN {LINKS['topic']} link ON link.goodpractice_id = sp.id"
        f" GROUP BY sp.scope, link.topic_id, {year}",
        f"{INSERT} SELECT sp.scope, 'project', link.project_id, 0, sp.completeness, COUNT(*)"
        f" FROM {scoped} JOIN {LINKS['project']} link ON link.goodpractice_id = sp.id"
        " GROUP BY sp.scope, link.project_id, sp.completeness",
    ]


def _changed(columns):
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


# PostgreSQL


def postgresql_sql():
    vendor = "postgresql"
    old = ";\n        ".join(_counts(vendor, "OLD", -1))
    new = ";\n        ".join(_counts(vendor, "NEW", 1))
    statements = [
        *postgresql_drop_sql(),
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
""",
    ]
    links = LINKS["project"]
    old = ";\n        ".join(_link_counts(vendor, "project", "OLD", -1))
    new = ";\n        ".join(_link_counts(vendor, "project", "NEW", 1))
    statements.append(f"""
CREATE OR REPLACE FUNCTION practices_tally_project_link() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {old};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {new};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS practices_tally_project_link_trg ON {links};
CREATE TRIGGER practices_tally_project_link_trg
    AFTER INSERT OR UPDATE OR DELETE ON {links}
    FOR EACH ROW EXECUTE FUNCTION practices_tally_project_link();
""")
    # Topic links per statement: a row trigger fired after a statement of
    # several links (Django's set() and add()) would see the others of its
    # practice already there, and count each pair twice.
    links = LINKS["topic"]
    current = (
        f"SELECT goodpractice_id, topic_id FROM {links}"
        " WHERE goodpractice_id IN (SELECT goodpractice_id FROM {changed})"
    )
    phases = {
        "insert": [("added", current.format(changed="added"), 1)],
        "delete": [
            (
                "removed",
                f"{current.format(changed='removed')}"
                " UNION ALL SELECT goodpractice_id, topic_id FROM removed",
                -1,
            )
        ],
        "update": [
            (
                "removed",
                f"({current.format(changed='removed')} EXCEPT ALL"
                " SELECT goodpractice_id, topic_id FROM added)"
                " UNION ALL SELECT goodpractice_id, topic_id FROM removed",
                -1,
            ),
            ("added", current.format(changed="added"), 1),
        ],
    }
    tables = {
        "insert": "NEW TABLE AS added",
        "delete": "OLD TABLE AS removed",
        "update": "OLD TABLE AS removed NEW TABLE AS added",
    }
    for event, steps in phases.items():
        body = ";\n    ".join(
            statement
            for changed, linked, sign in steps
            for statement in _topic_links_counts(changed, linked, sign)
        )
        statements.append(f"""
CREATE OR REPLACE FUNCTION practices_tally_topic_{event}() RETURNS trigger AS $$
BEGIN
    {body};
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS practices_tally_topic_{event}_trg ON {links};
CREATE TRIGGER practices_tally_topic_{event}_trg
    AFTER {event.upper()} ON {links} REFERENCING {tables[event]}
    FOR EACH STATEMENT EXECUTE FUNCTION practices_tally_topic_{event}();
""")
    return statements + _refill(vendor)


def postgresql_drop_sql():
    return [
        f"DROP TRIGGER IF EXISTS practices_tally_insert_delete_trg ON {PRACTICES}",
        f"DROP TRIGGER IF EXISTS practices_tally_update_trg ON {PRACTICES}",
        "DROP FUNCTION IF EXISTS practices_tally_practice()",
        f"DROP TRIGGER IF EXISTS practices_tally_project_link_trg ON {LINKS['project']}",
        "DROP FUNCTION IF EXISTS practices_tally_project_link()",
        # Migration 0025's row trigger on topic links.
        f"DROP TRIGGER IF EXISTS practices_tally_topic_link_trg ON {LINKS['topic']}",
        "DROP FUNCTION IF EXISTS practices_tally_topic_link()",
        *(
            statement
            for event in ("insert", "delete", "update")
            for statement in (
                f"DROP TRIGGER IF EXISTS practices_tally_topic_{event}_trg ON {LINKS['topic']}",
                f"DROP FUNCTION IF EXISTS practices_tally_topic_{event}()",
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
                _link_counts(vendor, kind, "NEW", 1),
            ),
            trigger(
                f"practices_tally_{kind}_delete_trg",
                "DELETE",
                links,
                None,
                _link_counts(vendor, kind, "OLD", -1),
            ),
            trigger(
                f"practices_tally_{kind}_update_new_trg",
                "UPDATE",
                links,
                None,
                _link_counts(vendor, kind, "NEW", 1),
            ),
            trigger(
                f"practices_tally_{kind}_update_old_trg",
                "UPDATE",
                links,
                None,
                _link_counts(vendor, kind, "OLD", -1),
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
