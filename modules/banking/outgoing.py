"""Outgoing payments seen on the bank statement: paid, or returned.

When a camt.053 or camt.054 shows a debit for a payment our pain.001
batches sent, the payment is marked paid and the document it paid is
settled by the `SettlementProvider` registered for the document's model
(purchases settles purchase invoices; banking itself settles refunds of
overpayments, below). A debit is matched to sent payments, in order:

1. by the end-to-end id our file gave the payment;
2. by the payment information id (the batch number), when the bank booked
   the whole batch as one entry of the batch's open total;
3. by amount, the payee's IBAN and the payee's reference (when the
   payment carried one): for banks that return neither id.

A credit carrying the end-to-end id of one of our payments is that
payment coming back (a closed account, a wrong IBAN): the payment is
marked returned and the provider reopens the document.

Matching happens inside the import's transaction, and each payment is
allocated at most once (a unique constraint, so a second statement, or
the same one imported twice or at once, cannot settle it again); the
settling itself runs with the other bookings after the import commits.
Debits that match nothing wait in the reconciliation view.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.refpayments.references import national_part
from modules.banking.models import (
    BankConnection,
    BankTransaction,
    OutgoingPayment,
    PaymentAllocation,
    PaymentBatch,
)
from modules.banking.providers import Settlement, settlement_provider_for

logger = logging.getLogger(__name__)

# Batches whose file went to the bank: only their payments can be on a
# statement.
_SENT_BATCHES = (
    PaymentBatch.State.SENT,
    PaymentBatch.State.ACCEPTED,
    PaymentBatch.State.PARTIAL,
)


@dataclass(frozen=True)
class BankBooking:
    """Where a bank account's movements are booked in the ledger."""

    ledger_account: object
    voucher_series: object


def bank_booking(bank_account) -> BankBooking:
    """Return the ledger account and voucher series of `bank_account`.

    Raises a translated ValidationError when its bank connection does not
    name them yet.
    """
    setup = BankConnection.objects.filter(bank_account=bank_account).first()
    if setup is None or setup.ledger_account is None or setup.voucher_series is None:
        raise ValidationError(
            _(
                "Set the ledger account and voucher series of %(account)s in its "
                "bank connection first."
            ),
            code="no_bank_setup",
            params={"account": bank_account},
        )
    return BankBooking(setup.ledger_account, setup.voucher_series)


# Matching, inside the import


def _allocation(bank_transaction, payment, *, kind, method, user):
    return PaymentAllocation(
        company_id=bank_transaction.company_id,
        transaction=bank_transaction,
        kind=kind,
        method=method,
        outgoing_payment=payment,
        document_type_id=payment.source_type_id,
        document_id=payment.source_id,
        document_label=payment.source_label or str(payment)[:100],
        customer_name=payment.creditor_name[:200],
        amount=(
            payment.amount
            if kind == PaymentAllocation.Kind.OUTGOING
            else min(payment.amount, bank_transaction.amount)
        ),
        created_by=user if user is not None and user.is_authenticated else None,
    )


def _candidates(company, debits, returns) -> list[OutgoingPayment]:
    """Load, in one query, every sent payment any of the rows could be."""
    ids = {t.end_to_end_id for t in [*debits, *returns] if t.end_to_end_id}
    batches = {t.payment_info_id for t in debits if t.payment_info_id}
    amounts = {t.amount for t in debits}
    wanted = Q(end_to_end_id__in=ids) | Q(batch__number__in=batches)
    wanted |= Q(amount__in=amounts)
    return list(
        OutgoingPayment.objects.filter(
            wanted, company=company, batch__state__in=_SENT_BATCHES
        )
        .exclude(allocations__kind=PaymentAllocation.Kind.RETURN)
        .annotate(
            is_paid=Exists(
                PaymentAllocation.objects.filter(
                    outgoing_payment=OuterRef("pk"),
                    kind=PaymentAllocation.Kind.OUTGOING,
                )
            )
        )
        .select_related("batch")
        .order_by("pk")
    )


def _same_reference(payment, bank_transaction) -> bool:
    if not payment.reference:
        return True
    return national_part(payment.reference) == national_part(
        bank_transaction.reference or bank_transaction.raw_reference
    )


class _OpenPayments:
    """The sent, unpaid payments, looked up the three ways of the module doc."""

    def __init__(self, payments):
        self.open = {p.pk: p for p in payments if not p.is_paid}
        self.any_by_id = {p.end_to_end_id: p for p in payments}
        self.by_batch = defaultdict(list)
        self.by_amount = defaultdict(list)
        for payment in self.open.values():
            self.by_batch[payment.batch.number].append(payment)
            self.by_amount[payment.amount].append(payment)

    def take(self, payment) -> None:
        self.open.pop(payment.pk, None)

    def for_debit(self, debit) -> tuple[str, list[OutgoingPayment]]:
        Method = PaymentAllocation.Method
        payment = self.any_by_id.get(debit.end_to_end_id)
        if payment is not None:
            found = [payment] if payment.pk in self.open else []
            return Method.END_TO_END, found
        batch = [
            p for p in self.by_batch.get(debit.payment_info_id, []) if self._is_open(p)
        ]
        if batch and sum(p.amount for p in batch) == debit.amount:
            return Method.BATCH, batch
        for payment in self.by_amount.get(debit.amount, []):
            if (
                self._is_open(payment)
                and payment.creditor_iban == debit.counterparty_iban
                and _same_reference(payment, debit)
            ):
                return Method.AMOUNT_ACCOUNT, [payment]
        return "", []

    def _is_open(self, payment) -> bool:
        return payment.pk in self.open


def match_outgoing(*, company, transactions, user) -> list[PaymentAllocation]:
    """Allocate new debits (and returns) to sent payments; return allocations.

    Sets `allocated_amount` of the matched transactions; the caller sets
    their states and saves them with the allocations.
    """
    Direction = BankTransaction.Direction
    debits = [
        t for t in transactions if t.direction == Direction.DEBIT and not t.is_reversal
    ]
    returns = [
        t for t in transactions if t.direction == Direction.CREDIT and t.end_to_end_id
    ]
    if not debits and not returns:
        return []
    payments = _OpenPayments(_candidates(company, debits, returns))
    Kind = PaymentAllocation.Kind

    allocations = []
    for debit in debits:
        method, found = payments.for_debit(debit)
        for payment in found:
            payments.take(payment)
            allocations.append(
                _allocation(
                    debit, payment, kind=Kind.OUTGOING, method=method, user=user
                )
            )
            debit.allocated_amount += payment.amount
    for credit in returns:
        payment = payments.any_by_id.get(credit.end_to_end_id)
        if payment is None or credit.allocated_amount:
            continue
        allocation = _allocation(
            credit,
            payment,
            kind=Kind.RETURN,
            method=PaymentAllocation.Method.END_TO_END,
            user=user,
        )
        allocations.append(allocation)
        credit.allocated_amount += allocation.amount
    return allocations


# Settling, after the import


def _settlement(allocation, payment, booking: BankBooking | None, user) -> Settlement:
    bank_transaction = allocation.transaction
    return Settlement(
        company=allocation.company,
        payment_id=payment.pk,
        source_id=payment.source_id,
        amount=payment.amount,
        cash_discount=payment.cash_discount,
        paid_on=bank_transaction.booking_date,
        bank_account=bank_transaction.bank_account,
        ledger_account=booking.ledger_account if booking else None,
        voucher_series=booking.voucher_series if booking else None,
        user=user,
    )


def _settle(allocation, payment, user):
    provider = settlement_provider_for(
        payment.source_type.model_class() if payment.source_type_id else None
    )
    Kind = PaymentAllocation.Kind
    if allocation.kind == Kind.OUTGOING:
        voucher = None
        if provider is not None:
            booking = bank_booking(allocation.transaction.bank_account)
            voucher = provider.settle(_settlement(allocation, payment, booking, user))
        payment.state = OutgoingPayment.State.PAID
        payment.paid_on = allocation.transaction.booking_date
        return voucher
    paid = payment.allocations.filter(
        kind=Kind.OUTGOING, posted_at__isnull=False
    ).first()
    if paid is not None and provider is not None:
        provider.undo(
            _settlement(allocation, payment, None, user), voucher=paid.voucher
        )
    payment.state = OutgoingPayment.State.RETURNED
    payment.paid_on = None
    return None


def post_outgoing_allocation(allocation_id: int, user) -> bool:
    """Settle one outgoing payment (or its return) exactly once.

    The allocation row is locked and marked posted in the same
    transaction as the provider's booking, so two jobs settling the same
    statement at once book it once. A document that cannot be settled
    sends the debit back to the reconciliation view with the reason.
    """
    from modules.banking.services import undo_allocation, unposted_allocation

    with transaction.atomic():
        allocation = unposted_allocation(allocation_id)
        if allocation is None:
            return False
        payment = (
            OutgoingPayment.objects.select_for_update(of=("self",))
            .select_related("source_type")
            .get(pk=allocation.outgoing_payment_id)
        )
        try:
            with transaction.atomic():
                allocation.voucher = _settle(allocation, payment, user)
        except ValidationError as error:
            logger.warning(
                "Outgoing payment %s could not be settled: %s", payment.pk, error
            )
            undo_allocation(allocation, "; ".join(error.messages))
            return False
        payment.save(update_fields=["state", "paid_on"])
        allocation.posted_at = timezone.now()
        allocation.save(update_fields=["voucher", "posted_at"])
        logger.info("Outgoing payment %s is %s", payment.pk, payment.state)
        return True


class RefundSettlement:
    """Settles refunds of overpayments, whose source is the incoming payment.

    The surplus of an incoming payment was never booked (it stayed open on
    the transaction), so the refund going out books nothing either: the
    open part of the incoming payment is marked paid back.
    """

    def source_model(self):
        return BankTransaction

    def settle(self, settlement: Settlement):
        incoming = BankTransaction.objects.select_for_update().get(
            company=settlement.company, pk=settlement.source_id
        )
        if incoming.open_amount < settlement.amount:
            raise ValidationError(
                _(
                    "Only %(open)s of the incoming payment is left, less than "
                    "the refund of %(amount)s."
                ),
                code="refund_exceeds",
                params={"open": incoming.open_amount, "amount": settlement.amount},
            )
        PaymentAllocation.objects.create(
            company=settlement.company,
            transaction=incoming,
            kind=PaymentAllocation.Kind.REFUND,
            method=PaymentAllocation.Method.END_TO_END,
            outgoing_payment_id=settlement.payment_id,
            document_label=_("Refund"),
            customer_name=incoming.counterparty_name[:200],
            amount=settlement.amount,
            posted_at=timezone.now(),
        )
        _set_allocated(incoming, settlement.amount)
        return None

    def undo(self, settlement: Settlement, *, voucher) -> None:
        refund = (
            PaymentAllocation.objects.select_for_update()
            .filter(
                kind=PaymentAllocation.Kind.REFUND,
                outgoing_payment_id=settlement.payment_id,
            )
            .first()
        )
        if refund is None:
            return
        incoming = BankTransaction.objects.select_for_update().get(
            pk=refund.transaction_id
        )
        refund.delete()
        _set_allocated(incoming, -refund.amount)


def _set_allocated(bank_transaction, change) -> None:
    from modules.banking.services import state_for

    bank_transaction.allocated_amount += change
    bank_transaction.state = state_for(bank_transaction)
    bank_transaction.save(update_fields=["allocated_amount", "state"])
