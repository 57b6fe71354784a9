from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Good practices")

    def ready(self):
        from django.core import checks

        checks.register(site_url_check, checks.Tags.security, deploy=True)


def site_url_check(app_configs=None, **kwargs):
    """Warn when the links of mails sent by cron would point to the default address."""
    from django.conf import settings
    from django.core.checks import Warning

    if "localhost" not in settings.SITE_URL:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL}: the links and unsubscribe headers of alert "
            "digests and relayed messages would point there.",
            hint="Set SITE_URL to the portal's public address, e.g. https://practices.example.eu.",
            id="practices.W001",
        )
    ]
