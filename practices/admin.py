"""Admin for good practices and transfers."""

# The proposal review queue has its own module; importing it registers it.
from practices import proposal_admin  # noqa: F401
