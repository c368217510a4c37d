"""Fixtures of the integration tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so messages compare before translation."""
    with translation.override("en"):
        yield
