"""Scope the admin to the projects an editor curates.

Portal administrators (superusers and members of the *Portal administrators*
group) see everything. Everybody else with staff access is treated as a
project editor: every ModelAdmin using :class:`ProjectScopedAdminMixin` shows,
offers and changes only the objects whose project (``project_lookup``) is one
of the user's ``Project.editors`` projects. An object of another project
reached by URL is a 404, a change or delete of it a 403, and admin actions
only ever see the scoped queryset.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.models import Project

PORTAL_ADMINISTRATORS = "Portal administrators"
PROJECT_EDITORS = "Project editors"


def is_portal_admin(user):
    """Return True when ``user`` may see and change every project's content."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_portal_admin", None)
    if cached is None:
        cached = user.groups.filter(name=PORTAL_ADMINISTRATORS).exists()
        user._is_portal_admin = cached
    return cached


def editable_project_ids(user):
    """Return the ids of the projects ``user`` edits (cached on the user object)."""
    cached = getattr(user, "_editable_project_ids", None)
    if cached is None:
        cached = frozenset(user.edited_projects.values_list("pk", flat=True))
        user._editable_project_ids = cached
    return cached


class ProjectScopedAdminMixin:
    """Limit a ModelAdmin to the objects of the user's projects.

    ``project_lookup`` is the ORM path from the model to ``Project``
    (``"project"``, ``"projects"``, ``"event__project"``, ``"pk"`` for Project
    itself). ``scope_fields`` are the form fields that tie a new or changed
    object to a project; for an editor they are required and offer only the
    editor's objects, so a practice or an event cannot be saved for a project
    the editor does not curate.
    """

    project_lookup = "project"
    scope_fields = ()
    # Like scope_fields (choices narrowed to the user's objects) but optional.
    narrowed_fields = ()

    # Queries

    def is_scoped(self, request):
        return not is_portal_admin(request.user)

    def scope_queryset(self, queryset, user):
        if is_portal_admin(user):
            return queryset
        ids = editable_project_ids(user)
        if not ids:
            return queryset.none()
        if self.project_lookup == "pk":
            return queryset.filter(pk__in=ids)
        # A subquery rather than a join so that an object of two projects is
        # listed once, without DISTINCT.
        inner = self.model._default_manager.filter(**{f"{self.project_lookup}__in": ids})
        return queryset.filter(pk__in=inner.values("pk"))

    def get_queryset(self, request):
        return self.scope_queryset(super().get_queryset(request), request.user)

    def in_scope(self, request, obj):
        if obj is None or not self.is_scoped(request):
            return True
        if obj.pk is None:
            return False
        base = self.model._default_manager.filter(pk=obj.pk)
        return self.scope_queryset(base, request.user).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self.is_scoped(request):
            # Out of scope or missing: both are simply "not found" for an
            # editor, who learns nothing about other projects.
            raise Http404(_("No such object among the projects you edit."))
        return obj

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        ids = editable_project_ids(request.user) if self.is_scoped(request) else ()
        if len(ids) == 1:
            # An editor of a single project starts a new object in it.
            (project_id,) = ids
            for name in self.scope_fields:
                field = self.model._meta.get_field(name)
                if field.related_model is Project and name not in initial:
                    initial[name] = [project_id] if field.many_to_many else project_id
        return initial

    # Object permissions

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    # Form choices

    def scoped_choices(self, request, related_model, queryset):
        """Narrow ``queryset`` of ``related_model`` to the user's objects."""
        related_admin = self.admin_site._registry.get(related_model)
        if isinstance(related_admin, ProjectScopedAdminMixin):
            return related_admin.scope_queryset(queryset, request.user)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._narrow(db_field, request, formfield)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._narrow(db_field, request, formfield)

    def _narrow(self, db_field, request, formfield):
        if formfield is None or not self.is_scoped(request):
            return formfield
        if db_field.name in self.scope_fields or db_field.name in self.narrowed_fields:
            formfield.queryset = self.scoped_choices(
                request, db_field.related_model, formfield.queryset
            )
        if db_field.name in self.scope_fields:
            formfield.required = True
        return formfield

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not self.is_scoped(request) or not self.scope_fields:
            return form
        scope_fields = [name for name in self.scope_fields if name in form.base_fields]

        class ScopedForm(form):
            def clean(self):
                cleaned = super().clean()
                for name in scope_fields:
                    if name in self.fields and not cleaned.get(name) and name not in self.errors:
                        self.add_error(
                            name,
                            ValidationError(
                                _("Choose one of the projects you edit."), code="out_of_scope"
                            ),
                        )
                return cleaned

        ScopedForm.__name__ = form.__name__
        return ScopedForm

    def save_related(self, request, form, formsets, change):
        # An editor's many-to-many choices offer only their own projects; keep
        # the links to other projects that the form could not show.
        hidden = {}
        if change and self.is_scoped(request):
            for name in self.scope_fields:
                field = self.model._meta.get_field(name)
                if field.many_to_many and name in form.fields:
                    visible = form.fields[name].queryset.values("pk")
                    hidden[name] = list(
                        getattr(form.instance, name)
                        .exclude(pk__in=visible)
                        .values_list("pk", flat=True)
                    )
        super().save_related(request, form, formsets, change)
        for name, pks in hidden.items():
            if pks:
                getattr(form.instance, name).add(*pks)


class ScopedInlineMixin:
    """For inlines: narrow ``narrowed_fields`` choices to the user's objects."""

    narrowed_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            formfield is not None
            and db_field.name in self.narrowed_fields
            and not is_portal_admin(request.user)
        ):
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if isinstance(related_admin, ProjectScopedAdminMixin):
                formfield.queryset = related_admin.scope_queryset(formfield.queryset, request.user)
        return formfield
