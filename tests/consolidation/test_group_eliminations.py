"""Holdings against equity, mapping imports and drill-down to vouchers."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from cms.importing import read_table, run_import
from cms.registry import get_registration
from modules.consolidation.models import AccountMapping, Ownership
from modules.consolidation.selectors import consolidated_statement
from modules.core.models import Role
from modules.ledger.reports.periods import DateRange

YEAR = DateRange(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
STATEMENTS = "/admin/consolidation/statements/?start=2026-01-01&end=2026-12-31"


def figures(statement, key):
    return [Decimal(value) for value in statement.row(key).values]


@pytest.fixture
def acquired(group, company_a, company_b, post):
    """Alfa paid 3 000 for Beta, whose share capital is 2 500."""
    day = datetime.date(2026, 1, 2)
    post(company_b, day, "Share capital", ("1910", "2500"), ("2000", "-2500"))
    post(company_a, day, "Shares in Beta", ("1200", "3000"), ("1910", "-3000"))
    for company, number, role in (
        (company_a, "1200", Ownership.INVESTMENT),
        (company_b, "2000", Ownership.EQUITY),
    ):
        AccountMapping.objects.filter(
            account__company=company, account__number=number
        ).update(ownership=role)
    return group


def test_holding_is_eliminated_against_equity_with_goodwill(acquired):
    result = consolidated_statement(group=acquired, statement="balance", period=YEAR)

    statement = result.statement
    # Columns: Alfa, Beta, eliminations, group, group last year.
    assert figures(statement, "investments")[:4] == [3000, 0, -3000, 0]
    assert figures(statement, "share_capital")[:4] == [0, 2500, -2500, 0]
    assert figures(statement, "intangible")[:4] == [0, 0, 500, 500]
    assert result.consolidation_difference == Decimal("500.00")
    assert result.difference == 0
    assert statement.row("assets").values == statement.row("liabilities").values


def test_negative_difference_is_a_group_reserve(acquired, company_a, post):
    # Alfa sells a third of the holding back at cost: 2 000 for 2 500 equity.
    day = datetime.date(2026, 2, 1)
    post(company_a, day, "Holding sold down", ("1910", "1000"), ("1200", "-1000"))

    result = consolidated_statement(group=acquired, statement="balance", period=YEAR)

    assert result.consolidation_difference == Decimal("-500.00")
    assert figures(result.statement, "provisions")[2:4] == [500, 500]
    statement = result.statement
    assert statement.row("assets").values == statement.row("liabilities").values


def test_screen_names_the_consolidation_difference(acquired, group_accountant):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_accountant)

    page = client.get(f"{STATEMENTS}&statement=balance").content.decode()

    assert "Consolidation difference: 500.00" in page


def _import(content: bytes, name: str, *, user, company, dry_run=False):
    registration = get_registration(AccountMapping)
    return run_import(
        registration=registration,
        dataset=read_table(content, name),
        user=user,
        company=company,
        dry_run=dry_run,
    )


def test_mappings_are_imported_from_csv_by_account_number(
    group, company_a, company_b, group_accountant
):
    content = (
        "account;group_account;intra_group;ownership;counterparty\n"
        "2000;2000;0;equity;\n"
        f"2810;2810;1;;{company_a.business_id}\n"
    ).encode("cp1252")

    result, _rows = _import(
        content, "mappings.csv", user=group_accountant, company=company_b
    )

    assert not result.has_errors() and not result.has_validation_errors()
    equity = AccountMapping.objects.get(
        account__company=company_b, account__number="2000"
    )
    payables = AccountMapping.objects.get(
        account__company=company_b, account__number="2810"
    )
    assert equity.ownership == Ownership.EQUITY
    assert payables.intra_group and payables.counterparty == company_a
    # Alfa's own 2000 is untouched: the row named Beta's account.
    assert (
        AccountMapping.objects.get(
            account__company=company_a, account__number="2000"
        ).ownership
        == ""
    )


def test_mappings_are_imported_from_xlsx(group, company_b, group_accountant):
    workbook = openpyxl.Workbook()
    workbook.active.append(["account", "group_account", "intra_group", "ownership"])
    workbook.active.append(["2000", "2000", 0, "equity"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result, _rows = _import(
        buffer.getvalue(), "mappings.xlsx", user=group_accountant, company=company_b
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert (
        AccountMapping.objects.get(
            account__company=company_b, account__number="2000"
        ).ownership
        == Ownership.EQUITY
    )


def test_a_broken_mapping_row_imports_nothing(group, company_b, group_accountant):
    content = (
        b"account;group_account;intra_group;ownership;counterparty\n"
        b"2000;2000;0;equity;\n"
        b"2810;9999;1;;\n"
    )

    result, rows = _import(
        content, "mappings.csv", user=group_accountant, company=company_b
    )

    assert result.has_errors() or result.has_validation_errors()
    assert any(row.errors for row in rows)
    assert (
        AccountMapping.objects.get(
            account__company=company_b, account__number="2000"
        ).ownership
        == ""
    )


def test_figure_drills_down_to_member_accounts_and_vouchers(
    group, group_accountant, company_b
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_accountant)
    page = client.get(f"{STATEMENTS}&statement=income&accounts=on").content.decode()

    link = (
        re.search(
            r'href="(/admin/consolidation/statements/accounts/\?[^"]*company='
            + str(company_b.pk)
            + r'[^"]*)">-?1,000\.00',
            page,
        )
        .group(1)
        .replace("&amp;", "&")
    )
    accounts = client.get(link).content.decode()
    voucher_link = re.search(
        r'href="(/admin/consolidation/vouchers/\d+/)"', accounts
    ).group(1)
    voucher = client.get(voucher_link).content.decode()

    assert "4090" in accounts
    assert "Purchase from Alfa" in voucher
    assert "Beta Ab" in voucher


def test_drill_down_needs_access_to_that_company(
    group, group_accountant, make_user, company_a, company_b
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_accountant)
    page = client.get(f"{STATEMENTS}&statement=income&accounts=on").content.decode()
    link = (
        re.search(
            r'href="(/admin/consolidation/statements/accounts/\?[^"]*company='
            + str(company_b.pk)
            + r'[^"]*)">-?1,000\.00',
            page,
        )
        .group(1)
        .replace("&amp;", "&")
    )
    accounts = client.get(link).content.decode()
    voucher_link = re.search(
        r'href="(/admin/consolidation/vouchers/\d+/)"', accounts
    ).group(1)
    alfa_only = make_user(
        "alfa_only", company_a, role=Role.ACCOUNTANT, perms=["ledger.view_voucher"]
    )
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(alfa_only)

    assert other.get(link).status_code == 404
    assert other.get(voucher_link).status_code == 404
