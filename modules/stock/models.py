"""Stock: warehouses, locations, batches and the stock ledger.

Every change of stock is a `StockMove`, an append-only ledger row that
PostgreSQL refuses to change or delete. Moves are written only by
`modules.stock.services`, which in the same transaction keep the
materialised balances: `WarehouseStock` (on hand and reserved per product
and warehouse, the row that reservations lock) and `StockLevel` (on hand
per product, warehouse, location and batch). Rows are locked in a fixed
order (product, warehouse stock, stock level) so concurrent writers never
deadlock.
"""

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modules.core.models import Company
from modules.products.models import QUANTITY, Product


class Warehouse(models.Model):
    """A place where the company keeps stock."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="stock_warehouse_unique_code",
                violation_error_message=_(
                    "The company already has a warehouse with this code."
                ),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Location(models.Model):
    """A shelf, bin or area inside a warehouse (A-01-02)."""

    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        related_name="locations",
        on_delete=models.CASCADE,
    )
    code = models.CharField(
        _("code"), max_length=30, help_text=_("Printed on the shelf label.")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["warehouse", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "code"],
                name="stock_location_unique_code",
                violation_error_message=_(
                    "The warehouse already has a location with this code."
                ),
            )
        ]

    def __str__(self):
        return f"{self.warehouse.code}/{self.code}"


class Batch(models.Model):
    """A production or delivery batch (lot) of a batch-tracked product."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="batches",
        on_delete=models.PROTECT,
    )
    number = models.CharField(_("batch number"), max_length=60)
    expiry_date = models.DateField(_("best before / expiry"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["product", "expiry_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "number"],
                name="stock_batch_unique_number",
                violation_error_message=_("The product already has this batch."),
            )
        ]

    def __str__(self):
        return f"{self.product.item_number} / {self.number}"

    def clean(self):
        if self.product_id and self.product.company_id != self.company_id:
            raise ValidationError(
                {"product": _("Choose a product of the same company.")},
                code="company",
            )


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")
    TRANSFER = "transfer", _("Transfer")
    ADJUSTMENT = "adjustment", _("Adjustment")
    COUNT = "count", _("Count difference")


class StockMove(models.Model):
    """One change of stock: a line of the immutable stock ledger.

    The quantity is signed (in > 0, out < 0) in the product's base unit.
    A transfer is two moves sharing `transfer_id`.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="stock_moves",
        on_delete=models.PROTECT,
    )
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        related_name="moves",
        on_delete=models.PROTECT,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        related_name="moves",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        related_name="moves",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MoveKind.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost"), **QUANTITY)
    unit_price = models.DecimalField(
        _("sales unit price"),
        null=True,
        blank=True,
        help_text=_("Price without VAT the goods were sold at, for issues."),
        **QUANTITY,
    )
    date = models.DateField(_("date"))
    transfer_id = models.UUIDField(_("transfer"), null=True, blank=True)
    source_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["product", "warehouse"]),
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["company", "kind", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(quantity=0), name="stock_stockmove_nonzero"
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0), name="stock_stockmove_cost_positive"
            ),
        ]
        triggers = [
            # The ledger is append-only, even for raw SQL.
            pgtrigger.Protect(name="stock_move_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="stock_move_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.product.item_number} {self.quantity:f}"


class WarehouseStock(models.Model):
    """On hand and reserved of a product in a warehouse (materialised)."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="warehouse_stock",
        on_delete=models.CASCADE,
    )
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        related_name="stock",
        on_delete=models.CASCADE,
    )
    on_hand = models.DecimalField(_("on hand"), default=0, **QUANTITY)
    reserved = models.DecimalField(_("reserved"), default=0, **QUANTITY)

    class Meta:
        verbose_name = _("warehouse stock")
        verbose_name_plural = _("warehouse stock")
        ordering = ["product", "warehouse"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse"], name="stock_warehousestock_unique"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="stock_warehousestock_reserved"
            ),
        ]

    def __str__(self):
        return f"{self.product.item_number} @ {self.warehouse.code}"

    @property
    def available(self):
        return self.on_hand - self.reserved


class StockLevel(models.Model):
    """On hand of a product per warehouse, location and batch (materialised)."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="stock_levels",
        on_delete=models.CASCADE,
    )
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        related_name="levels",
        on_delete=models.CASCADE,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        related_name="levels",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        related_name="levels",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    on_hand = models.DecimalField(_("on hand"), default=0, **QUANTITY)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["product", "warehouse", "location", "batch"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse", "location", "batch"],
                nulls_distinct=False,
                name="stock_stocklevel_unique",
            ),
        ]

    def __str__(self):
        place = self.location.code if self.location_id else self.warehouse.code
        return f"{self.product.item_number} @ {place}: {self.on_hand:f}"


class ReservationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    ISSUED = "issued", _("Issued")


class Reservation(models.Model):
    """Stock of a warehouse promised to a document (a sales order line)."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="reservations",
        on_delete=models.PROTECT,
    )
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        related_name="reservations",
        on_delete=models.PROTECT,
    )
    quantity = models.DecimalField(_("reserved quantity"), **QUANTITY)
    issued_quantity = models.DecimalField(_("issued quantity"), default=0, **QUANTITY)
    released_quantity = models.DecimalField(
        _("released quantity"), default=0, **QUANTITY
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ReservationState.choices,
        default=ReservationState.ACTIVE,
    )
    source_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="stock_reservation_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    issued_quantity__gte=0,
                    released_quantity__gte=0,
                    quantity__gte=models.F("issued_quantity")
                    + models.F("released_quantity"),
                ),
                name="stock_reservation_within_quantity",
            ),
        ]

    def __str__(self):
        place = f"{self.product.item_number} @ {self.warehouse.code}"
        return f"{place}: {self.open_quantity:f}"

    @property
    def open_quantity(self):
        """Return what is still reserved: neither issued nor released."""
        return self.quantity - self.issued_quantity - self.released_quantity


def _ledger_link(model, verbose_name, **options):
    """Return an optional link to a ledger row (an account or a series)."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **options,
    )


class StockSettings(models.Model):
    """A company's choices for stock: whether stock values go to the books."""

    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        related_name="stock_settings",
        on_delete=models.CASCADE,
    )
    post_to_ledger = models.BooleanField(
        _("post stock values to the ledger"),
        default=False,
        help_text=_("Each receipt, issue and adjustment posts a voucher at its value."),
    )
    voucher_series = _ledger_link("ledger.VoucherSeries", _("voucher series"))
    inventory_account = _ledger_link("ledger.Account", _("inventory account"))
    receipt_account = _ledger_link(
        "ledger.Account",
        _("goods received account"),
        help_text=_("Credited on receipts until the purchase invoice arrives."),
    )
    cost_account = _ledger_link("ledger.Account", _("cost of goods sold account"))
    adjustment_account = _ledger_link("ledger.Account", _("stock adjustment account"))
    cycle_count_share = models.PositiveSmallIntegerField(
        _("products counted per day (%)"),
        default=5,
        help_text=_("Share of stocked products a rolling count takes each day."),
    )

    class Meta:
        verbose_name = _("stock settings")
        verbose_name_plural = _("stock settings")

    def __str__(self):
        return str(self.company)

    def clean(self):
        errors = {}
        names = (
            "voucher_series",
            "inventory_account",
            "receipt_account",
            "cost_account",
            "adjustment_account",
        )
        for name in names:
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.company_id != self.company_id:
                errors[name] = _("Choose one of the same company.")
        if self.post_to_ledger:
            for name in names:
                if not getattr(self, f"{name}_id"):
                    errors[name] = _("Needed when stock values go to the ledger.")
        if self.cycle_count_share > 100:
            errors["cycle_count_share"] = _("Give a share between 0 and 100.")
        if errors:
            raise ValidationError(errors)


class CountKind(models.TextChoices):
    FULL = "full", _("Full count")
    CYCLE = "cycle", _("Rolling count")


class CountState(models.TextChoices):
    OPEN = "open", _("Counting")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


class StockCount(models.Model):
    """A stock count of a warehouse: its lines are counted, then posted."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    number = models.CharField(_("number"), max_length=30, editable=False)
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        related_name="counts",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=CountKind.choices, default=CountKind.FULL
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=CountState.choices,
        default=CountState.OPEN,
        editable=False,
    )
    date = models.DateField(_("count date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="stock_stockcount_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.warehouse.code} {self.date:%d.%m.%Y}"


class StockCountLine(models.Model):
    """One product in one place of a count: expected and counted quantity."""

    count = models.ForeignKey(
        StockCount,
        verbose_name=_("stock count"),
        related_name="lines",
        on_delete=models.CASCADE,
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), related_name="+", on_delete=models.PROTECT
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    expected = models.DecimalField(_("expected"), **QUANTITY)
    counted = models.DecimalField(_("counted"), null=True, blank=True, **QUANTITY)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    posted_difference = models.DecimalField(
        _("posted difference"), null=True, blank=True, **QUANTITY
    )

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        ordering = ["count", "location__code", "product__item_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "product", "location", "batch"],
                nulls_distinct=False,
                name="stock_stockcountline_unique",
            ),
            models.CheckConstraint(
                condition=Q(counted__isnull=True) | Q(counted__gte=0),
                name="stock_stockcountline_counted_positive",
            ),
        ]

    def __str__(self):
        return f"{self.count.number}: {self.product.item_number}"

    @property
    def difference(self):
        """Return counted less expected, or None before counting."""
        return None if self.counted is None else self.counted - self.expected


class HandheldSubmission(models.Model):
    """A form sent from a handheld page, remembered by its idempotency key.

    A phone that loses its connection sends the same form again with the
    same key; the second submission finds this row and books nothing.
    Counting, transfers, picking and goods receipt all keep their keys
    here (see `modules.stock.submissions`).
    """

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.UUIDField(_("idempotency key"))
    action = models.CharField(_("action"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.JSONField(_("result"), default=dict)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("handheld submission")
        verbose_name_plural = _("handheld submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "key"], name="stock_handheldsubmission_key"
            )
        ]

    def __str__(self):
        return f"{self.action} {self.key}"
