from django.apps import AppConfig


class InfraConfig(AppConfig):
    """Request handling, caching, logging and security shared by every app."""

    name = "infra"

    def ready(self):
        from django.core import checks

        from infra import caching, replica

        caching.connect_receivers()
        checks.register(replica.shared_state_check, checks.Tags.caches)
