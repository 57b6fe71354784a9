"""Admin actions moving practices and events through draft → published → archived."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import PublicationState


def _set_state(modeladmin, request, queryset, state):
    changed = 0
    # One save per object, not queryset.update(): each change must reach the
    # history with its author, and publishing stamps ``published_at``.
    for obj in queryset:
        if obj.publication_state == state:
            continue
        obj.publication_state = state
        obj._change_reason = f"publication state → {state}"
        obj.save()
        modeladmin.log_change(request, obj, [{"changed": {"fields": ["publication_state"]}}])
        changed += 1
    label = PublicationState(state).label
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d item is now “%(state)s”.",
            "%(count)d items are now “%(state)s”.",
            changed,
        )
        % {"count": changed, "state": label},
        messages.SUCCESS,
    )


@admin.action(permissions=["change"], description=_("Publish the selected items"))
def make_published(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.PUBLISHED)


@admin.action(permissions=["change"], description=_("Archive the selected items"))
def make_archived(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.ARCHIVED)


@admin.action(permissions=["change"], description=_("Return the selected items to draft"))
def make_draft(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.DRAFT)


PUBLISHING_ACTIONS = [make_published, make_archived, make_draft]
