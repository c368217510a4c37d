"""Banking: data models."""
