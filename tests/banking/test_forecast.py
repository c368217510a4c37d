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
