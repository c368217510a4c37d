"""Income statement and balance sheet: the figures an accountant checks."""

import datetime
from decimal import Decimal

import pytest

from modules.ledger.models import StatementLine
from modules.ledger.reports.books import trial_balance
from modules.ledger.reports.layouts import BALANCE_LAYOUTS, INCOME_LAYOUTS, line_map
from modules.ledger.reports.periods import DateRange
from modules.ledger.reports.statements import balance_sheet, income_statement

YEAR_2026 = DateRange(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def amounts(row):
    return [Decimal(value) for value in row.values]


def test_income_statement_shows_this_and_last_years_figures(two_years):
    statement = income_statement(company=two_years, period=YEAR_2026)

    assert [column.label for column in statement.columns] == [
        "01.01.2026-31.12.2026",
        "01.01.2025-31.12.2025",
    ]
    assert amounts(statement.row("turnover")) == [Decimal("3000"), Decimal("1000")]
    assert amounts(statement.row("personnel")) == [Decimal("-1200"), Decimal("0")]
    assert amounts(statement.row("operating_profit")) == [
        Decimal("1300"),
        Decimal("600"),
    ]
    assert amounts(statement.row("profit")) == [Decimal("1300"), Decimal("600")]


def test_income_statement_profit_matches_the_trial_balance(two_years):
    statement = income_statement(company=two_years, period=YEAR_2026, compare=False)
    balance = trial_balance(company=two_years, period=YEAR_2026, compare=False)

    income_lines = [
        line for line in balance.lines if line.account.statement_line.startswith("is_")
    ]
    assert statement.row("profit").values[0] == -sum(
        line.balance for line in income_lines
    )
    assert balance.debit == balance.credit


def test_balance_sheet_balances_and_carries_last_years_profit(two_years):
    sheet = balance_sheet(company=two_years, period=YEAR_2026)

    assets, liabilities = sheet.row("assets"), sheet.row("liabilities")
    assert assets.values == liabilities.values
    assert amounts(assets) == [Decimal("5360"), Decimal("3340")]
    assert amounts(sheet.row("profit")) == [Decimal("1300"), Decimal("600")]
    # 2025 was never closed: its result shows as retained earnings in 2026.
    assert amounts(sheet.row("retained_earnings")) == [Decimal("600"), Decimal("0")]
    assert [column.label for column in sheet.columns] == ["31.12.2026", "31.12.2025"]


def test_balance_sheet_mid_year_counts_only_the_year_so_far(two_years):
    march = DateRange(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))

    sheet = balance_sheet(company=two_years, period=march, compare=False)

    assert amounts(sheet.row("profit")) == [Decimal("1300")]
    assert amounts(sheet.row("tangible")) == [Decimal("0")]
    assert sheet.row("assets").values == sheet.row("liabilities").values


@pytest.mark.parametrize("layout", ["full", "pma_small", "pma_micro"])
def test_every_layout_gives_the_same_result_and_balance(two_years, layout):
    statement = income_statement(company=two_years, period=YEAR_2026, layout=layout)
    sheet = balance_sheet(company=two_years, period=YEAR_2026, layout=layout)

    assert amounts(statement.row("profit")) == [Decimal("1300"), Decimal("600")]
    assert sheet.row("assets").values == sheet.row("liabilities").values


def test_pma_layouts_map_every_statutory_line_exactly_once():
    for layouts, prefix in ((INCOME_LAYOUTS, "is_"), (BALANCE_LAYOUTS, "bs_")):
        wanted = {line.value for line in StatementLine if line.value.startswith(prefix)}
        for layout in layouts.values():
            mapped = [line for row in layout.rows for line in row.lines]
            assert sorted(mapped) == sorted(wanted), layout.key
            assert set(line_map(layout)) == wanted


def test_small_company_balance_sheet_merges_receivables(two_years, account):
    sheet = balance_sheet(company=two_years, period=YEAR_2026, layout="pma_small")

    row = sheet.row("receivables")
    assert row.lines == (
        StatementLine.BS_RECEIVABLES_LONG.value,
        StatementLine.BS_RECEIVABLES_SHORT.value,
    )


def test_statement_lists_accounts_under_their_row(two_years, account):
    statement = income_statement(company=two_years, period=YEAR_2026)

    listed = statement.row("other_expenses").accounts
    assert [item.account for item in listed] == [account("7100")]
    assert listed[0].values == [Decimal("-500"), Decimal("-400")]


def test_line_filter_narrows_the_statement(two_years, account):
    from django.db.models import Q

    statement = income_statement(
        company=two_years,
        period=YEAR_2026,
        line_filter=~Q(account=account("5000")),
    )

    assert amounts(statement.row("profit")) == [Decimal("2500"), Decimal("600")]


def test_other_companies_entries_never_count(two_years, company_b, accountant):
    statement = income_statement(company=company_b, period=YEAR_2026)

    assert amounts(statement.row("profit")) == [Decimal("0"), Decimal("0")]


def test_previous_year_range_keeps_the_end_of_february():
    leap = DateRange(datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))

    assert leap.previous_year() == DateRange(
        datetime.date(2023, 2, 1), datetime.date(2023, 2, 28)
    )
    assert DateRange(
        datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)
    ).previous_year().end == datetime.date(2024, 2, 29)
