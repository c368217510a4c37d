"""Writes and proposals of the buying side: purchase orders and receipts.

Purchase suggestions come from reorder rules, the stock position
(available plus still on order), supplier lead times and the consumption
history of the stock ledger. A goods receipt posts stock moves whose unit
cost carries the landed costs allocated onto the lines, and then serves
the backorders of sales orders waiting for the goods.
"""

import datetime
import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import snapshot
from modules.core.money import round_decimal, to_decimal
from modules.orders.models import (
    ZERO,
    Allocation,
    GoodsReceipt,
    GoodsReceiptLine,
    LandedCost,
    LandedCostKind,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderState,
    ReorderRule,
)
from modules.orders.services import (
    audit_create,
    audit_update,
    check_company,
    fill_backorders,
    quantity_of,
    take_number,
)
from modules.products.models import Product, SupplierItem
from modules.products.selectors import preferred_supplier_item
from modules.stock import services as stock
from modules.stock.models import MoveKind, StockMove, WarehouseStock

logger = logging.getLogger(__name__)

OPEN_PURCHASE_STATES = (
    PurchaseOrderState.DRAFT,
    PurchaseOrderState.SENT,
    PurchaseOrderState.PARTLY_RECEIVED,
)
CENT = Decimal("0.01")


def _supplier_price(product, supplier) -> Decimal:
    item = SupplierItem.objects.filter(product=product, supplier=supplier).first()
    return item.price if item is not None else product.average_cost


@transaction.atomic
def create_purchase_order(
    *,
    company,
    user,
    supplier,
    lines: Iterable[dict] = (),
    warehouse=None,
    order_date=None,
    expected_date=None,
    notes="",
) -> PurchaseOrder:
    """Create a numbered purchase order priced by the supplier's items."""
    order_date = order_date or timezone.localdate()
    warehouse = warehouse or stock.default_warehouse(company)
    if warehouse is None:
        raise ValidationError(
            {"warehouse": _("The company has no warehouse to receive into.")},
            code="warehouse",
        )
    check_company(company, supplier, warehouse)

    order = PurchaseOrder(
        company=company,
        supplier=supplier,
        warehouse=warehouse,
        order_date=order_date,
        expected_date=expected_date,
        notes=notes,
        currency=company.default_currency,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    order.full_clean(exclude=["number"])
    order.number = take_number(
        company=company, series="purchase_order", date=order_date
    )
    order.save()
    for position, line in enumerate(lines, start=1):
        _purchase_line(order, position, line)

    audit_create(order, user)
    logger.info("Purchase order %s created for %s", order.number, supplier)
    return order


def _purchase_line(order, position, line: dict) -> PurchaseOrderLine:
    product = line["product"]
    check_company(order.company, product)
    price = line.get("unit_price")
    return PurchaseOrderLine.objects.create(
        order=order,
        position=position,
        product=product,
        description=line.get("description") or product.name,
        quantity=quantity_of(line["quantity"]),
        unit_price=(
            to_decimal(price)
            if price not in (None, "")
            else _supplier_price(product, order.supplier)
        ),
    )


@transaction.atomic
def add_purchase_order_line(*, order, user, **line) -> PurchaseOrderLine:
    """Add a line to a draft purchase order, priced by the supplier's item."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != PurchaseOrderState.DRAFT:
        raise ValidationError(
            _("Lines are added to draft orders only."), code="not_draft"
        )
    created = _purchase_line(order, order.lines.count() + 1, line)
    audit_create(created, user)
    return created


@transaction.atomic
def mark_purchase_order_sent(*, order, user) -> PurchaseOrder:
    """Mark a draft purchase order sent to the supplier."""
    locked = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if locked.state != PurchaseOrderState.DRAFT:
        return locked
    if not locked.lines.exists():
        raise ValidationError(_("An order needs at least one line."), code="empty")
    before = snapshot(locked)
    locked.state = PurchaseOrderState.SENT
    locked.sent_at = timezone.now()
    locked.save(update_fields=["state", "sent_at"])
    audit_update(locked, user, before)
    return locked


# Purchase suggestions -------------------------------------------------------


@dataclass
class Suggestion:
    """A proposed purchase of one product for one warehouse."""

    rule: ReorderRule
    supplier_item: SupplierItem | None
    available: Decimal
    on_order: Decimal
    daily_use: Decimal
    quantity: Decimal

    @property
    def product(self):
        return self.rule.product

    @property
    def supplier(self):
        return self.supplier_item.supplier if self.supplier_item else None


def _on_order(company) -> dict[tuple[int, int], Decimal]:
    rows = (
        PurchaseOrderLine.objects.filter(
            order__company=company, order__state__in=OPEN_PURCHASE_STATES
        )
        .values("product_id", "order__warehouse_id")
        .annotate(ordered=Sum("quantity"), received=Sum("received_quantity"))
    )
    return {
        (row["product_id"], row["order__warehouse_id"]): row["ordered"]
        - row["received"]
        for row in rows
    }


def _consumption(company, since) -> dict[tuple[int, int], Decimal]:
    rows = (
        StockMove.objects.filter(company=company, kind=MoveKind.ISSUE, date__gte=since)
        .values("product_id", "warehouse_id")
        .annotate(used=Sum("quantity"))
    )
    return {(row["product_id"], row["warehouse_id"]): -row["used"] for row in rows}


def _round_up(quantity: Decimal, multiple: Decimal) -> Decimal:
    if multiple <= 0:
        return quantity.to_integral_value(ROUND_CEILING)
    return Decimal(math.ceil(quantity / multiple)) * multiple


# Safety stock by ABC class, as a share of the use expected during the
# lead time: running out of a class A product costs the most sales.
SAFETY_SHARE = {"A": Decimal("0.5"), "B": Decimal("0.25")}


def purchase_suggestions(
    *, company, today=None, history_days=90, warehouse=None
) -> dict:
    """Return purchase suggestions grouped by supplier (None: no supplier).

    A product is suggested when its position (available plus on order)
    falls to or below the larger of its reorder point, its minimum and the use
    expected during the supplier's lead time, judged from the issues of
    the last `history_days`; class A and B products (ABC analysis) add a
    safety share of that use. The quantity fills the position up to the
    maximum (or that trigger level) plus the lead-time use, rounded up to
    the supplier's minimum order quantity.
    """
    today = today or timezone.localdate()
    rules = ReorderRule.objects.filter(company=company).select_related(
        "product", "warehouse"
    )
    if warehouse is not None:
        rules = rules.filter(warehouse=warehouse)
    stocks = {
        (row.product_id, row.warehouse_id): row.available
        for row in WarehouseStock.objects.filter(company=company)
    }
    on_order = _on_order(company)
    used = _consumption(company, today - datetime.timedelta(days=history_days))

    groups: dict = defaultdict(list)
    for rule in rules.order_by("product__item_number", "warehouse__code"):
        key = (rule.product_id, rule.warehouse_id)
        item = preferred_supplier_item(product=rule.product)
        lead_days = item.lead_time_days if item else 0
        daily = used.get(key, ZERO) / history_days
        lead_use = daily * lead_days
        safety = lead_use * SAFETY_SHARE.get(rule.product.abc_class, ZERO)
        trigger = max(rule.reorder_point, rule.min_quantity, lead_use + safety)
        position = stocks.get(key, ZERO) + on_order.get(key, ZERO)
        if trigger == 0 or position > trigger:
            continue
        target = max(rule.max_quantity, trigger) + lead_use
        quantity = _round_up(
            target - position, item.min_order_quantity if item else Decimal("1")
        )
        groups[item.supplier if item else None].append(
            Suggestion(
                rule=rule,
                supplier_item=item,
                available=stocks.get(key, ZERO),
                on_order=on_order.get(key, ZERO),
                daily_use=round_decimal(daily, 3),
                quantity=quantity,
            )
        )
    return dict(groups)


@transaction.atomic
def order_suggestions(*, company, user, suggestions: Iterable[Suggestion]) -> list:
    """Turn accepted suggestions into one purchase order per supplier."""
    grouped = defaultdict(list)
    for suggestion in suggestions:
        if suggestion.supplier is None:
            raise ValidationError(
                _("%(product)s has no supplier: add a supplier item first.")
                % {"product": suggestion.product},
                code="no_supplier",
            )
        if suggestion.quantity > 0:
            key = (suggestion.supplier.pk, suggestion.rule.warehouse_id)
            grouped[key].append(suggestion)
    orders = []
    for key in sorted(grouped):
        group = grouped[key]
        orders.append(
            create_purchase_order(
                company=company,
                user=user,
                supplier=group[0].supplier,
                warehouse=group[0].rule.warehouse,
                expected_date=timezone.localdate()
                + datetime.timedelta(
                    days=max(s.supplier_item.lead_time_days for s in group)
                ),
                lines=[
                    {
                        "product": s.product,
                        "quantity": s.quantity,
                        "unit_price": s.supplier_item.price,
                    }
                    for s in group
                ],
            )
        )
    return orders


# Goods receipt --------------------------------------------------------------


def fill_backorders_after_receipt(*, company, product_ids, warehouse, user) -> list:
    """Serve the backorders of the products a receipt brought in.

    A failure here leaves the receipt standing; the goods then wait as
    free stock for the distribution screen or the next receipt.
    """
    deliveries = []
    for product in Product.objects.filter(pk__in=product_ids).order_by("pk"):
        try:
            deliveries += fill_backorders(
                company=company, product=product, warehouse=warehouse, user=user
            )
        except DatabaseError:
            logger.exception("Backorders of %s not filled after receipt", product)
    return deliveries


def allocate_landed_costs(
    *, lines: list[dict], amount: Decimal, allocation: str
) -> list[Decimal]:
    """Split `amount` over receipt lines by value, weight or quantity.

    `lines` are dicts with value, weight and quantity. The shares are in
    cents and always sum to `amount` exactly: the rounding rest goes to
    the lines with the largest remainders.
    """
    if allocation == Allocation.VALUE:
        bases = [line["value"] for line in lines]
    elif allocation == Allocation.WEIGHT:
        bases = [line["weight"] for line in lines]
    else:
        bases = [line["quantity"] for line in lines]
    total = sum(bases, ZERO)
    if total <= 0:
        raise ValidationError(
            _("Landed costs cannot be allocated %(how)s: the lines have none.")
            % {"how": Allocation(allocation).label.lower()},
            code="allocation_base",
        )

    exact = [amount * base / total for base in bases]
    shares = [share.quantize(CENT, rounding="ROUND_FLOOR") for share in exact]
    rest = int((amount - sum(shares, ZERO)) / CENT)
    by_remainder = sorted(
        range(len(lines)), key=lambda i: (exact[i] - shares[i], -i), reverse=True
    )
    for index in by_remainder[:rest]:
        shares[index] += CENT
    return shares


def _receipt_lines(order, lines, confirm_over_receipt) -> list[dict]:
    by_id = {
        line.pk: line
        for line in PurchaseOrderLine.objects.select_for_update()
        .filter(order=order)
        .select_related("product")
        .order_by("pk")
    }
    checked = []
    receiving: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        order_line = by_id.get(getattr(line["order_line"], "pk", line["order_line"]))
        if order_line is None:
            raise ValidationError(
                _("The line is not on purchase order %(number)s.")
                % {"number": order.number},
                code="foreign_line",
            )
        quantity = quantity_of(line["quantity"])
        product = order_line.product
        batch_number = (line.get("batch_number") or "").strip()
        if product.batch_tracked and not batch_number:
            raise ValidationError(
                _("%(product)s is batch tracked: give the batch number.")
                % {"product": product},
                code="batch_required",
            )
        receiving[order_line.pk] += quantity
        checked.append(
            {
                "order_line": order_line,
                "quantity": quantity,
                "batch_number": batch_number,
                "expiry_date": line.get("expiry_date"),
                "value": round_decimal(order_line.net_price * quantity, 2),
                "weight": (product.weight_kg or ZERO) * quantity,
            }
        )
    over = [
        by_id[pk]
        for pk, quantity in receiving.items()
        if by_id[pk].received_quantity + quantity > by_id[pk].quantity
    ]
    if over and not confirm_over_receipt:
        raise ValidationError(
            _(
                "More than ordered: %(products)s. Confirm the over-receipt "
                "to receive it anyway."
            )
            % {"products": ", ".join(str(line.product) for line in over)},
            code="over_receipt",
        )
    return checked


@transaction.atomic
def receive_goods(
    *,
    order,
    user,
    lines: Iterable[dict],
    landed_costs: Iterable[dict] = (),
    date=None,
    confirm_over_receipt=False,
) -> GoodsReceipt:
    """Receive goods against a purchase order and post them to stock.

    Each line names the order line, the quantity and, for batch-tracked
    products, the batch number and expiry date. Landed costs (kind,
    amount, allocation) are spread onto the lines and so into the stock
    cost. Receiving more than ordered needs `confirm_over_receipt`.
    Arrived goods are then reserved for waiting backorders.
    """
    locked = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if locked.state not in OPEN_PURCHASE_STATES:
        raise ValidationError(
            _("Purchase order %(number)s is closed.") % {"number": locked.number},
            code="closed",
        )
    checked = _receipt_lines(locked, list(lines), confirm_over_receipt)
    if not checked:
        raise ValidationError(_("Receive at least one line."), code="empty")
    landed_costs = list(landed_costs)
    for cost in landed_costs:
        if cost["kind"] not in LandedCostKind.values:
            raise ValidationError(
                _("%(kind)s is not a kind of landed cost.") % {"kind": cost["kind"]},
                code="landed_cost_kind",
            )
    costs = [
        {
            "kind": cost["kind"],
            "amount": round_decimal(to_decimal(cost["amount"]), 2),
            "allocation": cost.get("allocation") or Allocation.VALUE,
        }
        for cost in landed_costs
    ]
    for line in checked:
        line["landed"] = ZERO
    for cost in costs:
        shares = allocate_landed_costs(
            lines=checked, amount=cost["amount"], allocation=cost["allocation"]
        )
        for line, share in zip(checked, shares, strict=True):
            line["landed"] += share

    date = date or timezone.localdate()
    receipt = GoodsReceipt.objects.create(
        company=locked.company,
        purchase_order=locked,
        date=date,
        currency=locked.currency,
        number=take_number(company=locked.company, series="goods_receipt", date=date),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    LandedCost.objects.bulk_create(LandedCost(receipt=receipt, **c) for c in costs)
    products = stock.lock_products(
        products=[line["order_line"].product for line in checked]
    )
    for line in checked:
        order_line = line["order_line"]
        product = products[order_line.product_id]
        batch = None
        if line["batch_number"]:
            batch = stock.create_batch(
                company=locked.company,
                product=product,
                number=line["batch_number"],
                expiry_date=line["expiry_date"],
                user=user,
            )
        receipt_line = GoodsReceiptLine.objects.create(
            receipt=receipt,
            order_line=order_line,
            quantity=line["quantity"],
            batch=batch,
            purchase_value=line["value"],
            landed_cost=line["landed"],
        )
        stock.post_stock_move(
            company=locked.company,
            product=product,
            warehouse=locked.warehouse,
            quantity=line["quantity"],
            kind=MoveKind.RECEIPT,
            unit_cost=receipt_line.unit_cost,
            batch=batch,
            source=receipt_line,
            date=date,
            reference=receipt.number,
            user=user,
        )
        order_line.received_quantity += line["quantity"]
        order_line.save(update_fields=["received_quantity"])

    before = snapshot(locked)
    complete = not locked.lines.filter(received_quantity__lt=F("quantity")).exists()
    locked.state = (
        PurchaseOrderState.RECEIVED if complete else PurchaseOrderState.PARTLY_RECEIVED
    )
    locked.save(update_fields=["state"])
    audit_create(receipt, user)
    audit_update(locked, user, before)
    logger.info("Goods receipt %s posted for %s", receipt.number, locked.number)

    # Backorders are served in a transaction of their own once the receipt
    # is committed: they lock sales orders, which come before stock rows.
    transaction.on_commit(
        partial(
            fill_backorders_after_receipt,
            company=locked.company,
            product_ids=sorted(products),
            warehouse=locked.warehouse,
            user=user,
        )
    )
    return receipt
