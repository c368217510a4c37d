"""Finding processes across customers, and saved searches."""

from datetime import timedelta

import pytest
from django.utils import timezone

from modules.core.models import Role
from modules.crm.models import Process, SavedProcessSearch
from modules.crm.services import create_process, transition_process
from tests.crm.conftest import CRM_PERMS

FINDER = "/admin/crm/processes/find/"


@pytest.fixture
def processes(company_a, seller, make_type, organisation, make_scheme, make_class):
    project = make_type("customer_project")
    contact_type = make_type("contact")
    organisation.classifications.add(make_class(make_scheme("segment"), "Retail"))

    def make(title, process_type, organisation=None):
        return create_process(
            company=company_a,
            user=seller,
            data={
                "process_type": process_type,
                "title": title,
                "organisation": organisation,
            },
        )

    opened = make("Open project", project, organisation)
    closed = make("Closed project", project)
    transition_process(process=closed, user=seller, state="done")
    old_contact = make("Old contact", contact_type)
    Process.objects.filter(pk=old_contact.pk).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    new_contact = make("New contact", contact_type)
    return {
        "project": project,
        "contact": contact_type,
        "opened": opened,
        "closed": closed,
        "new_contact": new_contact,
    }


def _titles(response):
    return sorted(process.title for process in response.context["processes"] or [])


def test_all_open_customer_projects(client, seller, processes):
    client.force_login(seller)

    response = client.get(
        FINDER, {"process_type": processes["project"].pk, "status": "open"}
    )

    assert _titles(response) == ["Open project"]


def test_new_contacts_of_the_last_month(client, seller, processes):
    client.force_login(seller)

    response = client.get(
        FINDER, {"process_type": processes["contact"].pk, "created_within_days": 31}
    )

    assert _titles(response) == ["New contact"]


def test_closed_range_and_classification_filters(client, seller, processes):
    client.force_login(seller)
    today = timezone.localdate().isoformat()
    retail = processes["opened"].organisation.classifications.get()

    closed_today = client.get(FINDER, {"closed_after": today, "closed_before": today})
    retail_only = client.get(FINDER, {"classification": retail.pk})

    assert _titles(closed_today) == ["Closed project"]
    assert _titles(retail_only) == ["Open project"]


def test_a_saved_search_is_shared_with_a_group_only(
    client, seller, processes, make_user, company_a, marketing_group
):
    colleague = make_user("colleague", company_a, role=Role.SALES, perms=CRM_PERMS)
    stranger = make_user("stranger", company_a, role=Role.SALES, perms=CRM_PERMS)
    seller.groups.add(marketing_group)
    colleague.groups.add(marketing_group)
    client.force_login(seller)
    query = f"process_type={processes['project'].pk}&status=open"

    response = client.post(
        f"{FINDER}?{query}",
        {"name": "All open customer projects", "shared_with": marketing_group.pk},
    )

    assert response.status_code == 302
    saved = SavedProcessSearch.objects.get()
    assert saved.query == query
    client.force_login(colleague)
    page = client.get(FINDER).content.decode()
    assert "All open customer projects" in page
    assert _titles(client.get(f"{FINDER}?{saved.query}")) == ["Open project"]
    client.force_login(stranger)
    assert "All open customer projects" not in client.get(FINDER).content.decode()


def test_a_search_cannot_be_shared_with_a_foreign_group(
    client, seller, processes, marketing_group
):
    client.force_login(seller)

    response = client.post(
        f"{FINDER}?status=open", {"name": "Mine", "shared_with": marketing_group.pk}
    )

    assert response.status_code == 200
    assert "shared_with" in response.context["save_form"].errors
    assert not SavedProcessSearch.objects.exists()
