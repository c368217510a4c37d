"""Purchase invoices settled when the bank statement shows their payment.

Banking's `SettlementProvider` for purchase invoices: when a debit on a
camt.053/camt.054 is matched to the outgoing payment that paid an
invoice, `settle` marks the invoice paid and posts the payment voucher:

    debit  2800 trade payables   amount + cash discount
    credit bank account          amount paid
    credit 4310 discounts        cash discount less its VAT (when taken)
    credit input VAT             the discount's share of the VAT

and `undo` reverses that voucher and reopens the invoice when the bank
returns the payment. Banking calls each once per payment, under a lock.
"""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from modules.banking.providers import Settlement
from modules.core.audit import record_change
from modules.ledger.services import LineInput, post_voucher, reverse_voucher

from .models import InvoiceState, PurchaseInvoice
from .posting import PAYABLES_ACCOUNT, _account, cash_discount_line

logger = logging.getLogger(__name__)


class PurchaseSettlement:
    """Marks purchase invoices paid from the bank statement."""

    def source_model(self):
        return PurchaseInvoice

    def _invoice(self, settlement: Settlement) -> PurchaseInvoice:
        return PurchaseInvoice.objects.select_for_update().get(
            company=settlement.company, pk=settlement.source_id
        )

    def settle(self, settlement: Settlement):
        invoice = self._invoice(settlement)
        if invoice.state != InvoiceState.POSTED:
            raise ValidationError(
                _(
                    "Purchase invoice %(invoice)s is %(state)s, not posted and "
                    "unpaid; its payment was not booked."
                ),
                code="not_payable",
                params={"invoice": invoice, "state": invoice.get_state_display()},
            )
        settled = settlement.amount + settlement.cash_discount
        if settled != invoice.total:
            raise ValidationError(
                _(
                    "The payment %(amount)s and cash discount %(discount)s do not "
                    "add up to the total %(total)s of purchase invoice %(invoice)s."
                ),
                code="settlement_mismatch",
                params={
                    "amount": settlement.amount,
                    "discount": settlement.cash_discount,
                    "total": invoice.total,
                    "invoice": invoice,
                },
            )

        text = _("Payment of purchase invoice %(invoice)s") % {"invoice": invoice}
        lines = [
            LineInput(
                account=_account(invoice.company, PAYABLES_ACCOUNT),
                debit=settled,
                description=text,
            ),
            LineInput(
                account=settlement.ledger_account,
                credit=settlement.amount,
                description=text,
            ),
        ]
        if settlement.cash_discount > Decimal("0"):
            lines.append(cash_discount_line(invoice, settlement.cash_discount))
        voucher = post_voucher(
            company=invoice.company,
            user=settlement.user,
            series=settlement.voucher_series,
            date=settlement.paid_on,
            description=text,
            lines=lines,
            source=invoice,
        )
        invoice.state = InvoiceState.PAID
        invoice.paid_on = settlement.paid_on
        invoice.save(update_fields=["state", "paid_on"])
        record_change(
            instance=invoice,
            user=settlement.user,
            action="update",
            after={"state": invoice.state, "payment_voucher": str(voucher)},
        )
        logger.info("Purchase invoice %s paid, voucher %s", invoice.pk, voucher)
        return voucher

    def undo(self, settlement: Settlement, *, voucher) -> None:
        invoice = self._invoice(settlement)
        if invoice.state != InvoiceState.PAID:
            return
        if voucher is not None:
            reverse_voucher(
                voucher=voucher, user=settlement.user, date=settlement.paid_on
            )
        invoice.state = InvoiceState.POSTED
        invoice.paid_on = None
        invoice.save(update_fields=["state", "paid_on"])
        record_change(
            instance=invoice,
            user=settlement.user,
            action="update",
            after={"state": invoice.state, "payment_returned": True},
        )
        logger.info("Purchase invoice %s reopened: payment returned", invoice.pk)
