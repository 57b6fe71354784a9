"""Where something is, as a list of regions from the country down."""


def region_trail(region):
    """Return ``region`` with its ancestors, country first (one query).

    A level that repeats the name of the one above it (Slovenia › Slovenia,
    a NUTS 1 region that is the whole country) is shown once.
    """
    if region is None:
        return []
    trail = []
    for item in [*region.ancestors(), region]:
        if trail and trail[-1].display_name == item.display_name:
            trail[-1] = item
        else:
            trail.append(item)
    return trail
