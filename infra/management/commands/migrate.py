"""Django's `migrate`, with the cyclic garbage collector paused while it runs.

Each operation renders the historical models again: on a fresh database
about half a million short-lived cycles, whose full collections took a
quarter of the command's time (bench/README.md, "make demo"). They are
collected once, at the end.
"""

import gc

from django.core.management.commands import migrate


class Command(migrate.Command):
    def handle(self, *args, **options):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return super().handle(*args, **options)
        finally:
            if enabled:
                gc.enable()
            gc.collect()
