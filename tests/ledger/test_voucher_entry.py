"""The voucher entry screen: posting by hand, refusals, preview, reversal."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from modules.core.models import Currency, ExchangeRate, Role
from modules.ledger.models import JournalLine, Period, Voucher
from modules.ledger.services import lock_period

URL = "/admin/ledger/vouchers/new/"
PREVIEW = "/admin/ledger/vouchers/new/preview/"
ENTRY_PERMS = ["ledger.add_voucher", "ledger.view_voucher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def signed_in(make_user, books):
    user = make_user("entry", books, role=Role.ACCOUNTANT, perms=ENTRY_PERMS)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def entry(series, *lines, date="2026-06-01", description="Office supplies"):
    """Return the POST data of a voucher with `lines` (dicts of fields)."""
    data = {
        "series": series.pk,
        "date": date,
        "description": description,
        "lines-TOTAL_FORMS": len(lines),
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 1000,
    }
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value
    return data


def test_screen_offers_the_company_series_and_accounts(signed_in, series):
    page = signed_in.get(URL)

    text = page.content.decode()
    assert page.status_code == 200
    assert "MU Memo" in text
    assert "1910 " in text
    assert 'name="lines-TOTAL_FORMS"' in text
    assert "ledger/voucher_entry.js" in text


def test_three_lines_post_with_vat_split_and_attachment(signed_in, series, account):
    data = entry(
        series,
        {"account": account("1910").pk, "credit": "251.00"},
        {
            "account": account("7610").pk,
            "debit": "125.50",
            "vat_code": "purchase_general",
        },
        {"account": account("7610").pk, "debit": "125.50", "description": "Paper"},
    )
    data["document"] = SimpleUploadedFile(
        "receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"
    )

    response = signed_in.post(URL, data)

    voucher = Voucher.objects.get(description="Office supplies")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/ledger/reports/voucher/{voucher.pk}/"
    assert voucher.number == 1 and voucher.state == Voucher.State.POSTED
    lines = voucher.lines.order_by("pk")
    assert [(line.account.number, line.debit, line.credit) for line in lines] == [
        ("1910", Decimal("0.00"), Decimal("251.00")),
        ("7610", Decimal("100.00"), Decimal("0.00")),
        ("1763", Decimal("25.50"), Decimal("0.00")),
        ("7610", Decimal("125.50"), Decimal("0.00")),
    ]
    assert voucher.attachments.get().document.title == "receipt.pdf"
    page = signed_in.get(response["Location"]).content.decode()
    assert "MU 1 01.06.2026" in page
    assert "Voucher MU 1 01.06.2026 posted." in page


@pytest.mark.parametrize(
    "lines, message",
    [
        (
            [("1910", "debit", "100.00"), ("3000", "credit", "90.00")],
            "The voucher does not balance",
        ),
        (
            [("1910", "debit", "124.00"), ("3000", "credit", "124.00", "no_such")],
            "Select a valid choice. no_such is not one of the available choices.",
        ),
    ],
)
def test_refusal_keeps_what_was_typed(signed_in, series, account, lines, message):
    rows = []
    for number, side, amount, *code in lines:
        row = {"account": account(number).pk, side: amount, "description": "typed"}
        if code:
            row["vat_code"] = code[0]
        rows.append(row)

    response = signed_in.post(URL, entry(series, *rows))

    text = response.content.decode()
    assert response.status_code == 400
    assert message in text
    assert not Voucher.objects.exists() and not JournalLine.objects.exists()
    assert 'value="typed"' in text
    assert re.search(
        r'name="lines-1-(debit|credit)"[^>]*value="(90,00|124,00|90.00|124.00)"', text
    )


def test_unknown_vat_code_for_the_date_is_refused(signed_in, series, account):
    # A code the company has, given a date before its first rate.
    data = entry(
        series,
        {"account": account("1910").pk, "debit": "124.00"},
        {
            "account": account("3000").pk,
            "credit": "124.00",
            "vat_code": "sales_general",
        },
        date="2010-01-15",
    )

    response = signed_in.post(URL, data)

    assert response.status_code == 400
    assert "VAT code sales_general has no rate on 15.01.2010." in (
        response.content.decode()
    )
    assert not Voucher.objects.exists()


def test_locked_period_is_refused_with_lines_kept(signed_in, series, account, books):
    period = Period.objects.get(fiscal_year__company=books, start="2026-06-01")
    lock_period(period=period, user=None)
    data = entry(
        series,
        {"account": account("1910").pk, "debit": "50.00"},
        {"account": account("3000").pk, "credit": "50.00"},
    )

    text = signed_in.post(URL, data).content.decode()

    assert "nothing can be posted into it" in text
    assert not Voucher.objects.exists()
    assert 'value="50.00"' in text or 'value="50.00"' in text


def test_currency_without_rate_is_refused(signed_in, series, account):
    Currency.objects.get_or_create(code="SEK", defaults={"name_en": "Swedish krona"})
    data = entry(
        series,
        {"account": account("1910").pk, "currency": "SEK", "amount_in_currency": "100"},
        {"account": account("3000").pk, "credit": "9.00"},
    )

    response = signed_in.post(URL, data)

    assert response.status_code == 400
    assert "SEK" in response.content.decode()
    assert not Voucher.objects.exists()


def test_preview_shows_the_tax_lines_and_totals_after_vat(signed_in, series, account):
    data = entry(
        series,
        {"account": account("1910").pk, "debit": "1255.00"},
        {
            "account": account("3000").pk,
            "credit": "1000.00",
            "vat_code": "sales_general",
        },
    )
    # A net amount (EU purchase) adds both tax lines; this one is gross.
    answer = signed_in.post(PREVIEW, data).json()

    assert [line["account"][:4] for line in answer["tax_lines"]] == ["2870"]
    assert answer["debit"] == "1,255.00"
    assert answer["credit"] == "1,000.00"
    assert answer["difference"] == "255.00"
    assert answer["balanced"] is False


def test_preview_converts_a_foreign_line_with_the_day_rate(signed_in, series, account):
    sek = Currency.objects.get_or_create(code="SEK", defaults={"name_en": "krona"})[0]
    ExchangeRate.objects.create(
        currency=sek, date=datetime.date(2026, 5, 29), rate=Decimal("10")
    )
    data = entry(
        series,
        {"account": account("1910").pk, "currency": "SEK", "amount_in_currency": "100"},
        {"account": account("3000").pk, "credit": "10.00"},
    )

    answer = signed_in.post(PREVIEW, data).json()

    assert answer["debit"] == "10.00" and answer["balanced"] is True


def test_other_roles_and_other_companies_are_refused(
    make_user, books, company_b, series, account
):
    sales = make_user("seller", books, role=Role.SALES, perms=ENTRY_PERMS)
    stranger = make_user("stranger", company_b, role=Role.ACCOUNTANT, perms=ENTRY_PERMS)
    data = entry(
        series,
        {"account": account("1910").pk, "debit": "5.00"},
        {"account": account("3000").pk, "credit": "5.00"},
    )
    seller = Client()
    seller.force_login(sales)
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(stranger)

    assert seller.get(URL).status_code in (302, 403)
    assert seller.post(URL, data).status_code in (302, 403)
    # The stranger's screen is their own company's: A's series is no choice.
    assert "MU Memo" not in other.get(URL).content.decode()
    refused = other.post(URL, data)
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert not Voucher.objects.exists()


def test_reverse_button_posts_the_reversal(signed_in, series, account):
    signed_in.post(
        URL,
        entry(
            series,
            {"account": account("1910").pk, "debit": "80.00"},
            {"account": account("3000").pk, "credit": "80.00"},
        ),
    )
    voucher = Voucher.objects.get()
    page = signed_in.get(
        f"/admin/ledger/reports/voucher/{voucher.pk}/"
    ).content.decode()
    assert "Reverse the voucher" in page

    response = signed_in.post(
        f"/admin/ledger/vouchers/{voucher.pk}/reverse/", {"date": "2026-06-30"}
    )

    reversal = Voucher.objects.get(reversal_of=voucher)
    assert response["Location"] == f"/admin/ledger/reports/voucher/{reversal.pk}/"
    assert reversal.number == 2
    assert sorted((line.debit, line.credit) for line in reversal.lines.all()) == [
        (Decimal("0.00"), Decimal("80.00")),
        (Decimal("80.00"), Decimal("0.00")),
    ]
    again = signed_in.get(f"/admin/ledger/reports/voucher/{voucher.pk}/")
    assert "Reverse the voucher" not in again.content.decode()
    signed_in.post(
        f"/admin/ledger/vouchers/{voucher.pk}/reverse/", {"date": "2026-06-30"}
    )
    assert Voucher.objects.filter(reversal_of=voucher).count() == 1


def test_reverse_of_another_companys_voucher_is_not_found(
    make_user, company_b, series, account, signed_in
):
    signed_in.post(
        URL,
        entry(
            series,
            {"account": account("1910").pk, "debit": "80.00"},
            {"account": account("3000").pk, "credit": "80.00"},
        ),
    )
    voucher = Voucher.objects.get()
    stranger = make_user("stranger", company_b, role=Role.ACCOUNTANT, perms=ENTRY_PERMS)
    client = Client()
    client.force_login(stranger)

    response = client.post(
        f"/admin/ledger/vouchers/{voucher.pk}/reverse/", {"date": "2026-06-30"}
    )

    assert response.status_code == 404
    assert Voucher.objects.count() == 1
