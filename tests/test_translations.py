"""The Polish and Romanian catalogues are complete, and content languages are marked.

The catalogue check runs ``makemessages`` on a temporary copy of the source
tree, so it sees exactly the strings the code has now, and compares them with
the committed ``locale/`` catalogues: a string missing from a catalogue, left
untranslated or fuzzy, or with the wrong number of plural forms fails.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from tests.factories import EventFactory, GoodPracticeFactory

ROOT = Path(settings.BASE_DIR)
CATALOGUE_LANGUAGES = ["pl", "ro"]
# Polish and Romanian both have three plural forms.
NPLURALS = {"pl": 3, "ro": 3}
SKIP_DIRS = {".venv", "node_modules", "tests", "staticfiles", "media", "test-artifacts", ".git"}


def _unquote(text):
    return bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def parse_po(path):
    """Return the live entries of a .po/.pot file as dicts (a tiny parser, no polib)."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and not entry["obsolete"]:
            entries.append(entry)

    for raw in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
            entry["obsolete"] = False
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
        if match:
            keyword, index, text = match.groups()
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = _unquote(text)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(text)
        elif line.startswith('"') and field is not None:
            text = _unquote(line[1:-1])
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += text
            else:
                entry[field[0]] += text
    return [e for e in entries if e.get("msgid")]  # the header has an empty msgid


def key(entry):
    return (entry["msgctxt"], entry["msgid"])


@pytest.fixture(scope="module")
def fresh_templates(tmp_path_factory):
    """Run makemessages on a copy of the tree; return {domain: path of the .pot}."""
    if not shutil.which("xgettext") or not shutil.which("msgfmt"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext, msgfmt) is needed: apt-get install gettext")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path_factory.mktemp("tree") / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda directory, names: [
            n for n in names if n in SKIP_DIRS or n.endswith((".mo", ".sqlite3", ".pyc"))
        ],
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "exchange.settings"}
    env.pop("DATABASE_URL", None)
    pots = {}
    domains = ["django"]
    if any((copy / "static" / "js").glob("*.js")):
        domains.append("djangojs")
    for domain in domains:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, "--keep-pot"]
            + [arg for lang in CATALOGUE_LANGUAGES for arg in ("-l", lang)],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        pot = copy / "locale" / f"{domain}.pot"
        if pot.exists():
            pots[domain] = pot
    return pots


def test_catalogues_hold_every_message(fresh_templates):
    problems = []
    for domain, pot in fresh_templates.items():
        wanted = {key(e): e for e in parse_po(pot)}
        if not wanted:
            continue
        for lang in CATALOGUE_LANGUAGES:
            po = ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
            if not po.exists():
                problems.append(f"{po.relative_to(ROOT)} is missing")
                continue
            have = {key(e) for e in parse_po(po)}
            for missing in sorted(set(wanted) - have, key=str):
                problems.append(f"{lang}/{domain}: not in the catalogue: {missing[1]!r}")
    assert not problems, (
        "Run `DEBUG=1 .venv/bin/python manage.py makemessages -l pl -l ro --ignore=.venv "
        "--ignore=node_modules --ignore=tests` and translate:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("lang", CATALOGUE_LANGUAGES)
def test_catalogue_is_translated_without_fuzzy_entries(lang):
    problems = []
    catalogues = sorted((ROOT / "locale" / lang / "LC_MESSAGES").glob("*.po"))
    assert catalogues, f"no catalogue for {lang}"
    for po in catalogues:
        for entry in parse_po(po):
            label = f"{po.name}: {entry['msgid']!r}"
            if "fuzzy" in entry["flags"]:
                problems.append(f"fuzzy: {label}")
            if entry["msgid_plural"] is not None:
                forms = entry["msgstr"]
                if sorted(forms) != list(range(NPLURALS[lang])):
                    problems.append(f"{len(forms)} plural forms, not {NPLURALS[lang]}: {label}")
                if not all(forms.values()):
                    problems.append(f"untranslated plural: {label}")
            elif not entry["msgstr"].get(0):
                problems.append(f"untranslated: {label}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", CATALOGUE_LANGUAGES)
def test_catalogue_compiles_with_matching_placeholders(lang, tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext is not installed")
    for po in (ROOT / "locale" / lang / "LC_MESSAGES").glob("*.po"):
        result = subprocess.run(
            ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(po)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        header = po.read_text(encoding="utf-8")
        assert f"nplurals={NPLURALS[lang]};" in header.replace(" ", "")


# Content languages: the notice and the lang attribute.

TEMPLATE = Template(
    "{% load exchange_tags %}<h1{% lang_attr obj %}>{{ obj.title }}</h1>"
    '{% include "includes/_original_language.html" with obj=obj %}'
)


def render(obj, language):
    with translation.override(language):
        request = RequestFactory().get("/")
        return TEMPLATE.render(Context({"obj": obj, "request": request}))


@pytest.mark.django_db
def test_foreign_language_text_is_marked_and_announced():
    practice = GoodPracticeFactory(title="Audyt Przemysłu 4.0", language="pl")
    html = render(practice, "en")
    assert '<h1 lang="pl">' in html
    assert "Original language: Polish." in html


@pytest.mark.django_db
def test_text_in_the_interface_language_has_no_notice():
    practice = GoodPracticeFactory(language="pl")
    html = render(practice, "pl")
    assert "<h1>" in html
    assert "lang-note" not in html


@pytest.mark.django_db
def test_notice_is_in_the_interface_language(settings):
    event = EventFactory(language="it")
    html = render(event, "pl")
    assert '<h1 lang="it">' in html
    assert "lang-note" in html
    if (ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.mo").exists():
        assert "włoski" in html


# Words that agree with what they stand next to.


@pytest.mark.django_db
def test_upcoming_badge_on_one_event_agrees_with_it(client):
    """The event page's badge says "upcoming" of one event; project and region
    pages use the same English word as a heading over several events. Romanian
    and Polish need different words, so the badge has its own message context."""
    if not (ROOT / "locale" / "ro" / "LC_MESSAGES" / "django.mo").exists():
        pytest.skip("compile the catalogues first (compilemessages)")
    event = EventFactory()
    try:
        for language, badge in [("ro", "Eveniment viitor"), ("pl", "Nadchodzące wydarzenie")]:
            with translation.override(language):
                url = event.get_absolute_url()
            response = client.get(url, secure=True)
            assert response.status_code == 200
            assert badge in response.content.decode(), language
    finally:
        translation.activate("en")
