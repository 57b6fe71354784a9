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


@register.filter
def eur_approx(value):
    """Format an approximate amount in millions of euro: "about €2.42 million".

    For amounts a source gives as "around 2.42 M EUR": as many decimals as
    the figure has (up to three), never the false precision of whole euros.
    """
    if value in (None, ""):
        return ""
    millions = (Decimal(value) / 1_000_000).quantize(Decimal("0.001")).normalize()
    places = max(0, -millions.as_tuple().exponent)
    formatted = number_format(millions, places, use_l10n=True, force_grouping=True)
    # Translators: an approximate amount in millions of euro ("around 2.42 M EUR").
    return pgettext("money", "about €%(amount)s million") % {"amount": formatted}
