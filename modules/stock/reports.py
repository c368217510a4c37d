"""Stock reports: valuation, ABC analysis and batch tracing.

All of them read the stock ledger and balances of one company; none of
them writes, except `apply_abc_classes`, which stores the classes an
analysis found on the products.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from modules.core.audit import record_change
from modules.core.money import round_money
from modules.products.models import Product
from modules.stock.models import Batch, MoveKind, StockMove, WarehouseStock

ZERO = Decimal("0")
HUNDRED = Decimal("100")

# Valuation


@dataclass(frozen=True)
class ValuationRow:
    """The stock value of one product in one warehouse."""

    item_number: str
    name: str
    group: str
    warehouse: str
    on_hand: Decimal
    unit_cost: Decimal
    value: Decimal


@dataclass(frozen=True)
class Valuation:
    rows: list[ValuationRow]
    total: Decimal


def stock_valuation(*, company, warehouse=None) -> Valuation:
    """Return on hand at moving average cost per product and warehouse."""
    stocks = (
        WarehouseStock.objects.filter(company=company)
        .exclude(on_hand=0)
        .select_related("product", "product__group", "warehouse")
        .order_by("product__item_number", "warehouse__code")
    )
    if warehouse is not None:
        stocks = stocks.filter(warehouse=warehouse)
    rows = [
        ValuationRow(
            item_number=stock.product.item_number,
            name=stock.product.name,
            group=stock.product.group.code if stock.product.group_id else "",
            warehouse=stock.warehouse.code,
            on_hand=stock.on_hand,
            unit_cost=stock.product.average_cost,
            value=round_money(stock.on_hand * stock.product.average_cost, "EUR"),
        )
        for stock in stocks
    ]
    return Valuation(rows=rows, total=sum((row.value for row in rows), ZERO))


VALUATION_COLUMNS = (
    ("item_number", _("Item number")),
    ("name", _("Name")),
    ("group", _("Product group")),
    ("warehouse", _("Warehouse")),
    ("on_hand", _("On hand")),
    ("unit_cost", _("Average cost")),
    ("value", _("Value")),
)

# ABC analysis


class AbcMeasure:
    VALUE = "value"
    MARGIN = "margin"
    PICKS = "picks"
    CHOICES = (
        (VALUE, _("Sales value")),
        (MARGIN, _("Margin")),
        (PICKS, _("Picks")),
    )


@dataclass(frozen=True)
class AbcRow:
    product: Product
    amount: Decimal
    share: Decimal
    cumulative: Decimal
    abc_class: str


@dataclass
class AbcResult:
    measure: str
    rows: list[AbcRow] = field(default_factory=list)
    total: Decimal = ZERO

    def count(self, abc_class: str) -> int:
        return sum(1 for row in self.rows if row.abc_class == abc_class)


def _amounts(*, company, start, end, measure) -> dict[int, Decimal]:
    issues = StockMove.objects.filter(
        company=company, kind=MoveKind.ISSUE, date__gte=start, date__lte=end
    ).values("product_id")
    if measure == AbcMeasure.PICKS:
        return {
            row["product_id"]: Decimal(row["picks"])
            for row in issues.annotate(picks=Count("pk"))
        }
    # An issue without a recorded sales price counts at cost: no margin.
    sold = Sum(-F("quantity") * Coalesce("unit_price", "unit_cost"))
    cost = Sum(-F("quantity") * F("unit_cost"))
    rows = issues.annotate(sold=sold, cost=cost)
    if measure == AbcMeasure.VALUE:
        return {row["product_id"]: row["sold"] for row in rows}
    return {row["product_id"]: row["sold"] - row["cost"] for row in rows}


def abc_analysis(
    *, company, start, end, measure=AbcMeasure.VALUE, a_limit=80, b_limit=95
) -> AbcResult:
    """Classify products by their share of sales value, margin or picks.

    Products are sorted by the measure; those making up the first
    `a_limit` % of the total are A, up to `b_limit` % B, the rest C.
    Stocked products without any issue in the period are C.
    """
    amounts = _amounts(company=company, start=start, end=end, measure=measure)
    products = Product.objects.filter(company=company, is_stocked=True, is_active=True)
    ranked = sorted(products, key=lambda p: (-amounts.get(p.pk, ZERO), p.item_number))
    total = sum((max(amount, ZERO) for amount in amounts.values()), ZERO)
    result = AbcResult(measure=measure, total=total)
    cumulative = ZERO
    for product in ranked:
        amount = amounts.get(product.pk, ZERO)
        share = (max(amount, ZERO) * HUNDRED / total) if total else ZERO
        before = cumulative
        cumulative += share
        if amount <= 0:
            abc_class = "C"
        elif before < a_limit:
            abc_class = "A"
        elif before < b_limit:
            abc_class = "B"
        else:
            abc_class = "C"
        result.rows.append(
            AbcRow(
                product=product,
                amount=amount,
                share=share.quantize(Decimal("0.01")),
                cumulative=min(cumulative, HUNDRED).quantize(Decimal("0.01")),
                abc_class=abc_class,
            )
        )
    return result


@transaction.atomic
def apply_abc_classes(*, result: AbcResult, user) -> int:
    """Store the classes of an analysis on the products; return changes."""
    changed = 0
    for row in result.rows:
        product = Product.objects.select_for_update().get(pk=row.product.pk)
        if product.abc_class == row.abc_class:
            continue
        before = {"abc_class": product.abc_class}
        product.abc_class = row.abc_class
        product.save(update_fields=["abc_class"])
        record_change(
            instance=product,
            user=user,
            action="update",
            before=before,
            after={"abc_class": row.abc_class},
        )
        changed += 1
    return changed


def abc_chart_points(result: AbcResult, *, width=600, height=240) -> dict:
    """Return the SVG geometry of the Pareto curve of an analysis."""
    rows = result.rows
    if not rows:
        return {"points": "", "width": width, "height": height, "bars": []}
    step = width / len(rows)
    points = [f"0,{height}"]
    bars = []
    for index, row in enumerate(rows):
        x = round((index + 1) * step, 1)
        y = round(height - float(row.cumulative) / 100 * height, 1)
        points.append(f"{x},{y}")
        bar_height = round(float(row.share) / 100 * height, 1)
        bars.append(
            {
                "x": round(index * step, 1),
                "y": round(height - bar_height, 1),
                "width": max(round(step - 1, 1), 0.5),
                "height": bar_height,
                "abc_class": row.abc_class,
            }
        )
    return {"points": " ".join(points), "width": width, "height": height, "bars": bars}


# Batch tracing


@dataclass(frozen=True)
class BatchTrace:
    """Every move of a batch, the documents behind them, and what is left."""

    batch: Batch
    receipts: list[StockMove]
    issues: list[StockMove]
    others: list[StockMove]
    on_hand: Decimal


def trace_batch(*, batch) -> BatchTrace:
    """Follow a batch from its receipts to every issue (for a recall)."""
    moves = list(
        StockMove.objects.filter(batch=batch)
        .select_related("warehouse", "location", "source_type", "created_by")
        .order_by("date", "pk")
    )
    return BatchTrace(
        batch=batch,
        receipts=[move for move in moves if move.kind == MoveKind.RECEIPT],
        issues=[move for move in moves if move.kind == MoveKind.ISSUE],
        others=[
            move
            for move in moves
            if move.kind not in (MoveKind.RECEIPT, MoveKind.ISSUE)
        ],
        on_hand=sum((move.quantity for move in moves), ZERO),
    )


def batches_of_source(*, source) -> list[BatchTrace]:
    """Trace back: the batches a document (a delivery) moved, fully traced."""
    from django.contrib.contenttypes.models import ContentType

    batch_ids = (
        StockMove.objects.filter(
            source_type=ContentType.objects.get_for_model(type(source)),
            source_id=source.pk,
            batch__isnull=False,
        )
        .values_list("batch_id", flat=True)
        .distinct()
    )
    return [
        trace_batch(batch=batch)
        for batch in Batch.objects.filter(pk__in=batch_ids).order_by("number")
    ]
