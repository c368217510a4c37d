"""The periodic VAT return, its drill-down and the settlement voucher."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from modules.ledger.models import VatBox
from modules.ledger.services import LineInput, post_voucher
from modules.ledger.vat_return import box_lines, settle_vat, vat_return

D = Decimal
MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def march(books, accountant, series, account):
    def post(lines):
        return post_voucher(
            company=books,
            user=accountant,
            series=series,
            date=datetime.date(2026, 3, 15),
            description="March",
            lines=lines,
        )

    post(
        [
            LineInput(account=account("1700"), debit=D("1255.00")),
            LineInput(
                account=account("3000"), credit=D("1255.00"), vat_code="sales_general"
            ),
        ]
    )
    post(
        [
            LineInput(account=account("1700"), debit=D("113.50")),
            LineInput(
                account=account("3010"),
                credit=D("113.50"),
                vat_code="sales_reduced_14",
            ),
        ]
    )
    post(
        [
            LineInput(
                account=account("4000"), debit=D("251.00"), vat_code="purchase_general"
            ),
            LineInput(account=account("2800"), credit=D("251.00")),
        ]
    )
    post(
        [
            LineInput(
                account=account("4020"),
                debit=D("400.00"),
                vat_code="eu_goods_purchase",
            ),
            LineInput(account=account("2800"), credit=D("400.00")),
        ]
    )
    post(
        [
            LineInput(account=account("1700"), debit=D("500.00")),
            LineInput(
                account=account("3040"), credit=D("500.00"), vat_code="eu_goods_sales"
            ),
        ]
    )
    return books


def _figures(result):
    return {(row.box, row.rate): row.amount for row in result.rows if row.amount}


def test_return_lines(march):
    result = vat_return(company=march, start=MARCH[0], end=MARCH[1])

    assert _figures(result) == {
        (VatBox.SALES_TAX, D("25.50")): D("255.00"),
        (VatBox.SALES_TAX, D("13.50")): D("13.50"),
        (VatBox.EU_GOODS_TAX, None): D("102.00"),
        (VatBox.DEDUCTIBLE_TAX, None): D("153.00"),
        (VatBox.PAYABLE, None): D("217.50"),
        (VatBox.EU_GOODS_PURCHASES, None): D("400.00"),
        (VatBox.EU_GOODS_SALES, None): D("500.00"),
    }


def test_each_figure_opens_its_lines(march):
    deductible = box_lines(
        company=march, start=MARCH[0], end=MARCH[1], box=VatBox.DEDUCTIBLE_TAX
    )
    general = box_lines(
        company=march,
        start=MARCH[0],
        end=MARCH[1],
        box=VatBox.SALES_TAX,
        rate=D("25.50"),
    )

    assert sorted(line.debit for line in deductible) == [D("51.00"), D("102.00")]
    assert [line.credit for line in general] == [D("255.00")]


def test_settlement_in_one_step_and_only_once(march, accountant):
    settlement = settle_vat(
        company=march, user=accountant, start=MARCH[0], end=MARCH[1]
    )

    lines = {
        line.account.number: line.debit - line.credit
        for line in settlement.voucher.lines.select_related("account")
    }
    assert settlement.payable == D("217.50")
    assert lines == {
        "2870": D("268.50"),
        "2872": D("102.00"),
        "1763": D("-153.00"),
        "2871": D("-217.50"),
    }
    with pytest.raises(ValidationError) as again:
        settle_vat(company=march, user=accountant, start=MARCH[0], end=MARCH[1])
    assert again.value.code == "already_settled"


def test_admin_report_drills_down_and_settles(client, march, make_user):
    client.force_login(
        make_user(
            "vat_clerk",
            march,
            perms=["ledger.view_voucher", "ledger.add_vatsettlement"],
        )
    )
    url = reverse("ledger_vat_return")

    page = client.get(url, {"start": "2026-03-01", "end": "2026-03-31"})
    lines = client.get(
        reverse("ledger_vat_lines"),
        {"start": "2026-03-01", "end": "2026-03-31", "box": "deductible_tax"},
    )
    settled = client.post(url, {"start": "2026-03-01", "end": "2026-03-31"})

    assert page.status_code == 200
    assert "255.00" in page.content.decode()
    assert "102.00" in lines.content.decode()
    assert settled.status_code == 302
    assert march.vat_settlements.count() == 1


def test_return_downloads_name_each_line_beside_its_figure(client, march, make_user):
    client.force_login(make_user("vat_reader", march, perms=["ledger.view_voucher"]))
    url = reverse("ledger_vat_return")
    period = {"start": "2026-03-01", "end": "2026-03-31"}

    screen = client.get(url, period).content.decode()
    csv_text = client.get(url, {**period, "format": "csv"}).content.decode("utf-8-sig")
    xlsx = client.get(url, {**period, "format": "xlsx"})
    pdf = client.get(url, {**period, "format": "pdf"})

    assert "format=pdf" in screen and "Tax on domestic sales 25.5 %" in screen
    rows = [line.split(";") for line in csv_text.splitlines()]
    assert ["Tax on domestic sales 25.5 %", "255,00"] in rows
    assert ["Tax on goods bought from other EU countries", "102,00"] in rows
    assert ["Tax payable (refundable when negative)", "217,50"] in rows
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Deductible tax for the period", 153] in values
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Purchases of goods from other EU countries" in text
    assert re.search(r"Tax payable \(refundable when negative\)\s*217\.50", text)
