"""Purchase suggestions, goods receipts, over-receipts and landed costs."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from modules.orders import purchasing, services
from modules.orders.models import (
    Allocation,
    DeliveryState,
    PurchaseOrderState,
    ReorderRule,
)
from modules.products.models import Product
from modules.stock import services as stock
from modules.stock.models import MoveKind, StockMove
from modules.stock.selectors import availability
from tests.products.factories import make_product


def _purchase(company, supplier, product, quantity="10", price=None):
    return purchasing.create_purchase_order(
        company=company,
        user=None,
        supplier=supplier,
        lines=[{"product": product, "quantity": quantity, "unit_price": price}],
    )


def test_purchase_order_takes_the_suppliers_price(
    company_a, supplier, product, warehouse
):
    order = _purchase(company_a, supplier, product)

    assert order.number.startswith("OT-")
    assert order.lines.get().unit_price == Decimal("8.0000")


def test_receipt_posts_stock_at_landed_cost(company_a, supplier, product, warehouse):
    other = make_product(company_a, "SAW-1", weight_kg=Decimal("3.6"))
    order = purchasing.create_purchase_order(
        company=company_a,
        user=None,
        supplier=supplier,
        lines=[
            {"product": product, "quantity": "10", "unit_price": "8"},
            {"product": other, "quantity": "10", "unit_price": "12"},
        ],
    )
    hammer, saw = order.lines.order_by("pk")

    receipt = purchasing.receive_goods(
        order=order,
        user=None,
        lines=[
            {"order_line": hammer, "quantity": "10"},
            {"order_line": saw, "quantity": "10"},
        ],
        landed_costs=[
            {"kind": "freight", "amount": "48.00", "allocation": Allocation.WEIGHT},
            {"kind": "customs", "amount": "20.00", "allocation": Allocation.VALUE},
        ],
    )

    order.refresh_from_db()
    lines = list(receipt.lines.order_by("pk"))
    # freight by weight 12 kg : 36 kg, customs by value 80 : 120
    assert [line.landed_cost for line in lines] == [Decimal("20.00"), Decimal("48.00")]
    assert sum(line.landed_cost for line in lines) == Decimal("68.00")
    assert order.state == PurchaseOrderState.RECEIVED
    moves = StockMove.objects.filter(kind=MoveKind.RECEIPT).order_by("pk")
    assert [move.unit_cost.normalize() for move in moves] == [
        Decimal("10"),
        Decimal("16.8"),
    ]
    assert Product.objects.get(pk=other.pk).average_cost == Decimal("16.8")


@given(
    amount=st.decimals(min_value="0.01", max_value="99999", places=2),
    bases=st.lists(
        st.decimals(min_value="0.001", max_value="1000", places=3),
        min_size=1,
        max_size=8,
    ),
)
def test_landed_cost_shares_always_sum_to_the_cost(amount, bases):
    lines = [{"value": b, "weight": b, "quantity": b} for b in bases]

    shares = purchasing.allocate_landed_costs(
        lines=lines, amount=amount, allocation=Allocation.QUANTITY
    )

    assert sum(shares) == amount
    assert all(share >= 0 for share in shares)


def test_over_receipt_needs_confirmation(company_a, supplier, product, warehouse):
    order = _purchase(company_a, supplier, product, "10")
    line = order.lines.get()

    with pytest.raises(ValidationError, match="Enemmän kuin tilattu.*Vasara"):
        purchasing.receive_goods(
            order=order, user=None, lines=[{"order_line": line, "quantity": "12"}]
        )
    assert availability(product=product).on_hand == 0

    purchasing.receive_goods(
        order=order,
        user=None,
        lines=[{"order_line": line, "quantity": "12"}],
        confirm_over_receipt=True,
    )
    assert availability(product=product).on_hand == Decimal("12")


def test_batch_product_needs_a_batch_and_keeps_its_expiry(
    company_a, supplier, warehouse
):
    milk = make_product(company_a, "MILK", batch_tracked=True)
    order = _purchase(company_a, supplier, milk, "5", price="1")
    line = order.lines.get()

    with pytest.raises(ValidationError, match="on eräseurattu"):
        purchasing.receive_goods(
            order=order, user=None, lines=[{"order_line": line, "quantity": "5"}]
        )
    receipt = purchasing.receive_goods(
        order=order,
        user=None,
        lines=[
            {
                "order_line": line,
                "quantity": "2",
                "batch_number": "L42",
                "expiry_date": datetime.date(2026, 5, 1),
            }
        ],
    )

    batch = receipt.lines.get().batch
    assert (batch.number, batch.expiry_date) == ("L42", datetime.date(2026, 5, 1))
    order.refresh_from_db()
    assert order.state == PurchaseOrderState.PARTLY_RECEIVED


def test_receipt_delivers_waiting_backorders(
    company_a,
    customer,
    supplier,
    product,
    warehouse,
    django_capture_on_commit_callbacks,
):
    sale = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "3"}],
        confirm=True,
    )
    order = _purchase(company_a, supplier, product, "10")

    with django_capture_on_commit_callbacks(execute=True):
        purchasing.receive_goods(
            order=order,
            user=None,
            lines=[{"order_line": order.lines.get(), "quantity": "10"}],
        )

    delivery = sale.deliveries.get()
    assert delivery.state == DeliveryState.PROPOSED
    assert delivery.lines.get().quantity == Decimal("3")
    assert availability(product=product).available == Decimal("7")


def test_suggestions_use_reorder_point_lead_time_and_consumption(
    company_a, supplier, product, warehouse, receive
):
    receive(product, "100")
    stock.issue_stock(
        company=company_a,
        product=product,
        warehouse=warehouse,
        quantity=Decimal("90"),
        user=None,
    )
    ReorderRule.objects.create(
        company=company_a,
        product=product,
        warehouse=warehouse,
        reorder_point=Decimal("5"),
        max_quantity=Decimal("40"),
    )

    groups = purchasing.purchase_suggestions(company=company_a)

    # 90 used in 90 days and 10 days of lead time: 10 more than the 40.
    [suggestion] = groups[supplier]
    assert suggestion.available == Decimal("10")
    assert suggestion.quantity == Decimal("40")
    [order] = purchasing.order_suggestions(
        company=company_a, user=None, suggestions=[suggestion]
    )
    assert order.supplier == supplier
    assert order.lines.get().quantity == Decimal("40")
    assert purchasing.purchase_suggestions(company=company_a) == {}


def test_class_a_products_are_reordered_earlier_with_a_safety_stock(
    company_a, supplier, product, warehouse, receive
):
    receive(product, "102")
    stock.issue_stock(
        company=company_a,
        product=product,
        warehouse=warehouse,
        quantity=Decimal("90"),
        user=None,
    )
    ReorderRule.objects.create(
        company=company_a,
        product=product,
        warehouse=warehouse,
        reorder_point=Decimal("5"),
        max_quantity=Decimal("40"),
    )

    # 12 left and 10 expected to be used in the 10 days of lead time.
    as_class_c = purchasing.purchase_suggestions(company=company_a)
    Product.objects.filter(pk=product.pk).update(abc_class="A")
    as_class_a = purchasing.purchase_suggestions(company=company_a)

    assert as_class_c == {}
    [suggestion] = as_class_a[supplier]
    assert suggestion.quantity == Decimal("38")
