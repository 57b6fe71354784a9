import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded files of a test out of the project folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language.

    A request to a /pl/ or /ro/ page leaves that language active in the
    thread; a later test's reverse() would then give /pl/ URLs (flaky under
    -n 2, where the order of tests differs).
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
