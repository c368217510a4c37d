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
    post_voucher,
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


@pytest.fixture
def two_years(books, accountant, series, account):
    """Return the books with 2025 and 2026 open and a few vouchers in each.

    2025: share capital 2 500 in, sales 1 000 + VAT, rent 400.
    2026: sales 3 000 + VAT, salaries 1 200, rent 500, a machine 2 000.
    """
    open_fiscal_year(
        company=books,
        user=accountant,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )

    def post(day, description, *pairs):
        lines = []
        for number, amount in pairs:
            amount = Decimal(amount)
            side = {"debit": amount} if amount > 0 else {"credit": -amount}
            lines.append(LineInput(account=account(number), **side))
        return post_voucher(
            company=books,
            user=accountant,
            series=series,
            date=day,
            description=description,
            lines=lines,
        )

    day = datetime.date
    post(day(2025, 1, 2), "Share capital", ("1910", "2500"), ("2000", "-2500"))
    post(day(2025, 3, 1), "Sale", ("1910", "1240"), ("3000", "-1000"), ("2870", "-240"))
    post(day(2025, 3, 5), "Rent", ("7100", "400"), ("1910", "-400"))
    post(day(2026, 2, 1), "Sale", ("1910", "3720"), ("3000", "-3000"), ("2870", "-720"))
    post(day(2026, 2, 28), "Salaries", ("5000", "1200"), ("1910", "-1200"))
    post(day(2026, 3, 5), "Rent", ("7100", "500"), ("1910", "-500"))
    post(day(2026, 4, 1), "Machine", ("1120", "2000"), ("1910", "-2000"))
    return books
