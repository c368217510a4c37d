"""Extranet requests: partners send and follow their own, and no others.

Public pages speak Finnish, so the messages are asserted in Finnish.
"""

import pytest
from django.contrib.auth.models import Group

from modules.core.models import Role, role_group_name
from modules.crm.models import Contact, Organisation, Person, Process
from modules.crm.services import create_process, transition_process

REQUESTS = "/extranet/requests/"


@pytest.fixture
def support(make_type):
    return make_type("support_request", extranet_request=True)


@pytest.fixture
def partner(make_user, company_a, person, contact):
    user = make_user("partner", company_a, role=Role.PARTNER, staff=False)
    user.groups.add(Group.objects.get_or_create(name=role_group_name(Role.PARTNER))[0])
    person.user = user
    person.save()
    return user


@pytest.fixture
def other_request(company_a, seller, support):
    other = Organisation.objects.create(company=company_a, name="Kilpailija Oy")
    stranger = Person.objects.create(company=company_a, last_name="Muu")
    Contact.objects.create(company=company_a, person=stranger, organisation=other)
    return create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": support,
            "title": "Their secret problem",
            "organisation": other,
            "person": stranger,
        },
    )


def test_a_partner_sends_a_request_that_lands_on_their_company_and_person(
    client, partner, person, organisation, support
):
    client.force_login(partner)

    response = client.post(
        REQUESTS,
        {
            "process_type": support.pk,
            "organisation": organisation.pk,
            "title": "Invoice is wrong",
            "description": "Please check invoice 1001.",
        },
    )

    assert response.status_code == 302
    process = Process.objects.get()
    assert (process.organisation, process.person) == (organisation, person)
    assert process.state == "new"
    listing = client.get(REQUESTS).content.decode()
    assert "Invoice is wrong" in listing
    assert "Kiitos. Pyyntösi Invoice is wrong on vastaanotettu." in listing


def test_a_partner_sees_the_state_of_their_own_requests_only(
    client, partner, seller, company_a, support, organisation, other_request
):
    own = create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": support,
            "title": "Our request",
            "organisation": organisation,
        },
    )
    transition_process(process=own, user=seller, state="in_progress")
    client.force_login(partner)

    listing = client.get(REQUESTS).content.decode()
    detail = client.get(f"{REQUESTS}{own.pk}/")
    foreign = client.get(f"{REQUESTS}{other_request.pk}/")

    assert "Our request" in listing
    assert "In progress" in detail.content.decode()
    assert "Their secret problem" not in listing
    assert foreign.status_code == 404
    assert "Tämä pyyntö ei ole sinun." in foreign.content.decode()
    assert "Their secret problem" not in foreign.content.decode()


def test_a_request_for_another_organisation_is_refused(
    client, partner, support, other_request
):
    client.force_login(partner)

    response = client.post(
        REQUESTS,
        {
            "process_type": support.pk,
            "organisation": other_request.organisation_id,
            "title": "Sneaky",
        },
    )

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Process.objects.filter(title="Sneaky").exists()


def test_staff_and_strangers_are_not_admitted(client, seller):
    assert client.get(REQUESTS).status_code == 302

    client.force_login(seller)
    response = client.get(REQUESTS)

    assert response.status_code == 403
    assert "tunnustasi ole liitetty" in response.content.decode()
