"""Matching purchase invoices to purchase orders and goods receipts.

An invoice that quotes an order number (Finvoice `OrderIdentifier`, the
Peppol `OrderReference`) is linked to that purchase order on receipt; a
clerk may link another one. Each invoice line is then paired with an order
line (by the buyer's or supplier's article code, the EAN, or the product
name) and checked against what was received and not yet invoiced, and
against the order price, within the company's tolerances.

What an invoice line bills is recorded as `ReceiptMatch` rows on the goods
receipt lines. Matching locks those receipt lines first, so two invoices
matched at the same moment cannot both bill the same received goods; what
one invoice leaves over stays open for the next.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from modules.core.audit import record_change
from modules.orders.models import GoodsReceiptLine, PurchaseOrder, PurchaseOrderLine
from modules.products.models import SupplierItem

from .models import (
    InvoiceLine,
    InvoiceState,
    MatchStatus,
    PurchaseInvoice,
    PurchaseSettings,
    ReceiptMatch,
)

logger = logging.getLogger(__name__)

ZERO = Decimal("0")
MATCHABLE_ORDER_STATES = ("sent", "partly_received", "received")


def tolerances(company) -> PurchaseSettings:
    """Return the company's purchase settings (unsaved defaults if none)."""
    found = PurchaseSettings.objects.filter(company=company).first()
    return found or PurchaseSettings(company=company)


def orders_numbered(*, company, reference: str) -> list[PurchaseOrder]:
    """Return the company's live purchase orders numbered `reference`."""
    reference = (reference or "").strip()
    if not reference:
        return []
    return list(
        PurchaseOrder.objects.filter(company=company, number=reference).exclude(
            state="cancelled"
        )
    )


def open_orders(*, invoice):
    """Purchase orders the clerk may link the invoice to: the supplier's
    orders that have goods received."""
    orders = PurchaseOrder.objects.filter(
        company_id=invoice.company_id, state__in=MATCHABLE_ORDER_STATES
    )
    if invoice.supplier_id:
        orders = orders.filter(supplier_id=invoice.supplier_id)
    return orders.order_by("-order_date", "-pk")


def _order_line_keys(order, order_lines) -> dict[str, list[PurchaseOrderLine]]:
    keys: dict[str, list[PurchaseOrderLine]] = defaultdict(list)
    supplier_codes = dict(
        SupplierItem.objects.filter(
            supplier_id=order.supplier_id,
            product_id__in=[line.product_id for line in order_lines],
        ).values_list("product_id", "supplier_item_number")
    )
    for line in order_lines:
        product = line.product
        for key in (
            product.item_number,
            product.ean,
            supplier_codes.get(product.pk, ""),
            product.name,
            line.description,
        ):
            if key:
                keys[key.strip().casefold()].append(line)
    return keys


def _order_line_for(line, keys, available) -> PurchaseOrderLine | None:
    for key in (line.article_code, line.description):
        candidates = keys.get((key or "").strip().casefold())
        if candidates:
            # Several order lines of one product: the first with goods left.
            with_goods = [c for c in candidates if available[c.pk] > ZERO]
            return (with_goods or candidates)[0]
    return None


def _invoiced_price(line) -> Decimal | None:
    if line.unit_price is not None:
        return line.unit_price
    if line.quantity:
        return line.net_amount / line.quantity
    return None


def _check_line(line, order_line, available: Decimal, settings) -> list[str]:
    """Return the statuses and notes of one paired invoice line."""
    problems = []
    quantity = line.quantity or ZERO
    allowed = available * (1 + settings.quantity_tolerance_percent / 100)
    if quantity > allowed:
        problems.append(
            (
                MatchStatus.QUANTITY,
                _("Invoiced %(invoiced)s, received and not yet invoiced %(open)s.")
                % {"invoiced": f"{quantity:f}", "open": f"{available.normalize():f}"},
            )
        )
    price = _invoiced_price(line)
    ordered = order_line.net_price
    if price is not None:
        difference = abs(price - ordered) * quantity
        allowed = max(
            ordered * quantity * settings.price_tolerance_percent / 100,
            settings.price_tolerance_amount,
        )
        if difference > allowed:
            problems.append(
                (
                    MatchStatus.PRICE,
                    _("Invoiced price %(invoiced)s, ordered %(ordered)s.")
                    % {
                        "invoiced": f"{price.normalize():f}",
                        "ordered": f"{ordered.normalize():f}",
                    },
                )
            )
    return problems


def _lock_receipt_lines(order, invoice) -> tuple[list, dict[int, Decimal]]:
    """Lock the order's receipt lines and return them with what is left
    of each after the other live invoices took theirs."""
    receipt_lines = list(
        GoodsReceiptLine.objects.select_for_update(of=("self",))
        .filter(receipt__purchase_order=order)
        .order_by("pk")
    )
    taken = dict(
        ReceiptMatch.objects.filter(receipt_line__in=receipt_lines)
        .exclude(invoice_line__invoice=invoice)
        .exclude(invoice_line__invoice__state=InvoiceState.REJECTED)
        .values("receipt_line")
        .annotate(taken=Sum("quantity"))
        .values_list("receipt_line", "taken")
    )
    left = {
        rl.pk: max(rl.quantity - taken.get(rl.pk, ZERO), ZERO) for rl in receipt_lines
    }
    return receipt_lines, left


@transaction.atomic
def match_to_order(*, invoice, order, user=None) -> list[InvoiceLine]:
    """Link `invoice` to `order` and check every line against the order's
    goods receipts; return the lines with their match status."""
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    if order.company_id != invoice.company_id:
        raise ValidationError(
            {"purchase_order": _("The order belongs to another company.")}
        )
    settings = tolerances(invoice.company)
    lines = list(invoice.lines.order_by("pk"))
    ReceiptMatch.objects.filter(invoice_line__in=lines).delete()
    receipt_lines, left = _lock_receipt_lines(order, invoice)
    by_order_line = defaultdict(list)
    for receipt_line in receipt_lines:
        by_order_line[receipt_line.order_line_id].append(receipt_line)
    order_lines = list(order.lines.select_related("product").order_by("pk"))
    available = defaultdict(
        lambda: ZERO,
        {
            ol.pk: sum((left[rl.pk] for rl in by_order_line[ol.pk]), ZERO)
            for ol in order_lines
        },
    )
    keys = _order_line_keys(order, order_lines)

    matches = []
    for line in lines:
        order_line = _order_line_for(line, keys, available)
        line.order_line = order_line
        if order_line is None:
            line.match_status = MatchStatus.NOT_ON_ORDER
            line.match_note = _("No line of order %(order)s fits.") % {"order": order}
            continue
        problems = _check_line(line, order_line, available[order_line.pk], settings)
        line.match_status = problems[0][0] if problems else MatchStatus.MATCHED
        line.match_note = " ".join(note for _status, note in problems)[:200]
        wanted = min(line.quantity or ZERO, available[order_line.pk])
        available[order_line.pk] -= wanted
        for receipt_line in by_order_line[order_line.pk]:
            take = min(wanted, left[receipt_line.pk])
            if take > ZERO:
                matches.append(
                    ReceiptMatch(
                        invoice_line=line, receipt_line=receipt_line, quantity=take
                    )
                )
                left[receipt_line.pk] -= take
                wanted -= take

    InvoiceLine.objects.bulk_update(lines, ["order_line", "match_status", "match_note"])
    ReceiptMatch.objects.bulk_create(matches)
    if invoice.purchase_order_id != order.pk:
        invoice.purchase_order = order
        invoice.save(update_fields=["purchase_order"])
    record_change(
        instance=invoice,
        user=user,
        action="match",
        after={
            "purchase_order": str(order),
            "lines": {line.pk: line.match_status for line in lines},
        },
    )
    logger.info(
        "Purchase invoice %s matched to order %s: %s",
        invoice.pk,
        order.pk,
        [line.match_status for line in lines],
    )
    return lines


def is_fully_matched(invoice) -> bool:
    """Return whether the invoice has lines and every one matches its order."""
    if invoice.purchase_order_id is None:
        return False
    statuses = list(invoice.lines.values_list("match_status", flat=True))
    return bool(statuses) and all(s == MatchStatus.MATCHED for s in statuses)


def remaining_to_invoice(*, order) -> dict[int, Decimal]:
    """Return, per order line, what was received and is not yet invoiced."""
    received = dict(
        GoodsReceiptLine.objects.filter(receipt__purchase_order=order)
        .values("order_line")
        .annotate(total=Sum("quantity"))
        .values_list("order_line", "total")
    )
    invoiced = dict(
        ReceiptMatch.objects.filter(receipt_line__receipt__purchase_order=order)
        .exclude(invoice_line__invoice__state=InvoiceState.REJECTED)
        .values("receipt_line__order_line")
        .annotate(total=Sum("quantity"))
        .values_list("receipt_line__order_line", "total")
    )
    return {pk: quantity - invoiced.get(pk, ZERO) for pk, quantity in received.items()}
