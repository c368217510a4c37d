"""Invoicing: data models."""
