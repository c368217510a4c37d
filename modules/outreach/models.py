"""Marketing and events: data models."""
