"""A text field that names a project, region or organisation, with a combobox.

Without JavaScript it is a plain text input the server reads (code, slug or
exact name); static/js/combobox.js turns it into a WAI-ARIA combobox fed by
the suggestions endpoint (``exchange:suggest``). Replaces selects of
thousands of options.
"""

import django_filters
from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import selectors


class ComboboxInput(forms.TextInput):
    def __init__(self, kind, attrs=None):
        self.kind = kind
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        label = ""
        obj = value if isinstance(value, models.Model) else None
        if obj is None and isinstance(value, int):
            obj = selectors.lookup_by_pk(self.kind, value)
        if obj is not None:
            choice = selectors.lookup_choice(self.kind, obj)
            value, label = choice["value"], choice["label"]
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-combobox": reverse("exchange:suggest", kwargs={"kind": self.kind}),
                "data-combobox-none": _("No suggestion: try fewer letters or another name."),
                "data-combobox-one": _("1 suggestion. Use the arrow keys to choose it."),
                "data-combobox-many": _("%(count)s suggestions. Use the arrow keys to choose one."),
            }
        )
        widget_attrs.setdefault("maxlength", str(selectors.LOOKUP_TEXT_MAX))
        if label:
            widget_attrs["data-combobox-label"] = label
        return context


class LookupField(forms.Field):
    """A project, region or organisation typed as its code, slug or exact name.

    Cleans to the object, or to the typed text when ``free_text`` (a name
    the site may not know yet, such as a proposal's organisation).
    """

    default_error_messages = {
        "nothing": _(
            "Nothing called “%(value)s” was found. Type a code or a full name, "
            "or choose one of the suggestions."
        ),
        "several": _(
            "“%(value)s” names more than one entry. Type its code, or choose one of "
            "the suggestions."
        ),
    }

    def __init__(self, *, kind, free_text=False, **kwargs):
        self.kind = kind
        self.free_text = free_text
        kwargs.setdefault("widget", ComboboxInput(kind))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = " ".join(str(value or "").split())
        if not text:
            return "" if self.free_text else None
        if len(text) > selectors.LOOKUP_TEXT_MAX:
            text = text[: selectors.LOOKUP_TEXT_MAX]
        if self.free_text:
            return text
        found = selectors.lookup_matches(self.kind, text)
        if not found:
            raise forms.ValidationError(
                self.error_messages["nothing"], code="nothing", params={"value": text[:60]}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                self.error_messages["several"], code="several", params={"value": text[:60]}
            )
        return found[0]

    def prepare_value(self, value):
        return value

    def get_bound_field(self, form, field_name):
        return LookupBoundField(form, self, field_name)

    def has_changed(self, initial, data):
        return str(initial or "") != str(data or "")


class LookupBoundField(forms.BoundField):
    def value(self):
        # A name read well is shown as its label (sent as its code); anything
        # else stays as typed, beside its message.
        if self.form.is_bound and not self.errors:
            found = self.form.cleaned_data.get(self.name)
            if isinstance(found, models.Model):
                return found
        return super().value()


class LookupFilter(django_filters.Filter):
    """A django-filter filter whose value is typed in a combobox (``LookupField``)."""

    field_class = LookupField
