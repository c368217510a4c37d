import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.core.models import Company
from modules.ledger.models import Account, JournalLine, Period, Voucher
from modules.ledger.services import (
    LineInput,
    create_chart_from_template,
    lock_period,
    post_voucher,
    reverse_voucher,
)

DAY = datetime.date(2026, 3, 14)


def _post(books, accountant, series, lines, date=DAY):
    return post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=date,
        description="Cash sale",
        lines=lines,
    )


def test_balanced_voucher_posts_numbered_and_hashed(books, accountant, series, sale):
    first = _post(books, accountant, series, sale())
    second = _post(books, accountant, series, sale("50.00", "12.00"))

    first.refresh_from_db()
    assert first.state == "posted"
    assert (first.number, second.number) == (1, 2)
    assert first.total == Decimal("124.00")
    assert len(first.hash) == 64
    assert first.hash != second.hash
    assert first.posted_by == accountant
    assert first.lines.count() == 3


def test_numbers_run_per_series(books, accountant, series, sale):
    sales = series.__class__.objects.create(company=books, code="MY", name="Sales")

    _post(books, accountant, series, sale())
    other = _post(books, accountant, sales, sale())

    assert other.number == 1


def test_unbalanced_voucher_is_refused_and_nothing_is_written(
    books, accountant, series, account
):
    lines = [
        LineInput(account=account("1910"), debit=Decimal("124.00")),
        LineInput(account=account("3000"), credit=Decimal("100.00")),
    ]

    with pytest.raises(ValidationError) as error:
        _post(books, accountant, series, lines)

    assert "does not balance" in error.value.messages[0]
    assert "difference 24.00" in error.value.messages[0]
    assert not Voucher.objects.exists()
    assert not JournalLine.objects.exists()


def test_fractions_of_a_cent_are_refused(books, accountant, series, account):
    lines = [
        LineInput(account=account("1910"), debit=Decimal("10.005")),
        LineInput(account=account("3000"), credit=Decimal("10.005")),
    ]

    with pytest.raises(ValidationError, match="whole cents"):
        _post(books, accountant, series, lines)


def test_line_with_both_debit_and_credit_is_refused(books, accountant, series, account):
    lines = [
        LineInput(account=account("1910"), debit=Decimal("5"), credit=Decimal("5")),
        LineInput(account=account("3000"), credit=Decimal("0")),
    ]

    with pytest.raises(ValidationError, match="either a debit or a credit"):
        _post(books, accountant, series, lines)


def test_posting_into_a_locked_period_is_refused(books, accountant, series, sale):
    period = Period.objects.get(fiscal_year__company=books, start__month=3)
    lock_period(period=period, user=accountant)

    with pytest.raises(ValidationError) as error:
        _post(books, accountant, series, sale())

    assert "03/2026 is locked" in error.value.messages[0]
    assert not Voucher.objects.exists()


def test_posting_outside_any_fiscal_year_is_refused(books, accountant, series, sale):
    with pytest.raises(ValidationError, match="No fiscal year covers 14.03.2025"):
        _post(books, accountant, series, sale(), date=datetime.date(2025, 3, 14))


def test_posting_to_a_closed_account_is_refused(
    books, accountant, series, sale, account
):
    Account.objects.filter(pk=account("3000").pk).update(is_active=False)

    with pytest.raises(ValidationError, match="3000 Sales, general VAT rate is closed"):
        _post(books, accountant, series, sale())


def test_posting_to_another_companys_account_is_refused(
    books, accountant, series, account, company_b
):
    create_chart_from_template(company=company_b, user=accountant)
    foreign = Account.objects.get(company=company_b, number="3000")
    lines = [
        LineInput(account=account("1910"), debit=Decimal("10")),
        LineInput(account=foreign, credit=Decimal("10")),
    ]

    with pytest.raises(ValidationError, match="does not belong to Alfa Oy"):
        _post(books, accountant, series, lines)

    assert not Voucher.objects.exists()


def test_reversal_cancels_the_voucher(books, accountant, series, sale):
    original = _post(books, accountant, series, sale())

    reversal = reverse_voucher(
        voucher=original, user=accountant, date=datetime.date(2026, 3, 20)
    )

    assert reversal.reversal_of == original
    assert reversal.number == 2
    assert reversal.source == original
    assert "Reversal of MU 1" in reversal.description
    debits = sorted(line.debit for line in reversal.lines.all())
    credits = sorted(line.credit for line in original.lines.all())
    assert debits == credits


def test_voucher_is_reversed_only_once(books, accountant, series, sale):
    original = _post(books, accountant, series, sale())
    reverse_voucher(voucher=original, user=accountant, date=DAY)

    with pytest.raises(ValidationError, match="already been reversed"):
        reverse_voucher(voucher=original, user=accountant, date=DAY)


def test_source_document_links_back(books, accountant, series, sale):
    source = Company.objects.get(pk=books.pk)

    voucher = post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=DAY,
        description="Linked",
        lines=sale(),
        source=source,
    )

    assert Voucher.objects.get(pk=voucher.pk).source == source
