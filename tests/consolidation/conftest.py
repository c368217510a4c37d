"""A group of two companies with books, mapped charts and intra-group trade."""

import datetime

import pytest
from django.utils import translation

from fixtures.demo_ledger import Books
from modules.consolidation.services import map_accounts_to_group
from modules.core.models import CompanyGroup, Role
from modules.ledger.services import open_fiscal_year

INTRA_GROUP = ("1710", "2810", "3090", "4090")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def group_accountant(make_user, company_a, company_b):
    return make_user(
        "group_accountant",
        company_a,
        company_b,
        role=Role.ACCOUNTANT,
        perms=["ledger.view_voucher"],
    )


def _books(company, user):
    """Open 2025 and 2026 on the demo chart (with its intra-group accounts)."""
    books = Books(company, user)
    for year in (2025, 2026):
        open_fiscal_year(
            company=company,
            user=user,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
        )
    return books


@pytest.fixture
def post(company_a, company_b, group_accountant):
    """Return a function posting (account number, amount) pairs; + is debit."""
    books = {
        company.pk: _books(company, group_accountant)
        for company in (company_a, company_b)
    }

    def run(company, day, description, *pairs):
        return books[company.pk].post("MU", day, description, *pairs)

    return run


@pytest.fixture
def group(company_a, company_b, group_accountant, post):
    """Alfa sells to Beta 1 000 + VAT inside the group and 5 000 outside."""
    kide = CompanyGroup.objects.create(name="Kide")
    for company in (company_a, company_b):
        company.group = kide
        company.save(update_fields=["group"])
        map_accounts_to_group(
            company=company, user=group_accountant, intra_group=INTRA_GROUP
        )

    day = datetime.date(2026, 5, 4)
    post(
        company_a,
        day,
        "Sale to Beta",
        ("1710", "1255"),
        ("3090", "-1000"),
        ("2870", "-255"),
    )
    post(
        company_b,
        day,
        "Purchase from Alfa",
        ("4090", "1000"),
        ("1763", "255"),
        ("2810", "-1255"),
    )
    post(company_a, day, "Sale outside", ("1910", "5000"), ("3000", "-5000"))
    post(company_b, day, "Salaries", ("5000", "800"), ("1910", "-800"))
    post(
        company_a,
        datetime.date(2025, 6, 1),
        "Old sale",
        ("1910", "700"),
        ("3000", "-700"),
    )
    return kide
