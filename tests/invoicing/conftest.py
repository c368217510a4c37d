"""Fixtures for invoicing: company A with open books, a customer, a bank."""

import datetime

import pytest
from django.utils import translation

from modules.core.models import BankAccount, Role
from modules.crm.models import Organisation, Person
from modules.invoicing.services import ensure_invoicing_settings
from modules.ledger.services import create_chart_from_template, open_fiscal_year


@pytest.fixture
def reference_data(reference_data):
    """Add the reference rates of penal interest to the reference data.

    The migration loads them, but transactional tests empty every table.
    """
    from modules.invoicing import rates

    rates.load()


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so messages compare before translation."""
    with translation.override("en"):
        yield


@pytest.fixture
def accountant(make_user, company_a):
    return make_user("accountant", company_a, role=Role.ACCOUNTANT)


def open_books(company, user):
    """Give `company` the template chart, 2026 open, a bank and settings."""
    create_chart_from_template(company=company, user=user)
    open_fiscal_year(
        company=company,
        user=user,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    BankAccount.objects.create(
        company=company,
        name="Main",
        iban="FI4950009420028730",
        bic="OKOYFIHH",
        is_default=True,
    )
    return ensure_invoicing_settings(company=company, user=user)


@pytest.fixture
def books(company_a, accountant):
    """Return company A ready to invoice: chart, 2026 open, bank, settings."""
    open_books(company_a, accountant)
    return company_a


@pytest.fixture
def customer(books):
    return Organisation.objects.create(
        company=books,
        name="Asiakas Oy",
        business_id="1572860-0",
        is_customer=True,
        postal_address="Kauppakatu 1",
        postal_code="00100",
        city="Helsinki",
        email="laskut@asiakas.example",
    )


@pytest.fixture
def consumer(books):
    return Person.objects.create(
        company=books,
        first_name="Maija",
        last_name="Meikäläinen",
        email="maija@example.com",
    )


ROWS = [
    {"description": "Consulting", "quantity": "2", "unit_price": "100.00", "unit": "h"},
    {
        "description": "Book",
        "quantity": "1",
        "unit_price": "20.00",
        "vat_code": "sales_reduced_14",
    },
]


@pytest.fixture
def rows():
    return [dict(row) for row in ROWS]
