"""Writes of invoicing: drafts, issuing, credit notes, payments, write-offs.

Every function here is the one way its change happens, whoever asks (the
admin, GraphQL, imports, the banking module, Celery runs). Issuing takes
the invoice number and posts the voucher in the same transaction, so an
invoice is either a numbered, posted document or still a draft.

Lock order, everywhere: invoice rows (by pk), the invoice number series,
then the ledger (company row, periods, accounts, voucher series).
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.reference import InvalidReference, national_reference, rf_reference
from integrations.reference import normalize_reference as _normalize_reference
from modules.core.audit import record_change, snapshot
from modules.core.money import get_currency, round_money
from modules.core.numbering import next_number
from modules.crm.models import Organisation, Person
from modules.invoicing.models import (
    ZERO,
    CustomerBilling,
    DeliveryChannel,
    InvoiceKind,
    InvoicePayment,
    InvoiceState,
    InvoicingSettings,
    ReferenceKind,
    SalesInvoice,
    SalesInvoiceLine,
)
from modules.invoicing.vat import ledger_vat_code, vat_rate_on, vat_table
from modules.ledger.models import Account, VoucherSeries
from modules.ledger.services import (
    LineInput,
    post_voucher,
    prepare_voucher,
    seal_voucher,
)

logger = logging.getLogger(__name__)

HUNDRED = Decimal(100)

# Template chart accounts the settings start from (fixtures/chart_of_accounts).
_DEFAULT_ACCOUNTS = {
    "receivables_account": "1700",
    "revenue_account": "3000",
    "vat_account": "2870",
    "bank_ledger_account": "1910",
    "advances_account": "2710",
    "fees_account": "3700",
    "interest_account": "8110",
    "credit_loss_account": "3320",
}
SALES_VOUCHER_SERIES = "MY"


def normalize_reference(value: str) -> str:
    """Return a payment reference in stored form or raise a clear error."""
    try:
        return _normalize_reference(value)
    except InvalidReference as error:
        messages = {
            "checksum": _(
                "The reference %(value)s has a wrong check digit; check it for "
                "typing errors."
            ),
            "length": _(
                "The reference %(value)s is too short or too long: a Finnish "
                "reference has 4-20 digits."
            ),
        }
        message = messages.get(
            error.code,
            _(
                "%(value)s is not a payment reference: give a Finnish reference "
                "(digits) or an RF reference."
            ),
        )
        raise ValidationError(
            message, code="invalid_reference", params={"value": value}
        ) from error


# Settings


def ensure_invoicing_settings(*, company, user=None) -> InvoicingSettings:
    """Return the company's invoicing settings, made from its chart if new.

    The settings come with their series, bank account and ledger accounts
    loaded, in two plain queries: one join over all eight accounts costs
    PostgreSQL more to plan than to run, on every invoice.
    """
    existing = (
        InvoicingSettings.objects.filter(company=company)
        .select_related("voucher_series", "bank_account")
        .first()
    )
    if existing is None:
        with transaction.atomic():
            return _create_invoicing_settings(company=company, user=user)
    existing.company = company
    accounts = Account.objects.in_bulk(
        [getattr(existing, f"{field}_id") for field in _DEFAULT_ACCOUNTS]
    )
    for field in _DEFAULT_ACCOUNTS:
        setattr(existing, field, accounts.get(getattr(existing, f"{field}_id")))
    return existing


def _create_invoicing_settings(*, company, user) -> InvoicingSettings:
    numbers = list(_DEFAULT_ACCOUNTS.values())
    accounts = {
        account.number: account
        for account in Account.objects.filter(company=company, number__in=numbers)
    }
    missing = sorted(set(numbers) - set(accounts))
    if missing:
        raise ValidationError(
            _(
                "Invoicing needs the accounts %(numbers)s in the chart of "
                "accounts of %(company)s."
            ),
            code="missing_accounts",
            params={"numbers": ", ".join(missing), "company": company},
        )
    series, _created = VoucherSeries.objects.get_or_create(
        company=company,
        code=SALES_VOUCHER_SERIES,
        defaults={"name": str(_("Sales invoices"))},
    )
    bank_account = company.bank_accounts.order_by("-is_default", "pk").first()

    created = InvoicingSettings.objects.create(
        company=company,
        voucher_series=series,
        bank_account=bank_account,
        **{field: accounts[number] for field, number in _DEFAULT_ACCOUNTS.items()},
    )
    record_change(instance=created, user=user, action="create", after=snapshot(created))
    return created


def billing_of(customer) -> CustomerBilling | None:
    """Return how `customer` (organisation or person) is billed, if set."""
    if customer is None or customer.pk is None:
        return None
    field = "organisation" if isinstance(customer, Organisation) else "person"
    return CustomerBilling.objects.filter(**{field: customer}).first()


# Drafts


@dataclass(frozen=True)
class LineData:
    """One invoice row as given to `create_invoice`."""

    description: str
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = ZERO
    vat_code: str = "sales_general"
    unit: str = "kpl"
    product_code: str = ""
    discount_percent: Decimal = ZERO
    account: Account | None = None


def _decimal(value, *, row: int, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            _("Row %(row)s: %(value)s is not a number (%(field)s)."),
            code="not_a_number",
            params={"row": row, "value": value, "field": field},
        ) from error


def _line_data(value, *, row: int) -> LineData:
    given = dict(value) if not isinstance(value, LineData) else value.__dict__
    description = str(given.get("description") or "").strip()
    product_code = str(given.get("product_code") or "").strip()
    if not description:
        raise ValidationError(
            _("Row %(row)s: describe what is invoiced."),
            code="no_description",
            params={"row": row},
        )
    discount = _decimal(given.get("discount_percent", 0), row=row, field="discount")
    if not ZERO <= discount <= HUNDRED:
        raise ValidationError(
            _("Row %(row)s: a discount is between 0 and 100 %%."),
            code="discount",
            params={"row": row},
        )
    return LineData(
        description=description,
        quantity=_decimal(given.get("quantity", 1), row=row, field="quantity"),
        unit_price=_decimal(given.get("unit_price", 0), row=row, field="price"),
        vat_code=str(given.get("vat_code") or "sales_general"),
        unit=str(given.get("unit") or "kpl"),
        product_code=product_code,
        discount_percent=discount,
        account=given.get("account"),
    )


def _customer_fields(customer) -> dict:
    if isinstance(customer, Organisation):
        address = customer.billing_address or customer.postal_address
        postal = (
            f"{customer.billing_postal_code} {customer.billing_city}"
            if customer.billing_address
            else f"{customer.postal_code} {customer.city}"
        ).strip()
        return {
            "organisation": customer,
            "person": None,
            "customer_name": customer.name,
            "billing_address": "\n".join(part for part in (address, postal) if part),
        }
    if isinstance(customer, Person):
        return {
            "organisation": None,
            "person": customer,
            "customer_name": str(customer),
            "billing_address": "",
        }
    raise ValidationError(
        _("Invoice an organisation or a person of the customer register."),
        code="no_customer",
    )


def _check_customer(*, company, customer) -> None:
    if customer is None or customer.company_id != company.pk:
        raise ValidationError(
            _("Choose a customer of %(company)s."),
            code="foreign_customer",
            params={"company": company},
        )


def new_draft(
    *,
    company,
    customer,
    invoice_date: datetime.date | None = None,
    delivery_date: datetime.date | None = None,
    kind: str = InvoiceKind.INVOICE,
    settings=None,
    **fields,
) -> SalesInvoice:
    """Return an unsaved draft for `customer` with the customer's terms."""
    settings = settings or ensure_invoicing_settings(company=company)
    _check_customer(company=company, customer=customer)
    return _draft(
        company=company,
        customer=customer,
        billing=billing_of(customer),
        settings=settings,
        invoice_date=invoice_date,
        delivery_date=delivery_date,
        kind=kind,
        **fields,
    )


def _draft(
    *,
    company,
    customer,
    billing,
    settings,
    invoice_date,
    delivery_date,
    kind,
    **fields,
) -> SalesInvoice:
    invoice_date = invoice_date or timezone.localdate()
    terms = (
        billing.payment_terms_days
        if billing is not None and billing.payment_terms_days is not None
        else settings.payment_terms_days
    )
    return SalesInvoice(
        company=company,
        kind=kind,
        invoice_date=invoice_date,
        delivery_date=delivery_date or invoice_date,
        payment_terms_days=0 if kind == InvoiceKind.CREDIT_NOTE else terms,
        channel=billing.channel if billing else DeliveryChannel.EMAIL_PDF,
        factoring_company=billing.factoring_company if billing else None,
        **_customer_fields(customer),
        **fields,
    )


def build_line(
    *, invoice, value, position: int, settings=None, table=None, currency=None
) -> SalesInvoiceLine:
    """Return an unsaved, computed line of a draft from row data.

    `settings`, `table` (the VAT codes) and `currency` (the invoice's
    `Currency`) may be given when many lines are built at once.
    """
    row = _line_data(value, row=position)
    settings = settings or ensure_invoicing_settings(company=invoice.company)
    account = row.account or settings.revenue_account
    if account.company_id != invoice.company_id:
        raise ValidationError(
            _("Row %(row)s: the sales account belongs to another company."),
            code="foreign_account",
            params={"row": position},
        )
    line = SalesInvoiceLine(
        invoice=invoice,
        position=position,
        product_code=row.product_code,
        description=row.description,
        quantity=row.quantity,
        unit=row.unit,
        unit_price=row.unit_price,
        discount_percent=row.discount_percent,
        vat_code=row.vat_code,
        account=account,
    )
    compute_line(line, table=table, currency=currency)
    return line


def compute_line(line: SalesInvoiceLine, *, table=None, currency=None) -> None:
    """Set a line's VAT rate (by the delivery date) and its amounts."""
    invoice = line.invoice
    currency = currency or get_currency(invoice.currency)
    line.vat_rate = vat_rate_on(
        company=invoice.company,
        code=line.vat_code,
        date=invoice.delivery_date,
        table=table,
    )
    gross_price = line.quantity * line.unit_price
    line.net = round_money(
        gross_price * (HUNDRED - line.discount_percent) / HUNDRED, currency
    )
    line.vat = round_money(line.net * line.vat_rate / HUNDRED, currency)
    line.gross = line.net + line.vat


def set_totals(invoice, lines) -> None:
    """Set an invoice's totals (and open amount) from its computed lines."""
    invoice.total_net = sum((line.net for line in lines), ZERO)
    invoice.total_vat = sum((line.vat for line in lines), ZERO)
    invoice.total = invoice.total_net + invoice.total_vat
    invoice.open_amount = invoice.total


@dataclass
class _WrittenDraft:
    """A draft just written, with what issuing it needs already loaded."""

    invoice: SalesInvoice
    lines: list
    settings: InvoicingSettings
    billing: CustomerBilling | None
    table: object
    audit_snapshot: dict


def _write_draft(
    *,
    company,
    user,
    customer,
    lines,
    invoice_date: datetime.date | None = None,
    delivery_date: datetime.date | None = None,
    kind: str = InvoiceKind.INVOICE,
    your_reference: str = "",
    notes: str = "",
    source: str = "",
    credited_invoice: SalesInvoice | None = None,
) -> _WrittenDraft:
    settings = ensure_invoicing_settings(company=company, user=user)
    _check_customer(company=company, customer=customer)
    billing = billing_of(customer)
    table = vat_table(company)
    invoice = _draft(
        company=company,
        customer=customer,
        billing=billing,
        settings=settings,
        invoice_date=invoice_date,
        delivery_date=delivery_date,
        kind=kind,
        your_reference=your_reference,
        notes=notes,
        source=source,
        credited_invoice=credited_invoice,
    )
    currency = get_currency(invoice.currency)
    built = [
        build_line(
            invoice=invoice,
            value=value,
            position=position,
            settings=settings,
            table=table,
            currency=currency,
        )
        for position, value in enumerate(lines, start=1)
    ]
    if not built:
        raise ValidationError(_("Add at least one row."), code="no_lines")
    set_totals(invoice, built)
    # The foreign keys are the company and a customer checked above, and the
    # database enforces the constraints; validating them here would only
    # repeat queries.
    invoice.full_clean(
        exclude=[
            "number",
            "company",
            "organisation",
            "person",
            "credited_invoice",
            "factoring_company",
        ],
        validate_constraints=False,
    )

    invoice.save()
    for line in built:
        line.invoice = invoice
    SalesInvoiceLine.objects.bulk_create(built)
    after = snapshot(invoice)
    record_change(instance=invoice, user=user, action="create", after=after)
    return _WrittenDraft(invoice, built, settings, billing, table, after)


@transaction.atomic
def create_invoice(
    *,
    company,
    user,
    customer,
    lines,
    invoice_date: datetime.date | None = None,
    delivery_date: datetime.date | None = None,
    kind: str = InvoiceKind.INVOICE,
    your_reference: str = "",
    notes: str = "",
    source: str = "",
    credited_invoice: SalesInvoice | None = None,
) -> SalesInvoice:
    """Write a draft invoice with its lines; VAT follows the delivery date."""
    return _write_draft(
        company=company,
        user=user,
        customer=customer,
        lines=lines,
        invoice_date=invoice_date,
        delivery_date=delivery_date,
        kind=kind,
        your_reference=your_reference,
        notes=notes,
        source=source,
        credited_invoice=credited_invoice,
    ).invoice


@transaction.atomic
def delete_draft(*, instance, user) -> None:
    """Delete a draft invoice; issued ones are corrected by a credit note."""
    invoice = SalesInvoice.objects.select_for_update().get(pk=instance.pk)
    if invoice.is_issued:
        raise ValidationError(
            _("%(invoice)s is issued; correct it with a credit note."),
            code="issued",
            params={"invoice": invoice},
        )
    record_change(
        instance=invoice, user=user, action="delete", before=snapshot(invoice)
    )
    invoice.delete()


# Issuing


def _reference_for(*, invoice, kind, issued_number) -> str:
    national = national_reference(f"{invoice.invoice_date.year}{issued_number:04d}")
    return rf_reference(national) if kind == ReferenceKind.RF else national


def _voucher_lines(*, invoice, rows, settings) -> list[LineInput]:
    """Return the sale's journal lines: the receivable and the sales.

    They are left without a text: it names the invoice number, which is
    taken later, when the voucher is sealed.

    Sales lines carry their VAT code and the tax worked out on the
    invoice; the ledger adds the tax lines to the codes' VAT accounts. A
    credit note has negative amounts, so each line changes side.
    """

    def side(amount):
        return {"debit": amount} if amount > 0 else {"credit": -amount}

    result = [
        LineInput(
            account=settings.receivables_account,
            **side(invoice.total),
        )
    ]
    sales: dict[tuple, list[Decimal]] = {}
    for row in rows:
        key = (row.account, row.vat_code)
        net, vat = sales.setdefault(key, [ZERO, ZERO])
        sales[key] = [net + row.net, vat + row.vat]
    for (account, vat_code), (net, vat) in sorted(
        sales.items(), key=lambda item: (item[0][0].number, item[0][1])
    ):
        if net:
            code = ledger_vat_code(vat_code)
            result.append(
                LineInput(
                    account=account,
                    vat_code=code,
                    vat_amount=abs(vat) if code else None,
                    **side(-net),
                )
            )
    return result


def _check_issuable(invoice) -> None:
    if invoice.is_issued:
        raise ValidationError(
            _("%(invoice)s has already been issued."),
            code="already_issued",
            params={"invoice": invoice},
        )
    if invoice.total == 0:
        raise ValidationError(
            _("An invoice of zero cannot be issued."), code="zero_total"
        )
    if invoice.kind == InvoiceKind.CREDIT_NOTE and invoice.total > 0:
        raise ValidationError(
            _("A credit note must have a negative total."), code="credit_positive"
        )
    if invoice.kind != InvoiceKind.CREDIT_NOTE and invoice.total < 0:
        raise ValidationError(
            _("An invoice must have a positive total; make a credit note instead."),
            code="invoice_negative",
        )


@transaction.atomic
def issue_invoice(*, invoice, user) -> SalesInvoice:
    """Number a draft, give it its reference and due date, and post it.

    Everything happens in one transaction: a failure anywhere leaves the
    draft as it was and the number unused.
    """
    invoice = (
        SalesInvoice.objects.select_for_update()
        .select_related("company")
        .get(pk=invoice.pk)
    )
    _check_issuable(invoice)
    return _issue(
        invoice=invoice,
        rows=list(invoice.lines.select_related("account")),
        settings=ensure_invoicing_settings(company=invoice.company, user=user),
        billing=billing_of(invoice.customer),
        user=user,
        before=snapshot(invoice),
    )


def _issue(*, invoice, rows, settings, billing, user, before, table=None):
    # Everything that needs no lock is done before the number is taken:
    # the series row stays locked until commit, and so does the ledger.
    # The voucher is written as a draft first; its texts name the invoice
    # number, so they are written when it is sealed.
    reference_kind = (billing.reference_kind if billing else "") or (
        settings.reference_kind
    )
    invoice.due_date = invoice.invoice_date + datetime.timedelta(
        days=invoice.payment_terms_days
    )
    user = user if user is not None and user.is_authenticated else None
    prepared = prepare_voucher(
        company=invoice.company,
        series=settings.voucher_series,
        date=invoice.invoice_date,
        description=str(_("Sales invoice %(number)s") % {"number": ""}),
        lines=_voucher_lines(invoice=invoice, rows=rows, settings=settings),
        source=invoice,
        vat_table=table,
    )

    issued = next_number(
        company=invoice.company,
        series=settings.number_series,
        year=invoice.invoice_date.year,
    )
    invoice.number = issued.text
    invoice.reference = _reference_for(
        invoice=invoice, kind=reference_kind, issued_number=issued.number
    )
    voucher = seal_voucher(
        prepared,
        user=user,
        description=str(_("Sales invoice %(number)s") % {"number": invoice.number}),
        line_description=f"{invoice.number} {invoice.customer_name}"[:200],
    )

    invoice.voucher = voucher
    invoice.state = InvoiceState.ISSUED
    invoice.issued_at = timezone.now()
    invoice.issued_by = user
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        _apply_credit_note(credit_note=invoice)
    invoice.save()
    record_change(
        instance=invoice,
        user=user,
        action="update",
        before=before,
        after=snapshot(invoice),
    )
    logger.info("Invoice %s issued for company %s", invoice.number, invoice.company_id)
    return invoice


def create_and_issue_invoice(**fields) -> SalesInvoice:
    """Write and issue an invoice at once (runs, contracts, the benchmark).

    Takes the fields of `create_invoice`. The draft's settings, VAT codes
    and lines are used for issuing as they are, without reading them back.
    """
    with transaction.atomic():
        draft = _write_draft(**fields)
        _check_issuable(draft.invoice)
        return _issue(
            invoice=draft.invoice,
            rows=draft.lines,
            settings=draft.settings,
            billing=draft.billing,
            user=fields["user"],
            before=draft.audit_snapshot,
            table=draft.table,
        )


# Credit notes


def _apply_credit_note(*, credit_note) -> None:
    """Set the credit note off against what is still open on its original."""
    original = SalesInvoice.objects.select_for_update().get(
        pk=credit_note.credited_invoice_id
    )
    applied = min(-credit_note.total, max(original.open_amount, ZERO))
    original.open_amount -= applied
    if original.open_amount == 0:
        original.state = InvoiceState.PAID
    original.save(update_fields=["open_amount", "state"])
    credit_note.open_amount = credit_note.total + applied
    if credit_note.open_amount == 0:
        credit_note.state = InvoiceState.PAID


@transaction.atomic
def credit_invoice(*, invoice, user, lines=None, invoice_date=None) -> SalesInvoice:
    """Issue a credit note for `invoice`, in full or for the given rows.

    `lines` are rows as for `create_invoice` with positive quantities of
    what is credited; without them every row of the invoice is credited.
    """
    original = SalesInvoice.objects.select_for_update().get(pk=invoice.pk)
    if original.state == InvoiceState.DRAFT or original.kind != InvoiceKind.INVOICE:
        raise ValidationError(
            _("Only an issued invoice can be credited."), code="not_creditable"
        )
    already = -sum(
        (note.total for note in original.credit_notes.exclude(state="draft")), ZERO
    )
    if lines is None:
        lines = [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "vat_code": line.vat_code,
                "unit": line.unit,
                "product_code": line.product_code,
                "discount_percent": line.discount_percent,
                "account": line.account,
            }
            for line in original.lines.select_related("account")
        ]
    negated = [
        {**dict(row), "quantity": -Decimal(str(row["quantity"]))} for row in lines
    ]

    draft = create_invoice(
        company=original.company,
        user=user,
        customer=original.customer,
        lines=negated,
        invoice_date=invoice_date,
        delivery_date=original.delivery_date,
        kind=InvoiceKind.CREDIT_NOTE,
        your_reference=original.your_reference,
        notes=str(
            _("Credit note for invoice %(number)s") % {"number": original.number}
        ),
        credited_invoice=original,
    )
    if already - draft.total > original.total:
        raise ValidationError(
            _("The credit notes of %(invoice)s would exceed its total."),
            code="over_credit",
            params={"invoice": original.number},
        )
    return issue_invoice(invoice=draft, user=user)


# Payments


def _bank_ledger_account(bank_account, settings) -> Account:
    # modules.banking books each bank account through its BankConnection;
    # without one, the company's default bank account in the ledger is used.
    connection = getattr(bank_account, "bank_connection", None)
    account = getattr(connection, "ledger_account", None)
    return account or settings.bank_ledger_account


@transaction.atomic
def register_payment(
    *, invoice, amount, paid_on, bank_account, user, source
) -> InvoicePayment:
    """Record money received for an invoice and post it to the ledger.

    Debits the bank account's ledger account and credits trade
    receivables; what exceeds the open amount is credited to the
    overpayments account and kept on the payment as `overpaid`. The same
    `source` (e.g. a bank file entry id) registers once: calling again
    returns the payment already made.
    """
    invoice = (
        SalesInvoice.objects.select_for_update()
        .select_related("company")
        .get(pk=invoice.pk)
    )
    source = str(source or "").strip()[:200]
    if not source:
        raise ValidationError(_("Say where the payment comes from."), code="no_source")
    existing = InvoicePayment.objects.filter(
        company_id=invoice.company_id, source=source
    ).first()
    if existing is not None:
        if existing.invoice_id != invoice.pk:
            raise ValidationError(
                _("This payment has already been registered for invoice %(number)s."),
                code="source_used",
                params={"number": existing.invoice.number},
            )
        return existing
    amount = round_money(amount, invoice.currency)
    if amount <= 0:
        raise ValidationError(
            _("A payment must be more than zero."), code="not_positive"
        )
    if invoice.state == InvoiceState.DRAFT or invoice.kind == InvoiceKind.CREDIT_NOTE:
        raise ValidationError(
            _("Payments are registered against issued invoices only."),
            code="not_payable",
        )
    if bank_account is not None and bank_account.company_id != invoice.company_id:
        raise ValidationError(
            _("The bank account belongs to another company."), code="foreign_bank"
        )
    settings = ensure_invoicing_settings(company=invoice.company, user=user)
    applied = min(amount, max(invoice.open_amount, ZERO))
    overpaid = amount - applied

    text = str(
        _("Payment of invoice %(number)s, %(customer)s")
        % {"number": invoice.number, "customer": invoice.customer_name}
    )[:200]
    lines = [
        LineInput(
            account=_bank_ledger_account(bank_account, settings),
            debit=amount,
            description=text,
        )
    ]
    if applied:
        lines.append(
            LineInput(
                account=settings.receivables_account, credit=applied, description=text
            )
        )
    if overpaid:
        lines.append(
            LineInput(
                account=settings.advances_account, credit=overpaid, description=text
            )
        )
    payment = InvoicePayment(
        company=invoice.company,
        invoice=invoice,
        amount=amount,
        applied=applied,
        overpaid=overpaid,
        paid_on=paid_on,
        bank_account=bank_account,
        source=source,
    )
    payment.voucher = post_voucher(
        company=invoice.company,
        user=user,
        series=settings.voucher_series,
        date=paid_on,
        description=text,
        lines=lines,
        source=invoice,
    )

    payment.save()
    invoice.open_amount -= applied
    if invoice.open_amount == 0 and invoice.state == InvoiceState.ISSUED:
        invoice.state = InvoiceState.PAID
    invoice.save(update_fields=["open_amount", "state"])
    record_change(instance=payment, user=user, action="create", after=snapshot(payment))
    logger.info(
        "Payment %s of %s registered for invoice %s", payment.pk, amount, invoice.pk
    )
    return payment


# Write-offs


@transaction.atomic
def write_off_invoice(*, invoice, user, date, reason: str) -> SalesInvoice:
    """Book what is still open on an invoice as a credit loss.

    The VAT share of the open amount comes back from output VAT (a final
    credit loss lowers the tax due); the rest goes to credit losses.
    """
    invoice = SalesInvoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.state != InvoiceState.ISSUED or invoice.open_amount <= 0:
        raise ValidationError(
            _("Only an open invoice with money due can be written off."),
            code="not_open",
        )
    if not (reason or "").strip():
        raise ValidationError(
            _("Say why the invoice is written off."), code="no_reason"
        )
    settings = ensure_invoicing_settings(company=invoice.company, user=user)
    before = snapshot(invoice)
    open_amount = invoice.open_amount
    vat = round_money(open_amount * invoice.total_vat / invoice.total, invoice.currency)
    text = str(
        _("Credit loss, invoice %(number)s: %(reason)s")
        % {"number": invoice.number, "reason": reason.strip()}
    )[:200]
    lines = [
        LineInput(
            account=settings.credit_loss_account,
            debit=open_amount - vat,
            description=text,
        ),
        LineInput(
            account=settings.receivables_account, credit=open_amount, description=text
        ),
    ]
    if vat:
        lines.insert(
            1, LineInput(account=settings.vat_account, debit=vat, description=text)
        )

    post_voucher(
        company=invoice.company,
        user=user,
        series=settings.voucher_series,
        date=date,
        description=text,
        lines=lines,
        source=invoice,
    )
    invoice.open_amount = ZERO
    invoice.state = InvoiceState.WRITTEN_OFF
    invoice.save(update_fields=["open_amount", "state"])
    record_change(
        instance=invoice,
        user=user,
        action="update",
        before=before,
        after=snapshot(invoice),
    )
    return invoice
