"""VAT codes of a company and their date-effective rates.

A VAT code names a kind of taxable transaction (domestic sales at the
general rate, goods bought from another EU country, ...), not a
percentage: its rates are `VatRate` rows with the dates they apply, so a
code keeps working when the law changes the rate and the rate follows the
date of the delivery. The kind decides which lines of the periodic tax
return the code feeds and which tax lines posting adds.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modules.core.models import Company


class VatKind(models.TextChoices):
    DOMESTIC_SALES = "domestic_sales", _("Domestic sales")
    DOMESTIC_PURCHASES = "domestic_purchases", _("Domestic purchases")
    ZERO_RATED_SALES = "zero_rated_sales", _("Zero-rated sales and exports")
    EU_GOODS_SALES = "eu_goods_sales", _("Sales of goods to other EU countries")
    EU_SERVICES_SALES = (
        "eu_services_sales",
        _("Sales of services to other EU countries"),
    )
    EU_GOODS_PURCHASES = (
        "eu_goods_purchases",
        _("Purchases of goods from other EU countries"),
    )
    EU_SERVICES_PURCHASES = (
        "eu_services_purchases",
        _("Purchases of services from other EU countries"),
    )
    IMPORTS = "imports", _("Imports of goods from outside the EU")
    REVERSE_CHARGE_SALES = (
        "reverse_charge_sales",
        _("Sales of construction services and scrap metal (reverse charge)"),
    )
    REVERSE_CHARGE_PURCHASES = (
        "reverse_charge_purchases",
        _("Purchases of construction services and scrap metal (reverse charge)"),
    )
    MARGIN_SALES = "margin_sales", _("Margin scheme sales")


class VatBox(models.TextChoices):
    """The lines of the Finnish periodic tax return (kausiveroilmoitus)."""

    SALES_TAX = "sales_tax", _("Tax on domestic sales")
    EU_GOODS_TAX = "eu_goods_tax", _("Tax on goods bought from other EU countries")
    EU_SERVICES_TAX = (
        "eu_services_tax",
        _("Tax on services bought from other EU countries"),
    )
    IMPORT_TAX = "import_tax", _("Tax on imports of goods from outside the EU")
    REVERSE_CHARGE_TAX = (
        "reverse_charge_tax",
        _("Tax on construction services and scrap metal bought"),
    )
    DEDUCTIBLE_TAX = "deductible_tax", _("Deductible tax for the period")
    PAYABLE = "payable", _("Tax payable (refundable when negative)")
    ZERO_RATED_TURNOVER = "zero_rated_turnover", _("Zero-rated turnover")
    EU_GOODS_SALES = "eu_goods_sales", _("Sales of goods to other EU countries")
    EU_SERVICES_SALES = (
        "eu_services_sales",
        _("Sales of services to other EU countries"),
    )
    EU_GOODS_PURCHASES = (
        "eu_goods_purchases",
        _("Purchases of goods from other EU countries"),
    )
    EU_SERVICES_PURCHASES = (
        "eu_services_purchases",
        _("Purchases of services from other EU countries"),
    )
    IMPORTS = "imports", _("Imports of goods from outside the EU")
    REVERSE_CHARGE_SALES = (
        "reverse_charge_sales",
        _("Sales of construction services and scrap metal"),
    )
    REVERSE_CHARGE_PURCHASES = (
        "reverse_charge_purchases",
        _("Purchases of construction services and scrap metal"),
    )


# kind -> (tax box, taxable-amount box); None where the kind feeds none.
# Deductible tax of every kind goes to VatBox.DEDUCTIBLE_TAX.
KIND_BOXES = {
    VatKind.DOMESTIC_SALES: (VatBox.SALES_TAX, None),
    VatKind.MARGIN_SALES: (VatBox.SALES_TAX, None),
    VatKind.DOMESTIC_PURCHASES: (None, None),
    VatKind.ZERO_RATED_SALES: (None, VatBox.ZERO_RATED_TURNOVER),
    VatKind.EU_GOODS_SALES: (None, VatBox.EU_GOODS_SALES),
    VatKind.EU_SERVICES_SALES: (None, VatBox.EU_SERVICES_SALES),
    VatKind.REVERSE_CHARGE_SALES: (None, VatBox.REVERSE_CHARGE_SALES),
    VatKind.EU_GOODS_PURCHASES: (VatBox.EU_GOODS_TAX, VatBox.EU_GOODS_PURCHASES),
    VatKind.EU_SERVICES_PURCHASES: (
        VatBox.EU_SERVICES_TAX,
        VatBox.EU_SERVICES_PURCHASES,
    ),
    VatKind.IMPORTS: (VatBox.IMPORT_TAX, VatBox.IMPORTS),
    VatKind.REVERSE_CHARGE_PURCHASES: (
        VatBox.REVERSE_CHARGE_TAX,
        VatBox.REVERSE_CHARGE_PURCHASES,
    ),
}

# Kinds whose tax is included in the amount posted (split out of the gross).
TAX_INCLUDED_KINDS = {
    VatKind.DOMESTIC_SALES,
    VatKind.MARGIN_SALES,
    VatKind.DOMESTIC_PURCHASES,
}
# Kinds where the buyer accounts for the tax: payable and deductible at once.
SELF_ASSESSED_KINDS = {
    VatKind.EU_GOODS_PURCHASES,
    VatKind.EU_SERVICES_PURCHASES,
    VatKind.IMPORTS,
    VatKind.REVERSE_CHARGE_PURCHASES,
}
SALES_KINDS = {
    VatKind.DOMESTIC_SALES,
    VatKind.MARGIN_SALES,
    VatKind.ZERO_RATED_SALES,
    VatKind.EU_GOODS_SALES,
    VatKind.EU_SERVICES_SALES,
    VatKind.REVERSE_CHARGE_SALES,
}


class VatCode(models.Model):
    """A kind of taxable transaction of a company, with the accounts its tax
    is posted to."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="vat_codes",
        on_delete=models.CASCADE,
    )
    code = models.SlugField(
        _("code"),
        max_length=30,
        help_text=_("Short code used on lines and accounts, e.g. sales_general."),
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=VatKind.choices)
    payable_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("account for tax payable"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    deductible_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("account for deductible tax"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("VAT code")
        verbose_name_plural = _("VAT codes")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="ledger_vatcode_unique_code",
                violation_error_message=_("The company already has this VAT code."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """Return the name in the active language, Finnish when missing."""
        language = (get_language() or "fi")[:2]
        localized = {"sv": self.name_sv, "en": self.name_en}.get(language)
        return localized or self.name_fi

    @property
    def tax_box(self) -> str | None:
        return KIND_BOXES[self.kind][0]

    @property
    def base_box(self) -> str | None:
        return KIND_BOXES[self.kind][1]

    @property
    def needs_payable_account(self) -> bool:
        return self.kind in SELF_ASSESSED_KINDS or self.tax_box == VatBox.SALES_TAX

    @property
    def needs_deductible_account(self) -> bool:
        return (
            self.kind in SELF_ASSESSED_KINDS or self.kind == VatKind.DOMESTIC_PURCHASES
        )

    def clean(self):
        errors = {}
        if self.kind and self.needs_payable_account and not self.payable_account_id:
            errors["payable_account"] = _("This kind of VAT code needs the account.")
        if (
            self.kind
            and self.needs_deductible_account
            and not self.deductible_account_id
        ):
            errors["deductible_account"] = _("This kind of VAT code needs the account.")
        for field in ("payable_account", "deductible_account"):
            account = getattr(self, field)
            if account is not None and account.company_id != self.company_id:
                errors[field] = _("The account belongs to another company.")
        if errors:
            raise ValidationError(errors, code="vat_accounts")


class VatRate(models.Model):
    """The percentage of a VAT code between two dates."""

    vat_code = models.ForeignKey(
        VatCode,
        verbose_name=_("VAT code"),
        related_name="rates",
        on_delete=models.CASCADE,
    )
    rate = models.DecimalField(
        _("rate %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Last day the rate applies; empty while it still applies."),
    )

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["vat_code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["vat_code", "valid_from"], name="ledger_vatrate_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="ledger_vatrate_ends_after_start",
                violation_error_message=_("The rate must end after it starts."),
            ),
        ]

    def __str__(self):
        end = f"{self.valid_to:%d.%m.%Y}" if self.valid_to else ""
        return f"{self.vat_code.code} {self.rate} % {self.valid_from:%d.%m.%Y}-{end}"

    def clean(self):
        if not self.vat_code_id or self.valid_from is None:
            return
        overlapping = VatRate.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from),
            vat_code_id=self.vat_code_id,
        ).exclude(pk=self.pk)
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError(
                _("The dates overlap another rate of the same VAT code."),
                code="rate_overlap",
            )


class VatSettlement(models.Model):
    """A VAT period whose tax has been settled to the tax account."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="vat_settlements",
        on_delete=models.PROTECT,
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    voucher = models.OneToOneField(
        "ledger.Voucher",
        verbose_name=_("voucher"),
        related_name="vat_settlement",
        on_delete=models.PROTECT,
    )
    payable = models.DecimalField(
        _("tax payable"),
        max_digits=18,
        decimal_places=2,
        help_text=_("Refundable when negative."),
    )

    class Meta:
        verbose_name = _("VAT settlement")
        verbose_name_plural = _("VAT settlements")
        ordering = ["company", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "start"],
                name="ledger_vatsettlement_unique_period",
                violation_error_message=_("The VAT period is already settled."),
            ),
        ]

    def __str__(self):
        return f"{self.start:%d.%m.%Y}-{self.end:%d.%m.%Y}"
