"""Search words: the text rules every search shares, and the search by name of the other kinds.

Practices have their own weighted index (``practices.search``). Organisations,
projects, regions, policy instruments, events and documents are searched by
their names (each model's ``SEARCH_FIELDS``), with the same accent and typo
tolerance:

- PostgreSQL: the names as an accent-free ``tsvector`` (``exchange_unaccent``,
  GIN expression index, ``name_index_operations``) ranked by ``ts_rank``; when
  no name has the words, trigram word similarity on the main name, the
  English name and the words of the staff translations (``similar_names``,
  GIN trigram indexes), as the practice search falls back on every version
  of its titles.
- SQLite: two SQL functions registered on each connection
  (``register_sqlite_functions``): every word among the names' words, accents
  folded, and pg_trgm's word similarity for the fallback. The tables are small
  there (``make demo``); every row is read.
"""

import re
import unicodedata

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, TextField, Value
from django.db.models.functions import Concat, Greatest

from core.translations import WORDS_FIELD

SEARCH_CONFIG = "exchange_unaccent"
# Words of a query that count on SQLite; more are ignored.
MAX_TERMS = 8
# PostgreSQL's pg_trgm.word_similarity_threshold default, which %> uses.
WORD_SIMILARITY_THRESHOLD = 0.6
WORD = re.compile(r"[^\W_]+")

# Letters with no Unicode decomposition (SQLite's unicode61 keeps them),
# folded as PostgreSQL's unaccent folds them: "lukasiewicz" finds "Łukasiewicz".
UNFOLDED_LETTERS = {
    "Ł": "L",
    "ł": "l",
    "Ø": "O",
    "ø": "o",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ß": "ss",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "ı": "i",
    "Þ": "TH",
    "þ": "th",
}
_UNFOLDED = str.maketrans(UNFOLDED_LETTERS)


def normalise_query(q):
    """Return ``q`` with runs of white space collapsed and control characters removed."""
    cleaned = "".join(ch for ch in q if ch.isprintable() or ch.isspace())
    return " ".join(cleaned.split())


def fold(text):
    """Return ``text`` with the letters of ``UNFOLDED_LETTERS`` folded."""
    return text.translate(_UNFOLDED)


def plain(text):
    """Return ``text`` in lower case, every accent folded."""
    text = unicodedata.normalize("NFKD", fold(text).lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def trigrams(word):
    """Return pg_trgm's trigrams of one word, in order (padded: two spaces before, one after)."""
    padded = f"  {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def word_similarity(q, text):
    """Return pg_trgm's ``word_similarity(q, text)``, accents folded.

    The best ratio, over the runs of consecutive trigrams of ``text``, of the
    trigrams shared with ``q`` to the trigrams of either.
    """
    wanted = {t for word in WORD.findall(plain(q or "")) for t in trigrams(word)}
    if not wanted:
        return 0.0
    sequence = [t for word in WORD.findall(plain(text or "")) for t in trigrams(word)]
    found = [i for i, t in enumerate(sequence) if t in wanted]
    best = 0.0
    for n, start in enumerate(found):
        for end in found[n:]:
            run = set(sequence[start : end + 1])
            shared = len(run & wanted)
            best = max(best, shared / (len(wanted) + len(run) - shared))
    return best


def words_match(q, text):
    """Whether every word of ``q`` (at most ``MAX_TERMS``) is a word of ``text``, accents folded."""
    wanted = WORD.findall(plain(q or ""))[:MAX_TERMS]
    return bool(wanted) and set(wanted) <= set(WORD.findall(plain(text or "")))


def register_sqlite_functions(sender, connection, **kwargs):
    """Give an SQLite connection the functions ``search_names`` uses (``connection_created``)."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("exchange_words_match", 2, words_match, deterministic=True)
        raw.create_function("exchange_word_similarity", 2, word_similarity, deterministic=True)


# The accent-free configuration (practices' migration 0003 made it first).
CONFIG_SQL = r"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'exchange_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION exchange_unaccent (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION exchange_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;
"""


def install_name_indexes(schema_editor, model, fields, prefix):
    """Create the PostgreSQL indexes ``search_names`` reads for ``model`` (a migration step).

    ``fields``: the model's ``SEARCH_FIELDS`` when the migration was written.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CONFIG_SQL, params=None)
    for index in name_index_operations(model, fields, prefix):
        schema_editor.add_index(model, index)


def drop_name_indexes(schema_editor, model, fields, prefix):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in name_index_operations(model, fields, prefix):
        schema_editor.remove_index(model, index)


def install_trigram_indexes(schema_editor, indexes):
    """Create GIN trigram indexes ``[(model, field, index name)]`` (a migration step).

    For ``similar_names``: the English names and the translations' words.
    """
    if schema_editor.connection.vendor == "postgresql":
        for model, field, name in indexes:
            schema_editor.add_index(model, trigram_index(field, name))


def drop_trigram_indexes(schema_editor, indexes):
    if schema_editor.connection.vendor == "postgresql":
        for model, field, name in indexes:
            schema_editor.remove_index(model, trigram_index(field, name))


def trigram_index(field, name):
    return GinIndex(OpClass(F(field), name="gin_trgm_ops"), name=name)


def names_vector(fields):
    return SearchVector(*fields, config=SEARCH_CONFIG)


def name_index_operations(model, fields, prefix):
    """Return the PostgreSQL indexes ``search_names`` reads for ``model``: words, first name."""
    return [
        GinIndex(names_vector(fields), name=f"{prefix}_names_fts_idx"),
        trigram_index(fields[0], f"{prefix}_name_trgm_idx"),
    ]


def search_names(queryset, q, fields):
    """Return ``(rows of queryset whose names match q, whether by words)``, with ``search_rank``.

    ``fields``: the model's ``SEARCH_FIELDS``, the first one its main name.
    Not ordered; callers sort by ``-search_rank``.
    """
    matches = name_matches(queryset, q, fields)
    if matches.exists():
        return matches, True
    return similar_names(queryset, q, fields), False


def name_matches(queryset, q, fields):
    """Return the rows whose names have every word of ``q``, with ``search_rank`` (no fallback)."""
    q = normalise_query(q)
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        vector = names_vector(fields)
        return (
            queryset.annotate(search_names=vector)
            .filter(search_names=query)
            .annotate(search_rank=SearchRank(vector, query))
        )
    names = Concat(*_spaced(fields), output_field=TextField()) if len(fields) > 1 else F(fields[0])
    words = Func(Value(q), names, function="exchange_words_match", output_field=BooleanField())
    return (
        queryset.annotate(search_names=words)
        .filter(search_names=True)
        .annotate(search_rank=_similarity(q, names))
    )


def similar_fields(fields):
    """Return the names of ``fields`` (``SEARCH_FIELDS``) a misspelling is looked for in.

    The main name, the English one (``name_en``, ``title_en``) and the words
    of the staff translations (``translation_words``), not the acronyms,
    codes, cities or summaries beside them.
    """
    return (fields[0], *(f for f in fields[1:] if f.endswith("_en") or f == WORDS_FIELD))


def similar_names(queryset, q, fields):
    """Return the rows with a name that has a word like one of ``q``, with ``search_rank``.

    The names: ``similar_fields``; ``search_rank`` is the word similarity of
    the closest of them.
    """
    q = normalise_query(q)
    names = similar_fields(fields)
    if connection.vendor == "postgresql":
        similar = Q()
        for field in names:
            similar |= Q(**{f"{field}__trigram_word_similar": q})
        ranks = [TrigramWordSimilarity(q, field) for field in names]
        return queryset.filter(similar).annotate(search_rank=_greatest(ranks))
    ranks = [_similarity(q, F(field)) for field in names]
    return queryset.annotate(search_rank=_greatest(ranks)).filter(
        search_rank__gte=WORD_SIMILARITY_THRESHOLD
    )


def _greatest(ranks):
    if len(ranks) == 1:
        return ranks[0]
    return Greatest(*ranks, output_field=FloatField())


def _spaced(fields):
    for i, field in enumerate(fields):
        if i:
            yield Value(" ")
        yield F(field)


def _similarity(q, expression):
    return Func(
        Value(q), expression, function="exchange_word_similarity", output_field=FloatField()
    )
