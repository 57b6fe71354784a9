"""Helpers for admin tests: staff users in the portal's roles, and form re-posting."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from core.admin_scoping import PORTAL_ADMINISTRATORS, PROJECT_EDITORS


def make_staff(username, group_name, projects=()):
    user = get_user_model().objects.create_user(
        username=username, password="not-used-in-tests", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    for project in projects:
        project.editors.add(user)
    return user


def make_editor(username, *projects):
    return make_staff(username, PROJECT_EDITORS, projects)


def make_portal_admin(username):
    return make_staff(username, PORTAL_ADMINISTRATORS)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_data(form, data):
    for bound_field in form:
        field, widget, name = bound_field.field, bound_field.field.widget, bound_field.html_name
        if field.disabled:
            continue
        value = bound_field.value()
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
            continue
        if isinstance(widget, forms.MultiWidget):
            # Split date/time widgets post one value per sub-widget.
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = part.isoformat() if part is not None else ""
            continue
        if isinstance(value, list | tuple):
            pks = [getattr(v, "pk", v) for v in value]
            if hasattr(field, "queryset"):
                # Like the browser: a select renders only the choices it offers.
                pks = list(field.queryset.filter(pk__in=pks).values_list("pk", flat=True))
            data[name] = [str(pk) for pk in pks]
        elif value is None:
            data[name] = ""
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(getattr(value, "pk", value))


def change_form_data(response):
    """Return POST data that re-submits the change form of ``response`` unchanged."""
    data = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        # Post only the existing rows; the empty extra rows stay empty.
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        for form in formset.initial_forms:
            _form_data(form, data)
    return {k: v for k, v in data.items() if v is not None}
