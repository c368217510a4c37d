"""ABC analysis from real deliveries: ranked by what customers paid."""

from decimal import Decimal

from django.utils import timezone

from modules.orders import services
from modules.stock.models import StockMove
from modules.stock.reports import AbcMeasure, abc_analysis
from tests.products.factories import make_product


def _deliver(company, customer, lines):
    order = services.create_sales_order(
        company=company, user=None, customer=customer, lines=lines, confirm=True
    )
    delivery = services.propose_delivery(order=order, user=None)
    services.pick_delivery_in_full(delivery=delivery, user=None)
    services.ship_delivery(delivery=delivery, user=None)


def test_abc_by_sales_value_and_margin_uses_the_delivered_sales_price(
    company_a, customer, warehouse, receive
):
    # Both cost 10 a piece: by cost they would tie; by sales they do not.
    bulk = make_product(company_a, "BULK")
    fine = make_product(company_a, "FINE")
    receive(bulk, "20", cost="10")
    receive(fine, "20", cost="10")

    _deliver(
        company_a,
        customer,
        [
            {"product": bulk, "quantity": "5", "unit_price": "11.00"},
            {
                "product": fine,
                "quantity": "5",
                "unit_price": "100.00",
                "discount_percent": "10",
            },
        ],
    )
    today = timezone.localdate()
    by_value = abc_analysis(
        company=company_a, start=today, end=today, measure=AbcMeasure.VALUE
    )
    by_margin = abc_analysis(
        company=company_a, start=today, end=today, measure=AbcMeasure.MARGIN
    )

    issued = StockMove.objects.get(product=fine, kind="issue")
    assert issued.unit_price == Decimal("90")
    assert [(row.product.item_number, row.amount) for row in by_value.rows] == [
        ("FINE", Decimal("450")),
        ("BULK", Decimal("55")),
    ]
    assert by_value.rows[0].abc_class == "A"
    assert [(row.product.item_number, row.amount) for row in by_margin.rows] == [
        ("FINE", Decimal("400")),
        ("BULK", Decimal("5")),
    ]
