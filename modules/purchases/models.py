"""Purchase invoices: the inbox, pre-accounting, circulation and archive.

An invoice arrives in the inbox from an e-invoice, a Peppol message or a
scan. Its files (the image, the e-invoice XML, attachments) are archived
unchanged with a checksum and can never be changed or deleted. The clerk
confirms the fields and the accounting rows, rules route it to an
inspector and an approver, and once approved it posts to the ledger and
waits for payment.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from modules.core.models import Company
from modules.core.money import round_decimal

MONEY = {"max_digits": 18, "decimal_places": 2}


class Channel(models.TextChoices):
    FINVOICE = "finvoice", _("Finvoice e-invoice")
    PEPPOL = "peppol", _("Peppol invoice")
    SCAN = "scan", _("Scanned or emailed document")
    MANUAL = "manual", _("Entered by hand")


class InvoiceState(models.TextChoices):
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    RECEIVED = "received", _("Received")
    IN_CIRCULATION = "in_circulation", _("In circulation")
    REJECTED = "rejected", _("Rejected")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    PAID = "paid", _("Paid")


class PurchaseInvoice(models.Model):
    """A supplier's invoice to the company, from arrival to payment."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="purchase_invoices",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=InvoiceState.choices,
        default=InvoiceState.RECEIVED,
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    problem = models.TextField(
        _("problem"),
        blank=True,
        help_text=_("Why the invoice needs attention, in words for the clerk."),
    )
    supplier = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_invoices",
    )
    supplier_name = models.CharField(_("supplier name"), max_length=200, blank=True)
    supplier_business_id = models.CharField(
        _("supplier business ID"), max_length=20, blank=True
    )
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    total = models.DecimalField(_("total"), **MONEY, default=Decimal("0"))
    vat_amount = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0"))
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    message = models.CharField(_("payment message"), max_length=140, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_key = models.CharField(
        _("source key"),
        max_length=128,
        editable=False,
        help_text=_("Identifies the message the invoice came from."),
    )
    voucher = models.ForeignKey(
        "ledger.Voucher",
        verbose_name=_("voucher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    order_reference = models.CharField(
        _("buyer's order reference"),
        max_length=70,
        blank=True,
        help_text=_("The order number the supplier quoted on the invoice."),
    )
    purchase_order = models.ForeignKey(
        "orders.PurchaseOrder",
        verbose_name=_("purchase order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cash_discount_date = models.DateField(
        _("cash discount date"),
        null=True,
        blank=True,
        help_text=_("Paid by this date, the cash discount may be deducted."),
    )
    cash_discount_percent = models.DecimalField(
        _("cash discount %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cash_discount_amount = models.DecimalField(
        _("cash discount amount"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Leave empty to count it from the percent."),
    )

    class Meta:
        verbose_name = _("purchase invoice")
        verbose_name_plural = _("purchase invoices")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "source_key"],
                name="purchase_invoice_once_per_source",
            )
        ]
        indexes = [
            models.Index(fields=["company", "state", "due_date"]),
            models.Index(fields=["company", "supplier_business_id", "invoice_number"]),
        ]

    def __str__(self):
        who = self.supplier or self.supplier_name or _("unknown supplier")
        return f"{who} {self.invoice_number}".strip()

    @property
    def net_amount(self) -> Decimal:
        return self.total - self.vat_amount

    @property
    def cash_discount(self) -> Decimal:
        """The discount the supplier grants for paying by the discount date."""
        if self.cash_discount_date is None:
            return Decimal("0")
        if self.cash_discount_amount is not None:
            return self.cash_discount_amount
        if self.cash_discount_percent:
            return round_decimal(self.total * self.cash_discount_percent / 100, 2)
        return Decimal("0")


class MatchStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    QUANTITY = "quantity", _("Quantity differs")
    PRICE = "price", _("Price differs")
    NOT_ON_ORDER = "not_on_order", _("Not on the order")


class InvoiceLine(models.Model):
    """A row as the supplier wrote it on the invoice."""

    invoice = models.ForeignKey(
        PurchaseInvoice,
        verbose_name=_("invoice"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    net_amount = models.DecimalField(_("net amount"), **MONEY, default=Decimal("0"))
    vat_rate = models.DecimalField(
        _("VAT rate %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    vat_amount = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0"))
    article_code = models.CharField(
        _("article code"),
        max_length=70,
        blank=True,
        help_text=_("The buyer's or else the supplier's article identifier."),
    )
    order_line = models.ForeignKey(
        "orders.PurchaseOrderLine",
        verbose_name=_("order line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    match_status = models.CharField(
        _("match"), max_length=12, choices=MatchStatus.choices, blank=True
    )
    match_note = models.CharField(_("match note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "pk"]

    def __str__(self):
        return self.description


class AccountingRow(models.Model):
    """How the clerk accounts for (part of) the invoice."""

    invoice = models.ForeignKey(
        PurchaseInvoice,
        verbose_name=_("invoice"),
        on_delete=models.CASCADE,
        related_name="accounting_rows",
    )
    account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    vat_code = models.CharField(_("VAT code"), max_length=30, blank=True)
    net_amount = models.DecimalField(_("net amount"), **MONEY)
    description = models.CharField(_("description"), max_length=200, blank=True)
    cost_centre = models.ForeignKey(
        "ledger.CostCentre",
        verbose_name=_("cost centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "ledger.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accrual_months = models.PositiveSmallIntegerField(
        _("spread over months"),
        default=1,
        help_text=_("Spread the expense evenly over this many months."),
    )

    class Meta:
        verbose_name = _("accounting row")
        verbose_name_plural = _("accounting rows")
        ordering = ["invoice", "pk"]

    def __str__(self):
        return f"{self.account} {self.net_amount}"


class ReceiptMatch(models.Model):
    """The quantity of a goods receipt line that an invoice line bills.

    A receipt line can be billed only once in total: matching locks the
    receipt lines and counts what live invoices already took.
    """

    invoice_line = models.ForeignKey(
        InvoiceLine,
        verbose_name=_("invoice line"),
        on_delete=models.CASCADE,
        related_name="receipt_matches",
    )
    receipt_line = models.ForeignKey(
        "orders.GoodsReceiptLine",
        verbose_name=_("goods receipt line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("receipt match")
        verbose_name_plural = _("receipt matches")
        ordering = ["invoice_line", "pk"]

    def __str__(self):
        return f"{self.invoice_line} ← {self.receipt_line}"


class PurchaseSettings(models.Model):
    """A company's tolerances for order matching and its invoice channels."""

    class Mailbox(models.TextChoices):
        NONE = "", _("No mailbox")
        IMAP = "imap", _("IMAP mailbox")
        MAILDIR = "maildir", _("Mail folder on the server")

    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="purchase_settings",
    )
    quantity_tolerance_percent = models.DecimalField(
        _("quantity tolerance %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("How much more than received may be invoiced on a line."),
    )
    price_tolerance_percent = models.DecimalField(
        _("price tolerance %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Allowed price difference as a share of the ordered line."),
    )
    price_tolerance_amount = models.DecimalField(
        _("price tolerance amount"),
        **MONEY,
        default=Decimal("0"),
        help_text=_(
            "Allowed price difference per line in money; the larger of the "
            "two tolerances applies."
        ),
    )
    einvoice_folder = models.CharField(
        _("e-invoice folder"),
        max_length=200,
        blank=True,
        help_text=_(
            "Folder where the operator drops Finvoice files, under the "
            "installation's e-invoice directory, e.g. alfa-operator."
        ),
    )
    mailbox = models.CharField(
        _("invoice mailbox"),
        max_length=10,
        choices=Mailbox.choices,
        blank=True,
        default=Mailbox.NONE,
    )
    mailbox_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    mailbox_user = models.CharField(_("IMAP user"), max_length=200, blank=True)
    mailbox_folder = models.CharField(
        _("mail folder"),
        max_length=200,
        blank=True,
        help_text=_(
            "IMAP folder (default INBOX), or for a mail folder on the server "
            "its name under the installation's e-invoice directory."
        ),
    )

    class Meta:
        verbose_name = _("purchase settings")
        verbose_name_plural = _("purchase settings")

    def __str__(self):
        return str(self.company)


class ArchivedFile(models.Model):
    """A file that came with an invoice, kept unchanged for the legal time."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Invoice image")
        XML = "xml", _("E-invoice message")
        ATTACHMENT = "attachment", _("Attachment")

    invoice = models.ForeignKey(
        PurchaseInvoice,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    archived_at = models.DateTimeField(_("archived at"), auto_now_add=True)
    keep_until = models.DateField(_("keep until"))

    class Meta:
        verbose_name = _("archived file")
        verbose_name_plural = _("archived files")
        ordering = ["invoice", "pk"]
        triggers = [
            pgtrigger.Protect(
                name="archived_file_no_update", operation=pgtrigger.Update
            ),
            pgtrigger.Protect(
                name="archived_file_no_delete", operation=pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.invoice}: {self.get_kind_display()}"


class ApprovalRule(models.Model):
    """Who inspects and approves the invoices that match the rule."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="approval_rules",
    )
    name = models.CharField(_("name"), max_length=100)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower numbers are tried first.")
    )
    supplier = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    min_total = models.DecimalField(_("from total"), **MONEY, null=True, blank=True)
    max_total = models.DecimalField(_("up to total"), **MONEY, null=True, blank=True)
    account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("expense account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    cost_centre = models.ForeignKey(
        "ledger.CostCentre",
        verbose_name=_("cost centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    project = models.ForeignKey(
        "ledger.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    skip_when_matched = models.BooleanField(
        _("matched invoices skip manual approval"),
        default=False,
        help_text=_(
            "An invoice whose every line matches its purchase order and goods "
            "receipts is approved without sending it round."
        ),
    )

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["company", "priority", "pk"]

    def __str__(self):
        return self.name


class Substitute(models.Model):
    """Someone who acts for an absent inspector or approver."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="approval_substitutes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("absent person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("substitute")
        verbose_name_plural = _("substitutes")
        ordering = ["company", "starts_on"]

    def __str__(self):
        return f"{self.substitute} → {self.user}"


class ApprovalStep(models.Model):
    """One person's turn with an invoice: inspect or approve."""

    class Role(models.TextChoices):
        INSPECT = "inspect", _("Inspect")
        APPROVE = "approve", _("Approve")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        WAITING = "waiting", _("Not yet due")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        FORWARDED = "forwarded", _("Forwarded")

    invoice = models.ForeignKey(
        PurchaseInvoice,
        verbose_name=_("invoice"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    comment = models.TextField(_("comment"), blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("acted at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["invoice", "position"]

    def __str__(self):
        return f"{self.invoice}: {self.get_role_display()} ({self.assignee})"
