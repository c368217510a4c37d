"""Reads of invoicing: open items, ageing, statements, credit exposure."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from modules.invoicing.models import ZERO, InvoiceKind, InvoiceState, SalesInvoice

# Ageing buckets by days past due: (upper limit, key); None is open-ended.
AGEING_BUCKETS = ((0, "not_due"), (30, "1_30"), (60, "31_60"), (90, "61_90"))


def open_invoices_for_matching(*, company) -> QuerySet:
    """Return the company's issued invoices that still have money due.

    This is what the banking module matches incoming payments against:
    each row has `number`, `reference` (normalised), `customer`
    (organisation or person), `customer_id`, `total`, `open_amount`,
    `due_date`, `currency` and `state`.
    """
    return (
        SalesInvoice.objects.filter(
            company=company,
            state=InvoiceState.ISSUED,
            kind__in=[InvoiceKind.INVOICE, InvoiceKind.INTEREST],
            open_amount__gt=0,
        )
        .select_related("organisation", "person")
        .order_by("due_date", "pk")
    )


def open_items(*, company, organisation=None, person=None) -> QuerySet:
    """Return issued invoices and credit notes with something still open."""
    items = SalesInvoice.objects.filter(company=company, state=InvoiceState.ISSUED)
    if organisation is not None:
        items = items.filter(organisation=organisation)
    if person is not None:
        items = items.filter(person=person)
    return items.exclude(open_amount=0).order_by("due_date", "number")


def ageing_bucket(*, due_date: datetime.date, on_date: datetime.date) -> str:
    """Return the ageing bucket key of an item due on `due_date`."""
    overdue = (on_date - due_date).days
    for limit, key in AGEING_BUCKETS:
        if overdue <= limit:
            return key
    return "over_90"


@dataclass
class Ageing:
    """Open amounts of one customer by how long they are past due."""

    customer_name: str
    customer_key: str
    buckets: dict
    total: Decimal


def ageing(*, company, on_date: datetime.date) -> list[Ageing]:
    """Return open receivables per customer in ageing buckets."""
    keys = [key for _limit, key in AGEING_BUCKETS] + ["over_90"]
    rows: dict[str, Ageing] = {}
    for item in open_items(company=company):
        row = rows.setdefault(
            item.customer_id,
            Ageing(
                item.customer_name, item.customer_id, dict.fromkeys(keys, ZERO), ZERO
            ),
        )
        bucket = ageing_bucket(due_date=item.due_date, on_date=on_date)
        row.buckets[bucket] += item.open_amount
        row.total += item.open_amount
    return sorted(rows.values(), key=lambda row: row.customer_name.lower())


def customer_open_total(*, company, customer) -> Decimal:
    """Return what `customer` owes the company in issued, unpaid invoices."""
    field = "organisation" if customer._meta.model_name == "organisation" else "person"
    return open_items(company=company, **{field: customer}).aggregate(
        total=Sum("open_amount", default=ZERO)
    )["total"]
