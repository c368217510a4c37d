"""Processes: states, allowed transitions, and contact-form messages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.contrib.forms.models import FormSubmission

from fixtures import pages as demo_pages
from modules.crm.models import Organisation, Person, Process, ProcessType
from modules.crm.services import create_process, transition_process
from pages.models import ContactFormField, ContactFormPage

MESSAGE = {
    "nimi": "Aino Asiakas",
    "sahkoposti": "AINO@asiakas.example",
    "viesti": "Tarjous 20 laatikosta, kiitos.",
}


@pytest.fixture
def support(company_a):
    return ProcessType.objects.create(
        company=company_a,
        code="support",
        name_fi="Tukipyyntö",
        name_en="Support request",
        states=[
            {"code": "new", "name": "New"},
            {"code": "open", "name": "Open"},
            {"code": "solved", "name": "Solved"},
        ],
        transitions={"new": ["open"], "open": ["solved"], "solved": ["open"]},
        closed_states=["solved"],
    )


@pytest.fixture
def request_(company_a, seller, support, organisation):
    return create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": support,
            "title": "Printer jams",
            "organisation": organisation,
        },
    )


@pytest.fixture
def contact_page(db):
    page = ContactFormPage(
        slug="yhteydenotto",
        title="Yhteydenotto",
        to_address="myynti@example.fi",
        form_fields=[
            ContactFormField(label="Nimi", field_type="singleline", required=True),
            ContactFormField(label="Sähköposti", field_type="email", required=True),
            ContactFormField(label="Viesti", field_type="multiline", required=True),
        ],
    )
    demo_pages.site_home_page().add_child(instance=page)
    return page


def _state_errors(error):
    return " ".join(error.value.message_dict["state"])


def test_a_process_starts_in_its_types_first_state(request_):
    assert request_.state == "new"
    assert request_.closed_at is None


def test_a_new_process_cannot_skip_the_first_state(company_a, seller, support):
    with pytest.raises(ValidationError) as error:
        create_process(
            company=company_a,
            user=seller,
            data={"process_type": support, "title": "X", "state": "solved"},
        )

    assert "A new process starts in the state New." in _state_errors(error)


def test_an_allowed_transition_moves_and_closing_is_stamped(seller, request_):
    transition_process(process=request_, user=seller, state="open")
    solved = transition_process(process=request_, user=seller, state="solved")

    assert solved.state == "solved"
    assert solved.closed_at is not None


def test_reopening_clears_the_closing_time(seller, request_):
    transition_process(process=request_, user=seller, state="open")
    transition_process(process=request_, user=seller, state="solved")

    reopened = transition_process(process=request_, user=seller, state="open")

    assert reopened.closed_at is None


def test_a_transition_the_type_does_not_allow_is_refused(seller, request_):
    with pytest.raises(ValidationError) as error:
        transition_process(process=request_, user=seller, state="solved")

    assert _state_errors(error) == "A process cannot move from New to Solved."
    request_.refresh_from_db()
    assert request_.state == "new"


def test_an_unknown_state_is_refused(seller, request_):
    with pytest.raises(ValidationError) as error:
        transition_process(process=request_, user=seller, state="lost")

    assert "lost is not a state of Support request." in _state_errors(error)


def test_a_type_whose_transitions_name_unknown_states_is_refused(company_a):
    process_type = ProcessType(
        company=company_a,
        code="bad",
        name_fi="Huono",
        transitions={"new": ["nowhere"]},
    )

    with pytest.raises(ValidationError) as error:
        process_type.full_clean()

    assert "transitions" in error.value.message_dict


def test_the_admin_form_refuses_a_disallowed_state(client, seller, request_):
    client.force_login(seller)

    response = client.post(
        f"/admin/crm/process/edit/{request_.pk}/",
        {
            "process_type": request_.process_type.pk,
            "title": "Printer jams",
            "state": "solved",
        },
    )

    assert response.status_code == 200
    assert "A process cannot move from New to Solved." in response.content.decode()
    request_.refresh_from_db()
    assert request_.state == "new"


def test_the_card_lists_the_organisations_processes(
    client, seller, organisation, request_
):
    client.force_login(seller)

    html = client.get(f"/admin/crm/organisation/inspect/{organisation.pk}/").text

    assert 'data-crm-panel="processes"' in html
    assert "Printer jams" in html


def test_a_contact_form_message_becomes_a_process_of_the_known_person(
    client, support, person, contact, organisation, contact_page
):
    support.receives_contact_forms = True
    support.save()

    response = client.post(contact_page.url, MESSAGE)

    assert response.status_code == 200
    process = Process.objects.get()
    assert process.process_type == support
    assert process.person == person
    assert process.organisation == organisation
    assert process.state == "new"
    assert "Tarjous 20 laatikosta, kiitos." in process.description
    assert Person.objects.count() == 1


def test_a_new_sender_is_registered_as_a_person(client, support, contact_page):
    support.receives_contact_forms = True
    support.save()

    client.post(contact_page.url, {**MESSAGE, "sahkoposti": "uusi@example.fi"})

    person = Process.objects.get().person
    assert (person.first_name, person.last_name, person.email) == (
        "Aino",
        "Asiakas",
        "uusi@example.fi",
    )


def test_without_a_receiving_type_the_message_is_only_stored(
    client, support, contact_page
):
    client.post(contact_page.url, MESSAGE)

    assert FormSubmission.objects.count() == 1
    assert not Process.objects.exists()


def test_logging_a_process_from_the_card_links_the_organisation(
    client, seller, organisation, support
):
    client.force_login(seller)

    card = client.get(f"/admin/crm/organisation/inspect/{organisation.pk}/").text
    form = client.get(f"/admin/crm/process/new/?organisation={organisation.pk}").text

    assert f"/admin/crm/process/new/?organisation={organisation.pk}" in card
    assert f'<option value="{organisation.pk}" selected>' in form


def test_logging_from_a_persons_card_links_their_organisation_too(
    client, seller, person, contact, organisation, support
):
    client.force_login(seller)

    form = client.get(f"/admin/crm/process/new/?person={person.pk}").text

    assert f'<option value="{person.pk}" selected>' in form
    assert f'<option value="{organisation.pk}" selected>' in form


def test_a_foreign_organisation_is_not_linked_from_the_address(
    client, seller, company_b, support
):
    foreign = Organisation.objects.create(company=company_b, name="Vieras Ab")
    client.force_login(seller)

    form = client.get(f"/admin/crm/process/new/?organisation={foreign.pk}").text

    assert "Vieras Ab" not in form


def test_a_site_mapped_to_a_company_feeds_only_that_companys_register(
    client, support, company_b, contact_page
):
    from wagtail.models import Site

    from modules.crm.models import SiteCompany

    support.receives_contact_forms = True
    support.save()
    other = ProcessType.objects.create(
        company=company_b, code="enquiry", name_fi="Kysely", receives_contact_forms=True
    )
    SiteCompany.objects.create(site=contact_page.get_site(), company=company_b)
    assert Site.objects.count() >= 1

    client.post(contact_page.url, MESSAGE)

    process = Process.objects.get()
    assert process.process_type == other
    assert process.company == company_b
    assert process.person.company == company_b


# Which company receives a site's or a page's contact forms

RECEIVER_PERMS = tuple(
    f"crm.{action}_sitecompany" for action in ("view", "add", "change", "delete")
)
RECEIVERS = "/admin/crm/sitecompany/"


@pytest.fixture
def boss(make_user, company_a, company_b):
    """An administrator of company A who is only a seller in company B."""
    from modules.core.models import Membership, Role

    user = make_user("boss", company_a, perms=RECEIVER_PERMS)
    Membership.objects.create(user=user, company=company_b, role=Role.SALES)
    return user


def _switch(client, company):
    session = client.session
    session["current_company_id"] = company.pk
    session.save()


def test_a_company_administrator_maps_a_site_to_their_own_company(
    client, boss, company_a, contact_page
):
    from modules.crm.models import SiteCompany

    site = contact_page.get_site()
    client.force_login(boss)

    response = client.post(f"{RECEIVERS}new/", {"site": site.pk, "page": ""})

    assert response.status_code == 302
    receiver = SiteCompany.objects.get()
    assert (receiver.site, receiver.company) == (site, company_a)


def test_a_user_of_company_a_cannot_map_a_site_to_company_b(
    client, boss, company_a, company_b, contact_page
):
    from modules.crm.models import SiteCompany
    from modules.crm.services import create_form_receiver

    site = contact_page.get_site()
    client.force_login(boss)
    _switch(client, company_b)

    response = client.post(f"{RECEIVERS}new/", {"site": site.pk, "page": ""})
    with pytest.raises(PermissionDenied):
        create_form_receiver(company=company_b, user=boss, data={"site": site})

    assert response.status_code == 200
    assert "this needs the role: Administrator" in response.text
    assert not SiteCompany.objects.exists()


def test_another_companys_site_cannot_be_taken_over_or_seen(
    client, make_user, company_a, company_b, contact_page
):
    from modules.crm.models import SiteCompany

    site = contact_page.get_site()
    theirs = SiteCompany.objects.create(site=site, company=company_b)
    client.force_login(make_user("alice", company_a, perms=RECEIVER_PERMS))

    listed = client.get(RECEIVERS)
    site_again = client.post(f"{RECEIVERS}new/", {"site": site.pk, "page": ""})
    their_page = client.post(f"{RECEIVERS}new/", {"site": "", "page": contact_page.pk})
    edit = client.get(f"{RECEIVERS}edit/{theirs.pk}/")

    assert listed.status_code == 200
    assert str(company_b) not in listed.text
    assert "already sends its forms to another company" in site_again.text
    assert "The page&#x27;s site sends its forms to another company" in (
        their_page.text
    )
    assert edit.status_code == 404
    assert list(SiteCompany.objects.values_list("company", flat=True)) == [company_b.pk]


def test_a_seller_may_not_map_sites(client, seller, contact_page):
    from modules.crm.models import SiteCompany

    client.force_login(seller)

    response = client.post(
        f"{RECEIVERS}new/", {"site": contact_page.get_site().pk, "page": ""}
    )

    assert response.status_code in (302, 403)
    assert not SiteCompany.objects.exists()


def test_a_page_mapped_to_a_company_feeds_it_instead_of_the_sites_company(
    client, support, company_a, company_b, contact_page
):
    from modules.crm.models import SiteCompany

    support.receives_contact_forms = True
    support.save()
    ProcessType.objects.create(
        company=company_b, code="enquiry", name_fi="Kysely", receives_contact_forms=True
    )
    SiteCompany.objects.create(site=contact_page.get_site(), company=company_b)
    SiteCompany.objects.create(page=contact_page.page_ptr, company=company_a)

    client.post(contact_page.url, MESSAGE)

    process = Process.objects.get()
    assert (process.company, process.process_type) == (company_a, support)
