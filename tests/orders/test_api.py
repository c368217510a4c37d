"""Orders received and sent over GraphQL go through the order services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.core.models import Role
from modules.orders import purchasing, services
from modules.orders.models import SalesOrder, SalesOrderState
from modules.stock.selectors import availability
from tests.api.conftest import GraphQL

CREATE_ORDER = """
mutation($input: SalesOrderInput!) {
  createSalesOrder(input: $input) {
    ok errors { field messages code } object { id number state }
  }
}
"""
ADD_LINE = """
mutation($input: SalesOrderLineInput!) {
  createSalesOrderLine(input: $input) {
    ok errors { field messages code } object { quantity unitPrice }
  }
}
"""
CONFIRM = """
mutation($id: ID!) {
  updateSalesOrder(id: $id, input: {state: "confirmed"}) {
    ok errors { field messages code } object { state }
  }
}
"""
PURCHASE_ORDERS = """
{ purchaseOrders(first: 50) { edges { node {
    number state supplier { name } lines { quantity product { itemNumber } }
} } } }
"""


@pytest.fixture
def api(client, role_user):
    client.force_login(role_user("integrator", Role.ADMINISTRATOR))
    return GraphQL(client)


def test_an_order_received_over_graphql_is_priced_and_reserved(
    api, customer, product, warehouse, receive
):
    receive(product, "10")

    created = api(
        CREATE_ORDER,
        {"input": {"customer": str(customer.pk), "externalId": "WEB-1001"}},
    )["data"]["createSalesOrder"]
    order_id = created["object"]["id"]
    line = api(
        ADD_LINE,
        {"input": {"order": order_id, "product": str(product.pk), "quantity": "4"}},
    )["data"]["createSalesOrderLine"]
    confirmed = api(CONFIRM, {"id": order_id})["data"]["updateSalesOrder"]

    assert created["ok"], created
    assert created["object"]["number"].startswith("MT-")
    assert line["object"]["unitPrice"] == "20.0000"
    assert confirmed["object"]["state"] == "confirmed"
    assert availability(product=product).reserved == Decimal("4")


def test_a_line_cannot_be_added_to_a_confirmed_order(
    api, company_a, customer, product, warehouse
):
    order = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "1"}],
        confirm=True,
    )

    answer = api(
        ADD_LINE,
        {
            "input": {
                "order": str(order.pk),
                "product": str(product.pk),
                "quantity": "1",
            }
        },
    )["data"]["createSalesOrderLine"]

    assert answer["ok"] is False
    assert "luonnostilauksiin" in answer["errors"][0]["messages"][0]
    assert SalesOrder.objects.get().state == SalesOrderState.CONFIRMED


def test_warehouse_staff_may_not_take_sales_orders(
    client, role_user, customer, warehouse
):
    client.force_login(role_user("picker", Role.WAREHOUSE))

    answer = GraphQL(client)(CREATE_ORDER, {"input": {"customer": str(customer.pk)}})[
        "data"
    ]["createSalesOrder"]

    assert answer["ok"] is False
    assert answer["errors"][0]["code"] == "permission_denied"
    assert not SalesOrder.objects.exists()


def _purchase_orders(company, supplier, product, count):
    for _index in range(count):
        purchasing.create_purchase_order(
            company=company,
            user=None,
            supplier=supplier,
            lines=[
                {"product": product, "quantity": "2"},
                {"product": product, "quantity": "1"},
            ],
        )


def test_suppliers_read_purchase_orders_at_a_constant_query_count(
    api, company_a, supplier, product, warehouse
):
    _purchase_orders(company_a, supplier, product, 3)
    api(PURCHASE_ORDERS)
    with CaptureQueriesContext(connection) as three:
        answer = api(PURCHASE_ORDERS)

    _purchase_orders(company_a, supplier, product, 12)
    with CaptureQueriesContext(connection) as fifteen:
        more = api(PURCHASE_ORDERS)

    assert len(answer["data"]["purchaseOrders"]["edges"]) == 3
    edges = more["data"]["purchaseOrders"]["edges"]
    assert len(edges) == 15
    assert edges[0]["node"]["lines"][0]["product"]["itemNumber"] == "HAM-1"
    assert len(fifteen.captured_queries) == len(three.captured_queries)
