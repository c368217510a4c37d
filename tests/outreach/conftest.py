"""Fixtures for marketing and events: a marketer, persons, a classification tree."""

import datetime

import pytest
from django.utils import timezone

from modules.core.models import Role
from modules.crm.models import (
    Classification,
    ClassificationScheme,
    Contact,
    Organisation,
    Person,
)
from modules.outreach.models import Event, Mailing, Segment
from tests.crm import conftest as crm_fixtures

MARKETER_PERMS = (
    *(
        f"outreach.{action}_{model}"
        for model in ("segment", "mailing", "event", "invitation", "registration")
        for action in ("view", "add", "change", "delete")
    ),
    "crm.view_person",
    "crm.view_organisation",
)


# Messages and pages in English, as in the customer register's tests.
english = crm_fixtures.english
client = crm_fixtures.client


@pytest.fixture
def marketer(make_user, company_a):
    return make_user("marketer", company_a, role=Role.SALES, perms=MARKETER_PERMS)


@pytest.fixture
def make_person(company_a):
    def make(email, *, company=company_a, consent=True, language="fi", **fields):
        first, _, last = email.partition("@")[0].partition(".")
        return Person.objects.create(
            company=company,
            first_name=fields.pop("first_name", first.capitalize()),
            last_name=fields.pop("last_name", (last or first).capitalize()),
            email=email,
            language=language,
            marketing_consent=consent,
            **fields,
        )

    return make


@pytest.fixture
def tree(company_a):
    """Interests: Sports (Football, Skiing) and Culture."""
    scheme = ClassificationScheme.objects.create(
        company=company_a,
        code="interests",
        name_fi="Kiinnostukset",
        name_en="Interests",
    )

    def node(name, parent=None):
        return Classification.objects.create(
            company=company_a, scheme=scheme, parent=parent, name_fi=name, name_en=name
        )

    sports = node("Sports")
    return {
        "scheme": scheme,
        "sports": sports,
        "football": node("Football", sports),
        "skiing": node("Skiing", sports),
        "culture": node("Culture"),
    }


@pytest.fixture
def make_organisation(company_a):
    def make(name, *, city="", person=None, title="", company=company_a):
        organisation = Organisation.objects.create(
            company=company, name=name, city=city
        )
        if person is not None:
            Contact.objects.create(
                company=company, person=person, organisation=organisation, title=title
            )
        return organisation

    return make


@pytest.fixture
def make_segment(company_a):
    def make(name="Everyone", *, classifications=(), company=company_a, **rules):
        segment = Segment.objects.create(company=company, name=name, **rules)
        segment.classifications.set(classifications)
        return segment

    return make


@pytest.fixture
def make_mailing(company_a):
    def make(segment=None, *, event=None, company=company_a, **texts):
        values = {
            "subject_fi": "Uutiset {first_name}",
            "body_fi": "Hei {first_name}!",
            **texts,
        }
        return Mailing.objects.create(
            company=company, name="News", segment=segment, event=event, **values
        )

    return make


@pytest.fixture
def make_event(company_a):
    def make(name="Customer evening", *, capacity=None, company=company_a, **fields):
        starts = timezone.now() + datetime.timedelta(days=10)
        return Event.objects.create(
            company=company,
            name=name,
            starts_at=starts,
            place="Mannerheimintie 1",
            capacity=capacity,
            **fields,
        )

    return make


def assert_refused(response) -> None:
    """Assert the admin refused: Wagtail sends the user back to the dashboard."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response.url == "/admin/"
