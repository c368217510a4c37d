"""Stock: data models."""
