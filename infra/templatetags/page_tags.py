"""Template helpers of the region, project, organisation and event pages."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def eur(value):
    """Format an amount in euro for the interface language: "€1,234,567" / "1 234 567 €".

    Cents are shown only when there are any.
    """
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    formatted = number_format(amount, places, use_l10n=True, force_grouping=True)
    # Translators: an amount of money in euro; put the symbol where your language does.
    return pgettext("money", "€%(amount)s") % {"amount": formatted}
