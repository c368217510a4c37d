"""Consolidated statements: members, eliminations and the group figure."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from modules.consolidation.selectors import consolidated_statement
from modules.core.models import Role
from modules.ledger.reports.periods import DateRange

YEAR = DateRange(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def figures(statement, key):
    return [Decimal(value) for value in statement.row(key).values]


def test_intra_group_sales_and_purchases_are_eliminated(group):
    result = consolidated_statement(group=group, statement="income", period=YEAR)

    statement = result.statement
    assert [column.label for column in statement.columns] == [
        "Alfa Oy",
        "Beta Ab",
        "Eliminations",
        "Group",
        "Group, previous year",
    ]
    assert figures(statement, "turnover") == [6000, 0, -1000, 5000, 700]
    assert figures(statement, "materials") == [0, -1000, 1000, 0, 0]
    assert figures(statement, "profit") == [6000, -1800, 0, 4200, 700]
    assert result.difference == 0
    assert result.unmapped == []


def test_intra_group_receivables_and_payables_are_eliminated(group):
    result = consolidated_statement(group=group, statement="balance", period=YEAR)

    statement = result.statement
    receivables = figures(statement, "receivables_short")
    assert receivables[:4] == [1255, 255, -1255, 255]
    payables = figures(statement, "liabilities_short")
    assert payables[:4] == [255, 1255, -1255, 255]
    assert statement.row("assets").values == statement.row("liabilities").values
    assert figures(statement, "profit")[3] == 4200
    assert result.difference == 0


def test_unmatched_intra_group_sale_is_reported(group, company_a, post):
    post(
        company_a,
        datetime.date(2026, 12, 30),
        "Sale Beta has not booked",
        ("1710", "100"),
        ("3090", "-100"),
    )

    income = consolidated_statement(group=group, statement="income", period=YEAR)
    balance = consolidated_statement(group=group, statement="balance", period=YEAR)

    assert income.difference == Decimal("-100")
    assert (
        balance.statement.row("assets").values[3]
        == (balance.statement.row("liabilities").values[3])
    )


def test_group_screen_shows_eliminations(group, group_accountant):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_accountant)

    page = client.get(
        "/admin/consolidation/statements/?start=2026-01-01&end=2026-12-31"
        "&compare=on&statement=income"
    ).content.decode()

    assert "Eliminations" in page
    assert "Beta Ab" in page
    assert "4,200.00" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_group_statement_downloads(group, group_accountant, fmt):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_accountant)

    response = client.get(
        "/admin/consolidation/statements/?start=2026-01-01&end=2026-12-31"
        f"&statement=balance&format={fmt}"
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_only_users_of_every_member_may_run_it(group, make_user, company_a):
    one_company = make_user(
        "alfa_only", company_a, role=Role.ACCOUNTANT, perms=["ledger.view_voucher"]
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(one_company)

    response = client.get(
        "/admin/consolidation/statements/?start=2026-01-01&end=2026-12-31"
    )

    assert response.status_code in (302, 403)
    assert b"Beta Ab" not in response.content
