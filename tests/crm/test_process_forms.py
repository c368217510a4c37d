"""Each process type asks its own form; values are validated, stored, shown."""

import pytest
from django.core.exceptions import ValidationError

from modules.crm.models import Process
from modules.crm.services import create_process, update_process


@pytest.fixture
def project(make_type, make_process_form):
    form = make_process_form(
        "Project details", ("budget", "money", True), ("deadline", "date", False)
    )
    return make_type("customer_project", form=form)


@pytest.fixture
def meeting(make_type, make_process_form):
    return make_type(
        "meeting", form=make_process_form("Meeting notes", ("place", "text", True))
    )


def test_a_type_form_value_is_validated_and_stored(company_a, seller, project):
    process = create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": project,
            "title": "New warehouse",
            "type_values": {"budget": "12 500,50", "deadline": "31.12.2026"},
        },
    )

    process.refresh_from_db()
    assert process.extra == {"budget": "12500.50", "deadline": "2026-12-31"}


def test_a_value_of_the_wrong_type_is_refused_and_nothing_saved(
    company_a, seller, project
):
    with pytest.raises(ValidationError) as error:
        create_process(
            company=company_a,
            user=seller,
            data={
                "process_type": project,
                "title": "New warehouse",
                "type_values": {"budget": "lots"},
            },
        )

    assert "type_values.budget" in error.value.message_dict
    assert not Process.objects.exists()


def test_another_types_required_field_is_not_asked(company_a, seller, project, meeting):
    process = create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": meeting,
            "title": "Kick-off",
            "type_values": {"place": "Turku"},
        },
    )

    assert process.extra == {"place": "Turku"}


def test_a_required_type_field_cannot_be_left_empty(company_a, seller, meeting):
    with pytest.raises(ValidationError) as error:
        create_process(
            company=company_a,
            user=seller,
            data={"process_type": meeting, "title": "Kick-off"},
        )

    assert error.value.message_dict["type_values.place"] == ["This field is required."]


def test_an_update_keeps_the_values_not_given(company_a, seller, project):
    process = create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": project,
            "title": "New warehouse",
            "type_values": {"budget": "100", "deadline": "1.1.2027"},
        },
    )

    update_process(
        instance=process, user=seller, data={"type_values": {"budget": "200"}}
    )

    process.refresh_from_db()
    assert process.extra == {"budget": "200.00", "deadline": "2027-01-01"}


def test_process_logged_from_the_card_is_prefilled_and_asks_the_type_form(
    client, seller, organisation, person, contact, project
):
    client.force_login(seller)
    card = client.get(f"/admin/crm/organisation/inspect/{organisation.pk}/")
    assert f"type={project.pk}" in card.content.decode()

    url = f"/admin/crm/process/new/?person={person.pk}&type={project.pk}"
    form = client.get(url)

    html = form.content.decode()
    assert "Project details" in html
    assert 'name="process__budget"' in html
    assert f'<option value="{organisation.pk}" selected>' in html

    response = client.post(
        url,
        {
            "process_type": project.pk,
            "title": "New warehouse",
            "organisation": organisation.pk,
            "person": person.pk,
            "process__budget": "1000.00",
            "process__deadline": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    process = Process.objects.get()
    assert process.organisation == organisation
    assert process.person == person
    assert process.extra == {"budget": "1000.00"}

    shown = client.get(f"/admin/crm/process/inspect/{process.pk}/")
    section = shown.content.decode().split("data-crm-type-form")[1]
    assert "Project details" in section
    assert "1,000.00" in section or "1000.00" in section


def test_the_admin_form_shows_a_type_form_error_on_its_field(client, seller, project):
    client.force_login(seller)

    response = client.post(
        f"/admin/crm/process/new/?type={project.pk}",
        {"process_type": project.pk, "title": "X", "process__budget": "abc"},
    )

    assert response.status_code == 200
    assert Process.objects.count() == 0
    assert "process__budget" in response.context["form"].errors


# Over GraphQL: the answers travel as `typeValues`, errors come back per key.

CREATE = """
mutation($input: ProcessInput!) {
  createProcess(input: $input) {
    ok
    errors { field messages code }
    object { id title extra }
  }
}
"""

UPDATE = """
mutation($id: ID!, $input: ProcessInput!) {
  updateProcess(id: $id, input: $input) {
    ok
    errors { field messages code }
    object { extra }
  }
}
"""


def _mutate(client, query, **variables):
    response = client.post(
        "/graphql/",
        {"query": query, "variables": variables},
        content_type="application/json",
    )
    body = response.json()
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


def test_graphql_creates_a_process_with_its_type_form_values(client, seller, project):
    client.force_login(seller)

    result = _mutate(
        client,
        CREATE,
        input={
            "processType": str(project.pk),
            "title": "New warehouse",
            "typeValues": {"budget": "12500.50", "deadline": "2026-12-31"},
        },
    )

    assert result["ok"], result["errors"]
    assert result["object"]["extra"] == {"budget": "12500.50", "deadline": "2026-12-31"}
    assert Process.objects.get().extra == result["object"]["extra"]


def test_graphql_reports_a_bad_type_form_value_as_a_field_error(
    client, seller, project
):
    client.force_login(seller)

    wrong = _mutate(
        client,
        CREATE,
        input={
            "processType": str(project.pk),
            "title": "New warehouse",
            "typeValues": {"budget": "lots"},
        },
    )
    missing = _mutate(
        client,
        CREATE,
        input={"processType": str(project.pk), "title": "New warehouse"},
    )

    assert not wrong["ok"]
    assert [error["field"] for error in wrong["errors"]] == ["typeValues.budget"]
    assert wrong["errors"][0]["messages"] == ["Enter an amount, e.g. 1250,50."]
    assert missing["errors"][0]["field"] == "typeValues.budget"
    assert missing["errors"][0]["messages"] == ["This field is required."]
    assert not Process.objects.exists()


def test_graphql_changes_only_the_type_form_values_given(
    client, company_a, seller, project
):
    process = create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": project,
            "title": "New warehouse",
            "type_values": {"budget": "100", "deadline": "1.1.2027"},
        },
    )
    client.force_login(seller)

    changed = _mutate(
        client, UPDATE, id=str(process.pk), input={"typeValues": {"budget": "250"}}
    )
    refused = _mutate(
        client, UPDATE, id=str(process.pk), input={"typeValues": {"budget": "x"}}
    )

    assert changed["ok"], changed["errors"]
    assert changed["object"]["extra"] == {"budget": "250.00", "deadline": "2027-01-01"}
    assert refused["errors"][0]["field"] == "typeValues.budget"
    process.refresh_from_db()
    assert process.extra == {"budget": "250.00", "deadline": "2027-01-01"}


def test_graphql_writes_form_values_only_of_types_the_user_handles(
    client, company_a, make_user, make_type, make_process_form, marketing_group
):
    from modules.core.models import Role
    from tests.crm.conftest import CRM_PERMS

    form = make_process_form("Complaint", ("severity", "text", True))
    handled_by_others = make_type("complaint", form=form, edit=[marketing_group])
    hidden = make_type("audit", form=form, view=[marketing_group])
    team = make_user("team", company_a, role=Role.SALES, perms=CRM_PERMS)
    team.groups.add(marketing_group)
    hidden_process = create_process(
        company=company_a,
        user=team,
        data={
            "process_type": hidden,
            "title": "Audit",
            "type_values": {"severity": "low"},
        },
    )
    outsider = make_user("outsider", company_a, role=Role.SALES, perms=CRM_PERMS)
    client.force_login(outsider)

    not_handled = _mutate(
        client,
        CREATE,
        input={
            "processType": str(handled_by_others.pk),
            "title": "Broken parcel",
            "typeValues": {"severity": "high"},
        },
    )
    not_seen = _mutate(
        client,
        CREATE,
        input={
            "processType": str(hidden.pk),
            "title": "Audit 2",
            "typeValues": {"severity": "high"},
        },
    )
    other_update = _mutate(
        client,
        UPDATE,
        id=str(hidden_process.pk),
        input={"typeValues": {"severity": "high"}},
    )

    assert not_handled["errors"][0]["code"] == "permission_denied"
    assert not_seen["errors"][0]["field"] == "processType"
    assert other_update["errors"][0]["field"] == "id"
    assert Process.objects.count() == 1
    hidden_process.refresh_from_db()
    assert hidden_process.extra == {"severity": "low"}
