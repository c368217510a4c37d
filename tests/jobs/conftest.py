"""Fixtures for the background-job tests."""

import pytest
from django.utils import translation

from tests.jobs import job_tasks  # noqa: F401  (registers the test tasks)
from tests.sample.models import Gadget


@pytest.fixture(autouse=True)
def english(settings):
    """Run in English, so assertions on messages hold once translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def make_gadget():
    def make(company, code="G1", quantity=0):
        return Gadget.objects.create(
            company=company, code=code, name=f"Gadget {code}", quantity=quantity
        )

    return make
