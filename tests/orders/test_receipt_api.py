"""Goods receipt over GraphQL: the same checks as the admin and handheld."""

from decimal import Decimal

import pytest

from modules.core.models import Role
from modules.orders import purchasing
from modules.orders.models import GoodsReceipt
from modules.stock.models import Batch
from modules.stock.selectors import availability
from tests.api.conftest import GraphQL
from tests.products.factories import make_product

RECEIVE = """
mutation($order: ID!, $lines: [ReceivedLineInput!]!, $confirm: Boolean) {
  receiveGoods(purchaseOrder: $order, lines: $lines, confirmOverReceipt: $confirm) {
    ok number errors { field messages code }
  }
}
"""


def _order(company, supplier, product, quantity):
    order = purchasing.create_purchase_order(
        company=company,
        user=None,
        supplier=supplier,
        lines=[{"product": product, "quantity": quantity, "unit_price": "2"}],
    )
    return order, order.lines.get()


def _receive(api, order, line, quantity, confirm=False, **batch):
    lines = [{"orderLine": str(line.pk), "quantity": quantity, **batch}]
    return api(RECEIVE, {"order": str(order.pk), "lines": lines, "confirm": confirm})[
        "data"
    ]["receiveGoods"]


@pytest.fixture
def api(client, make_user, company_a, roles_synced):
    from django.contrib.auth.models import Group

    from modules.core.models import role_group_name

    user = make_user("receiver", company_a, role=Role.WAREHOUSE, language="fi")
    user.groups.add(Group.objects.get(name=role_group_name(Role.WAREHOUSE)))
    client.force_login(user)
    return GraphQL(client)


def test_receiving_more_than_ordered_needs_the_confirm_flag(
    api, company_a, supplier, product, warehouse
):
    order, line = _order(company_a, supplier, product, "10")

    refused = _receive(api, order, line, "12")
    confirmed = _receive(api, order, line, "12", confirm=True)

    assert refused["ok"] is False
    assert refused["errors"][0]["code"] == "over_receipt"
    assert "Enemmän kuin tilattu" in refused["errors"][0]["messages"][0]
    assert confirmed["ok"] is True
    assert GoodsReceipt.objects.filter(purchase_order=order).count() == 1
    assert availability(product=product).on_hand == Decimal("12")


def test_a_batch_product_without_a_batch_is_refused_in_finnish(
    api, company_a, supplier, warehouse
):
    milk = make_product(company_a, "MILK", name_fi="Maito", batch_tracked=True)
    order, line = _order(company_a, supplier, milk, "5")

    refused = _receive(api, order, line, "5")
    received = _receive(
        api, order, line, "5", batchNumber="L7", expiryDate="2027-01-31"
    )

    assert refused["ok"] is False
    assert refused["errors"][0]["code"] == "batch_required"
    assert "on eräseurattu" in refused["errors"][0]["messages"][0]
    assert received["ok"] is True
    batch = Batch.objects.get(product=milk)
    assert (batch.number, str(batch.expiry_date)) == ("L7", "2027-01-31")
    assert availability(product=milk).on_hand == Decimal("5")


def test_another_companys_purchase_order_is_unknown(
    api, company_b, supplier, warehouse
):
    from modules.crm.models import Organisation
    from tests.products.factories import make_warehouse

    make_warehouse(company_b)
    their_supplier = Organisation.objects.create(
        company=company_b, name="Leverantör Ab", is_supplier=True
    )
    their_product = make_product(company_b, "B-1")
    order, line = _order(company_b, their_supplier, their_product, "3")

    answer = _receive(api, order, line, "3")

    assert answer["ok"] is False
    assert answer["errors"][0]["code"] == "unknown_purchase_order"
    assert not GoodsReceipt.objects.filter(purchase_order=order).exists()
    assert availability(product=their_product).on_hand == 0


def test_a_user_without_receipt_permission_is_refused(
    client, make_user, company_a, supplier, product, warehouse
):
    client.force_login(make_user("viewer", company_a, role=Role.SALES, perms=()))
    order, line = _order(company_a, supplier, product, "2")

    answer = GraphQL(client)(
        RECEIVE,
        {"order": str(order.pk), "lines": [{"orderLine": str(line.pk), "quantity": 2}]},
    )

    assert answer["data"]["receiveGoods"] is None
    assert answer["errors"][0]["extensions"]["code"] == "permission_denied"
    assert availability(product=product).on_hand == 0
