"""Invoicing runs: recurring contracts and delivered work, billed in bulk.

A run asks for what is due up to a date (contracts whose next invoice
date has come, and the items of every registered invoice source, see
`hooks.py`), and invoices each in its own transaction. Each invoice
carries its origin in `SalesInvoice.source`, so an origin is billed once
however often a run is repeated or restarted.
"""

import calendar
import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from modules.invoicing.hooks import invoice_sources
from modules.invoicing.models import RecurringContract, SalesInvoice
from modules.invoicing.services import create_and_issue_invoice

logger = logging.getLogger(__name__)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` later, clamped to the month's end.

    A month's last day stays the last day (31.1. -> 28.2. -> 31.3.).
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return datetime.date(year, month, last)
    return day.replace(year=year, month=month, day=min(day.day, last))


@dataclass(frozen=True)
class Work:
    """One invoice a run is to make."""

    source: str
    label: str
    make: object  # callable(user) -> SalesInvoice


def _contract_work(contract, up_to):
    day = contract.next_invoice_date
    while day <= up_to and (contract.end_date is None or day <= contract.end_date):
        yield day
        day = add_months(day, contract.interval_months)


def _bill_contract(contract_id: int, day: datetime.date, source: str, user):
    contract = RecurringContract.objects.select_for_update().get(pk=contract_id)
    invoice = create_and_issue_invoice(
        company=contract.company,
        user=user,
        customer=contract.customer,
        lines=contract.lines,
        invoice_date=day,
        source=source,
        your_reference=contract.name,
    )
    following = add_months(day, contract.interval_months)
    if following > contract.next_invoice_date:
        contract.next_invoice_date = following
        contract.save(update_fields=["next_invoice_date"])
    return invoice


def _bill_item(source, item, user, company):
    invoice = create_and_issue_invoice(
        company=company,
        user=user,
        customer=item.customer,
        lines=item.lines,
        delivery_date=item.delivery_date,
        source=item.key,
        your_reference=item.your_reference,
    )
    if source.billed is not None:
        source.billed(key=item.key, invoice=invoice)
    return invoice


def pending_work(*, company, up_to: datetime.date) -> list[Work]:
    """Return what a run up to `up_to` would invoice, nothing yet billed."""
    work = []
    contracts = RecurringContract.objects.filter(
        company=company, is_active=True, next_invoice_date__lte=up_to
    ).order_by("pk")
    for contract in contracts:
        for day in _contract_work(contract, up_to):
            key = f"contract:{contract.pk}:{day:%Y-%m-%d}"
            work.append(
                Work(
                    key,
                    f"{contract.name} {day:%d.%m.%Y}",
                    lambda user, c=contract.pk, d=day, k=key: _bill_contract(
                        c, d, k, user
                    ),
                )
            )
    for source in invoice_sources():
        for item in source.items(company=company, up_to=up_to):
            work.append(
                Work(
                    item.key,
                    str(item.customer),
                    lambda user, s=source, i=item: _bill_item(s, i, user, company),
                )
            )
    billed = set(
        SalesInvoice.objects.filter(
            company=company, source__in=[entry.source for entry in work]
        ).values_list("source", flat=True)
    )
    return [entry for entry in work if entry.source not in billed]


def run_invoicing(*, company, user, up_to: datetime.date, progress=None) -> dict:
    """Invoice all pending work; return counts and the failures' reasons.

    An item refused for a business reason (a closed period, a contract row
    with a wrong VAT code) does not stop the run: its reason is reported
    and the rest are invoiced.
    """
    work = pending_work(company=company, up_to=up_to)
    made, failed = [], []
    for index, entry in enumerate(work, start=1):
        try:
            with transaction.atomic():
                made.append(entry.make(user).number)
        except ValidationError as error:
            failed.append({"item": entry.label, "error": " ".join(error.messages)})
            logger.warning("Invoicing run: %s failed: %s", entry.label, error)
        if progress is not None:
            progress(index, len(work), entry.label)
    return {"invoiced": made, "failed": failed}
