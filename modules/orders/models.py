"""Orders: quotations, sales and purchase orders, deliveries and receipts.

The flow of goods out: a `Quotation` becomes a `SalesOrder`; confirming
the order reserves stock for its lines (`modules.stock` reservations whose
source is the order line); a `Delivery` takes reserved stock through
picking and packing to shipment, and what could not be delivered stays on
the line as a backorder until stock arrives. The flow in: a
`PurchaseOrder` to a supplier, received by a `GoodsReceipt` whose lines
carry batch numbers and the landed costs allocated onto them.

Rows are written by `modules.orders.services`; the states below only move
the ways those services allow.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modules.core.models import Company
from modules.crm.models import Organisation, Person
from modules.products.models import QUANTITY, UNIT_PRICE, Product
from modules.stock.models import Batch, Warehouse

MONEY = {"max_digits": 18, "decimal_places": 2}
ZERO = Decimal("0")


class QuotationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    ORDERED = "ordered", _("Ordered")


class SalesOrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    PARTLY_DELIVERED = "partly_delivered", _("Partly delivered")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseOrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    PARTLY_RECEIVED = "partly_received", _("Partly received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class DeliveryState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PICKING = "picking", _("Picking")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")


class LandedCostKind(models.TextChoices):
    FREIGHT = "freight", _("Freight")
    CUSTOMS = "customs", _("Customs")
    OTHER = "other", _("Other")


class Allocation(models.TextChoices):
    VALUE = "value", _("By value")
    WEIGHT = "weight", _("By weight")
    QUANTITY = "quantity", _("By quantity")


def _unique_number(model_name: str) -> models.UniqueConstraint:
    """Document numbers are unique per company once taken."""
    return models.UniqueConstraint(
        fields=["company", "number"],
        condition=~models.Q(number=""),
        name=f"orders_{model_name}_number_unique",
    )


class _Document(models.Model):
    """Fields every numbered order document has."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT)
    number = models.CharField(_("number"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.number or f"#{self.pk}"


class _PricedLine(models.Model):
    """A product line with a quantity and a unit price."""

    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), validators=[MinValueValidator(ZERO)], **QUANTITY
    )
    unit_price = models.DecimalField(_("unit price"), default=0, **UNIT_PRICE)
    discount_percent = models.DecimalField(
        _("discount %"), max_digits=5, decimal_places=2, default=0
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.product} × {self.quantity.normalize():f}"

    @property
    def net_price(self) -> Decimal:
        return self.unit_price * (1 - self.discount_percent / 100)

    @property
    def line_total(self) -> Decimal:
        return (self.net_price * self.quantity).quantize(Decimal("0.01"))


class Quotation(_Document):
    """An offer to a customer, followed up until accepted or rejected."""

    customer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="quotations",
        verbose_name=_("customer"),
    )
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    date = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    follow_up_date = models.DateField(_("follow up on"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=QuotationState.choices,
        default=QuotationState.DRAFT,
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["-date", "-pk"]
        constraints = [_unique_number("quotation")]


class QuotationLine(_PricedLine):
    quotation = models.ForeignKey(
        Quotation, on_delete=models.CASCADE, related_name="lines"
    )

    class Meta(_PricedLine.Meta):
        verbose_name = _("quotation line")
        verbose_name_plural = _("quotation lines")


class SalesOrder(_Document):
    """A customer's order: reserved on confirmation, delivered in parts."""

    customer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sales_orders",
        verbose_name=_("customer"),
    )
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    quotation = models.OneToOneField(
        Quotation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales_order",
        verbose_name=_("quotation"),
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    order_date = models.DateField(_("order date"))
    requested_date = models.DateField(_("requested delivery"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=5,
        help_text=_("1 is the most urgent; used when stock is shared."),
    )
    customer_reference = models.CharField(
        _("customer's reference"), max_length=100, blank=True
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The order's id in the sending system; an order is taken once."),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SalesOrderState.choices,
        default=SalesOrderState.DRAFT,
    )
    delivery_name = models.CharField(_("deliver to"), max_length=200, blank=True)
    delivery_address = models.CharField(
        _("delivery address"), max_length=200, blank=True
    )
    delivery_postal_code = models.CharField(
        _("delivery postal code"), max_length=20, blank=True
    )
    delivery_city = models.CharField(_("delivery city"), max_length=100, blank=True)
    delivery_country = models.CharField(
        _("delivery country"), max_length=2, default="FI"
    )

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-order_date", "-pk"]
        constraints = [
            _unique_number("salesorder"),
            models.UniqueConstraint(
                fields=["company", "external_id"],
                condition=~models.Q(external_id=""),
                name="orders_salesorder_external_unique",
            ),
        ]


class SalesOrderLine(_PricedLine):
    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="lines"
    )
    delivered_quantity = models.DecimalField(
        _("delivered"), default=0, editable=False, **QUANTITY
    )

    class Meta(_PricedLine.Meta):
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")

    @property
    def undelivered(self) -> Decimal:
        return max(self.quantity - self.delivered_quantity, ZERO)


class PurchaseOrder(_Document):
    """An order to a supplier, received by one or more goods receipts."""

    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="purchase_orders",
        verbose_name=_("supplier"),
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    order_date = models.DateField(_("order date"))
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=PurchaseOrderState.choices,
        default=PurchaseOrderState.DRAFT,
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-order_date", "-pk"]
        constraints = [_unique_number("purchaseorder")]


class PurchaseOrderLine(_PricedLine):
    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    received_quantity = models.DecimalField(
        _("received"), default=0, editable=False, **QUANTITY
    )

    class Meta(_PricedLine.Meta):
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")

    @property
    def open_quantity(self) -> Decimal:
        return max(self.quantity - self.received_quantity, ZERO)


class ReorderRule(models.Model):
    """When and how much of a product to reorder for a warehouse."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT)
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    reorder_point = models.DecimalField(
        _("reorder point"),
        default=0,
        help_text=_("Order when the available and ordered stock falls below this."),
        **QUANTITY,
    )
    min_quantity = models.DecimalField(_("minimum stock"), default=0, **QUANTITY)
    max_quantity = models.DecimalField(
        _("maximum stock"),
        default=0,
        help_text=_("Order up to this; 0 orders up to the minimum."),
        **QUANTITY,
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Why the levels are what they are (season, campaign)."),
    )

    class Meta:
        verbose_name = _("reorder rule")
        verbose_name_plural = _("reorder rules")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse"], name="orders_reorderrule_unique"
            )
        ]

    def __str__(self):
        return f"{self.product} @ {self.warehouse}"

    def clean(self):
        errors = {}
        for name in ("reorder_point", "min_quantity", "max_quantity"):
            if (getattr(self, name) or 0) < 0:
                errors[name] = _("Give zero or more.")
        if self.max_quantity and self.max_quantity < self.min_quantity:
            errors["max_quantity"] = _("The maximum is below the minimum.")
        for name in ("product", "warehouse"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.company_id != self.company_id:
                errors[name] = _("Choose one of the same company.")
        if errors:
            raise ValidationError(errors)


class GoodsReceipt(_Document):
    """Goods received against a purchase order, posted to stock."""

    purchase_order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("purchase order"),
    )
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-date", "-pk"]


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(
        GoodsReceipt, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        on_delete=models.PROTECT,
        related_name="receipt_lines",
        verbose_name=_("order line"),
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    batch = models.ForeignKey(
        Batch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("batch"),
    )
    purchase_value = models.DecimalField(_("purchase value"), **MONEY)
    landed_cost = models.DecimalField(_("landed costs"), default=0, **MONEY)

    class Meta:
        verbose_name = _("goods receipt line")
        verbose_name_plural = _("goods receipt lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.order_line.product} × {self.quantity.normalize():f}"

    @property
    def unit_cost(self) -> Decimal:
        return (self.purchase_value + self.landed_cost) / self.quantity


class LandedCost(models.Model):
    receipt = models.ForeignKey(
        GoodsReceipt, on_delete=models.CASCADE, related_name="landed_costs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LandedCostKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    allocation = models.CharField(
        _("allocated"),
        max_length=20,
        choices=Allocation.choices,
        default=Allocation.VALUE,
    )

    class Meta:
        verbose_name = _("landed cost")
        verbose_name_plural = _("landed costs")

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Delivery(_Document):
    """A shipment of reserved stock to the customer of a sales order."""

    order = models.ForeignKey(
        SalesOrder,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("sales order"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=DeliveryState.choices,
        default=DeliveryState.PROPOSED,
    )
    date = models.DateField(_("date"))
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    packages = models.PositiveIntegerField(_("packages"), default=0)
    gross_weight_kg = models.DecimalField(
        _("gross weight (kg)"), max_digits=12, decimal_places=3, default=0
    )
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-date", "-pk"]


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        SalesOrderLine,
        on_delete=models.PROTECT,
        related_name="delivery_lines",
        verbose_name=_("order line"),
    )
    quantity = models.DecimalField(_("to deliver"), **QUANTITY)
    picked_quantity = models.DecimalField(_("picked"), default=0, **QUANTITY)

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.order_line.product} × {self.quantity.normalize():f}"
