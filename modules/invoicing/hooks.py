"""Where other modules hand invoicing the work they have ready to bill.

Invoicing does not know deliveries or orders. A module that has them
registers a source once, at import time of its `registry.py`:

    from modules.invoicing.hooks import BillableItem, register_invoice_source

    def deliveries_to_bill(*, company, up_to):
        for delivery in ...:
            yield BillableItem(
                key=f"orders.delivery:{delivery.pk}",
                customer=delivery.customer,          # Organisation or Person
                delivery_date=delivery.shipped_on,
                lines=[{"description": ..., "quantity": ..., "unit_price": ...,
                        "vat_code": ..., "product_code": ...}],
            )

    def mark_billed(*, key, invoice): ...

    register_invoice_source("deliveries", items=deliveries_to_bill,
                            billed=mark_billed)

The invoicing run invoices every item and then calls `billed(key=...,
invoice=...)` in the same transaction. An item whose key already names an
invoice (`SalesInvoice.source`) is not invoiced again, so a run that died
half-way can simply run again. Free-form invoices need no source at all.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BillableItem:
    """Something delivered and not yet invoiced."""

    key: str
    customer: object
    delivery_date: datetime.date
    lines: list = field(default_factory=list)
    your_reference: str = ""


@dataclass(frozen=True)
class InvoiceSource:
    name: str
    items: Callable[..., Iterable[BillableItem]]
    billed: Callable | None = None


_sources: dict[str, InvoiceSource] = {}


def register_invoice_source(name: str, *, items: Callable, billed=None) -> None:
    """Let the invoicing run bill what `items(company=, up_to=)` yields."""
    _sources[name] = InvoiceSource(name=name, items=items, billed=billed)


def unregister_invoice_source(name: str) -> None:
    """Forget a source (used by tests that register throwaway sources)."""
    _sources.pop(name, None)


def invoice_sources() -> list[InvoiceSource]:
    """Return the registered sources in name order."""
    return [_sources[name] for name in sorted(_sources)]
