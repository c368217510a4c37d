"""Group accounts: data models."""
