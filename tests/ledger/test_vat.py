"""VAT codes with date-effective rates, splitting, and tax lines on posting."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.ledger.models import JournalLine, VatCode, VatRole, Voucher
from modules.ledger.selectors import verify_ledger
from modules.ledger.services import LineInput, post_voucher
from modules.ledger.vat import split_vat, vat_rate_on

D = Decimal


@pytest.mark.parametrize(
    ("code", "date", "rate"),
    [
        ("sales_general", datetime.date(2024, 8, 31), "24"),
        ("sales_general", datetime.date(2024, 9, 1), "25.5"),
        ("sales_reduced_10", datetime.date(2024, 12, 31), "10"),
        ("sales_reduced_10", datetime.date(2025, 1, 1), "14"),
        ("sales_reduced_10", datetime.date(2026, 1, 1), "13.5"),
        ("sales_reduced_14", datetime.date(2025, 12, 31), "14"),
        ("sales_reduced_14", datetime.date(2026, 1, 1), "13.5"),
        ("sales_newspapers", datetime.date(2026, 6, 1), "10"),
        ("eu_goods_sales", datetime.date(2026, 6, 1), "0"),
        ("construction_purchase", datetime.date(2026, 6, 1), "25.5"),
    ],
)
def test_the_rate_follows_the_date(books, code, date, rate):
    assert vat_rate_on(company=books, code=code, date=date) == D(rate)


def test_every_company_with_a_chart_gets_the_codes(books, company_b):
    codes = VatCode.objects.filter(company=books)

    assert codes.count() >= 19
    assert codes.get(code="sales_general").payable_account.number == "2870"
    assert codes.get(code="eu_goods_purchase").deductible_account.number == "1763"
    assert not VatCode.objects.filter(company=company_b).exists()


def test_unknown_code_or_date_is_refused(books):
    with pytest.raises(ValidationError) as unknown:
        vat_rate_on(company=books, code="nonsense", date=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError) as too_early:
        vat_rate_on(company=books, code="sales_general", date=datetime.date(2012, 1, 1))

    assert unknown.value.code == "unknown_vat_code"
    assert "nonsense" in unknown.value.messages[0]
    assert too_early.value.messages == [
        "VAT code sales_general has no rate on 01.01.2012."
    ]


def test_split_gross_and_net(books):
    day = datetime.date(2026, 3, 1)

    assert split_vat(company=books, code="sales_general", date=day, gross="125.50") == (
        D("100.00"),
        D("25.50"),
    )
    assert split_vat(company=books, code="sales_general", date=day, net="100") == (
        D("100"),
        D("25.50"),
    )
    # Margin scheme: the tax is 25.5/125.5 of the margin.
    assert split_vat(company=books, code="margin_sales", date=day, gross="400") == (
        D("318.73"),
        D("81.27"),
    )


def _post(books, accountant, series, lines, day=datetime.date(2026, 3, 10)):
    return post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=day,
        description="VAT test",
        lines=lines,
    )


def _by_account(voucher):
    return {
        line.account.number: (line.debit, line.credit, line.vat_role, line.vat_rate)
        for line in voucher.lines.select_related("account")
    }


def test_sale_with_a_vat_code_gets_its_tax_line(books, accountant, series, account):
    voucher = _post(
        books,
        accountant,
        series,
        [
            LineInput(account=account("1910"), debit=D("125.50")),
            LineInput(
                account=account("3000"), credit=D("125.50"), vat_code="sales_general"
            ),
        ],
    )

    assert _by_account(voucher) == {
        "1910": (D("125.50"), D("0"), "", None),
        "3000": (D("0"), D("100.00"), VatRole.BASE, D("25.50")),
        "2870": (D("0"), D("25.50"), VatRole.TAX_PAYABLE, D("25.50")),
    }


def test_tax_worked_out_by_the_caller_is_kept(books, accountant, series, account):
    voucher = _post(
        books,
        accountant,
        series,
        [
            LineInput(account=account("1700"), debit=D("251.01")),
            LineInput(
                account=account("3000"),
                credit=D("200.00"),
                vat_code="sales_general",
                vat_amount=D("51.01"),
            ),
        ],
    )

    assert _by_account(voucher)["2870"][1] == D("51.01")
    assert _by_account(voucher)["3000"][1] == D("200.00")


def test_reverse_charge_posts_payable_and_deductible(
    books, accountant, series, account
):
    voucher = _post(
        books,
        accountant,
        series,
        [
            LineInput(
                account=account("4050"),
                debit=D("1000.00"),
                vat_code="construction_purchase",
            ),
            LineInput(account=account("2800"), credit=D("1000.00")),
        ],
    )

    assert _by_account(voucher) == {
        "4050": (D("1000.00"), D("0"), VatRole.BASE, D("25.50")),
        "2800": (D("0"), D("1000.00"), "", None),
        "2873": (D("0"), D("255.00"), VatRole.TAX_PAYABLE, D("25.50")),
        "1763": (D("255.00"), D("0"), VatRole.TAX_DEDUCTIBLE, D("25.50")),
    }


def test_purchase_in_2024_uses_the_old_rate(books, accountant, series, account):
    from modules.ledger.services import open_fiscal_year

    open_fiscal_year(
        company=books,
        user=accountant,
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
    )

    voucher = _post(
        books,
        accountant,
        series,
        [
            LineInput(
                account=account("4000"), debit=D("124.00"), vat_code="purchase_general"
            ),
            LineInput(account=account("2800"), credit=D("124.00")),
        ],
        day=datetime.date(2024, 8, 31),
    )

    assert _by_account(voucher)["1763"] == (
        D("24.00"),
        D("0"),
        VatRole.TAX_DEDUCTIBLE,
        D("24.00"),
    )


def test_unknown_code_posts_nothing(books, accountant, series, account):
    with pytest.raises(ValidationError) as refused:
        _post(
            books,
            accountant,
            series,
            [
                LineInput(account=account("1910"), debit=D("10.00")),
                LineInput(account=account("3000"), credit=D("10.00"), vat_code="xx"),
            ],
        )

    assert refused.value.code == "unknown_vat_code"
    assert not Voucher.objects.filter(company=books).exists()
    assert not JournalLine.objects.exists()


def test_reversal_cancels_the_tax_lines_too(books, accountant, series, account):
    from modules.ledger.services import reverse_voucher

    sale = _post(
        books,
        accountant,
        series,
        [
            LineInput(account=account("1910"), debit=D("125.50")),
            LineInput(
                account=account("3000"), credit=D("125.50"), vat_code="sales_general"
            ),
        ],
    )

    reversal = reverse_voucher(
        voucher=sale, user=accountant, date=datetime.date(2026, 3, 11)
    )

    assert _by_account(reversal)["2870"] == (
        D("25.50"),
        D("0"),
        VatRole.TAX_PAYABLE,
        D("25.50"),
    )
    assert reversal.lines.count() == 3
    assert verify_ledger(company=books).ok
