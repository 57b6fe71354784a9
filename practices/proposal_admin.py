"""Admin review queue for practice proposals."""
