"""Sales invoices, their payments, and what decides how they are billed.

An invoice is written as a draft and becomes a document when it is issued:
it then has a gap-free number, a payment reference and a posted voucher,
and its content can no longer change. Python refuses the change and
PostgreSQL triggers refuse it too, even from raw SQL; only the settlement
fields (open amount, state, reminder and delivery marks) move afterwards.
Corrections are made by a credit note that refers to the original.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modules.core.models import BankAccount, Company
from modules.core.validators import validate_bic, validate_iban
from modules.crm.models import Organisation, Person
from modules.ledger.models import Account, Voucher, VoucherSeries

ZERO = Decimal("0.00")


def _money_field(verbose_name, **options):
    return models.DecimalField(
        verbose_name, max_digits=18, decimal_places=2, default=ZERO, **options
    )


class DeliveryChannel(models.TextChoices):
    EMAIL_PDF = "email_pdf", _("PDF by email")
    FINVOICE = "finvoice", _("Finvoice e-invoice")
    PEPPOL = "peppol", _("Peppol e-invoice")
    ELETTER = "eletter", _("E-letter (printed and mailed)")
    CONSUMER_EINVOICE = "consumer_einvoice", _("Consumer e-invoice")
    DIRECT_PAYMENT = "direct_payment", _("Direct payment")


class ReferenceKind(models.TextChoices):
    NATIONAL = "national", _("Finnish reference")
    RF = "rf", _("RF creditor reference")


class InvoicingSettings(models.Model):
    """A company's invoicing defaults: accounts, series, terms and fees."""

    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        related_name="invoicing_settings",
        on_delete=models.CASCADE,
    )
    number_series = models.SlugField(
        _("invoice number series"), max_length=30, default="invoice"
    )
    voucher_series = models.ForeignKey(
        VoucherSeries,
        verbose_name=_("voucher series"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    receivables_account = models.ForeignKey(
        Account,
        verbose_name=_("trade receivables account"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    revenue_account = models.ForeignKey(
        Account,
        verbose_name=_("default sales account"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    vat_account = models.ForeignKey(
        Account,
        verbose_name=_("output VAT account"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    bank_ledger_account = models.ForeignKey(
        Account,
        verbose_name=_("bank account in the ledger"),
        related_name="+",
        on_delete=models.PROTECT,
        help_text=_("Used for payments when the bank account has no own account."),
    )
    advances_account = models.ForeignKey(
        Account,
        verbose_name=_("overpayments account"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    fees_account = models.ForeignKey(
        Account,
        verbose_name=_("reminder fees account"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    interest_account = models.ForeignKey(
        Account,
        verbose_name=_("penal interest account"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    credit_loss_account = models.ForeignKey(
        Account,
        verbose_name=_("credit losses account"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    bank_account = models.ForeignKey(
        BankAccount,
        verbose_name=_("account printed on invoices"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=14
    )
    reference_kind = models.CharField(
        _("reference"),
        max_length=10,
        choices=ReferenceKind.choices,
        default=ReferenceKind.NATIONAL,
    )
    einvoice_address = models.CharField(
        _("our e-invoice address"), max_length=35, blank=True
    )
    einvoice_operator = models.CharField(
        _("our e-invoice operator"), max_length=35, blank=True
    )
    reminder_fee = _money_field(_("reminder fee"))
    reminder_after_days = models.PositiveSmallIntegerField(
        _("first reminder, days after due date"), default=7
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("days between reminders"), default=14
    )
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=2)

    class Meta:
        verbose_name = _("invoicing settings")
        verbose_name_plural = _("invoicing settings")

    def __str__(self):
        return str(_("Invoicing settings of %(company)s") % {"company": self.company})


class FactoringCompany(models.Model):
    """A finance company that buys a company's receivables.

    Invoices of customers assigned to it carry its assignment clause and
    are paid to its account.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    agreement_number = models.CharField(
        _("agreement number"), max_length=35, blank=True
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, validators=[validate_bic])
    assignment_clause = models.TextField(
        _("assignment clause"),
        help_text=_(
            "Printed on the invoice, e.g. This receivable has been assigned to "
            "... Pay only to the account below."
        ),
    )

    class Meta:
        verbose_name = _("factoring company")
        verbose_name_plural = _("factoring companies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CustomerBilling(models.Model):
    """How one customer (organisation or person) is invoiced."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        related_name="billing",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        related_name="billing",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    channel = models.CharField(
        _("invoice delivery"),
        max_length=20,
        choices=DeliveryChannel.choices,
        default=DeliveryChannel.EMAIL_PDF,
    )
    email = models.EmailField(_("invoice email"), blank=True)
    einvoice_address = models.CharField(
        _("e-invoice address"),
        max_length=35,
        blank=True,
        help_text=_("Leave empty to use the organisation's e-invoice address."),
    )
    einvoice_operator = models.CharField(
        _("e-invoice operator"), max_length=35, blank=True
    )
    peppol_id = models.CharField(
        _("Peppol ID"),
        max_length=50,
        blank=True,
        help_text=_("Scheme and identifier, e.g. 0216:003720774740."),
    )
    direct_payment_mandate = models.CharField(
        _("direct payment mandate"),
        max_length=35,
        blank=True,
        help_text=_("The mandate's identifier, given by the customer's bank."),
    )
    reference_kind = models.CharField(
        _("reference"), max_length=10, choices=ReferenceKind.choices, blank=True
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), null=True, blank=True
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    factoring_company = models.ForeignKey(
        FactoringCompany,
        verbose_name=_("factoring company"),
        related_name="customers",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    send_reminders = models.BooleanField(_("send payment reminders"), default=True)

    class Meta:
        verbose_name = _("customer billing")
        verbose_name_plural = _("customer billing")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) ^ Q(person__isnull=True),
                name="invoicing_customerbilling_one_customer",
                violation_error_message=_("Choose either an organisation or a person."),
            )
        ]

    def __str__(self):
        return str(self.customer)

    @property
    def customer(self):
        return self.organisation or self.person

    def clean(self):
        _check_customer_company(self)


def _check_customer_company(record) -> None:
    customer = record.organisation or record.person
    if customer is not None and customer.company_id != record.company_id:
        raise ValidationError(
            _("Choose a customer of the same company."), code="foreign_customer"
        )


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    INTEREST = "interest", _("Interest invoice")


class InvoiceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Open")
    PAID = "paid", _("Paid")
    WRITTEN_OFF = "written_off", _("Written off")


# Columns that may still change on an issued invoice: how much is open,
# its settlement state and the marks of delivery and reminding.
SETTLEMENT_FIELDS = (
    "open_amount",
    "state",
    "sent_at",
    "reminder_level",
    "last_reminded_on",
)


def _issued_row_changes(changes: str) -> str:
    return f"""
    IF OLD.state <> 'draft' AND (NEW.state = 'draft' OR {changes}) THEN
        RAISE EXCEPTION 'invoicing: issued invoice % cannot change', OLD.id;
    END IF;
    RETURN NEW;
    """


class SalesInvoice(models.Model):
    """A sales invoice, credit note or interest invoice to one customer."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT
    )
    kind = models.CharField(
        _("kind"), max_length=15, choices=InvoiceKind.choices, default="invoice"
    )
    state = models.CharField(
        _("state"),
        max_length=15,
        choices=InvoiceState.choices,
        default=InvoiceState.DRAFT,
        db_index=True,
    )
    number = models.CharField(_("number"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="sales_invoices",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="sales_invoices",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    invoice_date = models.DateField(_("invoice date"))
    delivery_date = models.DateField(_("delivery date"))
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=14
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    reference = models.CharField(_("reference"), max_length=25, blank=True)
    channel = models.CharField(
        _("delivery"), max_length=20, choices=DeliveryChannel.choices, blank=True
    )
    your_reference = models.CharField(_("your reference"), max_length=70, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    total_net = _money_field(_("total without VAT"))
    total_vat = _money_field(_("VAT"))
    total = _money_field(_("total"))
    open_amount = _money_field(_("open amount"))
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("credits invoice"),
        related_name="credit_notes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    factoring_company = models.ForeignKey(
        FactoringCompany,
        verbose_name=_("factoring company"),
        related_name="invoices",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    source = models.CharField(
        _("made from"),
        max_length=100,
        blank=True,
        help_text=_("The delivery, order or contract the invoice was made from."),
    )
    voucher = models.OneToOneField(
        Voucher,
        verbose_name=_("voucher"),
        related_name="sales_invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    reminder_level = models.PositiveSmallIntegerField(
        _("reminders sent"), default=0, editable=False
    )
    last_reminded_on = models.DateField(
        _("last reminded on"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sales invoice")
        verbose_name_plural = _("sales invoices")
        ordering = ["-invoice_date", "-number"]
        indexes = [
            models.Index(
                fields=["company", "reference"],
                name="invoicing_invoice_reference",
            ),
            models.Index(
                fields=["company", "due_date"],
                condition=Q(state="issued"),
                name="invoicing_invoice_open_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~Q(number=""),
                name="invoicing_invoice_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) ^ Q(person__isnull=True),
                name="invoicing_invoice_one_customer",
                violation_error_message=_("Choose either an organisation or a person."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | (
                    ~Q(number="") & Q(due_date__isnull=False) & Q(voucher__isnull=False)
                ),
                name="invoicing_invoice_issued_is_complete",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="invoice_issued_no_update",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=_issued_row_changes(
                    " OR ".join(
                        f"OLD.{column} IS DISTINCT FROM NEW.{column}"
                        for column in (
                            "company_id",
                            "kind",
                            "number",
                            "organisation_id",
                            "person_id",
                            "customer_name",
                            "billing_address",
                            "invoice_date",
                            "delivery_date",
                            "due_date",
                            "currency",
                            "reference",
                            "total_net",
                            "total_vat",
                            "total",
                            "credited_invoice_id",
                            "factoring_company_id",
                            "voucher_id",
                        )
                    )
                ),
            ),
            pgtrigger.Protect(
                name="invoice_issued_no_delete",
                operation=pgtrigger.Delete,
                condition=~pgtrigger.Q(old__state="draft"),
            ),
        ]

    def __str__(self):
        label = self.number or _("draft")
        return f"{label} {self.customer_name}".strip()

    @property
    def customer(self):
        """Return the organisation or person the invoice is addressed to."""
        return self.organisation or self.person

    @property
    def customer_id(self) -> str:
        """Return a key of the customer, unique among organisations and persons."""
        if self.organisation_id:
            return f"organisation:{self.organisation_id}"
        return f"person:{self.person_id}" if self.person_id else ""

    @property
    def is_issued(self) -> bool:
        return self.state != InvoiceState.DRAFT


_LINE_OF_ISSUED_INVOICE = """
    IF EXISTS (SELECT 1 FROM invoicing_salesinvoice
               WHERE id = {row}.invoice_id AND state <> 'draft') THEN
        RAISE EXCEPTION 'invoicing: lines of issued invoice % cannot change',
            {row}.invoice_id;
    END IF;
"""


class SalesInvoiceLine(models.Model):
    """One row of an invoice: a product or free text, quantity and price."""

    invoice = models.ForeignKey(
        SalesInvoice,
        verbose_name=_("invoice"),
        related_name="lines",
        on_delete=models.CASCADE,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    product_code = models.CharField(_("product code"), max_length=50, blank=True)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, default=Decimal(1)
    )
    unit = models.CharField(_("unit"), max_length=10, default="kpl")
    unit_price = models.DecimalField(
        _("unit price"), max_digits=18, decimal_places=4, default=ZERO
    )
    discount_percent = models.DecimalField(
        _("discount %"), max_digits=5, decimal_places=2, default=ZERO
    )
    vat_code = models.CharField(_("VAT code"), max_length=30, default="sales_general")
    vat_rate = models.DecimalField(
        _("VAT %"), max_digits=5, decimal_places=2, default=ZERO, editable=False
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("sales account"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    net = _money_field(_("without VAT"), editable=False)
    vat = _money_field(_("VAT"), editable=False)
    gross = _money_field(_("with VAT"), editable=False)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "pk"]
        triggers = [
            pgtrigger.Trigger(
                name="invoice_line_issued_no_insert",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=_LINE_OF_ISSUED_INVOICE.format(row="NEW") + "RETURN NEW;",
            ),
            pgtrigger.Trigger(
                name="invoice_line_issued_no_update",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=_LINE_OF_ISSUED_INVOICE.format(row="OLD") + "RETURN NEW;",
            ),
            pgtrigger.Trigger(
                name="invoice_line_issued_no_delete",
                operation=pgtrigger.Delete,
                when=pgtrigger.Before,
                func=_LINE_OF_ISSUED_INVOICE.format(row="OLD") + "RETURN OLD;",
            ),
        ]

    def __str__(self):
        return f"{self.description} {self.quantity} x {self.unit_price}"


class InvoicePayment(models.Model):
    """Money received against an invoice, posted to the ledger.

    `source` identifies where the payment came from (a bank file entry,
    a manual entry) and is unique per company, so registering the same
    payment twice records it once.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT
    )
    invoice = models.ForeignKey(
        SalesInvoice,
        verbose_name=_("invoice"),
        related_name="payments",
        on_delete=models.PROTECT,
    )
    amount = _money_field(_("amount"))
    applied = _money_field(_("applied to the invoice"))
    overpaid = _money_field(_("overpaid"))
    paid_on = models.DateField(_("paid on"))
    bank_account = models.ForeignKey(
        BankAccount,
        verbose_name=_("bank account"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=200)
    voucher = models.OneToOneField(
        Voucher,
        verbose_name=_("voucher"),
        related_name="invoice_payment",
        on_delete=models.PROTECT,
        editable=False,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "source"], name="invoicing_payment_unique_source"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="payment_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="payment_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.invoice.number} {self.amount} {self.paid_on:%d.%m.%Y}"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class InvoiceDelivery(models.Model):
    """One sending of an invoice through a channel, and what came of it."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    invoice = models.ForeignKey(
        SalesInvoice,
        verbose_name=_("invoice"),
        related_name="deliveries",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=DeliveryChannel.choices
    )
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    message_id = models.CharField(_("message"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice delivery")
        verbose_name_plural = _("invoice deliveries")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.invoice} {self.get_channel_display()} {self.status}"


class PaymentReminder(models.Model):
    """A reminder letter sent for an overdue invoice, with its fee."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    invoice = models.ForeignKey(
        SalesInvoice,
        verbose_name=_("invoice"),
        related_name="reminders",
        on_delete=models.PROTECT,
    )
    level = models.PositiveSmallIntegerField(_("reminder"))
    sent_on = models.DateField(_("date"))
    overdue_amount = _money_field(_("overdue amount"))
    fee = _money_field(_("fee"))
    penal_interest = _money_field(_("penal interest so far"))
    fee_invoice = models.OneToOneField(
        SalesInvoice,
        verbose_name=_("fee invoice"),
        related_name="reminder_for",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        ordering = ["-sent_on", "invoice"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "level"], name="invoicing_reminder_once_per_level"
            )
        ]

    def __str__(self):
        return f"{self.invoice.number} #{self.level} {self.sent_on:%d.%m.%Y}"


class ReferenceRate(models.Model):
    """The reference rate of the Interest Act, valid from a date on.

    Penal interest (viivästyskorko) is this rate plus seven percentage
    points, per the Interest Act 633/1982, section 4. The Bank of Finland
    publishes the rate twice a year; it is the same for every company.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    rate = models.DecimalField(_("reference rate %"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("reference rate")
        verbose_name_plural = _("reference rates")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.rate} % {self.valid_from:%d.%m.%Y}"


class RecurringContract(models.Model):
    """A contract that bills the same lines to a customer at an interval."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="recurring_contracts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="recurring_contracts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    interval_months = models.PositiveSmallIntegerField(
        _("interval (months)"), default=1
    )
    next_invoice_date = models.DateField(_("next invoice date"))
    end_date = models.DateField(_("ends"), null=True, blank=True)
    lines = models.JSONField(
        _("lines"),
        default=list,
        help_text=_(
            'Rows as a list, e.g. [{"description": "Maintenance", '
            '"quantity": "1", "unit_price": "100.00", "vat_code": '
            '"sales_general"}].'
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("recurring contract")
        verbose_name_plural = _("recurring contracts")
        ordering = ["next_invoice_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) ^ Q(person__isnull=True),
                name="invoicing_contract_one_customer",
                violation_error_message=_("Choose either an organisation or a person."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def customer(self):
        return self.organisation or self.person

    def clean(self):
        _check_customer_company(self)
        rows = self.lines if isinstance(self.lines, list) else None
        if not rows or not all(
            isinstance(row, dict) and str(row.get("description") or "").strip()
            for row in rows
        ):
            raise ValidationError(
                {
                    "lines": _(
                        "Give the rows as a list, each with at least a description."
                    )
                },
                code="bad_lines",
            )


from modules.invoicing.factoring_models import (  # noqa: E402, F401 - app tables
    FactoringTransfer,
    FactoringTransferLine,
)
