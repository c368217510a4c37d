"""The books: chart of accounts, fiscal years, vouchers and journal lines.

Posted vouchers and their lines are immutable. Python refuses to change
them (`save`, `delete` and the services), and PostgreSQL triggers refuse
any UPDATE or DELETE of a posted row, even from raw SQL. A voucher posts
only when its lines balance, which a trigger checks too. Corrections are
made by a reversing voucher.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from modules.core.models import Company


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


BALANCE_SHEET_TYPES = (AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY)


class StatementLine(models.TextChoices):
    """Lines of the statutory statements (Accounting Ordinance 1:1-1:7).

    The income statement is the one by nature of expense; balance sheet
    lines are at the level that small companies publish.
    """

    BS_INTANGIBLE = "bs_intangible", _("Intangible assets")
    BS_TANGIBLE = "bs_tangible", _("Tangible assets")
    BS_INVESTMENTS = "bs_investments", _("Investments")
    BS_INVENTORIES = "bs_inventories", _("Inventories")
    BS_RECEIVABLES_LONG = "bs_receivables_long", _("Long-term receivables")
    BS_RECEIVABLES_SHORT = "bs_receivables_short", _("Short-term receivables")
    BS_SECURITIES = "bs_securities", _("Financial securities")
    BS_CASH = "bs_cash", _("Cash in hand and at banks")
    BS_SHARE_CAPITAL = "bs_share_capital", _("Share capital")
    BS_OTHER_RESERVES = "bs_other_reserves", _("Other reserves")
    BS_RETAINED_EARNINGS = "bs_retained_earnings", _("Retained earnings")
    BS_PROFIT = "bs_profit", _("Profit (loss) for the financial year")
    BS_APPROPRIATIONS = "bs_appropriations", _("Accumulated appropriations")
    BS_PROVISIONS = "bs_provisions", _("Provisions")
    BS_LIABILITIES_LONG = "bs_liabilities_long", _("Long-term liabilities")
    BS_LIABILITIES_SHORT = "bs_liabilities_short", _("Short-term liabilities")
    IS_TURNOVER = "is_turnover", _("Net turnover")
    IS_INVENTORY_CHANGE = (
        "is_inventory_change",
        _("Change in inventories of finished goods and work in progress"),
    )
    IS_OTHER_INCOME = "is_other_income", _("Other operating income")
    IS_MATERIALS = "is_materials", _("Materials and services")
    IS_PERSONNEL = "is_personnel", _("Personnel expenses")
    IS_DEPRECIATION = "is_depreciation", _("Depreciation and impairment")
    IS_OTHER_EXPENSES = "is_other_expenses", _("Other operating expenses")
    IS_FINANCIAL_INCOME = "is_financial_income", _("Financial income")
    IS_FINANCIAL_EXPENSES = "is_financial_expenses", _("Financial expenses")
    IS_APPROPRIATIONS = "is_appropriations", _("Appropriations")
    IS_INCOME_TAXES = "is_income_taxes", _("Income taxes")


class Account(models.Model):
    """An account of a company's chart, mapped to a statement line."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="accounts",
        on_delete=models.CASCADE,
    )
    number = models.CharField(
        _("number"),
        max_length=10,
        validators=[
            RegexValidator(r"^[0-9]{3,10}$", _("Use 3 to 10 digits, e.g. 1910."))
        ],
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=AccountType.choices)
    statement_line = models.CharField(
        _("statement line"),
        max_length=30,
        choices=StatementLine.choices,
        help_text=_("Where the account is shown in the financial statements."),
    )
    default_vat_code = models.CharField(
        _("default VAT code"), max_length=30, blank=True
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Closed accounts keep their entries but take no new ones."),
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["company", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                name="ledger_account_unique_number",
                violation_error_message=_("The chart already has this number."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def name(self) -> str:
        """Return the name in the active language, Finnish when missing."""
        language = (get_language() or "fi")[:2]
        localized = {"sv": self.name_sv, "en": self.name_en}.get(language)
        return localized or self.name_fi

    def clean(self):
        on_balance_sheet = self.statement_line.startswith("bs_")
        if (
            self.type
            and self.statement_line
            and (on_balance_sheet != (self.type in BALANCE_SHEET_TYPES))
        ):
            raise ValidationError(
                {
                    "statement_line": _(
                        "Asset, liability and equity accounts go on the balance "
                        "sheet; income and expense accounts on the income "
                        "statement."
                    )
                },
                code="statement_line_type",
            )


class FiscalYear(models.Model):
    """A financial year of a company, split into monthly periods."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="fiscal_years",
        on_delete=models.CASCADE,
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["company", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="ledger_fiscalyear_end_after_start",
                violation_error_message=_("The year must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.start:%d.%m.%Y}-{self.end:%d.%m.%Y}"


class Period(models.Model):
    """A month of a fiscal year; only open periods take postings."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        LOCKED = "locked", _("Locked")
        CLOSED = "closed", _("Closed")

    fiscal_year = models.ForeignKey(
        FiscalYear,
        verbose_name=_("fiscal year"),
        related_name="periods",
        on_delete=models.CASCADE,
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["fiscal_year", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "start"], name="ledger_period_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.start:%m/%Y}"


class VoucherSeries(models.Model):
    """A kind of voucher with its own numbering, e.g. sales or bank."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="voucher_series",
        on_delete=models.CASCADE,
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[
            RegexValidator(r"^[A-Z0-9]{1,10}$", _("Use capital letters and digits."))
        ],
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("voucher series")
        verbose_name_plural = _("voucher series")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="ledger_voucherseries_unique_code",
                violation_error_message=_("The company already has this series."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


POSTED_MESSAGE = _("A posted voucher cannot be changed or deleted; reverse it.")


class PostedError(ValidationError):
    """Raised when something tries to change a posted voucher or line."""

    def __init__(self):
        super().__init__(POSTED_MESSAGE, code="posted")


# Statement-level checks over the rows a statement wrote (`new_rows`), so a
# batch of thousands of vouchers is checked by one query, not one per row.
# A transition table serves one event only: one trigger each for INSERT and
# UPDATE. The batch service writes lines first and then vouchers already
# posted; `post_voucher` inserts a draft and updates it to posted.
_IN_CLOSED_YEAR = """
    SELECT v.fiscal_year_id INTO found FROM new_rows v
    JOIN ledger_fiscalyear f ON f.id = v.fiscal_year_id
    WHERE f.state = 'closed' LIMIT 1;
    IF found IS NOT NULL THEN
        RAISE EXCEPTION 'ledger: fiscal year % is closed', found;
    END IF;
"""
_UNBALANCED = """
    SELECT v.id INTO found FROM new_rows v
    LEFT JOIN ledger_journalline l ON l.voucher_id = v.id
    WHERE v.state = 'posted'
    GROUP BY v.id
    HAVING COALESCE(SUM(l.debit - l.credit), 0) <> 0 OR COUNT(l.id) < 2
    LIMIT 1;
    IF found IS NOT NULL THEN
        RAISE EXCEPTION 'ledger: voucher % does not balance', found;
    END IF;
"""


def _statement_triggers(name: str, check: str) -> list:
    return [
        pgtrigger.Trigger(
            name=f"{name}_{label}",
            operation=operation,
            when=pgtrigger.After,
            level=pgtrigger.Statement,
            referencing=pgtrigger.Referencing(new="new_rows"),
            declare=[("found", "bigint")],
            func=check + "RETURN NULL;",
        )
        for label, operation in (("ins", pgtrigger.Insert), ("upd", pgtrigger.Update))
    ]


class Voucher(models.Model):
    """A dated, numbered set of journal lines that balance."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="vouchers",
        on_delete=models.PROTECT,
    )
    series = models.ForeignKey(
        VoucherSeries,
        verbose_name=_("series"),
        related_name="vouchers",
        on_delete=models.PROTECT,
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        verbose_name=_("fiscal year"),
        related_name="vouchers",
        on_delete=models.PROTECT,
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=State.choices,
        default=State.DRAFT,
        editable=False,
    )
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    source_id = models.CharField(_("source"), max_length=64, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("reversal of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        editable=False,
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, editable=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    chain_position = models.PositiveBigIntegerField(
        _("chain position"), null=True, editable=False
    )
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["company", "-date", "series", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "series", "fiscal_year", "number"],
                name="ledger_voucher_unique_number",
            ),
            models.UniqueConstraint(
                fields=["company", "chain_position"],
                name="ledger_voucher_unique_chain_position",
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | Q(number__isnull=False, chain_position__isnull=False) & ~Q(hash=""),
                name="ledger_voucher_posted_is_numbered",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="voucher_posted_no_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__state="posted"),
            ),
            pgtrigger.Protect(
                name="voucher_posted_no_delete",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Q(old__state="posted"),
            ),
            *_statement_triggers("voucher_not_in_closed_year", _IN_CLOSED_YEAR),
            *_statement_triggers("voucher_posts_balanced", _UNBALANCED),
        ]

    def __str__(self):
        if self.number is None:
            return f"{self.series.code} {_('draft')} {self.date:%d.%m.%Y}"
        return f"{self.series.code} {self.number} {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None and _stored_state(Voucher, self.pk) == "posted":
            raise PostedError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and _stored_state(Voucher, self.pk) == "posted":
            raise PostedError()
        return super().delete(*args, **kwargs)

    @property
    def is_posted(self) -> bool:
        return self.state == self.State.POSTED

    @property
    def total(self) -> Decimal:
        """Return the sum of the debits, which equals that of the credits."""
        return self.lines.aggregate(total=Sum("debit", default=Decimal(0)))["total"]


def _stored_state(model, pk) -> str | None:
    field = "state" if model is Voucher else "voucher__state"
    return model._default_manager.filter(pk=pk).values_list(field, flat=True).first()


_LINE_OF_POSTED_VOUCHER = """
    IF EXISTS (SELECT 1 FROM ledger_voucher
               WHERE id = {row}.voucher_id AND state = 'posted') THEN
        RAISE EXCEPTION 'ledger: lines of posted voucher % cannot change',
            {row}.voucher_id;
    END IF;
"""


class VatRole(models.TextChoices):
    """What a line is to the VAT return: the taxable amount or the tax."""

    BASE = "base", _("Taxable amount")
    TAX_PAYABLE = "tax_payable", _("Tax payable")
    TAX_DEDUCTIBLE = "tax_deductible", _("Deductible tax")


class JournalLine(models.Model):
    """One debit or credit on an account within a voucher."""

    voucher = models.ForeignKey(
        Voucher,
        verbose_name=_("voucher"),
        related_name="lines",
        on_delete=models.PROTECT,
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        related_name="lines",
        on_delete=models.PROTECT,
    )
    debit = models.DecimalField(_("debit"), max_digits=18, decimal_places=2, default=0)
    credit = models.DecimalField(
        _("credit"), max_digits=18, decimal_places=2, default=0
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    vat_code = models.CharField(_("VAT code"), max_length=30, blank=True)
    vat_role = models.CharField(
        _("VAT role"), max_length=20, choices=VatRole.choices, blank=True
    )
    vat_rate = models.DecimalField(
        _("VAT rate"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cost_centre = models.ForeignKey(
        "ledger.CostCentre",
        verbose_name=_("cost centre"),
        related_name="lines",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    project = models.ForeignKey(
        "ledger.Project",
        verbose_name=_("project"),
        related_name="lines",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    amount_in_currency = models.DecimalField(
        _("amount in currency"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(
        _("rate"), max_digits=18, decimal_places=8, null=True, blank=True
    )

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["voucher", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit=0, credit__gt=0) | Q(credit=0, debit__gt=0),
                name="ledger_journalline_one_side",
                violation_error_message=_(
                    "A line has either a debit or a credit, not both, and it "
                    "is more than zero."
                ),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="journal_line_posted_no_insert",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(new="new_rows"),
                declare=[("found", "bigint")],
                func="""
                SELECT l.voucher_id INTO found FROM new_rows l
                JOIN ledger_voucher v ON v.id = l.voucher_id
                WHERE v.state = 'posted' LIMIT 1;
                IF found IS NOT NULL THEN
                    RAISE EXCEPTION
                        'ledger: lines of posted voucher % cannot change', found;
                END IF;
                RETURN NULL;
                """,
            ),
            pgtrigger.Trigger(
                name="journal_line_posted_no_update",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=_LINE_OF_POSTED_VOUCHER.format(row="OLD") + "RETURN NEW;",
            ),
            pgtrigger.Trigger(
                name="journal_line_posted_no_delete",
                operation=pgtrigger.Delete,
                when=pgtrigger.Before,
                func=_LINE_OF_POSTED_VOUCHER.format(row="OLD") + "RETURN OLD;",
            ),
        ]

    def __str__(self):
        side = _("Dr") if self.debit else _("Cr")
        return f"{self.account.number} {side} {self.debit or self.credit}"

    def save(self, *args, **kwargs):
        if self.voucher_id and _stored_state(Voucher, self.voucher_id) == "posted":
            raise PostedError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.voucher_id and _stored_state(Voucher, self.voucher_id) == "posted":
            raise PostedError()
        return super().delete(*args, **kwargs)


class VoucherAttachment(models.Model):
    """A source document (PDF, image) attached to a voucher, with its checksum.

    Attachments are append-only: a wrong one is left in place and the right
    one attached beside it, as with paper vouchers.
    """

    voucher = models.ForeignKey(
        Voucher,
        verbose_name=_("voucher"),
        related_name="attachments",
        on_delete=models.PROTECT,
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    attached_at = models.DateTimeField(_("attached at"), auto_now_add=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attached by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("voucher attachment")
        verbose_name_plural = _("voucher attachments")
        ordering = ["voucher", "pk"]
        triggers = [
            pgtrigger.Protect(
                name="voucher_attachment_no_update", operation=pgtrigger.Update
            ),
            pgtrigger.Protect(
                name="voucher_attachment_no_delete", operation=pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.voucher}: {self.document}"
