"""Fixtures of the banking tests: accounts, users and a receivables source.

Until an invoicing module answers for them, `receivables` stands in for
sales invoices: open items kept in memory, booked payments recorded, the
same contract (`modules.banking.providers.ReceivablesProvider`) the real
one fulfils.
"""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fixtures.bank_files import IBAN, OTHER_IBAN
from modules.banking.providers import (
    OpenItem,
    receivables_provider,
    set_receivables_provider,
)
from modules.core.models import BankAccount, Role


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so messages compare before translation."""
    with translation.override("en"):
        yield


class InMemoryReceivables:
    """Open items in a dict; `booked` lists every payment booked."""

    def __init__(self):
        self.items: dict[str, OpenItem] = {}
        self.booked: list[tuple[str, Decimal]] = []

    def add(self, number, amount, *, reference="", customer="Asiakas Oy", due=None):
        item = OpenItem(
            document_id=str(len(self.items) + 1),
            number=number,
            reference=reference,
            customer_key=customer.lower(),
            customer_name=customer,
            open_amount=Decimal(amount),
            due_date=due or datetime.date(2026, 11, 30),
        )
        self.items[item.document_id] = item
        return item

    def open_amount(self, number) -> Decimal:
        return next(i.open_amount for i in self.items.values() if i.number == number)

    def document_model(self):
        from tests.sample.models import Gadget

        return Gadget

    def open_items(self, *, company, document_ids=None):
        wanted = set(document_ids) if document_ids is not None else None
        return [
            item
            for item in self.items.values()
            if item.open_amount > 0 and (wanted is None or item.document_id in wanted)
        ]

    def register_payment(
        self, *, company, document_id, amount, paid_on, bank_account, user, source
    ):
        item = self.items[document_id]
        if amount > item.open_amount:
            raise ValidationError(f"Invoice {item.number} is no longer open.")
        self.items[document_id] = replace(item, open_amount=item.open_amount - amount)
        self.booked.append((item.number, amount))


@pytest.fixture
def receivables():
    previous = receivables_provider()
    provider = InMemoryReceivables()
    set_receivables_provider(provider)
    yield provider
    set_receivables_provider(previous)


@pytest.fixture
def account_a(company_a):
    return BankAccount.objects.create(
        company=company_a, name="Main", iban=IBAN, bic="HANDFIHH", is_default=True
    )


@pytest.fixture
def second_account_a(company_a):
    return BankAccount.objects.create(
        company=company_a, name="Savings", iban=OTHER_IBAN, bic="OKOYFIHH"
    )


@pytest.fixture
def clerk(make_user, company_a):
    return make_user("clerk", company_a, role=Role.ACCOUNTANT)
