"""Products: data models."""
