"""Reads of stock: availability, balances and the ledger of moves."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from modules.stock.models import (
    Batch,
    Location,
    StockLevel,
    StockMove,
    Warehouse,
    WarehouseStock,
)

ZERO = Decimal("0")


@dataclass(frozen=True)
class LevelAvailability:
    """On hand in one location and batch of a warehouse."""

    location: Location | None
    batch: Batch | None
    on_hand: Decimal


@dataclass(frozen=True)
class WarehouseAvailability:
    """On hand, reserved and available of a product in one warehouse."""

    warehouse: Warehouse
    on_hand: Decimal
    reserved: Decimal
    levels: list[LevelAvailability] = field(default_factory=list)

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Availability:
    """A product's stock in total and per warehouse, location and batch."""

    on_hand: Decimal
    reserved: Decimal
    warehouses: list[WarehouseAvailability]

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


def availability(*, product, warehouse=None) -> Availability:
    """Return the stock of `product`, in one warehouse or in all of them."""
    stocks = WarehouseStock.objects.filter(product=product).select_related("warehouse")
    levels = (
        StockLevel.objects.filter(product=product)
        .exclude(on_hand=0)
        .select_related("location", "batch")
        .order_by("location__code", "batch__expiry_date", "batch__number")
    )
    if warehouse is not None:
        stocks = stocks.filter(warehouse=warehouse)
        levels = levels.filter(warehouse=warehouse)
    by_warehouse: dict[int, list[LevelAvailability]] = {}
    for level in levels:
        by_warehouse.setdefault(level.warehouse_id, []).append(
            LevelAvailability(level.location, level.batch, level.on_hand)
        )
    rows = [
        WarehouseAvailability(
            warehouse=stock.warehouse,
            on_hand=stock.on_hand,
            reserved=stock.reserved,
            levels=by_warehouse.get(stock.warehouse_id, []),
        )
        for stock in stocks.order_by("warehouse__code")
    ]
    return Availability(
        on_hand=sum((row.on_hand for row in rows), ZERO),
        reserved=sum((row.reserved for row in rows), ZERO),
        warehouses=rows,
    )


def available_quantities(*, products, warehouse=None) -> dict[int, Decimal]:
    """Return available (on hand less reserved) per product id, in one query."""
    stocks = WarehouseStock.objects.filter(product__in=products)
    if warehouse is not None:
        stocks = stocks.filter(warehouse=warehouse)
    totals = stocks.values("product_id").annotate(
        on_hand=Sum("on_hand"), reserved=Sum("reserved")
    )
    return {row["product_id"]: row["on_hand"] - row["reserved"] for row in totals}


def moves_of(*, product, warehouse=None):
    """Return the stock ledger of a product, newest first."""
    moves = StockMove.objects.filter(product=product).select_related(
        "warehouse", "location", "batch", "created_by"
    )
    if warehouse is not None:
        moves = moves.filter(warehouse=warehouse)
    return moves.order_by("-date", "-pk")
