"""Extra values in CSV/XLSX cells: import conversions and export text."""

import datetime
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.utils import translation
from import_export import resources

from cms.definable import api
from tests.sample.models import Gadget


def field(key):
    return api.field_for_key(Gadget, key)


@pytest.mark.parametrize(
    ("key", "cell", "stored"),
    [
        ("deposit", "1 234,5", "1234.50"),
        ("deposit", "1.234,50", "1234.50"),
        ("weight", "234,5", "234.5"),
        ("weight", "12.25", "12.25"),
        ("weight", 7.5, "7.5"),
        ("deposit", "1\u00a0200,00 €", "1200.00"),
        ("deposit", Decimal("3"), "3.00"),
        ("delivered", "31.12.2025", "2025-12-31"),
        ("delivered", "2025-12-31", "2025-12-31"),
        ("delivered", datetime.datetime(2025, 12, 31), "2025-12-31"),
        ("insured", "kyllä", True),
        ("insured", "Nej", False),
        ("insured", "x", True),
        ("insured", 0, False),
        ("colour", "Sininen", "blue"),
        ("colour", "red", "red"),
        ("features", "GPS; Aurinkopaneeli", ["gps", "solar"]),
        ("twin", "42", 42),
        ("twin", 42.0, 42),
        ("note", " Text ", "Text"),
        ("note", "", None),
        ("colour", None, None),
    ],
)
def test_import_converts_cells(service_form, key, cell, stored):
    assert api.import_value(field(key), cell) == stored


@pytest.mark.parametrize(
    ("key", "cell", "message"),
    [
        ("weight", "12,5,1", "Enter a number, e.g. 12,5."),
        ("deposit", "12,345", "Enter an amount with at most two decimals."),
        ("delivered", "12/31/2025", "Enter a date, e.g. 31.12.2025."),
        ("insured", "maybe", "Answer yes or no."),
        ("colour", "Green", "Green is not one of the choices."),
        ("twin", "first", "Give the id of the linked gadget."),
        ("manual", "manual.pdf", "Files cannot be imported; upload them in the admin."),
    ],
)
def test_import_refuses_bad_cells_with_a_message(service_form, key, cell, message):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        api.import_value(field(key), cell)

    assert caught.value.messages == [message]


def test_required_values_are_checked_for_the_row_not_the_cell(service_form):
    assert api.import_value(field("note"), "") is None


@pytest.mark.parametrize(
    ("language", "key", "stored", "cell"),
    [
        ("fi", "weight", "234.5", "234,5"),
        ("en", "weight", "234.5", "234.5"),
        ("fi", "deposit", "80.00", "80,00"),
        ("fi", "delivered", "2025-12-31", "2025-12-31"),
        ("fi", "insured", True, "kyllä"),
        ("sv", "insured", False, "nej"),
        ("en", "features", ["wifi", "gps"], "wifi, gps"),
        ("en", "twin", 42, "42"),
        ("en", "manual", "definable/sample/gadget/abc/manual.pdf", "manual.pdf"),
        ("en", "note", None, ""),
    ],
)
def test_export_writes_cell_text(service_form, language, key, stored, cell):
    with translation.override(language):
        assert api.export_value(field(key), stored) == cell


def test_exported_text_imports_back_unchanged(service_form):
    stored = {
        "weight": "234.5",
        "deposit": "80.00",
        "delivered": "2025-12-31",
        "insured": False,
        "colour": "red",
        "features": ["wifi", "solar"],
    }

    with translation.override("fi"):
        again = {
            key: api.import_value(field(key), api.export_value(field(key), value))
            for key, value in stored.items()
        }

    assert again == stored


def test_export_columns_leave_files_out(service_form):
    columns = api.export_columns(Gadget)

    assert columns[:3] == [
        ("extra.note", "note"),
        ("extra.description", "description"),
        ("extra.weight", "weight"),
    ]
    assert "manual" not in [key for _column, key in columns]


def _resource_class():
    class GadgetResource(resources.ModelResource):
        def __init__(self):
            super().__init__()
            self.fields.update(api.resource_fields(Gadget))

        class Meta:
            model = Gadget
            fields = ["id", "code", "name", "company"]

    return GadgetResource


def test_resource_exports_extra_columns(service_form, make_gadget):
    make_gadget(note="Pump", deposit="1200.00", features=["gps"])

    with translation.override("fi"):
        dataset = _resource_class()().export()

    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["extra.note"] == "Pump"
    assert row["extra.deposit"] == "1200,00"
    assert row["extra.features"] == "gps"


def test_resource_imports_extra_columns(service_form, make_gadget):
    gadget = make_gadget(note="Old", retired="kept")
    dataset = tablib.Dataset(
        headers=["id", "code", "name", "company", "extra.note", "extra.weight"]
    )
    dataset.append(
        [gadget.pk, gadget.code, gadget.name, gadget.company_id, "New", "2,5"]
    )

    result = _resource_class()().import_data(dataset, raise_errors=True)

    gadget.refresh_from_db()
    assert not result.has_errors()
    assert gadget.extra == {"note": "New", "weight": "2.5", "retired": "kept"}
