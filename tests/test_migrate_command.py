"""`migrate` pauses the garbage collector while it runs (infra's override)."""

import gc
import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("enabled", [True, False])
def test_migrate_leaves_the_garbage_collector_as_it_found_it(enabled):
    # Tests, and anything else calling migrate in a longer process, keep theirs.
    was = gc.isenabled()
    if not enabled:
        gc.disable()
    try:
        out = io.StringIO()
        call_command("migrate", verbosity=1, stdout=out)
        assert "No migrations to apply" in out.getvalue()
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
