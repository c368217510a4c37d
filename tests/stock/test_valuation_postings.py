"""Stock values in the books when the company's stock settings ask for it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.ledger.models import Account, JournalLine, Voucher, VoucherSeries
from modules.ledger.services import create_chart_from_template, open_fiscal_year
from modules.stock import services
from modules.stock.models import StockMove, StockSettings

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def books(company_a):
    create_chart_from_template(company=company_a, user=None)
    open_fiscal_year(
        company=company_a,
        user=None,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    accounts = {
        number: Account.objects.get(company=company_a, number=number)
        for number in ("1420", "2900", "4000", "4400")
    }
    settings = StockSettings(
        company=company_a,
        post_to_ledger=True,
        voucher_series=VoucherSeries.objects.create(
            company=company_a, code="VA", name="Varasto"
        ),
        inventory_account=accounts["1420"],
        receipt_account=accounts["2900"],
        cost_account=accounts["4000"],
        adjustment_account=accounts["4400"],
    )
    settings.full_clean()
    settings.save()
    return accounts


def _lines(voucher):
    return sorted(
        (line.account.number, line.debit, line.credit)
        for line in JournalLine.objects.filter(voucher=voucher)
    )


def test_receipt_and_issue_post_their_value(
    company_a, books, product, warehouse, receive
):
    receive(company_a, product, warehouse, "4", cost="12.50", date=DAY)

    services.issue_stock(
        company=company_a,
        product=product,
        warehouse=warehouse,
        quantity=1,
        user=None,
        date=DAY,
    )

    receipt, issue = Voucher.objects.filter(company=company_a).order_by("pk")
    assert _lines(receipt) == [
        ("1420", Decimal("50.00"), Decimal("0.00")),
        ("2900", Decimal("0.00"), Decimal("50.00")),
    ]
    assert _lines(issue) == [
        ("1420", Decimal("0.00"), Decimal("12.50")),
        ("4000", Decimal("12.50"), Decimal("0.00")),
    ]


def test_move_into_a_closed_year_is_refused_whole(
    company_a, books, product, warehouse, receive
):
    with pytest.raises(ValidationError):
        receive(company_a, product, warehouse, "4", date=datetime.date(2030, 1, 1))

    assert not StockMove.objects.exists()
    assert not Voucher.objects.exists()
