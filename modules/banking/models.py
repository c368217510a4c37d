"""Banking: statements and their transactions, matches, outgoing payments.

Money comes in through bank files (camt.053, camt.054, the reference
payment file) imported into `BankStatement` and `BankTransaction` rows;
`PaymentAllocation` says where each incoming euro went (an invoice, or an
account of the ledger). Money goes out through `PaymentBatch` files of
`OutgoingPayment` rows. `BankConnection` tells how the product reaches an
account (its ledger account, voucher series and file channel) and
`RecurringCashItem` feeds the cash forecast.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modules.core.models import BankAccount, Company

MONEY = {"max_digits": 18, "decimal_places": 2}


class Channel(models.TextChoices):
    MANUAL = "manual", _("Upload only")
    FOLDER = "folder", _("Watched folder")


class BankConnection(models.Model):
    """How one bank account is booked and where its files arrive."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="bank_connections",
        on_delete=models.CASCADE,
    )
    bank_account = models.OneToOneField(
        BankAccount,
        verbose_name=_("bank account"),
        related_name="bank_connection",
        on_delete=models.CASCADE,
    )
    ledger_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("ledger account"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The cash account the bank account is booked to."),
    )
    voucher_series = models.ForeignKey(
        "ledger.VoucherSeries",
        verbose_name=_("voucher series"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Series of the vouchers posted from bank transactions."),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.MANUAL
    )
    folder = models.CharField(
        _("folder"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a watched folder: its name under the installation's bank "
            "file directory, e.g. nordea-main."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank connection")
        verbose_name_plural = _("bank connections")
        ordering = ["company", "bank_account"]

    def __str__(self):
        return str(self.bank_account)

    def clean(self):
        from modules.banking.channels import folder_path

        errors = {}
        for name in ("bank_account", "ledger_account", "voucher_series"):
            related = getattr(self, name, None)
            if related is not None and related.company_id != self.company_id:
                errors[name] = ValidationError(
                    _("Choose one of the company's own."), code="foreign"
                )
        if self.channel == Channel.FOLDER:
            try:
                folder_path(self.folder)
            except ValidationError as error:
                errors["folder"] = error.error_list
        if errors:
            raise ValidationError(errors)


class StatementKind(models.TextChoices):
    CAMT053 = "camt.053", _("Account statement (camt.053)")
    CAMT054 = "camt.054", _("Debit/credit notification (camt.054)")
    REFERENCE_FILE = "reference", _("Reference payment file")


class BankStatement(models.Model):
    """One imported statement or notification of one bank account."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Upload")
        CHANNEL = "channel", _("Bank channel")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="bank_statements",
        on_delete=models.CASCADE,
    )
    bank_account = models.ForeignKey(
        BankAccount,
        verbose_name=_("bank account"),
        related_name="statements",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind.choices)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("file checksum"), max_length=64)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    report_id = models.CharField(_("statement id"), max_length=100, blank=True)
    created_by_bank_at = models.DateTimeField(
        _("created by the bank"), null=True, blank=True
    )
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)
    opening_balance = models.DecimalField(
        _("opening balance"), null=True, blank=True, **MONEY
    )
    closing_balance = models.DecimalField(
        _("closing balance"), null=True, blank=True, **MONEY
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.UPLOAD
    )
    transaction_count = models.PositiveIntegerField(_("transactions"), default=0)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["company", "-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "file_sha256", "report_id"],
                name="banking_statement_once_per_file",
            )
        ]

    def __str__(self):
        label = self.get_kind_display()
        if self.to_date:
            return f"{label} {self.to_date:%d.%m.%Y} ({self.bank_account.name})"
        return f"{label} {self.imported_at:%d.%m.%Y} ({self.bank_account.name})"


class BankTransaction(models.Model):
    """One payment in or out of a bank account, as the bank booked it."""

    class Direction(models.TextChoices):
        CREDIT = "credit", _("Incoming")
        DEBIT = "debit", _("Outgoing")

    class State(models.TextChoices):
        UNMATCHED = "unmatched", _("Unmatched")
        PROPOSED = "proposed", _("Match proposed")
        PARTIAL = "partial", _("Partly allocated")
        MATCHED = "matched", _("Allocated")
        IGNORED = "ignored", _("Not to be allocated")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="bank_transactions",
        on_delete=models.CASCADE,
    )
    statement = models.ForeignKey(
        BankStatement,
        verbose_name=_("statement"),
        related_name="transactions",
        on_delete=models.PROTECT,
    )
    bank_account = models.ForeignKey(
        BankAccount,
        verbose_name=_("bank account"),
        related_name="transactions",
        on_delete=models.PROTECT,
    )
    key = models.CharField(
        _("archive id"),
        max_length=100,
        help_text=_("The bank's archive id, unique per account."),
    )
    booking_date = models.DateField(_("booking date"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices
    )
    is_reversal = models.BooleanField(_("reversal"), default=False)
    reference = models.CharField(_("reference"), max_length=35, blank=True)
    raw_reference = models.CharField(_("reference as given"), max_length=35, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    counterparty_name = models.CharField(
        _("payer or payee"), max_length=140, blank=True
    )
    counterparty_iban = models.CharField(_("their IBAN"), max_length=34, blank=True)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, blank=True)
    payment_info_id = models.CharField(
        _("payment information id"),
        max_length=35,
        blank=True,
        help_text=_("For a payment batch booked as one entry: the batch's id."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.UNMATCHED
    )
    allocated_amount = models.DecimalField(
        _("allocated"), default=Decimal("0"), **MONEY
    )
    proposals = models.JSONField(
        _("match proposals"), default=list, blank=True, editable=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        ordering = ["company", "-booking_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "key"],
                name="banking_transaction_once_per_account",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="banking_transaction_positive"
            ),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0)
                & Q(allocated_amount__lte=models.F("amount")),
                name="banking_transaction_allocated_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["company", "state"])]

    def __str__(self):
        sign = "+" if self.direction == self.Direction.CREDIT else "-"
        return (
            f"{self.booking_date:%d.%m.%Y} {sign}{self.amount} {self.currency} "
            f"{self.counterparty_name}".strip()
        )

    @property
    def open_amount(self) -> Decimal:
        """Return the part of the amount not yet allocated."""
        return self.amount - self.allocated_amount


class PaymentAllocation(models.Model):
    """A part of a bank transaction applied to an invoice or an account."""

    class Kind(models.TextChoices):
        RECEIVABLE = "receivable", _("Invoice")
        ACCOUNT = "account", _("Ledger account")
        OUTGOING = "outgoing", _("Outgoing payment")
        RETURN = "return", _("Returned outgoing payment")
        REFUND = "refund", _("Paid back")

    class Method(models.TextChoices):
        REFERENCE = "reference", _("By reference")
        AMOUNT_NAME = "amount_name", _("By amount and name")
        MANUAL = "manual", _("By hand")
        END_TO_END = "end_to_end", _("By end-to-end id")
        BATCH = "batch", _("By payment batch")
        AMOUNT_ACCOUNT = "amount_account", _("By amount, account and reference")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="payment_allocations",
        on_delete=models.CASCADE,
    )
    transaction = models.ForeignKey(
        BankTransaction,
        verbose_name=_("bank transaction"),
        related_name="allocations",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    document_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("document type"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    document_id = models.CharField(_("document"), max_length=64, blank=True)
    document_label = models.CharField(_("invoice"), max_length=100, blank=True)
    customer_key = models.CharField(_("customer id"), max_length=64, blank=True)
    customer_name = models.CharField(_("customer"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    ledger_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("ledger account"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    voucher = models.ForeignKey(
        "ledger.Voucher",
        verbose_name=_("voucher"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    outgoing_payment = models.ForeignKey(
        "banking.OutgoingPayment",
        verbose_name=_("outgoing payment"),
        related_name="allocations",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        ordering = ["company", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="banking_allocation_positive"
            ),
            models.UniqueConstraint(
                fields=["transaction", "document_type", "document_id"],
                condition=Q(kind="receivable"),
                name="banking_allocation_once_per_document",
            ),
            # An outgoing payment is paid, and returned, by one bank
            # transaction at most: a second statement cannot settle it again.
            models.UniqueConstraint(
                fields=["outgoing_payment"],
                condition=Q(kind="outgoing"),
                name="banking_allocation_pays_once",
            ),
            models.UniqueConstraint(
                fields=["outgoing_payment"],
                condition=Q(kind="return"),
                name="banking_allocation_returns_once",
            ),
        ]
        indexes = [models.Index(fields=["company", "customer_key"])]

    def __str__(self):
        target = self.document_label or self.ledger_account or ""
        return f"{self.amount} -> {target}"


class PaymentBatch(models.Model):
    """A SEPA credit transfer file: payments from one account on one date."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("File created")
        ACCEPTED = "accepted", _("Accepted by the bank")
        PARTIAL = "partial", _("Partly accepted")
        REJECTED = "rejected", _("Rejected by the bank")

    class Version(models.TextChoices):
        V03 = "pain.001.001.03", "pain.001.001.03"
        V09 = "pain.001.001.09", "pain.001.001.09"

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="payment_batches",
        on_delete=models.CASCADE,
    )
    bank_account = models.ForeignKey(
        BankAccount,
        verbose_name=_("paying account"),
        related_name="payment_batches",
        on_delete=models.PROTECT,
    )
    number = models.CharField(_("number"), max_length=30)
    requested_date = models.DateField(_("payment date"))
    version = models.CharField(
        _("file version"), max_length=20, choices=Version.choices, default=Version.V03
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    total = models.DecimalField(_("total"), default=Decimal("0"), **MONEY)
    message_id = models.CharField(_("message id"), max_length=35, blank=True)
    file_xml = models.TextField(_("payment file"), blank=True, editable=False)
    status_message = models.CharField(_("bank's answer"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["company", "-requested_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="banking_batch_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.requested_date:%d.%m.%Y}"


class OutgoingPayment(models.Model):
    """One credit transfer of a payment batch."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the bank")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")
        RETURNED = "returned", _("Returned by the bank")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="outgoing_payments",
        on_delete=models.CASCADE,
    )
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("payment batch"),
        related_name="payments",
        on_delete=models.CASCADE,
    )
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35)
    creditor_name = models.CharField(_("payee"), max_length=70)
    creditor_iban = models.CharField(_("payee's IBAN"), max_length=34)
    creditor_bic = models.CharField(_("payee's BIC"), max_length=11, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    cash_discount = models.DecimalField(
        _("cash discount"),
        default=Decimal("0"),
        help_text=_("Deducted from the document's amount for paying early."),
        **MONEY,
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    reference = models.CharField(_("reference"), max_length=35, blank=True)
    message = models.CharField(_("message"), max_length=140, blank=True)
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("source type"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    source_id = models.CharField(_("source"), max_length=64, blank=True)
    source_label = models.CharField(_("source document"), max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing payment")
        verbose_name_plural = _("outgoing payments")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "end_to_end_id"],
                name="banking_payment_unique_end_to_end_id",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="banking_payment_positive"
            ),
            models.CheckConstraint(
                condition=Q(cash_discount__gte=0),
                name="banking_payment_discount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.creditor_name} {self.amount} {self.currency}"


class RecurringCashItem(models.Model):
    """A regular payment in or out (rent, salaries, loan) for the forecast."""

    class Direction(models.TextChoices):
        IN = "in", _("Cash in")
        OUT = "out", _("Cash out")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="recurring_cash_items",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=100)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices
    )
    start_date = models.DateField(_("first date"))
    end_date = models.DateField(_("last date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("recurring cash item")
        verbose_name_plural = _("recurring cash items")
        ordering = ["company", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="banking_recurring_positive"
            )
        ]

    def __str__(self):
        return self.name
