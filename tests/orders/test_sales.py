"""Quotations become orders; orders reserve, deliver and keep backorders."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.orders import services
from modules.orders.models import (
    DeliveryState,
    QuotationState,
    SalesOrderState,
)
from modules.stock.selectors import availability


def _order(company, customer, product, quantity, **extra):
    return services.create_sales_order(
        company=company,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": quantity}],
        **extra,
    )


def test_quotation_is_priced_numbered_and_accepted_into_a_reserved_order(
    company_a, customer, product, warehouse, receive
):
    receive(product, "10")
    quotation = services.create_quotation(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "4"}],
    )

    order = services.accept_quotation(quotation=quotation, user=None)

    quotation.refresh_from_db()
    assert quotation.number.startswith("TAR-")
    assert quotation.lines.get().unit_price == Decimal("20.0000")
    assert quotation.state == QuotationState.ORDERED
    assert order.quotation == quotation
    assert order.state == SalesOrderState.CONFIRMED
    assert order.lines.get().line_total == Decimal("80.00")
    assert availability(product=product).reserved == Decimal("4")


def test_an_ordered_quotation_cannot_be_ordered_again(
    company_a, customer, product, warehouse
):
    quotation = services.create_quotation(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "1"}],
    )
    services.accept_quotation(quotation=quotation, user=None)

    with pytest.raises(ValidationError, match="on jo tehty tilaus"):
        services.accept_quotation(quotation=quotation, user=None)


def test_rejected_quotation_cannot_be_sent(company_a, customer, product):
    quotation = services.create_quotation(
        company=company_a, user=None, customer=customer, lines=[]
    )
    services.transition_quotation(
        quotation=quotation, user=None, state=QuotationState.REJECTED
    )

    with pytest.raises(ValidationError, match="ei voi muuttaa tilaan"):
        services.transition_quotation(
            quotation=quotation, user=None, state=QuotationState.SENT
        )


def test_partial_delivery_leaves_a_backorder_filled_when_stock_arrives(
    company_a, customer, product, warehouse, receive
):
    receive(product, "6")
    order = _order(company_a, customer, product, "10", confirm=True)
    delivery = services.propose_delivery(order=order, user=None)
    assert delivery.lines.get().quantity == Decimal("6")

    services.pick_delivery_in_full(delivery=delivery, user=None)
    services.ship_delivery(delivery=delivery, user=None, tracking_number="JJFI1")

    order.refresh_from_db()
    line = order.lines.get()
    assert order.state == SalesOrderState.PARTLY_DELIVERED
    assert line.delivered_quantity == Decimal("6")
    assert availability(product=product).on_hand == Decimal("0")
    [waiting] = services.backorder_lines(
        company=company_a, product=product, warehouse=warehouse
    )
    assert waiting.backorder == Decimal("4")

    receive(product, "5")
    [proposed] = services.fill_backorders(
        company=company_a, product=product, warehouse=warehouse, user=None
    )

    assert proposed.order == order
    assert proposed.state == DeliveryState.PROPOSED
    assert proposed.lines.get().quantity == Decimal("4")
    assert availability(product=product).available == Decimal("1")


def test_backorders_are_served_by_priority_then_date(
    company_a, customer, product, warehouse, receive
):
    older = _order(company_a, customer, product, "3", confirm=True)
    urgent = _order(company_a, customer, product, "3", confirm=True, priority=1)
    receive(product, "4")

    deliveries = services.fill_backorders(
        company=company_a, product=product, warehouse=warehouse, user=None
    )

    quantities = {d.order: d.lines.get().quantity for d in deliveries}
    assert quantities == {urgent: Decimal("3"), older: Decimal("1")}


def test_over_picking_is_refused_with_a_clear_message(
    company_a, customer, product, warehouse, receive
):
    receive(product, "2")
    order = _order(company_a, customer, product, "2", confirm=True)
    delivery = services.propose_delivery(order=order, user=None)
    line = delivery.lines.get()
    services.record_pick(line=line, quantity="1", user=None)

    with pytest.raises(ValidationError, match="Ylikeräily.*tarvitaan vielä 1"):
        services.record_pick(line=line, quantity="2", user=None)

    line.refresh_from_db()
    assert line.picked_quantity == Decimal("1")


def test_cancel_gives_back_the_reservations(
    company_a, customer, product, warehouse, receive
):
    receive(product, "5")
    order = _order(company_a, customer, product, "5", confirm=True)

    services.cancel_sales_order(order=order, user=None)

    assert availability(product=product).available == Decimal("5")


def test_external_orders_are_taken_once(company_a, customer, product, warehouse):
    first = _order(company_a, customer, product, "1", external_id="EDI-7")
    second = _order(company_a, customer, product, "1", external_id="EDI-7")

    assert first == second


def test_distribution_applies_the_users_adjusted_shares(
    company_a, customer, product, warehouse, receive
):
    first = _order(company_a, customer, product, "3", confirm=True)
    second = _order(company_a, customer, product, "3", confirm=True)
    receive(product, "4")
    line_1, line_2 = first.lines.get(), second.lines.get()

    with pytest.raises(ValidationError, match="puuttuu vain 3"):
        services.apply_distribution(
            company=company_a, user=None, allocations={line_1: "4"}
        )
    services.apply_distribution(
        company=company_a, user=None, allocations={line_1: "2", line_2: "2"}
    )

    assert services.reserved_open([line_1.pk, line_2.pk]) == {
        line_1.pk: Decimal("2"),
        line_2.pk: Decimal("2"),
    }
