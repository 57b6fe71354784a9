"""Country names in the interface language: the one place pages name a country.

The regions table holds each country as NUTS names it: in its own language
("España") and in English ("Spain", Eurostat's name). English pages keep
that English name; Polish and Romanian pages use django-countries' names
(Unicode CLDR, translated and kept up to date there): "Hiszpania", "Spania".
A country django-countries does not know (Kosovo) keeps its English name.
Exports and the API keep the codes and English names: they are data read by
programs, the same whatever the language of the page that linked them.
"""

from django.utils.translation import get_language
from django_countries import countries

# NUTS codes that are not the ISO 3166 code of their country.
ISO_CODES = {"EL": "GR", "UK": "GB"}


def country_name(code, english):
    """Return the name of the country ``code`` (NUTS) in the interface language.

    ``english``: the name the data gives it, shown in English and whenever
    there is no translation.
    """
    language = get_language() or "en"
    if language == "en" or not code:
        return english
    return countries.name(ISO_CODES.get(code, code)) or english


def region_name(code, name, name_en):
    """Return a region's name as ``Region.display_name`` does, from plain rows.

    The English name, or the original; a country's (a two-letter NUTS
    ``code``) in the interface language.
    """
    english = name_en or name or ""
    if len(code or "") != 2:
        return english
    return country_name(code, english)


def named_countries(options):
    """Return ``[(code, name)]`` options named in the interface language, by name."""
    named = [(code, country_name(code, english)) for code, english in options]
    return sorted(named, key=lambda option: option[1].lower())


def name_countries(rows, *, code="code", name="name"):
    """Return copies of the dict ``rows`` with each country's ``name`` in the interface language.

    A row is a country's when its ``code`` is two letters (NUTS level 0).
    """
    return [
        {**row, name: country_name(row[code], row[name])} if len(row.get(code) or "") == 2 else row
        for row in rows
    ]
