"""Supplier price and product updates over GraphQL: preview, then apply."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from modules.crm.models import Organisation
from modules.products.models import PriceUpdate, SupplierItem
from tests.products.factories import make_product

CREATE = """
mutation($input: PriceUpdateInput!) {
  createPriceUpdate(input: $input) {
    ok errors { field messages }
    object { id state changes }
  }
}"""
APPLY = """
mutation($id: ID!) {
  updatePriceUpdate(id: $id, input: {state: "applied"}) { ok errors { messages } }
}"""


@pytest.fixture
def buyer(make_user, company_a):
    user = make_user("buyer", company_a)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="products",
            codename__in=["add_priceupdate", "change_priceupdate", "view_priceupdate"],
        )
    )
    return user


@pytest.fixture
def supplier(company_a):
    return Organisation.objects.create(
        company=company_a, name="Tukku Oy", is_supplier=True
    )


def _graphql(client, query, variables):
    return client.post(
        "/graphql/",
        {"query": query, "variables": variables},
        content_type="application/json",
    ).json()


def test_update_is_previewed_then_applied(client, buyer, company_a, supplier):
    hammer = make_product(company_a, "HAMMER")
    SupplierItem.objects.create(
        company=company_a,
        product=hammer,
        supplier=supplier,
        supplier_item_number="T-1",
        price=Decimal("8.00"),
    )
    saw = make_product(company_a, "SAW")
    client.force_login(buyer)
    rows = [
        {"supplier_item_number": "T-1", "price": "8,50", "name_sv": "Hammare"},
        {"supplier_item_number": "T-2", "product": "SAW", "price": "12"},
    ]

    created = _graphql(
        client,
        CREATE,
        {"input": {"supplier": supplier.pk, "rows": rows, "reference": "2026-05"}},
    )["data"]["createPriceUpdate"]
    untouched = SupplierItem.objects.get(supplier_item_number="T-1").price
    applied = _graphql(client, APPLY, {"id": created["object"]["id"]})

    changes = created["object"]["changes"]
    assert [change["action"] for change in changes] == ["update", "new"]
    assert changes[0]["item"]["price"] == ["8.0000", "8.50"]
    assert changes[0]["product_changes"]["name_sv"] == ["", "Hammare"]
    assert untouched == Decimal("8.00")
    assert applied["data"]["updatePriceUpdate"]["ok"] is True
    assert SupplierItem.objects.get(supplier_item_number="T-1").price == Decimal("8.5")
    assert SupplierItem.objects.get(supplier_item_number="T-2").product == saw
    hammer.refresh_from_db()
    assert hammer.name_sv == "Hammare"


def test_malformed_rows_are_refused_with_their_numbers(
    client, buyer, company_a, supplier
):
    client.force_login(buyer)
    rows = [
        {"supplier_item_number": "X", "product": "NOPE", "price": "1"},
        {"supplier_item_number": "Y", "price": "abc"},
    ]

    answer = _graphql(
        client, CREATE, {"input": {"supplier": supplier.pk, "rows": rows}}
    )

    result = answer["data"]["createPriceUpdate"]
    messages = " ".join(m for error in result["errors"] for m in error["messages"])
    assert result["ok"] is False
    assert "Row 1" in messages and "Row 2" in messages
    assert not PriceUpdate.objects.exists()
