"""Administrator-defined fields (`extra`) through the API: write, check, filter."""

import pytest
from django.contrib.contenttypes.models import ContentType

from cms.definable.models import DefinableField, DefinableForm, FieldType
from tests.sample.models import Gadget

COLOURS = [
    {"value": "red", "fi": "Punainen", "sv": "Röd", "en": "Red"},
    {"value": "blue", "fi": "Sininen", "sv": "Blå", "en": "Blue"},
]
CREATE = """
mutation($input: GadgetInput!) {
  createGadget(input: $input) { ok errors { field code } object { extra } }
}
"""
UPDATE = """
mutation($id: ID!, $input: GadgetInput!) {
  updateGadget(id: $id, input: $input) { ok errors { field code } object { extra } }
}
"""


@pytest.fixture
def contract_form(db):
    form = DefinableForm.objects.create(
        name_en="Service contract",
        content_type=ContentType.objects.get_for_model(Gadget),
    )
    for order, (key, field_type, options) in enumerate(
        [
            ("note", FieldType.TEXT, {"required": True}),
            ("weight", FieldType.NUMBER, {"min_value": 0, "max_value": 1000}),
            ("colour", FieldType.CHOICE, {"choices": COLOURS}),
        ]
    ):
        DefinableField.objects.create(
            form=form,
            key=key,
            field_type=field_type,
            sort_order=order,
            label_en=key.capitalize(),
            **options,
        )
    return form


def test_extra_values_are_validated_and_stored(as_editor, contract_form):
    answer = as_editor(
        CREATE,
        {
            "input": {
                "code": "E-1",
                "name": "With extras",
                "extra": {"note": "Yearly", "weight": 5, "colour": "red"},
            }
        },
    )

    result = answer["data"]["createGadget"]
    assert result["ok"] is True, result
    stored = Gadget.objects.get(code="E-1").extra
    assert stored["note"] == "Yearly"
    assert stored["colour"] == "red"
    assert result["object"]["extra"]["colour"] == "red"


def test_invalid_extra_values_are_errors_on_their_keys(as_editor, contract_form):
    answer = as_editor(
        CREATE,
        {
            "input": {
                "code": "E-2",
                "name": "Bad extras",
                "extra": {"weight": 5000, "colour": "green"},
            }
        },
    )

    result = answer["data"]["createGadget"]
    assert result["ok"] is False
    fields = {error["field"] for error in result["errors"]}
    assert fields == {"extra.note", "extra.weight", "extra.colour"}
    assert not Gadget.objects.filter(code="E-2").exists()


def test_update_changes_only_the_extra_keys_given(as_editor, contract_form, company_a):
    gadget = Gadget.objects.create(
        company=company_a,
        code="E-3",
        name="Kept",
        extra={"note": "Keep me", "colour": "red"},
    )

    answer = as_editor(
        UPDATE, {"id": gadget.pk, "input": {"extra": {"colour": "blue"}}}
    )

    assert answer["data"]["updateGadget"]["ok"] is True
    gadget.refresh_from_db()
    assert gadget.extra["note"] == "Keep me"
    assert gadget.extra["colour"] == "blue"


def test_connection_filters_by_extra_values(as_reader, contract_form, company_a):
    Gadget.objects.create(
        company=company_a, code="R", name="R", extra={"colour": "red"}
    )
    Gadget.objects.create(
        company=company_a, code="B", name="B", extra={"colour": "blue"}
    )

    red = as_reader('{ gadgets(extra: {colour: "red"}) { edges { node { code } } } }')
    unknown = as_reader("{ gadgets(extra: {size: 1}) { edges { node { code } } } }")

    assert red["data"]["gadgets"]["edges"] == [{"node": {"code": "R"}}]
    assert unknown["data"]["gadgets"] is None
    assert unknown["errors"][0]["extensions"]["code"] == "invalid_filter"
