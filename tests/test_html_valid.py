"""Every public page kind is valid HTML: the Nu Html Checker (the W3C validator) finds no error.

The pages are those of the browser suite's accessibility sweep
(``tests/browser/test_accessibility.public_pages``), in the three languages,
as the server sends them (before any script runs). The checker is npm's
``vnu-jar`` (``make axe`` installs it from package-lock.json), run once with
Java over all the pages.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.browser.conftest import LANGUAGES, demo_objects, url_in
from tests.browser.test_accessibility import public_pages

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(what):
    # As in the browser suite: in CI a missing tool is an error.
    if os.environ.get("CI"):
        pytest.fail(what, pytrace=False)
    pytest.skip(what)


def validate(files):
    """Return the checker's errors, as (file name, line, message), for ``files``."""
    java = shutil.which("java")
    if java is None:
        missing("Java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing(f"vnu-jar is not installed at {VNU_JAR} (run `make axe`)")
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        (Path(m.get("url", "")).name, m.get("lastLine"), m.get("message"))
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


@pytest.mark.django_db
def test_every_public_page_kind_is_valid_html(client, tmp_path, settings):
    settings.PAGE_CACHE_SECONDS = 0
    demo = demo_objects()
    with translation.override("en"):
        pages = public_pages(demo)
    files, problems = [], []
    for language in LANGUAGES:
        for name, path in pages:
            url = url_in(language, path)
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{url}: HTTP {response.status_code}")
                continue
            page = tmp_path / f"{language}-{name}.html"
            page.write_bytes(response.content)
            files.append(str(page))
    problems += [f"{file} line {line}: {message}" for file, line, message in validate(files)]
    assert not problems, "\n".join(problems)
