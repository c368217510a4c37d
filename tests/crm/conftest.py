"""Fixtures for the customer register tests: sales users and register rows."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from modules.core.models import Role
from modules.crm.models import (
    Classification,
    ClassificationScheme,
    Contact,
    Organisation,
    Person,
)
from tests.jobs.test_worker import (  # noqa: F401 (the real-worker fixtures)
    broker,
    publish_to_broker,
    worker,
)

CRM_PERMS = tuple(
    f"crm.{action}_{model}"
    for model in ("organisation", "person", "contact", "process")
    for action in ("view", "add", "change", "delete")
)


@pytest.fixture(autouse=True)
def english():
    """Read messages in English (the product's default language is Finnish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """A browser that asks for English, so assertions read the English text."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def seller(make_user, company_a):
    return make_user("seller", company_a, role=Role.SALES, perms=CRM_PERMS)


@pytest.fixture
def marketing_group(db):
    return Group.objects.create(name="marketing")


@pytest.fixture
def organisation(company_a):
    return Organisation.objects.create(
        company=company_a, name="Asiakas Oy", business_id="1572860-0", city="Turku"
    )


@pytest.fixture
def person(company_a):
    return Person.objects.create(
        company=company_a,
        first_name="Aino",
        last_name="Asiakas",
        email="aino@asiakas.example",
    )


@pytest.fixture
def contact(company_a, organisation, person):
    return Contact.objects.create(
        company=company_a, person=person, organisation=organisation, title="CEO"
    )


@pytest.fixture
def make_scheme(company_a):
    def make(code, *, view=(), edit=(), company=company_a):
        scheme = ClassificationScheme.objects.create(
            company=company, code=code, name_en=code.capitalize(), name_fi=code
        )
        scheme.view_groups.set(view)
        scheme.edit_groups.set(edit)
        return scheme

    return make


@pytest.fixture
def make_class(db):
    def make(scheme, name, parent=None):
        return Classification.objects.create(
            company=scheme.company,
            scheme=scheme,
            parent=parent,
            name_fi=name,
            name_en=name,
        )

    return make


@pytest.fixture
def make_type(company_a):
    """Return a factory for process types, optionally limited to groups."""
    from modules.crm.models import ProcessType

    def make(code, *, view=(), edit=(), company=company_a, **values):
        process_type = ProcessType.objects.create(
            company=company,
            code=code,
            name_fi=code,
            name_en=code.replace("_", " ").capitalize(),
            closed_states=["done"],
            **values,
        )
        process_type.view_groups.set(view)
        process_type.edit_groups.set(edit)
        return process_type

    return make


@pytest.fixture
def make_process_form():
    """Return a factory for a process form with the given fields."""
    from django.contrib.contenttypes.models import ContentType

    from cms.definable.models import DefinableField, DefinableForm
    from modules.crm.models import Process

    def make(name, *fields):
        form = DefinableForm.objects.create(
            name_en=name,
            name_fi=name,
            content_type=ContentType.objects.get_for_model(Process),
        )
        for order, (key, field_type, required) in enumerate(fields):
            DefinableField.objects.create(
                form=form,
                key=key,
                label_en=key.replace("_", " ").capitalize(),
                field_type=field_type,
                required=required,
                sort_order=order,
            )
        return form

    return make
