"""Companies and the data every module shares.

Companies, company groups, bank accounts and the memberships that give
users access; the reference data all companies read (countries,
currencies, exchange rates, units of measure); gap-free number series;
and the audit log.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modules.core.validators import (
    bic_for_iban,
    format_iban,
    normalize_bic,
    normalize_iban,
    normalize_vat_number,
    validate_business_id,
    vat_number_for_business_id,
)


def _language_choices():
    return settings.LANGUAGES


class NamedInThreeLanguages(models.Model):
    """Reference data named in Finnish, Swedish and English."""

    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """Return the name in the active language, Finnish by default."""
        language = (get_language() or "fi")[:2]
        return {"sv": self.name_sv, "en": self.name_en}.get(language, self.name_fi)


class Country(NamedInThreeLanguages):
    """A country by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 code, e.g. FI."),
    )
    is_eu_member = models.BooleanField(_("EU member state"), default=False)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Currency(NamedInThreeLanguages):
    """A currency by its ISO 4217 code, with its number of decimals."""

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        help_text=_("ISO 4217 code, e.g. EUR."),
    )
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"),
        default=2,
        validators=[MaxValueValidator(4)],
        help_text=_("Minor units of the currency: 2 for the euro, 0 for the yen."),
    )
    symbol = models.CharField(
        _("symbol"),
        max_length=5,
        blank=True,
        help_text=_("Shown after amounts, e.g. €; the code is shown when empty."),
    )

    class Meta:
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        ordering = ["code"]

    def __str__(self):
        return self.code


class ExchangeRate(models.Model):
    """How many units of a currency one euro buys on a date."""

    currency = models.ForeignKey(
        Currency,
        verbose_name=_("currency"),
        related_name="rates",
        on_delete=models.PROTECT,
    )
    date = models.DateField(_("date"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("Units of the currency for one euro, e.g. 1.0850 for USD."),
    )
    source = models.CharField(
        _("source"),
        max_length=50,
        default="ECB",
        help_text=_("Where the rate comes from, e.g. ECB or the bank's name."),
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "date"], name="core_exchangerate_unique_day"
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0), name="core_exchangerate_positive"
            ),
        ]

    def __str__(self):
        return f"{self.currency} {self.date}: {self.rate}"

    def clean(self):
        if self.currency_id and self.currency.code == "EUR":
            raise ValidationError(
                {"currency": _("The euro is the base currency and has no rate.")},
                code="euro_rate",
            )


class Unit(NamedInThreeLanguages):
    """A unit of measure for quantities (kpl, kg, l, m, h ...)."""

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Short code printed on documents, e.g. kpl or kg."),
    )
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"),
        default=0,
        validators=[MaxValueValidator(6)],
        help_text=_("How precisely quantities in this unit are kept."),
    )
    unece_code = models.CharField(
        _("UN/ECE code"),
        max_length=3,
        blank=True,
        help_text=_("UN/ECE Recommendation 20 code used in e-invoices, e.g. KGM."),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def __str__(self):
        return self.code


class UnitConversion(models.Model):
    """One `from_unit` equals `factor` of `to_unit` (1 kg = 1000 g)."""

    from_unit = models.ForeignKey(
        Unit,
        verbose_name=_("from unit"),
        related_name="conversions_from",
        on_delete=models.CASCADE,
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("to unit"),
        related_name="conversions_to",
        on_delete=models.CASCADE,
    )
    factor = models.DecimalField(
        _("factor"),
        max_digits=20,
        decimal_places=10,
        validators=[MinValueValidator(Decimal("0.0000000001"))],
    )

    class Meta:
        verbose_name = _("unit conversion")
        verbose_name_plural = _("unit conversions")
        ordering = ["from_unit__code", "to_unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_unit", "to_unit"], name="core_unitconversion_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_unit=models.F("to_unit")),
                name="core_unitconversion_distinct_units",
                violation_error_message=_("A unit cannot be converted to itself."),
            ),
            models.CheckConstraint(
                condition=models.Q(factor__gt=0), name="core_unitconversion_positive"
            ),
        ]

    def __str__(self):
        return f"1 {self.from_unit} = {self.factor.normalize():f} {self.to_unit}"


class CompanyGroup(models.Model):
    """A group of companies reported together (group accounts)."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("company group")
        verbose_name_plural = _("company groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class VatPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Company(models.Model):
    """A legal entity whose books, customers and stock the product keeps."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        unique=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), e.g. 2077474-0."),
    )
    vat_number = models.CharField(
        _("VAT number"),
        max_length=20,
        blank=True,
        help_text=_("FI and the digits of the business ID, e.g. FI20774740."),
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="FI", help_text=_("ISO code, e.g. FI.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    default_currency = models.CharField(
        _("default currency"),
        max_length=3,
        default="EUR",
        help_text=_("ISO code, e.g. EUR."),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=_language_choices,
        default="fi",
        help_text=_("Language of the company's documents."),
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"),
        choices=list(MONTHS.items()),
        default=1,
    )
    vat_period = models.CharField(
        _("VAT period"),
        max_length=10,
        choices=VatPeriod.choices,
        default=VatPeriod.MONTHLY,
    )
    group = models.ForeignKey(
        CompanyGroup,
        verbose_name=_("company group"),
        related_name="companies",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.vat_number:
            try:
                self.vat_number = normalize_vat_number(self.vat_number)
            except ValidationError as error:
                errors["vat_number"] = error.error_list
            else:
                expected = _expected_vat_number(self.business_id)
                if expected and self.vat_number != expected:
                    errors["vat_number"] = ValidationError(
                        _(
                            "The VAT number %(vat_number)s does not match the "
                            "business ID; it should be %(expected)s."
                        ),
                        code="vat_number_mismatch",
                        params={"vat_number": self.vat_number, "expected": expected},
                    )
        self.country = (self.country or "").upper()
        if not Country.objects.filter(code=self.country).exists():
            errors["country"] = ValidationError(
                _("%(code)s is not a known country code."),
                code="unknown_country",
                params={"code": self.country},
            )
        self.default_currency = (self.default_currency or "").upper()
        if not Currency.objects.filter(code=self.default_currency).exists():
            errors["default_currency"] = ValidationError(
                _("%(code)s is not a known currency code."),
                code="unknown_currency",
                params={"code": self.default_currency},
            )
        if errors:
            raise ValidationError(errors)


def _expected_vat_number(business_id: str) -> str:
    try:
        return vat_number_for_business_id(business_id)
    except ValidationError:
        return ""


class BankAccount(models.Model):
    """A company's bank account, printed on invoices and used for payments."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="bank_accounts",
        on_delete=models.CASCADE,
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("e.g. Nordea main account.")
    )
    iban = models.CharField(
        _("IBAN"), max_length=34, help_text=_("e.g. FI21 1234 5600 0007 85.")
    )
    bic = models.CharField(
        _("BIC"),
        max_length=11,
        blank=True,
        help_text=_("Filled in from a Finnish IBAN when left empty."),
    )
    is_default = models.BooleanField(_("default account"), default=False)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["company", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "iban"],
                name="core_bankaccount_unique_iban",
                violation_error_message=_("The company already has this account."),
            ),
            models.UniqueConstraint(
                fields=["company"],
                condition=models.Q(is_default=True),
                name="core_bankaccount_one_default",
                violation_error_message=_(
                    "The company already has a default bank account."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.formatted_iban})"

    @property
    def formatted_iban(self) -> str:
        """Return the IBAN in groups of four, as printed on documents."""
        return format_iban(self.iban)

    def clean(self):
        errors = {}
        try:
            self.iban = normalize_iban(self.iban)
        except ValidationError as error:
            errors["iban"] = error.error_list
        if self.bic:
            try:
                self.bic = normalize_bic(self.bic)
            except ValidationError as error:
                errors["bic"] = error.error_list
        elif "iban" not in errors:
            self.bic = bic_for_iban(self.iban)
            if not self.bic and self.iban.startswith("FI"):
                errors["bic"] = ValidationError(
                    _("The bank of this IBAN is not known; enter its BIC."),
                    code="bic_unknown",
                )
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    ACCOUNTANT = "accountant", _("Accountant")
    SALES = "sales", _("Sales")
    WAREHOUSE = "warehouse", _("Warehouse")
    EMPLOYEE = "employee", _("Employee")
    WEB_EDITOR = "web_editor", _("Web editor")
    PARTNER = "partner", _("Partner")
    CUSTOMER = "customer", _("Customer")


class Membership(models.Model):
    """A user's access to one company, with the role they have there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_default = models.BooleanField(_("default company"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"],
                name="core_membership_unique_user_company",
                violation_error_message=_("The user is already a member."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="core_membership_one_default",
                violation_error_message=_("The user already has a default company."),
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.company} ({self.get_role_display()})"


def role_group_name(role: str) -> str:
    """Return the name of the auth group that carries a role's permissions."""
    return f"role:{role}"


class NumberSeries(models.Model):
    """A gap-free series of document numbers per company, kind and year.

    Numbers are taken with `modules.core.numbering.next_number`, never by
    writing `next_number` directly.
    """

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="number_series",
        on_delete=models.CASCADE,
    )
    code = models.SlugField(
        _("series"), max_length=50, help_text=_("Kind of document, e.g. invoice.")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(9999)]
    )
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    padding = models.PositiveSmallIntegerField(
        _("digits"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Numbers are padded with zeros to this many digits."),
    )
    next_number = models.PositiveBigIntegerField(
        _("next number"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Set when the series is created; it cannot be changed later."),
    )

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        ordering = ["company", "code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code", "year"],
                name="core_numberseries_unique",
                violation_error_message=_("This series already exists for the year."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.year}"


class AuditEntry(models.Model):
    """One change to business data; written by services, never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        IMPORT = "import", _("Imported")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        triggers = [
            # The log is append-only, even for raw SQL. Only the links to a
            # deleted user or company may be cleared (on_delete=SET_NULL).
            pgtrigger.Protect(name="audit_entry_no_delete", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="audit_entry_no_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["user", "company"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"
