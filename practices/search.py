"""Search over good practices: ranked full text on PostgreSQL and on SQLite (FTS5).

On PostgreSQL the stored ``GoodPractice.search_vector`` is filled by a trigger
(migration ``0003_search``) with two lexeme sets per field: one through
``exchange_unaccent`` (the ``simple`` dictionary behind ``unaccent``, so
"lukasiewicz" finds "Łukasiewicz" in any language) and one through
``english`` (so "factory" finds "factories"). A query is parsed with both
configurations and the two are OR-ed. When nothing matches, trigram word
similarity on the title and its translations catches misspellings ("tuscanny").

On SQLite (``make demo``) the FTS5 tables of ``practices.search_index`` do the
same: accents folded, English stems, bm25 ranking with the same weights, and
for misspellings the titles sharing trigrams with the words, kept when their
word similarity reaches PostgreSQL's default threshold. What is indexed is
listed once, in ``practices.search_index.INDEXED_FIELDS``.
"""

import re

from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchQuery,
    SearchQueryCombinable,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest

from core.search import (
    MAX_TERMS,
    SEARCH_CONFIG,
    WORD,
    WORD_SIMILARITY_THRESHOLD,
    fold,
    normalise_query,
    plain,
    trigrams,
)
from practices.models import PracticeTranslation
from practices.search_index import TRIGRAM_FIELD, TRIGRAMS_TABLE, WORDS_TABLE

STEMMING_CONFIG = "english"
# bm25 weights of the FTS5 columns (A, B, C): ts_rank's default 1.0, 0.4, 0.2.
BM25_WEIGHTS = "10.0, 4.0, 2.0"
# Titles sharing trigrams with a misspelt query that are scored, best first.
TRIGRAM_CANDIDATES = 200


def search_key(q):
    """Return a form of the search ``q`` that finds exactly the practices ``q`` finds.

    For cache keys: "Innovation", "innovation  innovation" and "innovation"
    are one search. On PostgreSQL both configurations fold case, and words
    without operators (quotes, "or", a leading "-") are AND-ed, so their
    order and repeats do not matter. Elsewhere (``icontains`` of the first
    ``MAX_TERMS`` words) only white space is normalised.
    """
    q = normalise_query(q)
    if connection.vendor != "postgresql":
        return q
    words = q.lower().split()
    if '"' in q or "or" in words or any(word.startswith("-") for word in words):
        return " ".join(words)
    return " ".join(sorted(set(words)))


def search_practices(queryset, q):
    """Return the practices of ``queryset`` that match ``q``, annotated with ``search_rank``.

    The result is not ordered; callers sort by ``-search_rank`` for relevance.
    """
    return match_practices(queryset, q)[0]


def match_practices(queryset, q, *, by_words=None):
    """Return ``(search_practices(queryset, q), whether they match q word for word)``.

    ``by_words``: that answer when the caller knows it already (no query
    then asks whether any practice matches the words).
    """
    q = normalise_query(q)
    if not q:
        return queryset, False
    if connection.vendor != "postgresql" and not fts5_query(q):
        return _nothing(queryset), False
    matches = word_matches(queryset, q)
    if by_words is None:
        by_words = matches.exists()
    if by_words:
        return matches, True
    return similar_titles(queryset, q), False


def match_words(queryset, q, *, as_parameter=False):
    """Return the practices of ``queryset`` matching the words of ``q`` (no rank, no fallback).

    ``as_parameter``: see ``word_query`` (PostgreSQL only).
    """
    if connection.vendor == "postgresql":
        return queryset.filter(search_vector=word_query(q, as_parameter=as_parameter))
    return queryset.filter(pk__in=_fts_matches(fts5_query(q)))


def word_query(q, *, as_parameter=False):
    """Return the words of ``q`` as a full-text query, in both configurations.

    ``as_parameter`` gives it to the plan as a parameter (``(SELECT ...)``):
    the planner then estimates a few matches and reads them through the GIN
    index, which is what counting all matches of a common word needs; from
    the word's real frequency it would read the whole table, unpacking every
    search vector (figures in bench/README.md).
    """
    simple = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    stemmed = SearchQuery(q, config=STEMMING_CONFIG, search_type="websearch")
    if as_parameter:
        return WordsAsParameter(simple, SearchQueryCombinable.BITOR, stemmed, simple.config)
    return simple | stemmed


class WordsAsParameter(CombinedSearchQuery):
    """A full-text query the plan takes as a parameter (an InitPlan), not as constants."""

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f"(SELECT {sql})", params


def word_matches(queryset, q):
    """Return the practices matching the words of ``q``, with ``search_rank`` (no fallback)."""
    q = normalise_query(q)
    if connection.vendor != "postgresql":
        query = fts5_query(q)
        if not query:
            return _nothing(queryset)
        return queryset.filter(pk__in=_fts_matches(query)).annotate(search_rank=WordsRank(query))
    query = word_query(q)
    # Normalisation 1 divides by log(length): a short title that says
    # "audit" beats a long description that mentions it once.
    return queryset.filter(search_vector=query).annotate(
        search_rank=SearchRank(F("search_vector"), query, normalization=Value(1))
    )


def similar_titles(queryset, q):
    """Return the practices whose title, or a translation of it, has a word like one of ``q``.

    With ``search_rank``: the word similarity of the closest version. The
    fallback for misspellings, when nothing matches word for word.
    """
    q = normalise_query(q)
    if connection.vendor != "postgresql":
        return _similar_titles(queryset, q)
    field, translated = TRIGRAM_FIELD, f"translated_{TRIGRAM_FIELD}"
    versions = PracticeTranslation.objects.filter(**{f"{translated}__trigram_word_similar": q})
    similar = Q(**{f"{field}__trigram_word_similar": q}) | Q(
        AnyOf(F("pk"), versions.values("master_id"))
    )
    closest_version = (
        versions.filter(master=OuterRef("pk"))
        .annotate(similarity=TrigramWordSimilarity(q, translated))
        .order_by("-similarity")
        .values("similarity")[:1]
    )
    return queryset.filter(similar).annotate(
        search_rank=Greatest(
            TrigramWordSimilarity(q, field),
            Coalesce(Subquery(closest_version), Value(0.0)),
            output_field=FloatField(),
        )
    )


class AnyOf(Func):
    """``field = ANY(ARRAY(subquery))``: the subquery runs once, before the plan reads a row.

    Its ids are then a parameter of the plan, as ``WordsAsParameter``'s
    words are: OR-ed with the title's trigram match, they keep the title's
    plans (the publication-date index for the newest of a broad match, the
    trigram index for a rare one). ``pk IN (subquery)`` in that OR would
    test every practice; a UNION of both would collect every broad match
    before taking five (bench/README.md, "Figures behind the code").
    """

    output_field = BooleanField()

    def __init__(self, field, queryset):
        super().__init__(field, Subquery(queryset))

    def as_sql(self, compiler, connection, **extra_context):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        ids_sql, ids_params = compiler.compile(self.source_expressions[1])
        return f"{field_sql} = ANY(ARRAY{ids_sql})", (*field_params, *ids_params)


# SQLite


def fts5_query(q):
    """Return ``q`` as an FTS5 query, read as PostgreSQL's websearch reads it.

    Words and "quoted phrases" must all be there, "or" between two of them
    lets either do, a leading "-" excludes a word. Each term is quoted, so no
    input is FTS5 syntax; "" when ``q`` has no word.
    """
    groups, excluded, either = [], [], False
    for phrase, word in re.findall(r'"([^"]*)"?|([^\s"]+)', fold(q)):
        if word.lower() == "or":
            either = bool(groups)
            continue
        negative = word.startswith("-")
        words = WORD.findall(phrase or word)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negative:
            excluded.append(term)
        elif either:
            groups[-1].append(term)
        else:
            groups.append([term])
        either = False
    groups = groups[:MAX_TERMS]
    if not groups:
        return ""
    query = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    return query + "".join(f" NOT {term}" for term in excluded[:MAX_TERMS])


def _fts_matches(query):
    """Return the ids of the practices whose FTS5 row matches ``query`` (a subquery).

    Raw SQL: the ORM has no expression for FTS5's MATCH.
    """
    return RawSQL(f"SELECT rowid FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s", (query,))


class WordsRank(Func):
    """The bm25 relevance (higher is better) of a practice's FTS5 row for an FTS5 query.

    Raw SQL: the ORM has no expression for FTS5's MATCH and bm25().
    """

    output_field = FloatField()

    def __init__(self, query):
        super().__init__(F("pk"), Value(query))

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        query = self.source_expressions[1].value
        sql = (
            f"(SELECT -bm25({WORDS_TABLE}, {BM25_WEIGHTS}) FROM {WORDS_TABLE} "
            f"WHERE {WORDS_TABLE} MATCH %s AND {WORDS_TABLE}.rowid = {pk_sql})"
        )
        return sql, (query, *pk_params)


def _nothing(queryset):
    # Not .none(): the facets compile this queryset into their SQL, and an
    # empty queryset has none.
    return queryset.filter(pk__isnull=True).annotate(
        search_rank=Value(0.0, output_field=FloatField())
    )


def _similar_titles(queryset, q):
    """Return the practices whose title has a word like those of ``q`` (the trigram fallback).

    The candidates sharing most trigrams with the words, kept when their word
    similarity reaches the threshold: all in the query's SQL (the function
    ``core.search`` registers), so that building it reads nothing.

    Raw SQL: the ORM has no expression for FTS5's MATCH and rank.
    """
    grams = {t.strip() for word in WORD.findall(plain(q))[:MAX_TERMS] for t in trigrams(word)}
    grams = sorted(g for g in grams if len(g) == 3)
    if not grams:
        return _nothing(queryset)
    candidates = RawSQL(
        f"SELECT rowid FROM (SELECT rowid, title FROM {TRIGRAMS_TABLE} "
        f"WHERE {TRIGRAMS_TABLE} MATCH %s ORDER BY rank LIMIT {TRIGRAM_CANDIDATES}) "
        "WHERE exchange_word_similarity(%s, title) >= %s",
        (" OR ".join(f'"{g}"' for g in grams), q, WORD_SIMILARITY_THRESHOLD),
    )
    return queryset.filter(pk__in=candidates).annotate(search_rank=TitleSimilarity(q))


class TitleSimilarity(Func):
    """The word similarity of ``q`` to a practice's titles in the trigram FTS5 table.

    Raw SQL: the FTS5 table has no model for the ORM to join.
    """

    output_field = FloatField()

    def __init__(self, q):
        super().__init__(F("pk"), Value(q))

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        sql = (
            f"(SELECT exchange_word_similarity(%s, title) FROM {TRIGRAMS_TABLE} "
            f"WHERE {TRIGRAMS_TABLE}.rowid = {pk_sql})"
        )
        return sql, (self.source_expressions[1].value, *pk_params)
