"""Filters of the organisation listing."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, Region
from infra.caching import cached


def country_choices():
    """The countries as choices, read once per data generation (validation and the menu)."""
    return cached(
        "country-choices",
        (),
        lambda: [
            (code, f"{name} ({code})")
            for code, name in Region.objects.countries()
            .order_by("name")
            .values_list("country_code", "name")
        ],
    )


class OrganisationFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="region__country_code",
        choices=country_choices,
        empty_label=_("Any country"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("Any kind")
    )

    class Meta:
        model = Organisation
        fields = ["country", "kind"]
