"""Search over good practices: ranked full text on PostgreSQL, ``icontains`` elsewhere.

On PostgreSQL the stored ``GoodPractice.search_vector`` is filled by a trigger
(migration ``0003_search``) with two lexeme sets per field: one through
``exchange_unaccent`` (the ``simple`` dictionary behind ``unaccent``, so
"lukasiewicz" finds "Łukasiewicz" in any language) and one through
``english`` (so "factory" finds "factories"). A query is parsed with both
configurations and the two are OR-ed. When nothing matches, trigram word
similarity on the title catches misspellings ("tuscanny").
"""

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
    q = normalise_query(q)
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, q)
    return _search_icontains(queryset, q)


def _search_postgresql(queryset, q):
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch") | SearchQuery(
        q, config=STEMMING_CONFIG, search_type="websearch"
    )
    matches = queryset.filter(search_vector=query)
    if matches.exists():
        # Normalisation 1 divides by log(length): a short title that says
        # "audit" beats a long description that mentions it once.
        return matches.annotate(
            search_rank=SearchRank(F("search_vector"), query, normalization=Value(1))
        )
    # Nothing matched word for word: look for titles with a similar word
    # (the %> operator uses the trigram index on the title).
    return queryset.filter(title__trigram_word_similar=q).annotate(
        search_rank=TrigramWordSimilarity(q, "title")
    )


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
