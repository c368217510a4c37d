"""Fixtures for the ledger tests: a company with its books opened."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from modules.core.models import Role
from modules.ledger.models import Account, VoucherSeries
from modules.ledger.services import (
    LineInput,
    create_chart_from_template,
    open_fiscal_year,
)


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so messages compare before translation."""
    with translation.override("en"):
        yield


@pytest.fixture
def accountant(make_user, company_a):
    return make_user("accountant", company_a, role=Role.ACCOUNTANT)


@pytest.fixture
def books(company_a, accountant):
    """Return company A with the template chart, 2026 open and a memo series."""
    create_chart_from_template(company=company_a, user=accountant)
    open_fiscal_year(
        company=company_a,
        user=accountant,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    VoucherSeries.objects.create(company=company_a, code="MU", name="Memo")
    return company_a


@pytest.fixture
def series(books):
    return VoucherSeries.objects.get(company=books, code="MU")


@pytest.fixture
def account(books):
    """Return a function that finds an account of the books by number."""

    def find(number):
        return Account.objects.get(company=books, number=number)

    return find


@pytest.fixture
def sale(account):
    """Return the lines of a 124 EUR cash sale: bank, sales and output VAT."""

    def lines(amount="100.00", tax="24.00"):
        gross = Decimal(amount) + Decimal(tax)
        return [
            LineInput(account=account("1910"), debit=gross),
            LineInput(account=account("3000"), credit=Decimal(amount)),
            LineInput(account=account("2870"), credit=Decimal(tax)),
        ]

    return lines
