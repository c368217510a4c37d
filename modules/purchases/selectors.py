"""Reads of purchase invoicing: open payables for the cash forecast."""

from modules.banking.providers import ExpectedPayment

from .models import ArchivedFile, InvoiceState, PurchaseInvoice

UNPAID_STATES = (
    InvoiceState.RECEIVED,
    InvoiceState.IN_CIRCULATION,
    InvoiceState.APPROVED,
    InvoiceState.POSTED,
)


class PurchasePayables:
    """Banking's payables provider: what the company owes its suppliers."""

    def expected_payments(self, *, company) -> list[ExpectedPayment]:
        invoices = PurchaseInvoice.objects.filter(
            company=company, state__in=UNPAID_STATES, due_date__isnull=False
        ).select_related("supplier")
        return [
            ExpectedPayment(
                due_date=invoice.due_date, amount=invoice.total, label=str(invoice)
            )
            for invoice in invoices
        ]


def archived_document_company(document) -> int | None:
    """The company whose purchase invoice archived `document`, if any."""
    return (
        ArchivedFile.objects.filter(document=document)
        .values_list("invoice__company_id", flat=True)
        .first()
    )
