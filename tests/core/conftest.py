"""Fixtures for the core tests."""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so messages compare before translation."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """Return a test client whose browser asks for English pages."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")
