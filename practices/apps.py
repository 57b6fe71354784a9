from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Good practices")

    def ready(self):
        # Connects the receivers that tell which edits can change the facet
        # counts, in every process (commands too), so that they are not
        # recounted after edits that cannot change them.
        from practices import filters  # noqa: F401
