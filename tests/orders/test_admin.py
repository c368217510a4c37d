"""Order cards, their buttons and the order pages in the admin."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from modules.core.models import Role
from modules.orders import purchasing, services
from modules.orders.models import (
    PurchaseOrder,
    PurchaseOrderState,
    ReorderRule,
    SalesOrder,
    SalesOrderState,
)
from modules.stock.selectors import availability


@pytest.fixture
def seller(client, role_user):
    client.force_login(role_user("seller", Role.SALES))
    return client


@pytest.fixture
def keeper(client, role_user):
    client.force_login(role_user("keeper", Role.WAREHOUSE))
    return client


def test_quotation_card_accepts_into_an_order(
    seller, company_a, customer, product, warehouse, receive
):
    receive(product, "2")
    quotation = services.create_quotation(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "2"}],
    )

    card = seller.get(f"/admin/orders/quotation/inspect/{quotation.pk}/")
    pdf = seller.get(f"/admin/orders/quotation/{quotation.pk}/pdf/")
    accepted = seller.post(
        f"/admin/orders/quotation/{quotation.pk}/accept/", follow=True
    )

    assert card.status_code == 200
    assert "Vasara" in card.content.decode()
    assert pdf["Content-Type"] == "application/pdf"
    order = SalesOrder.objects.get()
    assert f"Order {order.number} created" in accepted.content.decode()
    assert order.state == SalesOrderState.CONFIRMED
    assert availability(product=product).reserved == Decimal("2")


def test_order_card_shows_availability_and_backorder(
    seller, company_a, customer, product, warehouse, receive
):
    receive(product, "3")
    order = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "5"}],
        confirm=True,
    )

    card = seller.get(f"/admin/orders/salesorder/inspect/{order.pk}/").content.decode()

    assert "MAIN: 0" in card
    assert "data-order-lines" in card
    rows = card.split("data-order-lines")[1]
    assert "<td>3</td><td>2</td>" in rows  # reserved 3, backordered 2


def test_sales_staff_cannot_ship_and_other_companies_stay_hidden(
    seller, company_a, company_b, customer, product, warehouse, receive, make_user
):
    receive(product, "1")
    order = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "1"}],
        confirm=True,
    )
    delivery = services.propose_delivery(order=order, user=None)

    refused = seller.post(f"/admin/orders/delivery/{delivery.pk}/pick/")
    seller.force_login(make_user("stranger", company_b))
    hidden = seller.get(f"/admin/orders/salesorder/inspect/{order.pk}/")

    assert refused.status_code in (302, 403)
    assert delivery.lines.get().picked_quantity == 0
    assert hidden.status_code == 404


def test_receipt_page_asks_before_receiving_more_than_ordered(
    keeper, company_a, supplier, product, warehouse
):
    order = purchasing.create_purchase_order(
        company=company_a,
        user=None,
        supplier=supplier,
        lines=[{"product": product, "quantity": "4"}],
    )
    line = order.lines.get()
    url = f"/admin/orders/receive/{order.pk}/"
    form = {
        f"quantity_{line.pk}": "5",
        "cost_kind_0": "freight",
        "cost_amount_0": "10,00",
        "cost_allocation_0": "quantity",
    }

    asked = keeper.post(url, form)
    done = keeper.post(url, {**form, "confirm_over_receipt": "1"}, follow=True)

    assert "data-confirm-over-receipt" in asked.content.decode()
    assert "More than ordered" in asked.content.decode()
    assert "posted" in done.content.decode()
    order.refresh_from_db()
    assert order.state == PurchaseOrderState.RECEIVED
    assert order.receipts.get().lines.get().landed_cost == Decimal("10.00")


def test_suggestions_page_orders_in_one_step(
    keeper, company_a, supplier, product, warehouse
):
    ReorderRule.objects.create(
        company=company_a,
        product=product,
        warehouse=warehouse,
        reorder_point=Decimal("2"),
        max_quantity=Decimal("10"),
    )
    rule = ReorderRule.objects.get()

    page = keeper.get("/admin/orders/suggestions/")
    keeper.post(
        "/admin/orders/suggestions/",
        {f"take_{rule.pk}": "1", f"quantity_{rule.pk}": "12"},
    )

    assert "Toimittaja Oy" in page.content.decode()
    order = PurchaseOrder.objects.get()
    assert order.lines.get().quantity == Decimal("12")


def test_distribution_page_reserves_the_adjusted_shares(
    seller, company_a, customer, product, warehouse, receive
):
    orders = [
        services.create_sales_order(
            company=company_a,
            user=None,
            customer=customer,
            lines=[{"product": product, "quantity": "3"}],
            confirm=True,
        )
        for _ in range(2)
    ]
    receive(product, "4")
    first, second = (order.lines.get() for order in orders)
    query = f"?product={product.pk}&warehouse={warehouse.pk}"

    page = seller.get(f"/admin/orders/distribution/{query}").content.decode()
    seller.post(
        "/admin/orders/distribution/",
        {
            "product": product.pk,
            "warehouse": warehouse.pk,
            f"share_{first.pk}": "1",
            f"share_{second.pk}": "3",
        },
    )

    assert f'name="share_{first.pk}" value="3"' in page
    assert f'name="share_{second.pk}" value="1"' in page
    assert services.reserved_open([first.pk, second.pk]) == {
        first.pk: Decimal("1"),
        second.pk: Decimal("3"),
    }
    assert all(order.deliveries.count() == 1 for order in orders)


def test_order_file_import_takes_all_rows_or_none(
    seller, company_a, customer, product, warehouse
):
    customer.business_id = "1572860-0"
    customer.save()
    head = "external_id;customer;item_number;quantity\n"
    good = head + "E1;1572860-0;HAM-1;2\nE1;Asiakas Oy;HAM-1;1\n"
    bad = head + "E2;1572860-0;HAM-1;2\nE3;1572860-0;NOPE;1\n"

    refused = seller.post(
        "/admin/orders/import/",
        {"file": SimpleUploadedFile("bad.csv", bad.encode())},
        follow=True,
    )
    seller.post(
        "/admin/orders/import/", {"file": SimpleUploadedFile("o.csv", good.encode())}
    )
    seller.post(
        "/admin/orders/import/", {"file": SimpleUploadedFile("o.csv", good.encode())}
    )

    assert "Row 3: No product" in refused.content.decode()
    order = SalesOrder.objects.get()
    assert order.external_id == "E1"
    assert [line.quantity for line in order.lines.all()] == [Decimal("2"), Decimal("1")]
