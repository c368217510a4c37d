"""What banking needs from the modules that own receivables and payables.

Banking matches incoming payments to open sales invoices and forecasts
cash from open receivables and payables, but owns neither. The owning
module registers a provider:

- a `ReceivablesProvider` (one per installation; the invoicing module's
  adapter is registered by `modules.banking.apps` when that module is
  present) lists open items and books a payment against one;
- any number of `PayablesProvider`s (a purchases module, payroll) list
  the payments the company expects to make, for the cash forecast;
- a `SettlementProvider` per kind of document paid out through a payment
  batch (purchase invoices, refunds of overpayments) settles the document
  when the bank statement shows the payment went out, and undoes that
  when the bank returns it.

Providers are registered when apps load, like the module registry, and
hold no state of their own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class OpenItem:
    """An unpaid (or partly paid) sales invoice, as matching sees it."""

    document_id: str
    number: str
    reference: str
    customer_key: str
    customer_name: str
    open_amount: Decimal
    due_date: datetime.date | None
    currency: str = "EUR"


@dataclass(frozen=True)
class ExpectedPayment:
    """A payment the company expects to make, for the cash forecast."""

    due_date: datetime.date
    amount: Decimal
    label: str


class ReceivablesProvider(Protocol):
    """Open receivables and the one way to book a payment against them."""

    def document_model(self):
        """Return the model class of the receivable documents."""

    def open_items(
        self, *, company, document_ids: Iterable[str] | None = None
    ) -> list[OpenItem]:
        """Return the company's open items, or only those named."""

    def register_payment(
        self, *, company, document_id, amount, paid_on, bank_account, user, source
    ) -> None:
        """Book `amount` paid on `paid_on` against one open item.

        `source` is a text naming this booking; the same source books once,
        so a retry after a crash cannot book twice.
        """


@dataclass(frozen=True)
class Settlement:
    """An outgoing payment the bank booked, as the paying module sees it.

    `ledger_account` and `voucher_series` are the bank account's own, from
    its bank connection; `payment_id` names the outgoing payment, and the
    same payment is settled once.
    """

    company: object
    payment_id: int
    source_id: str
    amount: Decimal
    cash_discount: Decimal
    paid_on: datetime.date
    bank_account: object
    ledger_account: object
    voucher_series: object
    user: object


class SettlementProvider(Protocol):
    """Settles the documents of one model that payment batches pay."""

    def source_model(self):
        """Return the model class of the documents paid."""

    def settle(self, settlement: Settlement):
        """Mark the document paid and book it; return the voucher or None.

        Raise a ValidationError with a translated message when the
        document cannot be settled; the payment then waits for the user.
        """

    def undo(self, settlement: Settlement, *, voucher) -> None:
        """Reopen the document after the bank returned the payment.

        `voucher` is what `settle` returned for the payment.
        """


class PayablesProvider(Protocol):
    """Payments a module expects the company to make."""

    def expected_payments(self, *, company) -> list[ExpectedPayment]:
        """Return the company's open payables with their due dates."""


_receivables: list[ReceivablesProvider] = []
_payables: list[PayablesProvider] = []
_settlements: dict[str, SettlementProvider] = {}


def set_receivables_provider(provider: ReceivablesProvider | None) -> None:
    """Make `provider` the source of open receivables (None: there is none)."""
    _receivables[:] = [provider] if provider is not None else []


def receivables_provider() -> ReceivablesProvider | None:
    """Return the registered receivables provider, or None."""
    return _receivables[0] if _receivables else None


def register_payables_provider(provider: PayablesProvider) -> None:
    """Add a source of expected outgoing payments to the cash forecast."""
    if provider not in _payables:
        _payables.append(provider)


def payables_providers() -> list[PayablesProvider]:
    """Return the registered payables providers."""
    return list(_payables)


def register_settlement_provider(provider: SettlementProvider) -> None:
    """Let `provider` settle the documents of its model when paid out."""
    _settlements[provider.source_model()._meta.label_lower] = provider


def settlement_provider_for(model) -> SettlementProvider | None:
    """Return the provider settling documents of `model`, or None."""
    return _settlements.get(model._meta.label_lower) if model is not None else None
