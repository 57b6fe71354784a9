from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Site composition: pages joining apps, the API, feeds, sitemaps, demo data."""

    name = "portal"
