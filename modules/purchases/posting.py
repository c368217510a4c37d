"""Posting approved purchase invoices and paying them.

`post_purchase_invoice` books the invoice through the ledger's posting
service: the expense rows (with their VAT codes, so the VAT report sees
them), the trade payable, and for rows spread over several months the
prepayment and one release voucher per month. The invoice's archived
files become the voucher's source documents.

`propose_payments` picks the posted, unpaid invoices due by a date that
are not already in a payment batch, and hands them to banking's
`create_payment_batch`, which makes the SEPA file.
"""

import calendar
import datetime
import logging
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.banking.models import OutgoingPayment
from modules.banking.payments import PaymentInstruction, create_payment_batch
from modules.core.audit import record_change
from modules.core.money import round_decimal
from modules.ledger.models import SELF_ASSESSED_KINDS, Account, VatCode, VoucherSeries
from modules.ledger.services import LineInput, attach_document, post_voucher

from .circulation import check_accounting
from .models import InvoiceState, PurchaseInvoice
from .services import split_in_proportion

logger = logging.getLogger(__name__)

PAYABLES_ACCOUNT = "2800"
PREPAYMENTS_ACCOUNT = "1740"
DISCOUNTS_ACCOUNT = "4310"
SERIES_CODE = "OL"


def _series(company) -> VoucherSeries:
    series, _created = VoucherSeries.objects.get_or_create(
        company=company, code=SERIES_CODE, defaults={"name": "Ostolaskut"}
    )
    return series


def _account(company, number) -> Account:
    account = Account.objects.filter(company=company, number=number).first()
    if account is None:
        raise ValidationError(
            _("The chart of accounts has no account %(number)s for posting.")
            % {"number": number},
            code="missing_account",
        )
    return account


def _month_end(day: datetime.date, months_later: int) -> datetime.date:
    month = day.month - 1 + months_later
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _expense_lines(invoice, rows, prepayments) -> list[LineInput]:
    kinds = dict(
        VatCode.objects.filter(
            company=invoice.company, code__in={row.vat_code for row in rows}
        ).values_list("code", "kind")
    )
    taxed = [
        row
        for row in rows
        if row.vat_code and kinds.get(row.vat_code) not in SELF_ASSESSED_KINDS
    ]
    tax_of = dict(
        zip(
            [row.pk for row in taxed],
            split_in_proportion(invoice.vat_amount, [row.net_amount for row in taxed]),
            strict=True,
        )
    )
    lines = []
    for row in rows:
        amount = row.net_amount
        lines.append(
            LineInput(
                account=prepayments if row.accrual_months > 1 else row.account,
                debit=amount if amount > 0 else Decimal("0"),
                credit=-amount if amount < 0 else Decimal("0"),
                description=row.description or str(invoice),
                vat_code=row.vat_code,
                vat_amount=abs(tax_of[row.pk]) if row.pk in tax_of else None,
                cost_centre=None if row.accrual_months > 1 else row.cost_centre,
                project=None if row.accrual_months > 1 else row.project,
            )
        )
    return lines


def _post_accruals(*, invoice, rows, prepayments, series, user) -> None:
    for row in rows:
        if row.accrual_months <= 1:
            continue
        monthly = split_in_proportion(row.net_amount, [Decimal(1)] * row.accrual_months)
        for month, amount in enumerate(monthly):
            post_voucher(
                company=invoice.company,
                user=user,
                series=series,
                date=_month_end(invoice.invoice_date, month),
                description=_("Accrual %(month)s/%(months)s: %(invoice)s")
                % {
                    "month": month + 1,
                    "months": row.accrual_months,
                    "invoice": invoice,
                },
                lines=[
                    LineInput(
                        account=row.account,
                        debit=amount,
                        cost_centre=row.cost_centre,
                        project=row.project,
                    ),
                    LineInput(account=prepayments, credit=amount),
                ],
                source=invoice,
            )


@transaction.atomic
def post_purchase_invoice(*, invoice: PurchaseInvoice, user) -> PurchaseInvoice:
    """Post an approved invoice to the ledger with its files attached."""
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.state != InvoiceState.APPROVED:
        raise ValidationError(
            _("Only an approved invoice can be posted; this one is %(state)s.")
            % {"state": invoice.get_state_display()},
            code="not_approved",
        )
    if invoice.invoice_date is None:
        raise ValidationError(
            {"invoice_date": _("The invoice needs its date before posting.")}
        )
    check_accounting(invoice)
    company = invoice.company
    rows = list(
        invoice.accounting_rows.select_related(
            "account", "cost_centre", "project"
        ).order_by("pk")
    )
    prepayments = _account(company, PREPAYMENTS_ACCOUNT)
    payables = _account(company, PAYABLES_ACCOUNT)
    series = _series(company)
    total = invoice.total
    lines = [
        *_expense_lines(invoice, rows, prepayments),
        LineInput(
            account=payables,
            credit=total if total > 0 else Decimal("0"),
            debit=-total if total < 0 else Decimal("0"),
            description=str(invoice),
        ),
    ]
    voucher = post_voucher(
        company=company,
        user=user,
        series=series,
        date=invoice.invoice_date,
        description=_("Purchase invoice %(invoice)s") % {"invoice": invoice},
        lines=lines,
        source=invoice,
    )
    for archived in invoice.files.select_related("document"):
        attach_document(voucher=voucher, user=user, document=archived.document)
    _post_accruals(
        invoice=invoice, rows=rows, prepayments=prepayments, series=series, user=user
    )
    invoice.voucher = voucher
    invoice.state = InvoiceState.POSTED
    invoice.save(update_fields=["voucher", "state"])
    record_change(
        instance=invoice,
        user=user,
        action="post",
        after={"state": invoice.state, "voucher": str(voucher)},
    )
    logger.info("Purchase invoice %s posted as voucher %s", invoice.pk, voucher)
    return invoice


def open_payables(*, company):
    """Posted invoices not yet paid, by due date."""
    return PurchaseInvoice.objects.filter(
        company=company, state=InvoiceState.POSTED
    ).order_by("due_date", "pk")


def _in_a_batch(company) -> set[str]:
    kind = ContentType.objects.get_for_model(PurchaseInvoice)
    return set(
        OutgoingPayment.objects.filter(company=company, source_type=kind)
        .exclude(
            state__in=[OutgoingPayment.State.REJECTED, OutgoingPayment.State.RETURNED]
        )
        .values_list("source_id", flat=True)
    )


def payment_terms(invoice, *, today, take_cash_discounts: bool):
    """Return (pay on, amount, discount) for paying `invoice`: on the cash
    discount date with the discount taken when that date is still ahead
    and discounts are taken, else on the due date in full."""
    discount = invoice.cash_discount
    if (
        take_cash_discounts
        and discount > 0
        and invoice.cash_discount_date >= today
        and discount < invoice.total
    ):
        return invoice.cash_discount_date, invoice.total - discount, discount
    return invoice.due_date, invoice.total, Decimal("0")


def payment_candidates(
    *, company, due_by: datetime.date, take_cash_discounts=False, today=None
) -> list[PurchaseInvoice]:
    """Open payables due by `due_by` that no live payment batch holds; with
    `take_cash_discounts` also those whose cash discount date falls by then."""
    today = today or timezone.localdate()
    taken = _in_a_batch(company)
    wanted = Q(due_date__lte=due_by)
    if take_cash_discounts:
        wanted |= Q(cash_discount_date__gte=today, cash_discount_date__lte=due_by)
    return [
        invoice
        for invoice in open_payables(company=company).filter(wanted)
        if str(invoice.pk) not in taken and invoice.total > 0
    ]


@transaction.atomic
def propose_payments(
    *, company, bank_account, due_by, user, pay_on=None, take_cash_discounts=False
):
    """Put the invoices due by `due_by` into a new payment batch.

    Each invoice is paid on its due date (or `pay_on` if later), with the
    supplier's reference, else its invoice number as the message. With
    `take_cash_discounts`, an invoice whose cash discount date is still
    ahead is paid on that date, less the discount.
    """
    today = timezone.localdate()
    invoices = payment_candidates(
        company=company,
        due_by=due_by,
        take_cash_discounts=take_cash_discounts,
        today=today,
    )
    if not invoices:
        raise ValidationError(
            _("No posted invoice falls due by %(date)s that is not already paid.")
            % {"date": f"{due_by:%d.%m.%Y}"},
            code="nothing_to_pay",
        )
    instructions = []
    for invoice in invoices:
        date, amount, discount = payment_terms(
            invoice, today=today, take_cash_discounts=take_cash_discounts
        )
        instructions.append(
            PaymentInstruction(
                creditor_name=(invoice.supplier.name if invoice.supplier else "")
                or invoice.supplier_name,
                creditor_iban=invoice.iban,
                creditor_bic=invoice.bic,
                amount=amount,
                reference=invoice.reference,
                message="" if invoice.reference else f"Lasku {invoice.invoice_number}",
                requested_date=max(filter(None, [date, pay_on])),
                source=invoice,
                currency=invoice.currency,
                cash_discount=discount,
            )
        )
    return create_payment_batch(
        company=company, bank_account=bank_account, instructions=instructions, user=user
    )


def cash_discount_line(invoice, discount: Decimal) -> LineInput:
    """Return the voucher line for a cash discount taken on `invoice`.

    The discount is credited to discounts received net of its share of the
    invoice's VAT; the line carries that share with the invoice's VAT code,
    so the ledger books the input VAT back. The settlement of the payment
    (modules/purchases/settlement.py) adds it to the payment voucher.
    """
    text = _("Cash discount: %(invoice)s") % {"invoice": invoice}
    account = _account(invoice.company, DISCOUNTS_ACCOUNT)
    row = invoice.accounting_rows.exclude(vat_code="").order_by("pk").first()
    vat = round_decimal(discount * invoice.vat_amount / invoice.total, 2)
    if row is None or not vat:
        return LineInput(account=account, credit=discount, description=text)
    return LineInput(
        account=account,
        credit=discount - vat,
        description=text,
        vat_code=row.vat_code,
        vat_amount=vat,
    )
