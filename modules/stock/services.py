"""Writes to stock: moves, transfers and reservations.

Every function here is atomic and locks rows in one fixed order:

1. the products (`FOR NO KEY UPDATE`, ascending id), only where a
   product row changes (a receipt's average cost) or a transaction moves
   several products,
2. their `WarehouseStock` rows (ascending product, warehouse),
3. the `StockLevel` rows of that warehouse,
4. reservations.

A move takes the lock of a balance row with the statement that changes it
(an upsert), so a hot product's rows are held only for the few statements
to the commit. A caller that posts moves of several products in one
transaction first calls `lock_products` with all of them, so two such
callers cannot wait on each other. Quantities are Decimals in the
product's base unit.

The stock ledger itself is the audit trail of quantities: each move says
who made it, when and for which document, and cannot be changed. Changes
of reservations go to the audit log.
"""

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import record_change, snapshot
from modules.core.money import round_decimal, to_decimal
from modules.products.models import Product
from modules.stock.models import (
    Batch,
    Location,
    MoveKind,
    Reservation,
    ReservationState,
    StockLevel,
    StockMove,
    Warehouse,
    WarehouseStock,
)
from modules.stock.submissions import submit_once

logger = logging.getLogger(__name__)

COST_PLACES = 6
ZERO = Decimal("0")


class InsufficientStock(ValidationError):
    """A move or reservation asks for more than there is."""


def clean_quantity(value, product) -> Decimal:
    """Return `value` as a Decimal quantity the product's unit can hold."""
    try:
        quantity = to_decimal(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("%(value)s is not a quantity.") % {"value": value}, code="quantity"
        ) from error
    places = product.unit.decimal_places
    if quantity != round_decimal(quantity, places):
        raise ValidationError(
            _("%(product)s is counted in %(unit)s with %(places)s decimals.")
            % {"product": product, "unit": product.unit, "places": places},
            code="quantity_places",
        )
    return quantity


def _source_fields(source) -> dict:
    if source is None:
        return {"source_type": None, "source_id": None}
    return {
        "source_type": ContentType.objects.get_for_model(type(source)),
        "source_id": source.pk,
    }


def lock_products(*, products) -> dict[int, Product]:
    """Lock the given products in id order and return them by id.

    A transaction that moves several products calls this first, so two
    such transactions take their balance rows in the same product order.
    Only the product rows are locked, not their shared unit.
    """
    ids = sorted({getattr(product, "pk", product) for product in products})
    locked = (
        Product.objects.select_for_update(no_key=True, of=("self",))
        .select_related("unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    return {product.pk: product for product in locked}


def _load_product(product, *, lock=False) -> Product:
    """Return the product as it is now; `lock` it for a new average cost.

    Only receipts lock the product, because they change its average cost;
    issues and transfers lock nothing but their balance rows.
    """
    if lock:
        return lock_products(products=[product])[product.pk]
    return Product.objects.select_related("unit").get(pk=product.pk)


def _lock_balance(model, product, **place):
    """Return the locked balance row of `product` at `place`, made if new.

    The common case (the row exists) costs one query; a new row is inserted
    with ON CONFLICT DO NOTHING, so two writers creating it at once both
    end up locking the one row.
    """
    rows = model.objects.select_for_update().filter(product=product, **place).order_by()
    row = rows.first()
    if row is None:
        model.objects.bulk_create(
            [model(company_id=product.company_id, product=product, **place)],
            ignore_conflicts=True,
        )
        row = rows.get()
    return row


def lock_warehouse_stock(product, warehouse) -> WarehouseStock:
    """Return the locked balance of a product in a warehouse, made if new."""
    return _lock_balance(WarehouseStock, product, warehouse=warehouse)


def lock_stock_level(product, warehouse, location, batch) -> StockLevel:
    """Return the locked balance of a product in one place, made if new."""
    return _lock_balance(
        StockLevel, product, warehouse=warehouse, location=location, batch=batch
    )


# One statement per balance row: the upsert creates the row when new, takes
# its lock and adds the quantity at once, and returns the new on-hand. The
# row stays locked only from here to the commit.
_ADD_TO_WAREHOUSE_STOCK = """
    INSERT INTO stock_warehousestock AS row
        (company_id, product_id, warehouse_id, on_hand, reserved)
    VALUES (%s, %s, %s, %s, 0)
    ON CONFLICT (product_id, warehouse_id)
    DO UPDATE SET on_hand = row.on_hand + EXCLUDED.on_hand
    RETURNING row.on_hand
"""
_ADD_TO_STOCK_LEVEL = """
    INSERT INTO stock_stocklevel AS row
        (company_id, product_id, warehouse_id, location_id, batch_id, on_hand)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (product_id, warehouse_id, location_id, batch_id)
    DO UPDATE SET on_hand = row.on_hand + EXCLUDED.on_hand
    RETURNING row.on_hand
"""
# The moving average of a receipt, computed where the on-hand is. The
# product row is locked by then, so no other receipt moves the average.
_NEW_AVERAGE_COST = """
    UPDATE products_product AS product
    SET average_cost = CASE
        WHEN held.base + %(quantity)s <= 0 THEN %(cost)s
        ELSE round(
            (held.base * product.average_cost + %(quantity)s * %(cost)s)
            / (held.base + %(quantity)s),
            %(places)s
        )
    END
    FROM (
        SELECT GREATEST(COALESCE(sum(on_hand), 0), 0) AS base
        FROM stock_warehousestock WHERE product_id = %(product)s
    ) AS held
    WHERE product.id = %(product)s
    RETURNING product.average_cost
"""


def _fetch_value(sql, params) -> Decimal:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def check_place(*, company, product, warehouse, location, batch) -> None:
    """Refuse a place or batch that does not fit the product and company."""
    if product.company_id != company.pk or warehouse.company_id != company.pk:
        raise ValidationError(
            _("The product and the warehouse must belong to the company."),
            code="company",
        )
    if not product.is_stocked:
        raise ValidationError(
            _("%(product)s is not a stocked item.") % {"product": product},
            code="not_stocked",
        )
    if location is not None and location.warehouse_id != warehouse.pk:
        raise ValidationError(
            _("Location %(location)s is not in warehouse %(warehouse)s.")
            % {"location": location.code, "warehouse": warehouse.code},
            code="location_warehouse",
        )
    if product.batch_tracked and batch is None:
        raise ValidationError(
            _("%(product)s is batch tracked: give the batch number.")
            % {"product": product},
            code="batch_required",
        )
    if not product.batch_tracked and batch is not None:
        raise ValidationError(
            _("%(product)s is not batch tracked: leave the batch out.")
            % {"product": product},
            code="batch_not_tracked",
        )
    if batch is not None and batch.product_id != product.pk:
        raise ValidationError(
            _("Batch %(batch)s is of another product.") % {"batch": batch.number},
            code="batch_product",
        )


def _check_kind_sign(kind, quantity) -> None:
    if kind not in MoveKind.values:
        raise ValidationError(
            _("%(kind)s is not a kind of stock move.") % {"kind": kind}, code="kind"
        )
    if quantity == 0:
        raise ValidationError(_("The quantity cannot be zero."), code="zero")
    if kind == MoveKind.RECEIPT and quantity < 0:
        raise ValidationError(
            _("A receipt adds stock: give a positive quantity."), code="sign"
        )
    if kind == MoveKind.ISSUE and quantity > 0:
        raise ValidationError(
            _("An issue takes stock: give a negative quantity."), code="sign"
        )


def _place_name(warehouse, location, batch) -> str:
    name = warehouse.code
    if location is not None:
        name += f"/{location.code}"
    if batch is not None:
        name += " " + _("batch %(batch)s") % {"batch": batch.number}
    return name


def _refuse_negative(product, warehouse, location, batch, have, quantity) -> None:
    raise InsufficientStock(
        _(
            "Not enough %(product)s in %(place)s: %(on_hand)s on hand, "
            "%(quantity)s asked."
        )
        % {
            "product": product,
            "place": _place_name(warehouse, location, batch),
            "on_hand": f"{have.normalize():f}",
            "quantity": f"{abs(quantity).normalize():f}",
        },
        code="insufficient_stock",
    )


def write_move(
    *,
    product,
    warehouse,
    quantity,
    location,
    batch,
    unit_cost,
    kind,
    source,
    user,
    date,
    reference="",
    transfer_id=None,
    unit_price=None,
) -> StockMove:
    """Write one move and update its balances: three to four statements.

    A receipt's product must be locked by the caller (its average cost
    changes); other moves lock only the balance rows they change,
    warehouse before place. A move that would take a place below zero is
    refused after the update, and the caller's transaction undoes it.
    """
    # Moving average: only receipts bring a cost of their own; every other
    # move, in or out, is valued at the average.
    if unit_cost is None or kind != MoveKind.RECEIPT:
        unit_cost = product.average_cost
    unit_cost = round_decimal(unit_cost, COST_PLACES)
    if unit_cost < 0:
        raise ValidationError(_("The unit cost cannot be negative."), code="cost")

    if kind == MoveKind.RECEIPT:
        product.average_cost = _fetch_value(
            _NEW_AVERAGE_COST,
            {
                "quantity": quantity,
                "cost": unit_cost,
                "places": COST_PLACES,
                "product": product.pk,
            },
        )
    _fetch_value(
        _ADD_TO_WAREHOUSE_STOCK,
        [product.company_id, product.pk, warehouse.pk, quantity],
    )
    on_hand = _fetch_value(
        _ADD_TO_STOCK_LEVEL,
        [
            product.company_id,
            product.pk,
            warehouse.pk,
            getattr(location, "pk", None),
            getattr(batch, "pk", None),
            quantity,
        ],
    )
    if quantity < 0 and on_hand < 0 and not product.allow_negative_stock:
        _refuse_negative(
            product, warehouse, location, batch, on_hand - quantity, quantity
        )
    return StockMove.objects.create(
        company_id=product.company_id,
        product=product,
        warehouse=warehouse,
        location=location,
        batch=batch,
        kind=kind,
        quantity=quantity,
        unit_cost=unit_cost,
        unit_price=unit_price,
        date=date or timezone.localdate(),
        transfer_id=transfer_id,
        reference=reference[:200],
        created_by=user if user is not None and user.is_authenticated else None,
        **_source_fields(source),
    )


def post_values(moves, user) -> None:
    """Post the value of moves to the ledger when the company wants it."""
    from modules.stock import valuation

    valuation.post_move_values(moves=moves, user=user)


@transaction.atomic
def post_stock_move(
    *,
    company,
    product,
    warehouse,
    quantity,
    kind,
    user,
    location=None,
    batch=None,
    unit_cost=None,
    source=None,
    date=None,
    reference="",
) -> StockMove:
    """Post one stock move and update on-hand in the same transaction.

    `quantity` is signed: receipts are positive, issues negative,
    adjustments and count differences either. `unit_cost` is the purchase
    cost of a receipt (it moves the product's average cost); all other
    moves are valued at the average cost. Stock may not go negative at the
    warehouse, location and batch unless the product allows it, and a
    batch-tracked product needs a batch.
    """
    product = _load_product(product, lock=kind == MoveKind.RECEIPT)
    quantity = clean_quantity(quantity, product)
    _check_kind_sign(kind, quantity)
    check_place(
        company=company,
        product=product,
        warehouse=warehouse,
        location=location,
        batch=batch,
    )

    move = write_move(
        product=product,
        warehouse=warehouse,
        quantity=quantity,
        location=location,
        batch=batch,
        unit_cost=unit_cost,
        kind=kind,
        source=source,
        user=user,
        date=date,
        reference=reference,
    )
    post_values([move], user)
    logger.info("Stock move %s: %s %s", move.pk, kind, product.item_number)
    return move


@transaction.atomic
def transfer_stock(
    *,
    company,
    product,
    from_warehouse,
    to_warehouse,
    quantity,
    user,
    from_location=None,
    to_location=None,
    batch=None,
    source=None,
    date=None,
    reference="",
) -> tuple[StockMove, StockMove]:
    """Move stock between warehouses or locations; return (out, in) moves.

    Both moves carry the same `transfer_id` and the average cost, so the
    stock value does not change.
    """
    product = _load_product(product)
    quantity = clean_quantity(quantity, product)
    if quantity <= 0:
        raise ValidationError(
            _("Transfer a positive quantity."), code="transfer_quantity"
        )
    if from_warehouse.pk == to_warehouse.pk and from_location == to_location:
        raise ValidationError(
            _("The stock is already there: choose another place."),
            code="same_place",
        )
    for warehouse, location in (
        (from_warehouse, from_location),
        (to_warehouse, to_location),
    ):
        check_place(
            company=company,
            product=product,
            warehouse=warehouse,
            location=location,
            batch=batch,
        )

    transfer_id = uuid.uuid4()
    legs = sorted(
        [
            (from_warehouse, from_location, -quantity),
            (to_warehouse, to_location, quantity),
        ],
        key=lambda leg: leg[0].pk,
    )
    moves = {}
    # Legs in warehouse id order: every writer takes balance rows in the
    # same order, so two transfers in opposite directions cannot deadlock.
    for warehouse, location, signed in legs:
        moves[signed > 0] = write_move(
            product=product,
            warehouse=warehouse,
            quantity=signed,
            location=location,
            batch=batch,
            unit_cost=None,
            kind=MoveKind.TRANSFER,
            source=source,
            user=user,
            date=date,
            reference=reference,
            transfer_id=transfer_id,
        )
    logger.info("Transfer %s of %s", transfer_id, product.item_number)
    return moves[False], moves[True]


@dataclass(frozen=True)
class Pick:
    """Where part of an issue is taken from."""

    location: Location | None
    batch: Batch | None
    quantity: Decimal


def _allocate(product, warehouse, quantity) -> list[Pick]:
    """Split `quantity` over the places that hold stock, oldest expiry first."""
    levels = (
        StockLevel.objects.filter(product=product, warehouse=warehouse, on_hand__gt=0)
        .select_related("location", "batch")
        .order_by("batch__expiry_date", "batch__number", "location__code", "pk")
    )
    picks, left = [], quantity
    for level in levels:
        if left <= 0:
            break
        take = min(level.on_hand, left)
        picks.append(Pick(level.location, level.batch, take))
        left -= take
    if left > 0:
        if product.allow_negative_stock and not product.batch_tracked:
            picks.append(Pick(None, None, left))
        else:
            have = quantity - left
            _refuse_negative(product, warehouse, None, None, have, -quantity)
    return picks


def _issue(
    *,
    company,
    product,
    warehouse,
    quantity,
    user,
    source,
    date,
    reference,
    location,
    batch,
    unit_price,
) -> list[StockMove]:
    if location is None and batch is None:
        picks = _allocate(product, warehouse, quantity)
    else:
        picks = [Pick(location, batch, quantity)]
    moves = []
    for pick in picks:
        check_place(
            company=company,
            product=product,
            warehouse=warehouse,
            location=pick.location,
            batch=pick.batch,
        )
        moves.append(
            write_move(
                product=product,
                warehouse=warehouse,
                quantity=-pick.quantity,
                location=pick.location,
                batch=pick.batch,
                unit_cost=None,
                kind=MoveKind.ISSUE,
                source=source,
                user=user,
                date=date,
                reference=reference,
                unit_price=unit_price,
            )
        )
    return moves


@transaction.atomic
def issue_stock(
    *,
    company,
    product,
    warehouse,
    quantity,
    user,
    location=None,
    batch=None,
    source=None,
    date=None,
    reference="",
    unit_price=None,
) -> list[StockMove]:
    """Issue a positive `quantity` of unreserved stock; return the moves.

    Without a location and batch the stock is taken from the places that
    hold it, earliest expiry first, which may give several moves.
    `unit_price` is the sales price without VAT, kept for ABC analysis.
    """
    product = _load_product(product)
    quantity = clean_quantity(quantity, product)
    if quantity <= 0:
        raise ValidationError(_("Issue a positive quantity."), code="issue_quantity")
    if product.company_id != company.pk:
        raise ValidationError(
            _("The product and the warehouse must belong to the company."),
            code="company",
        )

    moves = _issue(
        company=company,
        product=product,
        warehouse=warehouse,
        quantity=quantity,
        user=user,
        source=source,
        date=date,
        reference=reference,
        location=location,
        batch=batch,
        unit_price=unit_price,
    )
    post_values(moves, user)
    return moves


@transaction.atomic
def reserve_stock(
    *, product, warehouse, quantity, source, user, allow_partial=False
) -> Reservation | None:
    """Reserve available stock of a warehouse for `source` (an order line).

    Never reserves more than is available (on hand less reserved). With
    `allow_partial` it reserves what there is and returns None when
    nothing is available; otherwise a shortage raises InsufficientStock.
    """
    product = Product.objects.select_related("unit").get(pk=product.pk)
    quantity = clean_quantity(quantity, product)
    if quantity <= 0:
        raise ValidationError(
            _("Reserve a positive quantity."), code="reserve_quantity"
        )
    if warehouse.company_id != product.company_id:
        raise ValidationError(
            _("The product and the warehouse must belong to the company."),
            code="company",
        )

    stock = (
        WarehouseStock.objects.select_for_update()
        .filter(product=product, warehouse=warehouse)
        .first()
    )
    available = stock.available if stock is not None else ZERO
    if available < quantity and allow_partial:
        quantity = max(available, ZERO)
        if quantity == 0:
            return None
    if available < quantity:
        raise InsufficientStock(
            _("Only %(available)s of %(product)s available in %(warehouse)s.")
            % {
                "available": f"{max(available, ZERO).normalize():f}",
                "product": product,
                "warehouse": warehouse.code,
            },
            code="insufficient_stock",
        )

    stock.reserved += quantity
    stock.save(update_fields=["reserved"])
    reservation = Reservation.objects.create(
        company_id=product.company_id,
        product=product,
        warehouse=warehouse,
        quantity=quantity,
        created_by=user if user is not None and user.is_authenticated else None,
        **_source_fields(source),
    )
    record_change(
        instance=reservation, user=user, action="create", after=snapshot(reservation)
    )
    return reservation


def _lock_reservation(reservation) -> tuple[WarehouseStock, Reservation]:
    stock = WarehouseStock.objects.select_for_update().get(
        product_id=reservation.product_id, warehouse_id=reservation.warehouse_id
    )
    locked = (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("company", "warehouse")
        .get(pk=reservation.pk)
    )
    if locked.state != ReservationState.ACTIVE:
        raise ValidationError(
            _("The reservation is no longer active."), code="reservation_closed"
        )
    return stock, locked


def _close_if_done(reservation) -> None:
    if reservation.open_quantity == 0:
        reservation.state = (
            ReservationState.ISSUED
            if reservation.issued_quantity
            else ReservationState.RELEASED
        )


@transaction.atomic
def release_reservation(*, reservation, user, quantity=None) -> Reservation:
    """Give back all (or `quantity` of) the open reserved stock."""
    stock, locked = _lock_reservation(reservation)
    open_quantity = locked.open_quantity
    quantity = open_quantity if quantity is None else to_decimal(quantity)
    if quantity <= 0 or quantity > open_quantity:
        raise ValidationError(
            _("Release between 0 and %(open)s.")
            % {"open": f"{open_quantity.normalize():f}"},
            code="release_quantity",
        )

    before = snapshot(locked)
    stock.reserved -= quantity
    stock.save(update_fields=["reserved"])
    locked.released_quantity += quantity
    _close_if_done(locked)
    locked.save(update_fields=["released_quantity", "state"])
    record_change(
        instance=locked,
        user=user,
        action="update",
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def issue_reserved(
    *,
    reservation,
    quantity,
    user,
    location=None,
    batch=None,
    source=None,
    date=None,
    reference="",
    unit_price=None,
) -> list[StockMove]:
    """Deliver reserved stock: issue it and reduce the reservation.

    Without a location and batch the stock is taken earliest expiry
    first. `source` is the delivery document (the reservation's source when
    not given).
    """
    product = _load_product(Product(pk=reservation.product_id))
    stock, locked = _lock_reservation(reservation)
    quantity = clean_quantity(quantity, product)
    if quantity <= 0 or quantity > locked.open_quantity:
        raise ValidationError(
            _("Issue between 0 and the %(open)s still reserved.")
            % {"open": f"{locked.open_quantity.normalize():f}"},
            code="over_issue",
        )

    before = snapshot(locked)
    stock.reserved -= quantity
    stock.save(update_fields=["reserved"])
    locked.issued_quantity += quantity
    _close_if_done(locked)
    locked.save(update_fields=["issued_quantity", "state"])
    moves = _issue(
        company=locked.company,
        product=product,
        warehouse=locked.warehouse,
        quantity=quantity,
        user=user,
        source=source if source is not None else locked.source,
        date=date,
        reference=reference,
        location=location,
        batch=batch,
        unit_price=unit_price,
    )
    record_change(
        instance=locked,
        user=user,
        action="update",
        before=before,
        after=snapshot(locked),
    )
    post_values(moves, user)
    return moves


@transaction.atomic
def create_batch(*, company, product, number, user, expiry_date=None) -> Batch:
    """Return the product's batch `number`, creating it when new.

    A known batch keeps its expiry date; a different one given for it is
    refused, because one batch has one expiry.
    """
    number = (number or "").strip()
    if not number:
        raise ValidationError(_("Give the batch number."), code="batch_number")
    batch, created = Batch.objects.get_or_create(
        product=product,
        number=number,
        defaults={"company": company, "expiry_date": expiry_date},
    )
    if not created and expiry_date and batch.expiry_date != expiry_date:
        raise ValidationError(
            _("Batch %(batch)s has the expiry date %(date)s.")
            % {"batch": number, "date": batch.expiry_date},
            code="batch_expiry",
        )
    if created:
        batch.full_clean()
        record_change(instance=batch, user=user, action="create", after=snapshot(batch))
    return batch


def transfer_from_handheld(*, key, user, **transfer) -> dict:
    """Book a handheld transfer once, however often the phone sends it.

    Returns the stored result: the ids of the two moves.
    """

    def book():
        out, into = transfer_stock(user=user, **transfer)
        return {"out": out.pk, "in": into.pk}

    result, _first = submit_once(
        company=transfer["company"], user=user, key=key, action="transfer", book=book
    )
    return result


def refuse_move_write(*, instance=None, user=None, company=None, data=None):
    """Refuse to write stock moves or balances past the stock services."""
    raise ValidationError(
        _("Stock changes only through receipts, issues, transfers and counts."),
        code="stock_read_only",
    )


def default_warehouse(company) -> Warehouse | None:
    """Return the company's first active warehouse."""
    return Warehouse.objects.filter(company=company, is_active=True).first()
