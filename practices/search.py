"""Search over good practices: ranked full text on PostgreSQL, ``icontains`` elsewhere.

On PostgreSQL the stored ``GoodPractice.search_vector`` is filled by a trigger
(migration ``0003_search``) with two lexeme sets per field: one through
``exchange_unaccent`` (the ``simple`` dictionary behind ``unaccent``, so
"lukasiewicz" finds "Łukasiewicz" in any language) and one through
``english`` (so "factory" finds "factories"). A query is parsed with both
configurations and the two are OR-ed. When nothing matches, trigram word
similarity on the title catches misspellings ("tuscanny").
"""

from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchQuery,
    SearchQueryCombinable,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

SEARCH_CONFIG = "exchange_unaccent"
STEMMING_CONFIG = "english"
# Words of a query that count for the SQLite fallback; more are ignored.
MAX_TERMS = 8


def normalise_query(q):
    """Return ``q`` with runs of white space collapsed and control characters removed."""
    cleaned = "".join(ch for ch in q if ch.isprintable() or ch.isspace())
    return " ".join(cleaned.split())


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


def match_practices(queryset, q):
    """Return ``(search_practices(queryset, q), whether they match q word for word)``."""
    q = normalise_query(q)
    if not q:
        return queryset, False
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, q)
    return _search_icontains(queryset, q), False


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


def _search_postgresql(queryset, q):
    query = word_query(q)
    matches = queryset.filter(search_vector=query)
    if matches.exists():
        # Normalisation 1 divides by log(length): a short title that says
        # "audit" beats a long description that mentions it once.
        return matches.annotate(
            search_rank=SearchRank(F("search_vector"), query, normalization=Value(1))
        ), True
    # Nothing matched word for word: look for titles with a similar word
    # (the %> operator uses the trigram index on the title).
    return queryset.filter(title__trigram_word_similar=q).annotate(
        search_rank=TrigramWordSimilarity(q, "title")
    ), False


def _search_icontains(queryset, q):
    terms = q.split()[:MAX_TERMS]
    fields = ("title", "summary", "description", "keywords")
    for term in terms:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": term})
        queryset = queryset.filter(condition)
    # A crude rank: the whole query in the title, then in the summary or keywords.
    return queryset.annotate(
        search_rank=Case(
            When(title__icontains=q, then=Value(3.0)),
            When(Q(summary__icontains=q) | Q(keywords__icontains=q), then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    )
