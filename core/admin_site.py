"""The portal's admin site: Django's, with "View on site" checked first.

Django's view-on-site redirect (``<admin>/r/<content type>/<id>/``) only
needs a staff account: it looked any object up and redirected to its
public URL, so an editor learnt the slug of another project's draft. Here
the object must be one the user may see in its own admin page (project
scope and view permission), else the answer is 404.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import path


class PortalAdminSite(admin.AdminSite):
    def get_urls(self):
        view_on_site = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *super().get_urls()]

    def view_on_site(self, request, content_type_id, object_id):
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        model_admin = self._registry.get(model)
        obj = model_admin.get_object(request, unquote(object_id)) if model_admin else None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)
