"""Reads of orders: stock beside order lines and distribution proposals."""

from dataclasses import dataclass
from decimal import Decimal

from modules.orders.models import ZERO, SalesOrderLine
from modules.orders.services import backorder_lines, reserved_open
from modules.stock.models import WarehouseStock


@dataclass(frozen=True)
class LineStock:
    """An order line with what is reserved for it and what stock there is."""

    line: SalesOrderLine
    reserved: Decimal
    backorder: Decimal
    # (warehouse, available) for every warehouse that has the product.
    warehouses: list


def order_lines_with_stock(*, order) -> list[LineStock]:
    """Return the order's lines with reservations and availability by warehouse."""
    lines = list(order.lines.select_related("product").order_by("position", "pk"))
    reserved = reserved_open(line.pk for line in lines)
    stocks: dict[int, list] = {}
    for row in (
        WarehouseStock.objects.filter(product__in=[line.product_id for line in lines])
        .select_related("warehouse")
        .order_by("warehouse__code")
    ):
        stocks.setdefault(row.product_id, []).append((row.warehouse, row.available))
    return [
        LineStock(
            line=line,
            reserved=reserved.get(line.pk, ZERO),
            backorder=max(line.undelivered - reserved.get(line.pk, ZERO), ZERO),
            warehouses=stocks.get(line.product_id, []),
        )
        for line in lines
    ]


@dataclass(frozen=True)
class Share:
    """A proposed share of scarce stock for one waiting order line."""

    line: SalesOrderLine
    backorder: Decimal
    proposed: Decimal


RULES = ("date", "priority", "customer_class")


def distribution_proposal(
    *, company, product, warehouse, rule="date", preferred_class=None
) -> tuple[Decimal, list[Share]]:
    """Propose how the free stock of a product goes to waiting order lines.

    Return the available quantity and one share per line with a
    backorder. Lines are served in full in the order the rule gives: order
    date; priority then date; or customers of `preferred_class` (a CRM
    classification) first, then date.
    """
    waiting = backorder_lines(company=company, product=product, warehouse=warehouse)
    if rule == "priority":
        waiting.sort(key=lambda line: (line.order.priority, line.order.order_date))
    elif rule == "customer_class" and preferred_class is not None:
        preferred = set(preferred_class.organisations.values_list("pk", flat=True))
        waiting.sort(
            key=lambda line: (
                line.order.customer_id not in preferred,
                line.order.order_date,
            )
        )
    stock = WarehouseStock.objects.filter(product=product, warehouse=warehouse).first()
    left = max(stock.available, ZERO) if stock is not None else ZERO
    available = left
    shares = []
    for line in waiting:
        proposed = min(line.backorder, left)
        left -= proposed
        shares.append(Share(line=line, backorder=line.backorder, proposed=proposed))
    return available, shares
