"""Reorder rules from a CSV or XLSX file, keyed on item number and warehouse."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.models import ImportFile
from modules.orders.models import ReorderRule
from tests.products.factories import make_product, make_warehouse

URL = "/admin/orders/reorderrule/import/"


@pytest.fixture
def buyer(client, make_user, company_a):
    user = make_user("buyer", company_a)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="orders", codename__endswith="reorderrule"
        )
    )
    client.force_login(user)
    return client


def _upload(client, name, content):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def _confirm(client):
    return client.post(
        URL, {"confirm": "1", "import_file": ImportFile.objects.latest("pk").pk}
    )


def test_a_rule_file_is_previewed_then_applied(buyer, company_a, warehouse):
    hammer = make_product(company_a, "HAM-9")
    make_product(company_a, "SAW-1")
    ReorderRule.objects.create(
        company=company_a, product=hammer, warehouse=warehouse, reorder_point=2
    )
    text = (
        "product;warehouse;reorder_point;min_quantity;max_quantity\n"
        "HAM-9;MAIN;5;5;20\n"
        "SAW-1;MAIN;1,5;2;10\n"
    )

    preview = _upload(buyer, "rules.csv", text.encode())
    unchanged = ReorderRule.objects.get(product=hammer).reorder_point
    _confirm(buyer)

    assert "1 new row, 1 changed row" in preview.content.decode()
    assert unchanged == 2
    rules = {
        rule.product.item_number: (
            rule.reorder_point,
            rule.min_quantity,
            rule.max_quantity,
        )
        for rule in ReorderRule.objects.filter(company=company_a)
    }
    assert rules == {
        "HAM-9": (Decimal(5), Decimal(5), Decimal(20)),
        "SAW-1": (Decimal("1.5"), Decimal(2), Decimal(10)),
    }


def test_an_xlsx_file_is_read_too(buyer, company_a, warehouse):
    make_product(company_a, "HAM-9")
    book = openpyxl.Workbook()
    book.active.append(
        ["product", "warehouse", "reorder_point", "min_quantity", "max_quantity"]
    )
    book.active.append(["HAM-9", "MAIN", 3, 4, 12])
    content = io.BytesIO()
    book.save(content)

    _upload(buyer, "rules.xlsx", content.getvalue())
    _confirm(buyer)

    rule = ReorderRule.objects.get(company=company_a)
    assert (rule.reorder_point, rule.max_quantity) == (Decimal(3), Decimal(12))


def test_bad_rows_are_named_and_nothing_is_saved(
    buyer, company_a, company_b, warehouse
):
    make_product(company_a, "HAM-9")
    make_product(company_b, "THEIRS")
    make_warehouse(company_a, "SHOP")
    text = (
        "product;warehouse;reorder_point;min_quantity;max_quantity\n"
        "HAM-9;MAIN;5;5;20\n"
        "NOPE-1;MAIN;1;1;1\n"
        "HAM-9;SHOP;1;10;4\n"
        "THEIRS;MAIN;1;1;1\n"
        "HAM-9;ATTIC;1;1;1\n"
    )

    preview = _upload(buyer, "rules.csv", text.encode()).content.decode()
    _confirm(buyer)

    assert "NOPE-1 is unknown" in preview
    assert "The maximum is below the minimum." in preview
    assert "THEIRS is unknown" in preview
    assert "ATTIC is unknown" in preview
    assert not ReorderRule.objects.exists()
