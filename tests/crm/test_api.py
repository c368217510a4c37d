"""Organisations and their persons over GraphQL, at a constant query cost."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.crm.models import Contact, Organisation, Person

QUERY = """
{ organisations(first: 200) { totalCount edges { node {
    name businessId persons { lastName email }
} } } }
"""
READ = (
    "crm.view_organisation",
    "crm.view_person",
    "crm.view_contact",
    "core.view_company",
)


def _add(company, count):
    start = Organisation.objects.count()
    for index in range(start, start + count):
        organisation = Organisation.objects.create(
            company=company, name=f"Asiakas {index:03}"
        )
        for number in range(2):
            person = Person.objects.create(
                company=company,
                last_name=f"Henkilö {index}-{number}",
                email=f"h{index}-{number}@example.com",
            )
            Contact.objects.create(
                company=company, person=person, organisation=organisation
            )


def _ask(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/graphql/", {"query": QUERY}, content_type="application/json"
        )
    answer = response.json()
    assert "errors" not in answer, answer
    return len(captured.captured_queries), answer["data"]["organisations"]


def test_organisations_with_persons_cost_the_same_for_10_and_100(
    client, make_user, company_a, company_b
):
    client.force_login(make_user("integrator", company_a, perms=READ))
    _add(company_b, 3)
    _add(company_a, 10)
    _ask(client)
    ten, _answer = _ask(client)

    _add(company_a, 90)
    hundred, answer = _ask(client)

    assert answer["totalCount"] == 100
    assert len(answer["edges"][99]["node"]["persons"]) == 2
    assert hundred == ten
