"""Year-end closing, exchange-rate import and currency revaluation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from modules.core.models import Currency, ExchangeRate
from modules.ledger.closing import close_fiscal_year
from modules.ledger.currencies import import_exchange_rates, revalue_currencies
from modules.ledger.models import FiscalYear, JournalLine, Period, Voucher
from modules.ledger.selectors import trial_balance
from modules.ledger.services import LineInput, post_voucher

D = Decimal
ECB_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
 xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
 <gesmes:subject>Reference rates</gesmes:subject>
 <Cube><Cube time="2026-03-31"><Cube currency="USD" rate="1.2500"/>
 <Cube currency="XXQ" rate="2.0"/></Cube></Cube>
</gesmes:Envelope>"""
ECB_CSV = b"Date, USD, SEK, \n01 March 2026, 1.0000, 11.0, \n"


def _post(books, accountant, series, day, lines):
    return post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=day,
        description="Test",
        lines=lines,
    )


def test_closing_carries_balances_and_result(books, accountant, series, account):
    _post(
        books,
        accountant,
        series,
        datetime.date(2026, 5, 1),
        [
            LineInput(account=account("1910"), debit=D("1000.00")),
            LineInput(account=account("3000"), credit=D("1000.00")),
        ],
    )
    _post(
        books,
        accountant,
        series,
        datetime.date(2026, 6, 1),
        [
            LineInput(account=account("7100"), debit=D("300.00")),
            LineInput(account=account("1910"), credit=D("300.00")),
        ],
    )
    year = FiscalYear.objects.get(company=books)

    opening = close_fiscal_year(fiscal_year=year, user=accountant)

    year.refresh_from_db()
    assert year.state == FiscalYear.State.CLOSED
    assert set(year.periods.values_list("state", flat=True)) == {"closed"}
    assert opening.date == datetime.date(2027, 1, 1)
    carried = {
        line.account.number: line.debit - line.credit
        for line in opening.lines.select_related("account")
    }
    assert carried == {"1910": D("700.00"), "2250": D("-700.00")}
    balance = trial_balance(company=books, start=datetime.date(2027, 1, 1))
    assert sum(row.balance for row in balance) == 0


def test_nothing_posts_into_a_closed_year(books, accountant, series, account):
    year = FiscalYear.objects.get(company=books)
    close_fiscal_year(fiscal_year=year, user=accountant)
    lines = [
        LineInput(account=account("1910"), debit=D("5.00")),
        LineInput(account=account("3000"), credit=D("5.00")),
    ]

    with pytest.raises(ValidationError) as refused:
        _post(books, accountant, series, datetime.date(2026, 7, 1), lines)
    with pytest.raises(DatabaseError, match="is closed"), transaction.atomic():
        Voucher.objects.create(
            company=books,
            series=series,
            fiscal_year=year,
            date=datetime.date(2026, 7, 1),
            description="Behind the service's back",
        )

    assert refused.value.code == "period_not_open"
    assert "closed" in refused.value.messages[0]
    assert not Voucher.objects.filter(date=datetime.date(2026, 7, 1)).exists()
    with pytest.raises(ValidationError):
        close_fiscal_year(fiscal_year=year, user=accountant)


def test_ecb_files_are_imported(db, reference_data):
    from_xml = import_exchange_rates(user=None, content=ECB_XML)
    from_csv = import_exchange_rates(user=None, content=ECB_CSV)

    usd = Currency.objects.get(code="USD")
    assert from_xml.stored == 1
    assert from_xml.unknown_currencies == ["XXQ"]
    assert ExchangeRate.objects.get(currency=usd, date="2026-03-31").rate == D("1.25")
    assert ExchangeRate.objects.get(currency=usd, date="2026-03-01").rate == D("1")
    assert from_csv.stored >= 1


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<x><Cube time="2026-01-01"><Cube currency="USD" rate="&e;"/></Cube></x>',
        b"<x><Cube time='2026-01-01'>",
        b"Date, USD\n2026-01-01, lots\n",
        b"Currency, USD\n",
    ],
)
def test_broken_rate_files_store_nothing(db, reference_data, content):
    with pytest.raises(ValidationError):
        import_exchange_rates(user=None, content=content)

    assert not ExchangeRate.objects.exists()


def test_foreign_line_without_rate_posts_nothing(books, accountant, series, account):
    with pytest.raises(ValidationError) as refused:
        _post(
            books,
            accountant,
            series,
            datetime.date(2026, 2, 1),
            [
                LineInput(
                    account=account("1700"),
                    currency="USD",
                    amount_in_currency=D("100.00"),
                ),
                LineInput(account=account("3000"), credit=D("80.00")),
            ],
        )

    assert refused.value.code == "missing_exchange_rate"
    assert "USD" in refused.value.messages[0]
    assert not JournalLine.objects.exists()


def test_revaluation_and_its_reversal(books, accountant, series, account):
    usd = Currency.objects.get(code="USD")
    ExchangeRate.objects.create(currency=usd, date="2026-03-01", rate=D("1.0000"))
    ExchangeRate.objects.create(currency=usd, date="2026-03-31", rate=D("1.2500"))
    sale = _post(
        books,
        accountant,
        series,
        datetime.date(2026, 3, 2),
        [
            LineInput(
                account=account("1700"), currency="USD", amount_in_currency=D("1000")
            ),
            LineInput(account=account("3000"), credit=D("1000.00")),
        ],
    )

    revaluation, reversal = revalue_currencies(
        company=books, user=accountant, date=datetime.date(2026, 3, 31)
    )

    assert sale.lines.get(account__number="1700").debit == D("1000.00")
    lines = {
        line.account.number: line.debit - line.credit
        for line in revaluation.lines.select_related("account")
    }
    assert lines == {"1700": D("-200.00"), "8220": D("200.00")}
    assert reversal.date == datetime.date(2026, 4, 1)
    assert Period.objects.get(fiscal_year__company=books, start="2026-04-01")
