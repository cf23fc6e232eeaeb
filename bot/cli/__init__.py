"""paraaf."""
