"""The organisation and person screens of the admin."""

from django.contrib.auth.models import Group

from cms.roles import sync_role_permissions
from modules.core.models import Role, role_group_name
from modules.crm.models import Organisation, Person

ADD_ORGANISATION = "/admin/crm/organisation/new/"
ADD_PERSON = "/admin/crm/person/new/"


def _organisation(**values):
    return {"name": "Uusi Oy", "language": "fi", "country": "FI", **values}


def test_adding_an_organisation_in_the_admin(client, seller, company_a):
    client.force_login(seller)

    response = client.post(
        ADD_ORGANISATION, _organisation(business_id="0737546-2", is_customer="on")
    )

    assert response.status_code == 302
    created = Organisation.objects.get(business_id="0737546-2")
    assert (created.company, created.vat_number) == (company_a, "FI07375462")


def test_the_form_explains_a_taken_business_id(client, seller, organisation):
    client.force_login(seller)

    response = client.post(ADD_ORGANISATION, _organisation(business_id="1572860-0"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "An organisation with this business ID is already registered." in html
    assert Organisation.objects.count() == 1


def test_the_form_explains_a_taken_email(client, seller, person):
    client.force_login(seller)

    response = client.post(
        ADD_PERSON,
        {"last_name": "Kopio", "email": "Aino@Asiakas.example", "language": "fi"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "A person with this email address is already registered." in html
    assert Person.objects.count() == 1


def test_deleting_in_the_admin_archives(client, seller, organisation):
    client.force_login(seller)

    confirm = client.get(f"/admin/crm/organisation/delete/{organisation.pk}/")
    client.post(f"/admin/crm/organisation/delete/{organisation.pk}/")

    assert "Yes, archive" in confirm.content.decode()
    assert "Archive this organisation?" in confirm.content.decode()
    organisation.refresh_from_db()
    assert organisation.is_archived


def _with_role_group(user, role):
    user.groups.add(Group.objects.get(name=role_group_name(role)))
    return user


def test_sales_manage_and_accountants_read_the_customer_register(
    client, make_user, company_a, organisation
):
    sync_role_permissions()
    sales = _with_role_group(make_user("sales", company_a, role=Role.SALES), "sales")
    accountant = _with_role_group(
        make_user("books", company_a, role=Role.ACCOUNTANT), "accountant"
    )

    client.force_login(accountant)
    read = client.get("/admin/crm/organisation/")
    refused = client.get(ADD_ORGANISATION)
    client.force_login(sales)
    allowed = client.get(ADD_ORGANISATION)

    assert "Asiakas Oy" in read.content.decode()
    assert refused.status_code in (302, 403)
    assert allowed.status_code == 200
