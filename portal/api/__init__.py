"""The read-only open-data API at /api/v1/."""
