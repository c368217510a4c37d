"""The cash forecast: balances, receivables by paying habit, recurring items."""

import datetime
from decimal import Decimal

import pytest

from fixtures.bank_files import Payment, camt053, camt054
from modules.banking.models import RecurringCashItem
from modules.banking.providers import ExpectedPayment, register_payables_provider
from modules.banking.providers import _payables as payables_registry
from modules.banking.selectors import cash_forecast
from modules.banking.services import import_bank_file

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 12, 7)


class FixedPayables:
    def expected_payments(self, *, company):
        return [ExpectedPayment(datetime.date(2026, 12, 9), Decimal("300.00"), "VAT")]


@pytest.fixture
def payables():
    provider = FixedPayables()
    register_payables_provider(provider)
    yield provider
    payables_registry.remove(provider)


def test_forecast_starts_from_the_bank_balance_and_adds_every_source(
    company_a,
    account_a,
    clerk,
    receivables,
    payables,
    django_capture_on_commit_callbacks,
):
    import_bank_file(
        company=company_a,
        data=camt053([Payment(Decimal("500.00"), archive_id="S1")]),
        user=clerk,
    )
    # Asiakas Oy paid its last invoice 10 days after the due date.
    receivables.add("4001", "100.00", reference="1232", due=datetime.date(2026, 11, 22))
    paid = datetime.date(2026, 12, 2)
    with django_capture_on_commit_callbacks(execute=True):
        import_bank_file(
            company=company_a,
            data=camt054(
                [
                    Payment(
                        Decimal("100.00"),
                        reference="1232",
                        archive_id="S2",
                        booked=paid,
                    )
                ]
            ),
            user=clerk,
        )
    receivables.add("4002", "250.00", due=datetime.date(2026, 12, 8))
    RecurringCashItem.objects.create(
        company=company_a,
        name="Rent",
        direction="out",
        amount=Decimal("1000.00"),
        frequency="monthly",
        start_date=datetime.date(2026, 1, 15),
    )

    forecast = cash_forecast(company=company_a, start=START, days=28)

    by_day = {row.day: row for row in forecast.days}
    assert forecast.opening_balance == Decimal("1600.00")
    assert by_day[datetime.date(2026, 12, 18)].cash_in == Decimal("250.00")
    assert by_day[datetime.date(2026, 12, 9)].cash_out == Decimal("300.00")
    assert by_day[datetime.date(2026, 12, 15)].cash_out == Decimal("1000.00")
    assert forecast.days[-1].balance == Decimal("550.00")
    weeks = forecast.weeks()
    assert weeks[0].day == START
    assert sum(w.cash_out for w in weeks) == Decimal("1300.00")


def test_budgeted_expenses_not_covered_by_bookings_or_payables_are_spread(
    company_a, account_a, clerk, payables
):
    from modules.ledger.models import Account, BudgetEntry, VoucherSeries
    from modules.ledger.services import (
        LineInput,
        create_chart_from_template,
        open_fiscal_year,
        post_voucher,
    )

    create_chart_from_template(company=company_a, user=clerk)
    open_fiscal_year(
        company=company_a,
        user=clerk,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    expense = Account.objects.get(company=company_a, number="4310")
    income = Account.objects.get(company=company_a, number="3310")
    december = datetime.date(2026, 12, 1)
    for account in (expense, income):
        BudgetEntry.objects.create(
            company=company_a, account=account, month=december, amount=Decimal("3100")
        )
    # 100.00 of December's budget is already booked, 300.00 is payable.
    post_voucher(
        company=company_a,
        user=clerk,
        series=VoucherSeries.objects.create(company=company_a, code="M", name="M"),
        date=datetime.date(2026, 12, 2),
        description="Spent",
        lines=[
            LineInput(account=expense, debit=Decimal("100.00")),
            LineInput(
                account=Account.objects.get(company=company_a, number="1910"),
                credit=Decimal("100.00"),
            ),
        ],
    )

    forecast = cash_forecast(company=company_a, start=START, days=28)

    by_day = {day.day: day for day in forecast.days}
    # 3100 - 100 - 300 = 2700 over the 25 days from 7 to 31 December.
    assert sum(day.budgeted_out for day in forecast.days) == Decimal("2700.00")
    assert by_day[datetime.date(2026, 12, 9)].cash_out == Decimal("408.00")
    assert by_day[datetime.date(2026, 12, 9)].budgeted_out == Decimal("108.00")
    assert by_day[datetime.date(2027, 1, 2)].budgeted_out == 0
    assert forecast.days[-1].balance == -Decimal("3000.00")
