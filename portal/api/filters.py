"""Filters of the API lists that have no HTML listing with filters of its own.

Practices, events, projects and organisations use their listing's FilterSet, so that a
list in the API and on the page are the same list for the same parameters.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import Region


class RegionFilter(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(
        label=_("Parent region (slug)"),
        to_field_name="slug",
        queryset=Region.objects.all(),
    )
    country = django_filters.CharFilter(
        label=_("Country code"), field_name="country_code", lookup_expr="iexact"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Region.Kind.choices)
    level = django_filters.TypedChoiceFilter(
        label=_("NUTS level"), choices=[(str(n), str(n)) for n in range(4)], coerce=int
    )

    class Meta:
        model = Region
        fields = ["parent", "country", "kind", "level"]
