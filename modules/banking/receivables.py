"""The receivables provider backed by the invoicing module's sales invoices.

Registered by `modules.banking.apps` when `modules.invoicing` offers the
selector and service below; banking calls nothing else of invoicing.
"""

from __future__ import annotations

from modules.banking.providers import OpenItem


class InvoicingReceivables:
    """Open sales invoices from `modules.invoicing`."""

    def document_model(self):
        from modules.invoicing.models import SalesInvoice

        return SalesInvoice

    def open_items(self, *, company, document_ids=None) -> list[OpenItem]:
        from modules.invoicing.selectors import open_invoices_for_matching

        invoices = open_invoices_for_matching(company=company)
        if document_ids is not None:
            invoices = invoices.filter(pk__in=list(document_ids))
        return [
            OpenItem(
                document_id=str(invoice.pk),
                number=str(invoice.number or ""),
                reference=invoice.reference or "",
                customer_key=str(invoice.customer_id or ""),
                customer_name=invoice.customer_name,
                open_amount=invoice.open_amount,
                due_date=invoice.due_date,
                currency=invoice.currency,
            )
            for invoice in invoices
        ]

    def register_payment(
        self, *, company, document_id, amount, paid_on, bank_account, user, source
    ) -> None:
        from modules.invoicing.models import SalesInvoice
        from modules.invoicing.services import register_payment

        invoice = SalesInvoice.objects.get(company=company, pk=document_id)
        register_payment(
            invoice=invoice,
            amount=amount,
            paid_on=paid_on,
            bank_account=bank_account,
            user=user,
            source=source,
        )
