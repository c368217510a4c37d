"""Products: the item register, supplier items, price lists and assortments.

A product belongs to one company and is known by its item number there.
Quantities are kept in the product's base unit; `ProductUnit` rows say how
many base units a package holds and may carry the package's own EAN.
Prices come from price lists, which `modules.products.pricing.price_for`
reads for every sales channel.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.definable.models import localized
from modules.core.models import Company, Unit
from modules.products.validators import normalize_ean, validate_ean

QUANTITY = {"max_digits": 18, "decimal_places": 6}
UNIT_PRICE = {"max_digits": 18, "decimal_places": 4}


class NamedProductMixin(models.Model):
    """Names in Finnish, Swedish and English; Finnish is required."""

    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """Return the name in the active language, Finnish when missing."""
        return localized(self, "name") or self.name_fi


class ProductGroup(NamedProductMixin):
    """A node of the company's product group tree (tools > hand tools)."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    code = models.CharField(_("code"), max_length=30)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        related_name="children",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="products_productgroup_unique_code",
                violation_error_message=_("The company already has this group code."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.company_id != self.company_id:
            raise ValidationError(
                {"parent": _("Choose a group of the same company.")}, code="company"
            )
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A group cannot be under itself.")}, code="cycle"
                )
            node = node.parent

    def descendant_ids(self) -> list[int]:
        """Return the ids of this group and every group below it."""
        found, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                ProductGroup.objects.filter(parent_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            found.extend(frontier)
        return found


class AbcClass(models.TextChoices):
    A = "A", _("A: the most important")
    B = "B", _("B: in between")
    C = "C", _("C: the least important")


class Product(NamedProductMixin):
    """An item the company buys, stocks or sells."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    item_number = models.CharField(_("item number"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    group = models.ForeignKey(
        ProductGroup,
        verbose_name=_("product group"),
        related_name="products",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        related_name="+",
        on_delete=models.PROTECT,
        help_text=_("Stock and prices are kept in this unit."),
    )
    ean = models.CharField(
        _("EAN"),
        max_length=14,
        blank=True,
        validators=[validate_ean],
        help_text=_("Barcode of one unit: EAN-13, EAN-8 or GTIN-14."),
    )
    vat_code = models.CharField(
        _("VAT class"),
        max_length=30,
        default="25.5",
        help_text=_("The VAT code used in the books, e.g. 25.5, 14, 10 or 0."),
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    length_mm = models.PositiveIntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("height (mm)"), null=True, blank=True)
    batch_tracked = models.BooleanField(
        _("batch tracked"),
        default=False,
        help_text=_("Every stock move of the product names a batch."),
    )
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    is_stocked = models.BooleanField(
        _("stocked item"),
        default=True,
        help_text=_("Services and fees are not stocked."),
    )
    abc_class = models.CharField(
        _("ABC class"), max_length=1, choices=AbcClass.choices, blank=True
    )
    average_cost = models.DecimalField(
        _("average cost"),
        default=Decimal("0"),
        editable=False,
        help_text=_("Moving average purchase cost of one unit, kept by stock."),
        **QUANTITY,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["item_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "item_number"],
                name="products_product_unique_item_number",
                violation_error_message=_(
                    "The company already has a product with this item number."
                ),
            ),
            models.UniqueConstraint(
                fields=["company", "ean"],
                condition=~Q(ean=""),
                name="products_product_unique_ean",
                violation_error_message=_(
                    "Another product of the company already has this EAN."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.item_number} {self.name}"

    def clean(self):
        self.ean = normalize_ean(self.ean)
        if self.group_id and self.group.company_id != self.company_id:
            raise ValidationError(
                {"group": _("Choose a group of the same company.")}, code="company"
            )
        if self.ean and self.company_id:
            taken = ProductUnit.objects.filter(
                product__company_id=self.company_id, ean=self.ean
            ).exclude(product_id=self.pk)
            if taken.exists():
                raise ValidationError(
                    {"ean": _("Another product of the company has this EAN.")},
                    code="ean_taken",
                )


class ProductUnit(models.Model):
    """A package or alternative unit of a product (1 box = 12 pcs)."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="units",
        on_delete=models.CASCADE,
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT
    )
    factor = models.DecimalField(
        _("base units"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("How many of the product's base unit one of these holds."),
    )
    ean = models.CharField(
        _("EAN"), max_length=14, blank=True, validators=[validate_ean]
    )

    class Meta:
        verbose_name = _("product unit")
        verbose_name_plural = _("product units")
        ordering = ["product", "factor"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "unit"],
                name="products_productunit_unique",
                violation_error_message=_("The product already has this unit."),
            ),
            models.CheckConstraint(
                condition=Q(factor__gt=0), name="products_productunit_positive"
            ),
        ]

    def __str__(self):
        return f"{self.product.item_number}: 1 {self.unit} = {self.factor:f}"

    def clean(self):
        self.ean = normalize_ean(self.ean)
        if self.product_id and self.unit_id == self.product.unit_id:
            raise ValidationError(
                {"unit": _("The base unit needs no conversion.")}, code="base_unit"
            )
        if self.ean and self.product_id:
            company_id = self.product.company_id
            clash = (
                Product.objects.filter(company_id=company_id, ean=self.ean).exists()
                or ProductUnit.objects.filter(
                    product__company_id=company_id, ean=self.ean
                )
                .exclude(pk=self.pk)
                .exists()
            )
            if clash:
                raise ValidationError(
                    {"ean": _("Another product of the company has this EAN.")},
                    code="ean_taken",
                )


class SupplierItem(models.Model):
    """How a supplier sells a product to us: their number, price and terms."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="supplier_items",
        on_delete=models.CASCADE,
    )
    supplier = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("supplier"),
        related_name="supplier_items",
        on_delete=models.PROTECT,
    )
    supplier_item_number = models.CharField(_("supplier's item number"), max_length=60)
    price = models.DecimalField(
        _("purchase price"),
        validators=[MinValueValidator(Decimal("0"))],
        **UNIT_PRICE,
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=7)
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"),
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        **QUANTITY,
    )
    is_preferred = models.BooleanField(_("preferred supplier"), default=False)

    class Meta:
        verbose_name = _("supplier item")
        verbose_name_plural = _("supplier items")
        ordering = ["product", "-is_preferred", "price"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "supplier", "supplier_item_number"],
                name="products_supplieritem_unique_number",
                violation_error_message=_(
                    "The supplier already has an item with this number."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.supplier_item_number} ({self.product.item_number})"

    def clean(self):
        errors = {}
        if self.product_id and self.product.company_id != self.company_id:
            errors["product"] = _("Choose a product of the same company.")
        if self.supplier_id and self.supplier.company_id != self.company_id:
            errors["supplier"] = _("Choose a supplier of the same company.")
        self.currency = (self.currency or "").upper()
        if errors:
            raise ValidationError(errors)


class Channel(models.TextChoices):
    SALES = "sales", _("Sales orders")
    WEBSHOP = "webshop", _("Webshop")
    POS = "pos", _("Point of sale")


class PriceListKind(models.TextChoices):
    BASE = "base", _("Base prices")
    CUSTOMER_GROUP = "customer_group", _("Customer group prices")
    CUSTOMER = "customer", _("Customer prices")
    CAMPAIGN = "campaign", _("Campaign prices")


class PriceList(models.Model):
    """A set of prices valid for a period, customer, group or campaign."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=PriceListKind.choices,
        default=PriceListKind.BASE,
    )
    customer = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("customer"),
        related_name="price_lists",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    customer_group = models.ForeignKey(
        "crm.Classification",
        verbose_name=_("customer group"),
        related_name="price_lists",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=Channel.choices,
        blank=True,
        help_text=_("Leave empty for prices that apply in every channel."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="products_pricelist_valid_period",
                violation_error_message=_("The validity ends before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        kind = self.kind
        if kind == PriceListKind.CUSTOMER and not self.customer_id:
            errors["customer"] = _("A customer price list needs a customer.")
        if kind != PriceListKind.CUSTOMER and self.customer_id:
            errors["customer"] = _("Only customer price lists name a customer.")
        if kind == PriceListKind.CUSTOMER_GROUP and not self.customer_group_id:
            errors["customer_group"] = _("A group price list needs a customer group.")
        if kind != PriceListKind.CUSTOMER_GROUP and self.customer_group_id:
            errors["customer_group"] = _("Only group price lists name a group.")
        if kind == PriceListKind.CAMPAIGN and not (
            self.valid_from and self.valid_until
        ):
            errors["valid_until"] = _("A campaign needs a first and a last day.")
        for name in ("customer", "customer_group"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.company_id != self.company_id:
                errors[name] = _("Choose one of the same company.")
        self.currency = (self.currency or "").upper()
        if errors:
            raise ValidationError(errors)


class PriceListItem(models.Model):
    """The price of a product on a list, from a quantity upwards."""

    price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("price list"),
        related_name="items",
        on_delete=models.CASCADE,
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="price_items",
        on_delete=models.CASCADE,
    )
    min_quantity = models.DecimalField(
        _("from quantity"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The price applies when at least this many are bought."),
        **QUANTITY,
    )
    unit_price = models.DecimalField(
        _("unit price"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Price without VAT. Leave empty to give a discount instead."),
        **UNIT_PRICE,
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Off the base price when no unit price is given."),
    )

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list items")
        ordering = ["price_list", "product", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product", "min_quantity"],
                name="products_pricelistitem_unique_break",
                violation_error_message=_(
                    "The list already has a price for this product and quantity."
                ),
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__lte=100),
                name="products_pricelistitem_discount_max",
                violation_error_message=_("A discount cannot exceed 100 %."),
            ),
        ]

    def __str__(self):
        return f"{self.price_list}: {self.product.item_number} >= {self.min_quantity}"

    def clean(self):
        if (
            self.product_id
            and self.price_list_id
            and self.product.company_id != self.price_list.company_id
        ):
            raise ValidationError(
                {"product": _("Choose a product of the same company.")},
                code="company",
            )
        if (
            self.price_list_id
            and self.price_list.kind == PriceListKind.BASE
            and self.unit_price is None
        ):
            raise ValidationError(
                {"unit_price": _("Base prices need a unit price.")},
                code="base_price",
            )


class AssortmentPurpose(models.TextChoices):
    CUSTOMER_GROUP = "customer_group", _("Customer group")
    STORE = "store", _("Store")
    WEBSHOP = "webshop", _("Webshop")


class Assortment(models.Model):
    """A named selection of products for a customer group, store or webshop."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=AssortmentPurpose.choices
    )
    customer_group = models.ForeignKey(
        "crm.Classification",
        verbose_name=_("customer group"),
        related_name="assortments",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    products = models.ManyToManyField(
        Product, verbose_name=_("products"), related_name="assortments", blank=True
    )

    class Meta:
        verbose_name = _("assortment")
        verbose_name_plural = _("assortments")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="products_assortment_unique_code",
                violation_error_message=_(
                    "The company already has an assortment with this code."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.customer_group_id and self.customer_group.company_id != self.company_id:
            raise ValidationError(
                {"customer_group": _("Choose a group of the same company.")},
                code="company",
            )


class PriceUpdateState(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    APPLIED = "applied", _("Applied")


class PriceUpdate(models.Model):
    """A supplier's price and product update, previewed before it is applied.

    `rows` holds the update as received (over GraphQL or from a file);
    `changes` the preview of what applying it would change.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    supplier = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("supplier"),
        related_name="price_updates",
        on_delete=models.PROTECT,
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The supplier's name for the update, e.g. a price list date."),
    )
    rows = models.JSONField(
        _("rows"),
        default=list,
        blank=True,
        help_text=_(
            "One object per item: supplier_item_number and price, optionally "
            "product (our item number), currency, lead_time_days, "
            "min_order_quantity, name_fi, name_sv, name_en, ean and weight_kg."
        ),
    )
    changes = models.JSONField(_("changes"), default=list, editable=False)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PriceUpdateState.choices,
        default=PriceUpdateState.PREVIEW,
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("price update")
        verbose_name_plural = _("price updates")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.supplier} {self.reference}".strip()
