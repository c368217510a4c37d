"""Purchase invoices: data models."""
