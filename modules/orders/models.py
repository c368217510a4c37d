"""Orders: data models."""
