"""The customer card: one screen with everything about an organisation."""

import pytest
from django.contrib.contenttypes.models import ContentType

from cms.definable.models import DefinableField, DefinableForm
from modules.crm.cards import register_panel, unregister_panel
from modules.crm.models import Organisation

CARD = "/admin/crm/organisation/inspect/{}/"


@pytest.fixture
def extra_panel():
    def render(request, organisation):
        return f"<p>Open invoices of {organisation.name}: 2</p>"

    register_panel("test_invoices", title="Open invoices", render=render, order=50)
    yield
    unregister_panel("test_invoices")


@pytest.fixture
def broken_panel():
    def render(request, organisation):
        raise RuntimeError("the sales module is down")

    register_panel("test_broken", title="Sales history", render=render)
    yield
    unregister_panel("test_broken")


@pytest.fixture
def contract_form(db):
    form = DefinableForm.objects.create(
        name_en="Service contract",
        content_type=ContentType.objects.get_for_model(Organisation),
    )
    DefinableField.objects.create(
        form=form, key="contract_level", label_en="Contract level"
    )
    return form


def test_card_shows_basic_data_classifications_and_contacts(
    client, seller, organisation, contact, make_scheme, make_class
):
    organisation.classifications.add(make_class(make_scheme("segment"), "Retail"))
    client.force_login(seller)

    response = client.get(CARD.format(organisation.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Asiakas Oy" in html
    assert "1572860-0" in html
    assert "Segment: Retail" in html
    assert 'data-crm-panel="contacts"' in html
    assert "Aino Asiakas" in html
    assert "CEO" in html


def test_card_shows_the_extra_forms(client, seller, organisation, contract_form):
    organisation.extra = {"contract_level": "Gold"}
    organisation.save()
    client.force_login(seller)

    html = client.get(CARD.format(organisation.pk)).content.decode()

    assert "Service contract" in html
    assert "Contract level" in html
    assert "Gold" in html


def test_other_modules_add_panels_to_the_card(
    client, seller, organisation, extra_panel
):
    client.force_login(seller)

    html = client.get(CARD.format(organisation.pk)).content.decode()

    assert "Open invoices" in html
    assert "Open invoices of Asiakas Oy: 2" in html
    assert html.index('data-crm-panel="contacts"') < html.index(
        'data-crm-panel="test_invoices"'
    )


def test_a_failing_panel_does_not_hide_the_rest_of_the_card(
    client, seller, organisation, contact, broken_panel
):
    client.force_login(seller)

    response = client.get(CARD.format(organisation.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This panel could not be shown." in html
    assert "Aino Asiakas" in html


def test_contacts_panel_needs_the_right_to_see_contacts(
    client, make_user, company_a, organisation, contact
):
    reader = make_user("reader", company_a, perms=("crm.view_organisation",))
    client.force_login(reader)

    html = client.get(CARD.format(organisation.pk)).content.decode()

    assert "Asiakas Oy" in html
    assert 'data-crm-panel="contacts"' not in html
    assert "Aino Asiakas" not in html


def test_archived_organisation_says_so_on_its_card(client, seller, organisation):
    organisation.is_archived = True
    organisation.save()
    client.force_login(seller)

    html = client.get(CARD.format(organisation.pk)).content.decode()

    assert "data-crm-archived" in html


def test_a_persons_card_shows_their_organisations_and_classifications(
    client, seller, person, contact, make_scheme, make_class
):
    person.classifications.add(make_class(make_scheme("interests"), "Golf"))
    client.force_login(seller)

    response = client.get(f"/admin/crm/person/inspect/{person.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "aino@asiakas.example" in html
    assert "Interests: Golf" in html
    assert "Asiakas Oy</a>, CEO" in html
    assert "data-crm-person-processes" in html
