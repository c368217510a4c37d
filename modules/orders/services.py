"""Writes of the sales side: quotations, sales orders and deliveries.

Every function is atomic and keyword-only. Rows are locked in one order:
the sales order, then its lines (ascending id), then whatever
`modules.stock.services` locks (products, warehouse stock, reservations),
so an order service and a stock service never wait on each other in
opposite orders. Stock is reserved for an order line with the line as the
reservation's source; what a line still lacks is its backorder, filled by
`fill_backorders` when stock arrives.
"""

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import record_change, snapshot
from modules.core.models import NumberSeries
from modules.core.money import to_decimal
from modules.core.numbering import next_number
from modules.orders.models import (
    ZERO,
    Delivery,
    DeliveryLine,
    DeliveryState,
    Quotation,
    QuotationLine,
    QuotationState,
    SalesOrder,
    SalesOrderLine,
    SalesOrderState,
)
from modules.products.pricing import price_for
from modules.stock import services as stock
from modules.stock.models import Reservation, ReservationState

logger = logging.getLogger(__name__)

PREFIXES = {
    "quotation": "TAR-",
    "sales_order": "MT-",
    "delivery": "LÄH-",
    "purchase_order": "OT-",
    "goods_receipt": "VO-",
}
OPEN_ORDER_STATES = (SalesOrderState.CONFIRMED, SalesOrderState.PARTLY_DELIVERED)
QUOTATION_TRANSITIONS = {
    QuotationState.DRAFT: {QuotationState.SENT, QuotationState.REJECTED},
    QuotationState.SENT: {QuotationState.ACCEPTED, QuotationState.REJECTED},
    QuotationState.ACCEPTED: {QuotationState.ORDERED, QuotationState.REJECTED},
    QuotationState.REJECTED: set(),
    QuotationState.ORDERED: set(),
}


def take_number(*, company, series: str, date: datetime.date) -> str:
    """Return the next gap-free document number of a series in `company`."""
    NumberSeries.objects.get_or_create(
        company=company,
        code=series,
        year=date.year,
        defaults={"prefix": PREFIXES[series]},
    )
    return next_number(company=company, series=series, year=date.year).text


def quantity_of(value, *, field="quantity") -> Decimal:
    """Return a positive quantity from user input or raise ValidationError."""
    try:
        quantity = to_decimal(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            {field: _("Enter the quantity as a number.")}, code="quantity"
        ) from error
    if quantity <= 0:
        raise ValidationError(
            {field: _("The quantity must be more than zero.")}, code="quantity"
        )
    return quantity


def check_company(company, *objects) -> None:
    """Refuse rows of another company than the document's."""
    for obj in objects:
        if obj is not None and obj.company_id != company.pk:
            raise ValidationError(
                _("%(object)s belongs to another company.") % {"object": obj},
                code="company",
            )


def _priced_line(*, company, customer, date, line: dict) -> dict:
    product = line["product"]
    check_company(company, product)
    quantity = quantity_of(line["quantity"])
    values = {
        "product": product,
        "quantity": quantity,
        "description": line.get("description") or product.name,
        "discount_percent": to_decimal(line.get("discount_percent") or 0),
    }
    if line.get("unit_price") not in (None, ""):
        values["unit_price"] = to_decimal(line["unit_price"])
    else:
        quote = price_for(
            company=company,
            product=product,
            quantity=quantity,
            date=date,
            customer=customer,
        )
        # The price list's discount is already in the quoted unit price.
        values["unit_price"] = quote.unit_price
    return values


def audit_create(instance, user) -> None:
    """Record the creation of `instance` in the audit log."""
    record_change(
        instance=instance, user=user, action="create", after=snapshot(instance)
    )


def audit_update(instance, user, before: dict) -> None:
    """Record the change of `instance` from the `before` snapshot."""
    record_change(
        instance=instance,
        user=user,
        action="update",
        before=before,
        after=snapshot(instance),
    )


# Quotations -----------------------------------------------------------------


@transaction.atomic
def create_quotation(
    *,
    company,
    user,
    customer,
    lines: Iterable[dict] = (),
    contact=None,
    date=None,
    valid_until=None,
    follow_up_date=None,
    notes="",
) -> Quotation:
    """Create a numbered quotation; lines without a price get `price_for`'s."""
    date = date or timezone.localdate()
    check_company(company, customer, contact)

    quotation = Quotation(
        company=company,
        customer=customer,
        contact=contact,
        date=date,
        valid_until=valid_until or date + datetime.timedelta(days=30),
        follow_up_date=follow_up_date,
        notes=notes,
        currency=company.default_currency,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    quotation.full_clean(exclude=["number"])
    quotation.number = take_number(company=company, series="quotation", date=date)
    quotation.save()
    for position, line in enumerate(lines, start=1):
        values = _priced_line(company=company, customer=customer, date=date, line=line)
        QuotationLine.objects.create(quotation=quotation, position=position, **values)

    audit_create(quotation, user)
    logger.info("Quotation %s created for %s", quotation.number, customer)
    return quotation


@transaction.atomic
def add_quotation_line(*, quotation, user, **line) -> QuotationLine:
    """Add a line to a quotation still being prepared, priced for its customer."""
    quotation = Quotation.objects.select_for_update().get(pk=quotation.pk)
    if quotation.state not in (QuotationState.DRAFT, QuotationState.SENT):
        raise ValidationError(
            _("Quotation %(number)s is closed: its lines cannot change.")
            % {"number": quotation.number},
            code="closed",
        )
    values = _priced_line(
        company=quotation.company,
        customer=quotation.customer,
        date=quotation.date,
        line=line,
    )
    position = quotation.lines.count() + 1
    created = QuotationLine.objects.create(
        quotation=quotation, position=position, **values
    )
    audit_create(created, user)
    return created


@transaction.atomic
def transition_quotation(*, quotation, user, state, follow_up_date=None) -> Quotation:
    """Move a quotation to `state` if its current state allows it."""
    locked = Quotation.objects.select_for_update().get(pk=quotation.pk)
    if state not in QUOTATION_TRANSITIONS[locked.state]:
        raise ValidationError(
            _("A quotation in state %(from)s cannot become %(to)s.")
            % {
                "from": QuotationState(locked.state).label,
                "to": QuotationState(state).label,
            },
            code="transition",
        )

    before = snapshot(locked)
    locked.state = state
    if state == QuotationState.SENT:
        locked.sent_at = timezone.now()
    if follow_up_date is not None:
        locked.follow_up_date = follow_up_date
    locked.save()
    audit_update(locked, user, before)
    return locked


@transaction.atomic
def accept_quotation(*, quotation, user, warehouse=None) -> SalesOrder:
    """Turn a quotation the customer accepted into a confirmed sales order.

    The order takes the quotation's lines and prices as they were offered
    and reserves stock at once; the quotation is marked ordered.
    """
    locked = Quotation.objects.select_for_update().get(pk=quotation.pk)
    if locked.state == QuotationState.ORDERED:
        raise ValidationError(
            _("Quotation %(number)s is already an order.") % {"number": locked.number},
            code="ordered",
        )
    if locked.state not in (QuotationState.SENT, QuotationState.ACCEPTED):
        transition_quotation(quotation=locked, user=user, state=QuotationState.SENT)
    if locked.state != QuotationState.ACCEPTED:
        transition_quotation(quotation=locked, user=user, state=QuotationState.ACCEPTED)

    order = create_sales_order(
        company=locked.company,
        user=user,
        customer=locked.customer,
        contact=locked.contact,
        warehouse=warehouse,
        quotation=locked,
        lines=[
            {
                "product": line.product,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "description": line.description,
            }
            for line in locked.lines.select_related("product")
        ],
        confirm=True,
    )
    transition_quotation(quotation=locked, user=user, state=QuotationState.ORDERED)
    return order


# Sales orders ---------------------------------------------------------------


@transaction.atomic
def create_sales_order(
    *,
    company,
    user,
    customer,
    lines: Iterable[dict] = (),
    warehouse=None,
    contact=None,
    quotation=None,
    order_date=None,
    requested_date=None,
    priority=5,
    customer_reference="",
    external_id="",
    notes="",
    delivery=None,
    confirm=False,
) -> SalesOrder:
    """Create a numbered sales order, and confirm it when `confirm` is set.

    An order with an `external_id` the company already has is not taken
    twice: the existing order is returned, so a sending system may retry.
    """
    if external_id:
        existing = SalesOrder.objects.filter(
            company=company, external_id=external_id
        ).first()
        if existing is not None:
            return existing
    order_date = order_date or timezone.localdate()
    warehouse = warehouse or stock.default_warehouse(company)
    if warehouse is None:
        raise ValidationError(
            {"warehouse": _("The company has no warehouse to deliver from.")},
            code="warehouse",
        )
    check_company(company, customer, contact, warehouse)
    lines = list(lines)
    if confirm and not lines:
        raise ValidationError(_("An order needs at least one line."), code="empty")

    delivery = delivery or {}
    order = SalesOrder(
        company=company,
        customer=customer,
        contact=contact,
        quotation=quotation,
        warehouse=warehouse,
        order_date=order_date,
        requested_date=requested_date,
        priority=priority,
        customer_reference=customer_reference,
        external_id=external_id,
        notes=notes,
        currency=company.default_currency,
        delivery_name=delivery.get("name") or customer.name,
        delivery_address=delivery.get("address") or customer.postal_address,
        delivery_postal_code=delivery.get("postal_code") or customer.postal_code,
        delivery_city=delivery.get("city") or customer.city,
        delivery_country=delivery.get("country") or customer.country or "FI",
        created_by=user if user is not None and user.is_authenticated else None,
    )
    order.full_clean(exclude=["number"])
    order.number = take_number(company=company, series="sales_order", date=order_date)
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError as error:
        raise ValidationError(
            {"external_id": _("An order with this external id already exists.")},
            code="duplicate",
        ) from error
    for position, line in enumerate(lines, start=1):
        values = _priced_line(
            company=company, customer=customer, date=order_date, line=line
        )
        SalesOrderLine.objects.create(order=order, position=position, **values)
    audit_create(order, user)
    logger.info("Sales order %s created for %s", order.number, customer)

    if confirm:
        order = confirm_sales_order(order=order, user=user)
    return order


@transaction.atomic
def add_sales_order_line(*, order, user, **line) -> SalesOrderLine:
    """Add a line to a draft order, priced for its customer."""
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != SalesOrderState.DRAFT:
        raise ValidationError(
            _("Lines are added to draft orders only."), code="not_draft"
        )
    values = _priced_line(
        company=order.company,
        customer=order.customer,
        date=order.order_date,
        line=line,
    )
    created = SalesOrderLine.objects.create(
        order=order, position=order.lines.count() + 1, **values
    )
    audit_create(created, user)
    return created


def _line_type() -> ContentType:
    return ContentType.objects.get_for_model(SalesOrderLine)


def active_reservations(line_ids) -> Iterable[Reservation]:
    """Return the active reservations of sales order lines, oldest first."""
    return Reservation.objects.filter(
        source_type=_line_type(),
        source_id__in=list(line_ids),
        state=ReservationState.ACTIVE,
    ).order_by("pk")


def reserved_open(line_ids) -> dict[int, Decimal]:
    """Return the reserved, not yet issued quantity per order line id."""
    rows = (
        active_reservations(line_ids)
        .values("source_id")
        .annotate(
            reserved=Sum("quantity"),
            issued=Sum("issued_quantity"),
            released=Sum("released_quantity"),
        )
    )
    return {
        row["source_id"]: row["reserved"] - row["issued"] - row["released"]
        for row in rows
    }


def _lock_order(order) -> tuple[SalesOrder, list[SalesOrderLine]]:
    locked = SalesOrder.objects.select_for_update().get(pk=order.pk)
    lines = list(
        SalesOrderLine.objects.select_for_update()
        .filter(order=locked)
        .select_related("product")
        .order_by("pk")
    )
    return locked, lines


def _reserve_missing(order, lines, user) -> Decimal:
    """Reserve what each line still lacks, as far as stock allows."""
    have = reserved_open(line.pk for line in lines)
    reserved = ZERO
    for line in lines:
        missing = line.undelivered - have.get(line.pk, ZERO)
        if missing <= 0 or not line.product.is_stocked:
            continue
        reservation = stock.reserve_stock(
            product=line.product,
            warehouse=order.warehouse,
            quantity=missing,
            source=line,
            user=user,
            allow_partial=True,
        )
        if reservation is not None:
            reserved += reservation.quantity
    return reserved


@transaction.atomic
def confirm_sales_order(*, order, user) -> SalesOrder:
    """Confirm a draft order and reserve the stock there is for its lines.

    Lines that cannot be reserved in full keep the rest as a backorder,
    reserved automatically when goods arrive.
    """
    locked, lines = _lock_order(order)
    if locked.state != SalesOrderState.DRAFT:
        raise ValidationError(
            _("Order %(number)s is already confirmed.") % {"number": locked.number},
            code="not_draft",
        )
    if not lines:
        raise ValidationError(_("An order needs at least one line."), code="empty")

    before = snapshot(locked)
    locked.state = SalesOrderState.CONFIRMED
    locked.save(update_fields=["state"])
    _reserve_missing(locked, lines, user)

    audit_update(locked, user, before)
    logger.info("Sales order %s confirmed", locked.number)
    return locked


@transaction.atomic
def cancel_sales_order(*, order, user) -> SalesOrder:
    """Cancel an order that is not delivered and give back its reservations."""
    locked, lines = _lock_order(order)
    if locked.state in (SalesOrderState.DELIVERED, SalesOrderState.CANCELLED):
        raise ValidationError(
            _("Order %(number)s can no longer be cancelled.")
            % {"number": locked.number},
            code="closed",
        )
    if locked.deliveries.exclude(
        state__in=(DeliveryState.SHIPPED, DeliveryState.CANCELLED)
    ).exists():
        raise ValidationError(
            _("Cancel the open deliveries of the order first."), code="open_delivery"
        )

    before = snapshot(locked)
    for reservation in active_reservations(line.pk for line in lines):
        stock.release_reservation(reservation=reservation, user=user)
    locked.state = SalesOrderState.CANCELLED
    locked.save(update_fields=["state"])
    audit_update(locked, user, before)
    return locked


# Deliveries -----------------------------------------------------------------


def _in_open_deliveries(line_ids) -> dict[int, Decimal]:
    rows = (
        DeliveryLine.objects.filter(order_line_id__in=list(line_ids))
        .exclude(delivery__state__in=(DeliveryState.SHIPPED, DeliveryState.CANCELLED))
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["order_line_id"]: row["total"] for row in rows}


@transaction.atomic
def propose_delivery(*, order, user, date=None) -> Delivery | None:
    """Propose a delivery of the order's reserved stock; None if there is none.

    Quantities already in an open delivery of the order are left out.
    """
    locked, lines = _lock_order(order)
    if locked.state not in OPEN_ORDER_STATES:
        raise ValidationError(
            _("Only confirmed orders are delivered."), code="not_confirmed"
        )
    ids = [line.pk for line in lines]
    reserved = reserved_open(ids)
    pending = _in_open_deliveries(ids)
    wanted = {
        line: reserved.get(line.pk, ZERO) - pending.get(line.pk, ZERO) for line in lines
    }
    wanted = {line: quantity for line, quantity in wanted.items() if quantity > 0}
    if not wanted:
        return None

    date = date or timezone.localdate()
    delivery = Delivery.objects.create(
        company=locked.company,
        order=locked,
        date=date,
        currency=locked.currency,
        number=take_number(company=locked.company, series="delivery", date=date),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    DeliveryLine.objects.bulk_create(
        DeliveryLine(delivery=delivery, order_line=line, quantity=quantity)
        for line, quantity in wanted.items()
    )
    audit_create(delivery, user)
    logger.info("Delivery %s proposed for %s", delivery.number, locked.number)
    return delivery


def _lock_delivery(delivery, *states) -> Delivery:
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if states and locked.state not in states:
        raise ValidationError(
            _("Delivery %(number)s is %(state)s: this step is not possible now.")
            % {"number": locked.number, "state": locked.get_state_display()},
            code="delivery_state",
        )
    return locked


@transaction.atomic
def record_pick(*, line, quantity, user) -> DeliveryLine:
    """Record `quantity` picked for a delivery line; never more than asked."""
    delivery = _lock_delivery(
        line.delivery, DeliveryState.PROPOSED, DeliveryState.PICKING
    )
    locked = DeliveryLine.objects.select_for_update().get(pk=line.pk)
    quantity = quantity_of(quantity)
    if locked.picked_quantity + quantity > locked.quantity:
        raise ValidationError(
            _("Over-picking: %(product)s needs %(left)s more, you picked %(picked)s.")
            % {
                "product": locked.order_line.product,
                "left": f"{(locked.quantity - locked.picked_quantity).normalize():f}",
                "picked": f"{quantity.normalize():f}",
            },
            code="over_pick",
        )

    locked.picked_quantity += quantity
    locked.save(update_fields=["picked_quantity"])
    if delivery.state == DeliveryState.PROPOSED:
        delivery.state = DeliveryState.PICKING
        delivery.save(update_fields=["state"])
    return locked


@transaction.atomic
def pick_delivery_in_full(*, delivery, user) -> Delivery:
    """Mark every line of a delivery picked as proposed (picking on paper)."""
    for line in delivery.lines.all():
        left = line.quantity - line.picked_quantity
        if left > 0:
            record_pick(line=line, quantity=left, user=user)
    return Delivery.objects.get(pk=delivery.pk)


@transaction.atomic
def pack_delivery(*, delivery, user, packages, gross_weight_kg) -> Delivery:
    """Record the packages and weight of a picked delivery."""
    locked = _lock_delivery(delivery, DeliveryState.PICKING, DeliveryState.PACKED)
    if not locked.lines.filter(picked_quantity__gt=0).exists():
        raise ValidationError(_("Nothing is picked yet."), code="nothing_picked")
    packages = int(packages)
    if packages <= 0:
        raise ValidationError(
            {"packages": _("A delivery has at least one package.")}, code="packages"
        )

    before = snapshot(locked)
    locked.packages = packages
    locked.gross_weight_kg = to_decimal(gross_weight_kg)
    locked.state = DeliveryState.PACKED
    locked.save()
    audit_update(locked, user, before)
    return locked


def _issue_line(line, quantity, user, delivery) -> None:
    """Issue `quantity` of a line's reservations, oldest reservation first.

    The moves carry the line's net sales price, so ABC analysis by sales
    value and margin sees what the customer paid, not the cost.
    """
    left = quantity
    for reservation in active_reservations([line.order_line_id]):
        if left <= 0:
            break
        take = min(reservation.open_quantity, left)
        stock.issue_reserved(
            reservation=reservation,
            quantity=take,
            user=user,
            source=line,
            reference=delivery.number,
            unit_price=line.order_line.net_price,
        )
        left -= take
    if left > 0:
        raise ValidationError(
            _("%(product)s: only part of the picked quantity is reserved.")
            % {"product": line.order_line.product},
            code="not_reserved",
        )


@transaction.atomic
def ship_delivery(*, delivery, user, carrier="", tracking_number="") -> Delivery:
    """Ship what was picked: issue the reserved stock and update the order.

    What was proposed but not picked stays reserved on the order for the
    next delivery; what the order still lacks stays a backorder.
    """
    order, order_lines = _lock_order(delivery.order)
    locked = _lock_delivery(delivery, DeliveryState.PICKING, DeliveryState.PACKED)
    lines = list(locked.lines.select_related("order_line__product").order_by("pk"))
    if not any(line.picked_quantity > 0 for line in lines):
        raise ValidationError(_("Nothing is picked yet."), code="nothing_picked")
    stock.lock_products(products=[line.order_line.product for line in lines])

    before = snapshot(locked)
    by_id = {line.pk: line for line in order_lines}
    for line in lines:
        if line.picked_quantity <= 0:
            continue
        _issue_line(line, line.picked_quantity, user, locked)
        order_line = by_id[line.order_line_id]
        order_line.delivered_quantity += line.picked_quantity
        order_line.save(update_fields=["delivered_quantity"])
        line.quantity = line.picked_quantity
        line.save(update_fields=["quantity"])
    locked.state = DeliveryState.SHIPPED
    locked.shipped_at = timezone.now()
    locked.carrier = carrier or locked.carrier
    locked.tracking_number = tracking_number or locked.tracking_number
    locked.save()
    complete = all(line.undelivered == 0 for line in order_lines)
    order.state = (
        SalesOrderState.DELIVERED if complete else SalesOrderState.PARTLY_DELIVERED
    )
    order.save(update_fields=["state"])

    audit_update(locked, user, before)
    logger.info("Delivery %s shipped", locked.number)
    return locked


@transaction.atomic
def set_tracking_number(*, delivery, user, tracking_number, carrier="") -> Delivery:
    """Record the carrier's tracking number of a delivery."""
    locked = _lock_delivery(delivery)
    before = snapshot(locked)
    locked.tracking_number = tracking_number.strip()
    if carrier:
        locked.carrier = carrier
    locked.full_clean()
    locked.save()
    audit_update(locked, user, before)
    return locked


# Backorders and distribution ------------------------------------------------


def backorder_lines(*, company, product, warehouse) -> list[SalesOrderLine]:
    """Return open order lines of `product` that lack reserved stock.

    Each line gets a `backorder` attribute: the quantity neither delivered
    nor reserved. Oldest orders come first.
    """
    lines = list(
        SalesOrderLine.objects.filter(
            order__company=company,
            order__warehouse=warehouse,
            order__state__in=OPEN_ORDER_STATES,
            product=product,
        )
        .select_related("order", "order__customer", "product")
        .order_by("order__order_date", "order__pk", "pk")
    )
    reserved = reserved_open(line.pk for line in lines)
    result = []
    for line in lines:
        line.backorder = line.undelivered - reserved.get(line.pk, ZERO)
        if line.backorder > 0:
            result.append(line)
    return result


@transaction.atomic
def fill_backorders(*, company, product, warehouse, user) -> list[Delivery]:
    """Reserve newly arrived stock for backorders and propose deliveries.

    Run after goods are received. Orders are served by priority, then
    order date, as far as the available stock goes. The waiting orders
    are locked before any stock, the order every order service keeps.
    """
    waiting = backorder_lines(company=company, product=product, warehouse=warehouse)
    order_ids = sorted({line.order_id for line in waiting})
    list(SalesOrder.objects.select_for_update().filter(pk__in=order_ids).order_by("pk"))
    waiting = sorted(
        backorder_lines(company=company, product=product, warehouse=warehouse),
        key=lambda line: (line.order.priority, line.order.order_date, line.order.pk),
    )

    orders = []
    for line in waiting:
        reservation = stock.reserve_stock(
            product=product,
            warehouse=warehouse,
            quantity=line.backorder,
            source=line,
            user=user,
            allow_partial=True,
        )
        if reservation is None:
            break
        if line.order not in orders:
            orders.append(line.order)
    deliveries = [propose_delivery(order=order, user=user) for order in orders]
    logger.info("Backorders of %s filled on %s orders", product, len(orders))
    return [delivery for delivery in deliveries if delivery is not None]


@transaction.atomic
def apply_distribution(*, company, user, allocations: dict) -> int:
    """Reserve stock for order lines as the user accepted or adjusted it.

    `allocations` maps order lines to quantities. Each line gets at most
    its backorder; a shortage raises and reserves nothing.
    """
    lines = sorted(allocations, key=lambda line: line.pk)
    reserved = 0
    for line in lines:
        quantity = to_decimal(allocations[line] or 0)
        if quantity <= 0:
            continue
        check_company(company, line.order)
        fresh = backorder_lines(
            company=company, product=line.product, warehouse=line.order.warehouse
        )
        backorder = next((row.backorder for row in fresh if row.pk == line.pk), ZERO)
        if quantity > backorder:
            raise ValidationError(
                _("Order %(number)s lacks only %(backorder)s of %(product)s.")
                % {
                    "number": line.order.number,
                    "backorder": f"{backorder.normalize():f}",
                    "product": line.product,
                },
                code="over_allocation",
            )
        stock.reserve_stock(
            product=line.product,
            warehouse=line.order.warehouse,
            quantity=quantity,
            source=line,
            user=user,
        )
        reserved += 1
    return reserved
