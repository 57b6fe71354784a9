from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    # The label stays "exchange": migrations, permissions and content types
    # were created under it before the core moved out of the project package.
    name = "core"
    label = "exchange"
    verbose_name = _("Exchange: projects, partners and regions")

    def ready(self):
        from django.db.backends.signals import connection_created

        from core import translations
        from core.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="core-search")
        translations.connect_receivers()
