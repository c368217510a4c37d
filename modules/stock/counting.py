"""Stock counts: start, count (also from a handheld), review and post.

A count lists what the books expect in each place of a warehouse. People
count, on paper (the count sheet) or on the handheld page, and a
reviewer posts the count: each counted line becomes a count-difference
move that brings the place to the counted quantity. Lines not counted
change nothing.

A rolling (cycle) count takes a share of the stocked products each day,
the most overdue first; class A products fall due four times and class B
twice as often as the rest.
"""

import logging
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import record_change, snapshot
from modules.core.numbering import next_number
from modules.products.models import Product
from modules.stock.models import (
    CountKind,
    CountState,
    MoveKind,
    StockCount,
    StockCountLine,
    StockLevel,
    StockSettings,
)
from modules.stock.services import (
    check_place,
    clean_quantity,
    lock_products,
    lock_stock_level,
    lock_warehouse_stock,
    post_values,
    write_move,
)
from modules.stock.submissions import submit_once

logger = logging.getLogger(__name__)

CLASS_WEIGHT = {"A": 4, "B": 2, "C": 1, "": 1}


def cycle_products(*, company, warehouse, date, share=None) -> list[Product]:
    """Return the products a rolling count of `date` should take.

    `share` is the percentage of stocked products per day (the company's
    stock setting when not given).
    """
    if share is None:
        settings = StockSettings.objects.filter(company=company).first()
        share = settings.cycle_count_share if settings else 5
    products = list(
        Product.objects.filter(company=company, is_active=True, is_stocked=True)
    )
    if not products or share <= 0:
        return []
    wanted = max(1, math.ceil(len(products) * share / 100))
    last_counted = dict(
        StockCountLine.objects.filter(
            count__warehouse=warehouse,
            count__state=CountState.POSTED,
            counted__isnull=False,
        )
        .values_list("product_id")
        .annotate(last=Max("count__date"))
    )

    def urgency(product):
        last = last_counted.get(product.pk)
        weight = CLASS_WEIGHT.get(product.abc_class, 1)
        days = (date - last).days if last else 10_000
        return (-days * weight, -weight, product.item_number)

    return sorted(products, key=urgency)[:wanted]


def _expected_lines(count, products) -> list[StockCountLine]:
    levels = StockLevel.objects.filter(warehouse=count.warehouse).exclude(on_hand=0)
    if products is not None:
        levels = levels.filter(product__in=products)
    lines = [
        StockCountLine(
            count=count,
            product_id=level.product_id,
            location_id=level.location_id,
            batch_id=level.batch_id,
            expected=level.on_hand,
        )
        for level in levels
    ]
    if products is not None:
        # A product due for counting but with nothing in the books is still
        # looked for: it may be on a shelf the books do not know.
        seen = {line.product_id for line in lines}
        lines += [
            StockCountLine(count=count, product=product, expected=Decimal("0"))
            for product in products
            if product.pk not in seen and not product.batch_tracked
        ]
    return lines


@transaction.atomic
def start_count(
    *, company, warehouse, user, kind=CountKind.FULL, date=None, products=None
) -> StockCount:
    """Open a count of `warehouse` with a line for each place that has stock.

    A full count takes every product (or the `products` given); a rolling
    count takes the products `cycle_products` chooses for the date.
    """
    date = date or timezone.localdate()
    if warehouse.company_id != company.pk:
        raise ValidationError(
            _("The warehouse belongs to another company."), code="company"
        )
    if kind not in CountKind.values:
        raise ValidationError(_("Choose a full or a rolling count."), code="kind")
    if kind == CountKind.CYCLE and products is None:
        products = cycle_products(company=company, warehouse=warehouse, date=date)

    number = next_number(company=company, series="stock-count", year=date.year)
    count = StockCount.objects.create(
        company=company,
        number=number.text,
        warehouse=warehouse,
        kind=kind,
        date=date,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    StockCountLine.objects.bulk_create(_expected_lines(count, products))
    record_change(instance=count, user=user, action="create", after=snapshot(count))
    logger.info(
        "Stock count %s started with %s lines", count.number, count.lines.count()
    )
    return count


def create_count(*, company, user, data: dict) -> StockCount:
    """Start a count from the admin form or the API."""
    return start_count(
        company=company,
        warehouse=data["warehouse"],
        user=user,
        kind=data.get("kind") or CountKind.FULL,
        date=data.get("date"),
    )


def _open_count(count) -> StockCount:
    locked = StockCount.objects.select_for_update().get(pk=count.pk)
    if locked.state != CountState.OPEN:
        raise ValidationError(
            _("Count %(number)s is %(state)s; it can no longer change.")
            % {"number": locked.number, "state": locked.get_state_display().lower()},
            code="count_closed",
        )
    return locked


def record_count(
    *,
    count,
    product,
    quantity,
    user,
    location=None,
    batch=None,
    key=None,
) -> StockCountLine:
    """Set the counted quantity of a product in a place of an open count.

    A product found where the books have none gets a new line expecting
    zero. With `key` (the idempotency key of a handheld form) a repeated
    submission changes nothing and returns the line of the first one.
    """
    place = {"location": location, "batch": batch}
    if key is None:
        return _record_count(count, product, quantity, user, **place)

    def book():
        line = _record_count(count, product, quantity, user, **place)
        return {"line": line.pk, "quantity": f"{line.counted:f}"}

    result, _first = submit_once(
        company=count.company, user=user, key=key, action="count", book=book
    )
    return StockCountLine.objects.get(pk=result["line"])


@transaction.atomic
def _record_count(count, product, quantity, user, *, location, batch):
    count = _open_count(count)
    quantity = clean_quantity(quantity, product)
    if quantity < 0:
        raise ValidationError(
            _("A counted quantity cannot be negative."), code="negative_count"
        )
    check_place(
        company=count.company,
        product=product,
        warehouse=count.warehouse,
        location=location,
        batch=batch,
    )

    line, _created = StockCountLine.objects.select_for_update().get_or_create(
        count=count,
        product=product,
        location=location,
        batch=batch,
        defaults={"expected": _on_hand(product, count.warehouse, location, batch)},
    )
    line.counted = quantity
    line.counted_by = user if user is not None and user.is_authenticated else None
    line.counted_at = timezone.now()
    line.save(update_fields=["counted", "counted_by", "counted_at"])
    return line


def _on_hand(product, warehouse, location, batch) -> Decimal:
    level = StockLevel.objects.filter(
        product=product, warehouse=warehouse, location=location, batch=batch
    ).first()
    return level.on_hand if level else Decimal("0")


@transaction.atomic
def post_count(*, count, user, date=None) -> list:
    """Post the differences of the counted lines as count moves.

    Each counted place is brought to its counted quantity, measured
    against what it holds now, so moves made while counting are not
    booked twice.
    """
    count = _open_count(count)
    lines = list(
        count.lines.filter(counted__isnull=False).select_related(
            "product", "location", "batch"
        )
    )
    products = lock_products(products=[line.product_id for line in lines])

    moves = []
    for line in sorted(lines, key=lambda row: (row.product_id, row.pk)):
        product = products[line.product_id]
        # Warehouse row before place row, the order every stock move keeps.
        lock_warehouse_stock(product, count.warehouse)
        level = lock_stock_level(product, count.warehouse, line.location, line.batch)
        difference = line.counted - level.on_hand
        line.posted_difference = difference
        line.save(update_fields=["posted_difference"])
        if difference == 0:
            continue
        moves.append(
            write_move(
                product=product,
                warehouse=count.warehouse,
                quantity=difference,
                location=line.location,
                batch=line.batch,
                unit_cost=None,
                kind=MoveKind.COUNT,
                source=count,
                user=user,
                date=date or count.date,
                reference=count.number,
            )
        )
    before = snapshot(count)
    count.state = CountState.POSTED
    count.posted_at = timezone.now()
    count.save(update_fields=["state", "posted_at"])
    record_change(
        instance=count, user=user, action="update", before=before, after=snapshot(count)
    )
    post_values(moves, user)
    logger.info("Stock count %s posted: %s moves", count.number, len(moves))
    return moves


@transaction.atomic
def cancel_count(*, count, user) -> StockCount:
    """Close an open count without posting anything."""
    count = _open_count(count)
    before = snapshot(count)
    count.state = CountState.CANCELLED
    count.save(update_fields=["state"])
    record_change(
        instance=count, user=user, action="update", before=before, after=snapshot(count)
    )
    return count


def refuse_count_change(*, instance, user, data=None) -> None:
    """Counts change by counting and posting, not by editing the row."""
    raise ValidationError(
        _("Count on the count page, then post or cancel the count."),
        code="count_read_only",
    )
