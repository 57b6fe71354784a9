from django.apps import AppConfig


class InfraConfig(AppConfig):
    """Request handling, caching, logging and security shared by every app."""

    name = "infra"

    def ready(self):
        from infra import caching

        caching.connect_receivers()
