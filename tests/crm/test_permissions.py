"""Who sees what: per process type, per classification, per company.

A process type limited to groups is invisible to everybody else on every
path: admin list and card, the process finder, the register search and
GraphQL; classifications of a limited scheme likewise.
"""

import pytest
from django.core.exceptions import PermissionDenied

from modules.core.models import Role
from modules.crm.models import Process
from modules.crm.selectors import search_register
from modules.crm.services import create_process
from tests.crm.conftest import CRM_PERMS

GRAPHQL_PERMS = (
    *CRM_PERMS,
    "crm.view_processtype",
    "crm.view_classification",
    "crm.view_classificationscheme",
    "core.view_company",
)


@pytest.fixture
def support_team(make_user, company_a, marketing_group):
    user = make_user("support", company_a, role=Role.SALES, perms=GRAPHQL_PERMS)
    user.groups.add(marketing_group)
    return user


@pytest.fixture
def outsider(make_user, company_a):
    return make_user("outsider", company_a, role=Role.SALES, perms=GRAPHQL_PERMS)


@pytest.fixture
def secret(make_type, marketing_group, support_team, company_a, organisation):
    complaint = make_type("complaint", view=[marketing_group])
    return create_process(
        company=company_a,
        user=support_team,
        data={
            "process_type": complaint,
            "title": "Zebracomplaint about delivery",
            "organisation": organisation,
        },
    )


@pytest.fixture
def public(make_type, support_team, company_a, organisation):
    return create_process(
        company=company_a,
        user=support_team,
        data={
            "process_type": make_type("meeting"),
            "title": "Zebrameeting in Turku",
            "organisation": organisation,
        },
    )


def _graphql(client, query):
    response = client.post(
        "/graphql/", {"query": query}, content_type="application/json"
    )
    return response.json()


def test_admin_list_and_card_hide_processes_of_a_limited_type(
    client, secret, public, outsider, support_team
):
    client.force_login(outsider)
    listing = client.get("/admin/crm/process/").content.decode()
    card = client.get(f"/admin/crm/process/inspect/{secret.pk}/")
    customer = client.get(f"/admin/crm/organisation/inspect/{secret.organisation_id}/")

    assert "Zebrameeting" in listing
    assert "Zebracomplaint" not in listing
    assert card.status_code == 404
    assert "Zebracomplaint" not in customer.content.decode()

    client.force_login(support_team)
    assert "Zebracomplaint" in client.get("/admin/crm/process/").content.decode()


def test_the_finder_and_the_search_hide_a_limited_type(
    client, secret, public, outsider, support_team
):
    client.force_login(outsider)
    found = client.get("/admin/crm/processes/find/?status=open").content.decode()

    assert "Zebrameeting" in found
    assert "Zebracomplaint" not in found
    hits = search_register(user=outsider, query="Zebrameeting")
    assert [hit.instance for hit in hits] == [public]
    assert not search_register(user=outsider, query="Zebracomplaint")
    assert search_register(user=support_team, query="Zebracomplaint")


def test_graphql_lists_and_details_hide_a_limited_type(
    client, secret, public, outsider
):
    client.force_login(outsider)

    listed = _graphql(client, "{ processes { edges { node { title } } } }")
    detail = _graphql(client, f'{{ process(id: "{secret.pk}") {{ title }} }}')
    through_customer = _graphql(
        client, "{ organisations { edges { node { processes { title } } } } }"
    )

    titles = [edge["node"]["title"] for edge in listed["data"]["processes"]["edges"]]
    assert titles == ["Zebrameeting in Turku"]
    assert detail["data"]["process"] is None
    nested = through_customer["data"]["organisations"]["edges"][0]["node"]
    assert [row["title"] for row in nested["processes"]] == ["Zebrameeting in Turku"]


def test_only_handling_groups_open_processes_of_a_type(
    company_a, make_type, marketing_group, outsider, support_team
):
    handled = make_type("service_call", edit=[marketing_group])

    with pytest.raises(PermissionDenied):
        create_process(
            company=company_a,
            user=outsider,
            data={"process_type": handled, "title": "Fix it"},
        )
    create_process(
        company=company_a,
        user=support_team,
        data={"process_type": handled, "title": "Fix it"},
    )
    assert Process.objects.count() == 1


def test_graphql_shows_only_the_classifications_the_group_sees(
    client,
    organisation,
    make_scheme,
    make_class,
    marketing_group,
    outsider,
    support_team,
):
    organisation.classifications.add(
        make_class(make_scheme("segment"), "Retail"),
        make_class(make_scheme("interest", view=[marketing_group]), "Golf"),
    )
    query = "{ organisations { edges { node { classifications { nameEn } } } } }"

    client.force_login(outsider)
    seen_by_outsider = _graphql(client, query)
    client.force_login(support_team)
    seen_by_team = _graphql(client, query)

    def names(answer):
        node = answer["data"]["organisations"]["edges"][0]["node"]
        return sorted(row["nameEn"] for row in node["classifications"])

    assert names(seen_by_outsider) == ["Retail"]
    assert names(seen_by_team) == ["Golf", "Retail"]


def test_admin_list_filters_by_classification(
    client, organisation, company_a, make_scheme, make_class, outsider
):
    from modules.crm.models import Organisation

    retail = make_class(make_scheme("segment"), "Retail")
    organisation.classifications.add(retail)
    Organisation.objects.create(company=company_a, name="Toinen Oy")
    client.force_login(outsider)

    listing = client.get(f"/admin/crm/organisation/?classifications={retail.pk}")

    html = listing.content.decode()
    assert "Asiakas Oy" in html
    assert "Toinen Oy" not in html


def test_other_companies_processes_stay_hidden(
    client, make_type, company_b, make_user, public
):
    stranger = make_user("stranger", company_b, role=Role.SALES, perms=GRAPHQL_PERMS)
    client.force_login(stranger)

    listed = _graphql(client, "{ processes { edges { node { title } } } }")

    assert listed["data"]["processes"]["edges"] == []
    assert not search_register(user=stranger, query="Zebrameeting")
