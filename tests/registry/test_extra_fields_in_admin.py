"""Administrator-defined extra fields in the generated admin of a model."""

import pytest
from django.contrib.contenttypes.models import ContentType

from cms.definable.models import DefinableField, DefinableForm, FieldType
from tests.sample.models import Gadget

INDEX = "/admin/sample/gadget/"
COLOURS = [
    {"value": "red", "fi": "Punainen", "sv": "Röd", "en": "Red"},
    {"value": "blue", "fi": "Sininen", "sv": "Blå", "en": "Blue"},
]


@pytest.fixture
def contract_form(db):
    form = DefinableForm.objects.create(
        name_fi="Sopimus",
        name_sv="Avtal",
        name_en="Contract",
        content_type=ContentType.objects.get_for_model(Gadget),
    )
    DefinableField.objects.create(
        form=form,
        key="colour",
        field_type=FieldType.CHOICE,
        choices=COLOURS,
        label_fi="Väri",
        label_sv="Färg",
        label_en="Colour",
        sort_order=1,
    )
    DefinableField.objects.create(
        form=form,
        key="deposit",
        field_type=FieldType.MONEY,
        required=True,
        label_fi="Vakuus",
        label_sv="Deposition",
        label_en="Deposit",
        sort_order=2,
    )
    return form


def _post(client, url, **extra):
    data = {"code": "E1", "name": "Extra", "quantity": "1", "price": "1"}
    data.update(extra)
    return client.post(url, data)


def test_extra_fields_appear_once_in_the_form(client, clerk_a, contract_form):
    client.force_login(clerk_a)

    html = client.get(f"{INDEX}new/").content.decode()

    assert html.count('name="extra__colour"') == 1
    assert "Deposit" in html


def test_required_extra_field_is_enforced(client, clerk_a, contract_form):
    client.force_login(clerk_a)

    response = _post(client, f"{INDEX}new/", extra__colour="red")

    assert response.status_code == 200
    assert not Gadget.objects.filter(code="E1").exists()


def test_extra_values_are_saved_shown_filtered_and_searched(
    client, clerk_a, company_a, contract_form
):
    Gadget.objects.create(company=company_a, code="O1", name="Other")
    client.force_login(clerk_a)

    saved = _post(client, f"{INDEX}new/", extra__colour="blue", extra__deposit="12.50")
    gadget = Gadget.objects.get(code="E1")
    inspect = client.get(f"{INDEX}inspect/{gadget.pk}/").content.decode()
    filtered = client.get(INDEX, {"extra__colour": "blue"}).content.decode()
    searched = client.get(INDEX, {"q": "Blue"}).content.decode()

    assert saved.status_code == 302
    assert gadget.extra == {"colour": "blue", "deposit": "12.50"}
    assert "Blue" in inspect and "12.50" in inspect
    assert "Extra" in filtered and "Other" not in filtered
    assert "Extra" in searched and "Other" not in searched
