"""Change history in the admin: visible to whoever may see the object, never revertible.

django-simple-history's "Revert" saves a past version through its own form
view. That view checks only view *or* change permission, saves the whole
historical row (read-only fields such as a proposal's state included) and
the form's many-to-many choices without the admin's scoped save. An editor
with view rights could so rename an organisation, drop another project's
link from a shared practice, or move an accepted proposal back to
"submitted" around the workflow in practices/services.py.

Revert is therefore off: the history list and each past version stay
readable, and a past value is restored by typing it into the change form,
which applies change permission, scoping and the services.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
