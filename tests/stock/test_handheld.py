"""The handheld pages' server side: look-ups, idempotent submits, access."""

import json
import uuid
from decimal import Decimal

import pytest

from modules.core.models import Role
from modules.stock import counting
from modules.stock.selectors import availability
from tests.products.factories import make_warehouse


@pytest.fixture
def picker(make_user, company_a):
    return make_user("picker", company_a, role=Role.WAREHOUSE, staff=False)


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_unknown_barcode_gets_a_clear_message(client, picker, product):
    client.force_login(picker)

    found = client.get("/handheld/lookup/", {"code": "4006381333931"}).json()
    unknown = client.get("/handheld/lookup/", {"code": "123"})

    assert found["product"]["item_number"] == product.item_number
    assert unknown.status_code == 404
    assert "123" in unknown.json()["error"]


def test_handheld_transfer_sent_twice_moves_once(
    client, picker, company_a, product, warehouse, receive
):
    receive(company_a, product, warehouse, "10")
    shop = make_warehouse(company_a, "SHOP")
    client.force_login(picker)
    body = {
        "key": str(uuid.uuid4()),
        "product": product.pk,
        "from_warehouse": warehouse.pk,
        "to_warehouse": shop.pk,
        "quantity": "3",
    }

    first = _post(client, "/handheld/transfer/submit/", body).json()
    second = _post(client, "/handheld/transfer/submit/", body).json()

    assert first["ok"] and second["ok"]
    assert availability(product=product, warehouse=shop).on_hand == Decimal("3")


def test_handheld_transfer_beyond_stock_is_refused(
    client, picker, company_a, product, warehouse
):
    shop = make_warehouse(company_a, "SHOP")
    client.force_login(picker)

    answer = _post(
        client,
        "/handheld/transfer/submit/",
        {
            "key": str(uuid.uuid4()),
            "product": product.pk,
            "from_warehouse": warehouse.pk,
            "to_warehouse": shop.pk,
            "quantity": "abc",
        },
    )

    assert answer.status_code == 400
    assert "abc" in answer.json()["error"]


def test_count_page_is_only_for_warehouse_roles(
    client, make_user, company_a, warehouse
):
    count = counting.start_count(company=company_a, warehouse=warehouse, user=None)
    seller = make_user("seller", company_a, role=Role.SALES)
    client.force_login(seller)

    assert client.get(f"/handheld/count/{count.pk}/").status_code == 403


def test_count_of_another_company_is_not_found(client, make_user, company_a, company_b):
    foreign = counting.start_count(
        company=company_b, warehouse=make_warehouse(company_b), user=None
    )
    client.force_login(make_user("picker", company_a, role=Role.WAREHOUSE))

    assert client.get(f"/handheld/count/{foreign.pk}/").status_code == 404
