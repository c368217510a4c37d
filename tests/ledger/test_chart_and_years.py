import datetime

import pytest
from django.core.exceptions import ValidationError

from modules.ledger.models import Account, FiscalYear, Period
from modules.ledger.services import (
    create_chart_from_template,
    lock_period,
    open_fiscal_year,
    unlock_period,
)


def test_template_gives_a_finnish_chart_mapped_to_the_statements(company_a, accountant):
    accounts = create_chart_from_template(company=company_a, user=accountant)

    by_number = {account.number: account for account in accounts}
    assert len(accounts) >= 120
    assert by_number["1910"].name_fi == "Pankkitili"
    assert by_number["1910"].statement_line == "bs_cash"
    assert by_number["3000"].type == "income"
    assert by_number["3000"].default_vat_code == "sales_general"
    assert by_number["9000"].statement_line == "is_income_taxes"
    assert all(account.name_sv and account.name_en for account in accounts)


def test_template_is_not_loaded_twice(company_a, accountant):
    create_chart_from_template(company=company_a, user=accountant)

    with pytest.raises(ValidationError, match="already has a chart"):
        create_chart_from_template(company=company_a, user=accountant)

    assert Account.objects.filter(company=company_a).count() >= 120


def test_account_on_the_wrong_statement_is_refused(company_a):
    account = Account(
        company=company_a,
        number="1999",
        name_fi="Kassa",
        type="asset",
        statement_line="is_turnover",
    )

    with pytest.raises(ValidationError) as error:
        account.full_clean()

    assert "balance sheet" in str(error.value)


def test_fiscal_year_gets_a_period_per_month(company_a, accountant):
    year = open_fiscal_year(
        company=company_a,
        user=accountant,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )

    periods = list(year.periods.order_by("start"))
    assert len(periods) == 12
    assert periods[1].start == datetime.date(2026, 2, 1)
    assert periods[1].end == datetime.date(2026, 2, 28)
    assert {period.state for period in periods} == {"open"}


def test_extended_first_year_of_eighteen_months_is_allowed(company_a, accountant):
    year = open_fiscal_year(
        company=company_a,
        user=accountant,
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2027, 12, 31),
    )

    assert year.periods.count() == 18


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((2026, 1, 1), (2027, 7, 31), "at most 18 months"),
        ((2026, 1, 15), (2026, 12, 31), "first and ends on the last day"),
        ((2026, 6, 1), (2026, 5, 31), "must end after it starts"),
    ],
)
def test_bad_fiscal_years_are_refused(company_a, accountant, start, end, message):
    with pytest.raises(ValidationError, match=message):
        open_fiscal_year(
            company=company_a,
            user=accountant,
            start=datetime.date(*start),
            end=datetime.date(*end),
        )

    assert not FiscalYear.objects.filter(company=company_a).exists()


def test_overlapping_fiscal_years_are_refused(books, accountant):
    with pytest.raises(ValidationError, match="overlap"):
        open_fiscal_year(
            company=books,
            user=accountant,
            start=datetime.date(2026, 12, 1),
            end=datetime.date(2027, 11, 30),
        )


def test_period_locks_and_unlocks(books, accountant):
    period = Period.objects.get(fiscal_year__company=books, start__month=3)

    lock_period(period=period, user=accountant)
    locked_state = Period.objects.get(pk=period.pk).state
    unlock_period(period=period, user=accountant)

    assert locked_state == "locked"
    assert Period.objects.get(pk=period.pk).state == "open"


def test_period_of_a_closed_year_cannot_be_unlocked(books, accountant):
    period = Period.objects.get(fiscal_year__company=books, start__month=3)
    lock_period(period=period, user=accountant)
    FiscalYear.objects.filter(company=books).update(state="closed")

    with pytest.raises(ValidationError, match="fiscal year is closed"):
        unlock_period(period=period, user=accountant)

    assert Period.objects.get(pk=period.pk).state == "locked"
