from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (core/admin_site.py) as admin.site."""

    default_site = "core.admin_site.PortalAdminSite"
