"""Fixtures of the product tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Read messages raised by services in English, whatever the default."""
    with translation.override("en"):
        yield
