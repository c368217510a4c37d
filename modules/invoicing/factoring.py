"""The transfer file and report of invoices assigned to a factoring company.

Invoices of customers assigned to a factoring company carry its
assignment clause; the factoring company also needs the list of those
invoices to buy them. `transfer_assigned_invoices` collects the issued
invoices and credit notes of one factoring company that no earlier
transfer carried, numbers the run, stores its CSV file and marks every
invoice transferred, all in one transaction: a second run lists only what
is new. `transfer_report_pdf` prints a run with its totals.

The CSV file (UTF-8, ";" separated, one header row, "." as the decimal
separator, dates as YYYY-MM-DD) has one row per document:

    record          "invoice" or "credit_note"
    agreement       the factoring agreement number
    transfer        the transfer's number
    number          invoice number
    invoice_date    invoice date
    due_date        due date
    customer        customer's name
    business_id     customer's business ID (organisations)
    reference       payment reference
    currency        currency code
    total           total with VAT (negative for a credit note)
    vat             VAT amount (negative for a credit note)
    credits         for a credit note: the number of the invoice credited

and a last row with record "total", the document count in `number` and
the sum in `total`.
"""

from __future__ import annotations

import csv
import io
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import record_change, snapshot
from modules.core.numbering import next_number
from modules.core.scoping import user_can_access_company
from modules.invoicing.models import (
    FactoringCompany,
    FactoringTransfer,
    FactoringTransferLine,
    InvoiceKind,
    InvoiceState,
    SalesInvoice,
)

logger = logging.getLogger(__name__)

TRANSFER_SERIES = "factoring-transfer"
COLUMNS = [
    "record",
    "agreement",
    "transfer",
    "number",
    "invoice_date",
    "due_date",
    "customer",
    "business_id",
    "reference",
    "currency",
    "total",
    "vat",
    "credits",
]


def untransferred_invoices(*, company, factoring_company):
    """Return the issued invoices and credit notes not yet transferred."""
    return (
        SalesInvoice.objects.filter(
            company=company,
            factoring_company=factoring_company,
            kind__in=[InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE],
            factoring_transfer_line__isnull=True,
        )
        .exclude(state=InvoiceState.DRAFT)
        .select_related("organisation", "credited_invoice")
        .order_by("invoice_date", "number", "pk")
    )


def _row(invoice, transfer) -> list[str]:
    organisation = invoice.organisation
    credit = invoice.kind == InvoiceKind.CREDIT_NOTE
    return [
        "credit_note" if credit else "invoice",
        transfer.factoring_company.agreement_number,
        transfer.number,
        invoice.number,
        invoice.invoice_date.isoformat(),
        invoice.due_date.isoformat() if invoice.due_date else "",
        invoice.customer_name,
        organisation.business_id if organisation else "",
        invoice.reference,
        invoice.currency,
        f"{invoice.total:.2f}",
        f"{invoice.total_vat:.2f}",
        invoice.credited_invoice.number if invoice.credited_invoice else "",
    ]


def transfer_csv(transfer, invoices) -> str:
    """Return the transfer file of `invoices` in the layout of the module doc."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for invoice in invoices:
        writer.writerow(_row(invoice, transfer))
    writer.writerow(
        ["total", transfer.factoring_company.agreement_number, transfer.number]
        + [str(len(invoices))]
        + [""] * 6
        + [f"{transfer.total:.2f}", "", ""]
    )
    return out.getvalue()


@transaction.atomic
def transfer_assigned_invoices(*, company, factoring_company, user):
    """Transfer every assigned invoice not yet transferred; return the run.

    Runs for one factoring company take turns on its row, so two at once
    cannot both carry an invoice; nothing to transfer is refused with a
    message.
    """
    if not user_can_access_company(user, company):
        raise PermissionDenied(_("You do not have access to this company."))
    factoring_company = FactoringCompany.objects.select_for_update().get(
        pk=factoring_company.pk
    )
    if factoring_company.company_id != company.pk:
        raise ValidationError(
            _("The factoring company belongs to another company."),
            code="foreign_factoring_company",
        )
    invoices = list(
        untransferred_invoices(company=company, factoring_company=factoring_company)
    )
    if not invoices:
        raise ValidationError(
            _("No invoice assigned to %(factoring)s is waiting for transfer.")
            % {"factoring": factoring_company},
            code="nothing_to_transfer",
        )

    today = timezone.localdate()
    transfer = FactoringTransfer.objects.create(
        company=company,
        factoring_company=factoring_company,
        number=next_number(
            company=company, series=TRANSFER_SERIES, year=today.year
        ).text,
        invoice_count=len(invoices),
        total=sum((invoice.total for invoice in invoices), Decimal("0")),
        created_by=user if user.is_authenticated else None,
    )
    FactoringTransferLine.objects.bulk_create(
        FactoringTransferLine(
            company=company, transfer=transfer, invoice=invoice, amount=invoice.total
        )
        for invoice in invoices
    )
    transfer.file_csv = transfer_csv(transfer, invoices)
    transfer.save(update_fields=["file_csv"])
    record_change(
        instance=transfer, user=user, action="create", after=snapshot(transfer)
    )
    logger.info(
        "Factoring transfer %s: %s documents, %s",
        transfer,
        len(invoices),
        transfer.total,
    )
    return transfer


def transfer_report_pdf(transfer) -> bytes:
    """Return the transfer's report: every document and the totals, as a PDF."""
    from django.template.loader import render_to_string

    from modules.invoicing.documents import render_html_pdf

    lines = list(
        transfer.lines.select_related("invoice", "invoice__credited_invoice").order_by(
            "invoice__invoice_date", "invoice__number", "pk"
        )
    )
    invoices = [line.invoice for line in lines]
    credits = [i for i in invoices if i.kind == InvoiceKind.CREDIT_NOTE]
    html = render_to_string(
        "invoicing/pdf/factoring_transfer.html",
        {
            "transfer": transfer,
            "company": transfer.company,
            "invoices": invoices,
            "invoice_total": sum(
                (i.total for i in invoices if i not in credits), Decimal("0")
            ),
            "credit_total": sum((i.total for i in credits), Decimal("0")),
        },
    )
    return render_html_pdf(html)
