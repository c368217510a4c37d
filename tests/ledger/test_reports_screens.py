"""The report screens: figures, downloads, drill-down links, access."""

import csv
import io
import re

import openpyxl
import pytest
from django.test import Client
from pypdf import PdfReader

from modules.core.models import Role
from modules.ledger.models import Voucher

YEAR = "start=2026-01-01&end=2026-12-31"


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def signed_in(make_user, two_years):
    reader = make_user(
        "reader", two_years, role=Role.ACCOUNTANT, perms=["ledger.view_voucher"]
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(reader)
    return client


def test_income_statement_screen_shows_both_years(signed_in):
    page = signed_in.get(f"/admin/ledger/reports/income-statement/?{YEAR}&compare=on")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Net turnover" in text
    assert "3,000.00" in text and "1,000.00" in text
    assert "01.01.2025-31.12.2025" in text


def test_statement_row_leads_to_accounts_ledger_and_voucher(signed_in, account):
    statement = signed_in.get(f"/admin/ledger/reports/income-statement/?{YEAR}")
    row_link = re.search(
        r'href="(/admin/ledger/reports/statement-row/[^"]*row=personnel)"',
        statement.content.decode(),
    ).group(1)

    row_page = signed_in.get(row_link.replace("&amp;", "&")).content.decode()
    ledger_link = re.search(
        r'href="(/admin/ledger/reports/general-ledger/[^"]*)">5000', row_page
    ).group(1)
    ledger_page = signed_in.get(ledger_link.replace("&amp;", "&")).content.decode()
    voucher_link = re.search(
        r'href="(/admin/ledger/reports/voucher/\d+/)"', ledger_page
    ).group(1)
    voucher_page = signed_in.get(voucher_link).content.decode()

    salaries = Voucher.objects.get(description="Salaries")
    assert voucher_link.endswith(f"/{salaries.pk}/")
    assert "Salaries" in voucher_page
    assert "1,200.00" in voucher_page
    # ... and back up: the voucher links each line's account ledger.
    assert f"account={account('1910').pk}" in voucher_page
    assert "/admin/ledger/reports/income-statement/" in voucher_page


def test_general_ledger_has_opening_and_running_balance(signed_in, account):
    page = signed_in.get(
        f"/admin/ledger/reports/general-ledger/?{YEAR}&account={account('1910').pk}"
    ).content.decode()

    assert "Opening balance" in page
    assert "3,340.00" in page  # cash at the end of 2025
    assert "7,060.00" in page  # after the February sale
    assert "3,360.00" in page  # closing balance


def test_trial_balance_csv_has_every_account_and_totals(signed_in):
    response = signed_in.get(
        f"/admin/ledger/reports/trial-balance/?{YEAR}&compare=on&format=csv"
    )

    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][0] == "Trial balance"
    assert rows[1] == ["Account", "Name", "Debit", "Credit", "Balance", "Previous year"]
    by_number = {row[0]: row for row in rows[2:]}
    assert by_number["3000"][3] == "3000,00"
    assert by_number["3000"][5] == "-1000,00"
    assert rows[-1][2] == rows[-1][3] == "7420,00"


def test_balance_sheet_xlsx_keeps_amounts_as_numbers(signed_in):
    response = signed_in.get(
        f"/admin/ledger/reports/balance-sheet/?{YEAR}&compare=on&format=xlsx"
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {
        row[0].strip(): row[1:]
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if row[0]
    }
    assert float(rows["Assets in total"][0]) == 5360.0
    assert float(rows["Equity and liabilities in total"][1]) == 3340.0


def test_income_statement_pdf_renders_figures(signed_in):
    response = signed_in.get(
        f"/admin/ledger/reports/income-statement/?{YEAR}&compare=on&format=pdf"
    )

    text = pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert "Alfa Oy" in text
    assert "Net turnover" in text
    assert "Profit (loss) for the financial year" in text
    assert "1,300.00" in text


def test_journal_lists_vouchers_in_date_order(signed_in):
    page = signed_in.get(f"/admin/ledger/reports/journal/?{YEAR}").content.decode()

    assert page.index("Sale") < page.index("Salaries") < page.index("Machine")
    assert "Share capital" not in page  # posted in 2025


def test_reports_need_the_permission(make_user, two_years):
    outsider = make_user("clerk", two_years, role=Role.SALES)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(outsider)

    for name in ("journal", "general-ledger", "trial-balance", "income-statement"):
        response = client.get(f"/admin/ledger/reports/{name}/?{YEAR}")
        assert response.status_code in (302, 403)
        assert b"3,000.00" not in response.content


def test_a_voucher_of_another_company_is_not_found(signed_in, company_b, make_user):
    from modules.ledger.services import create_chart_from_template

    other = make_user("other", company_b)
    create_chart_from_template(company=company_b, user=other)
    foreign = Voucher.objects.exclude(company=company_b).first()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("b_reader", company_b, perms=["ledger.view_voucher"]))

    assert client.get(f"/admin/ledger/reports/voucher/{foreign.pk}/").status_code == 404
    page = client.get(f"/admin/ledger/reports/trial-balance/?{YEAR}").content.decode()
    assert "3,000.00" not in page


def test_a_reversed_order_of_dates_gets_a_message(signed_in):
    page = signed_in.get(
        "/admin/ledger/reports/trial-balance/?start=2026-12-31&end=2026-01-01"
    ).content.decode()

    assert "The report must end on or after the day it starts." in page


def test_reports_speak_finnish_and_swedish(make_user, two_years):
    for language, words in (
        ("fi", ["Tuloslaskelma", "Liikevaihto", "Liikevoitto (-tappio)"]),
        ("sv", ["Resultaträkning", "Rörelsevinst (-förlust)"]),
    ):
        user = make_user(
            f"reader_{language}",
            two_years,
            role=Role.ACCOUNTANT,
            perms=["ledger.view_voucher"],
            language=language,
        )
        client = Client()
        client.force_login(user)

        page = client.get(f"/admin/ledger/reports/income-statement/?{YEAR}")

        text = page.content.decode()
        for word in words:
            assert word in text, (language, word)


# Every report compares with the previous year, on screen and in each file.
COMPARED = [
    ("trial-balance", "-1,000.00", "-1000,00", -1000),
    ("income-statement", "1,000.00", "1000,00", 1000),
    ("balance-sheet", "3,340.00", "3340,00", 3340),
    ("general-ledger", "3,340.00", "3340,00", 3340),
    ("journal", "1,640.00", "1640,00", 1640),
]


@pytest.mark.parametrize("report, shown, in_csv, in_xlsx", COMPARED)
def test_every_report_shows_last_year_in_each_format(
    signed_in, report, shown, in_csv, in_xlsx
):
    url = f"/admin/ledger/reports/{report}/?{YEAR}&compare=on"

    screen = signed_in.get(url).content.decode()
    csv_text = signed_in.get(url + "&format=csv").content.decode("utf-8-sig")
    xlsx = signed_in.get(url + "&format=xlsx")
    pdf = pdf_text(signed_in.get(url + "&format=pdf"))

    assert shown in screen
    rows = csv.reader(io.StringIO(csv_text), delimiter=";")
    assert any(in_csv in row for row in rows)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert in_xlsx in values
    assert shown in pdf


def test_general_ledger_names_last_years_balance(signed_in, account):
    url = f"/admin/ledger/reports/general-ledger/?{YEAR}&compare=on"

    page = signed_in.get(f"{url}&account={account('1910').pk}").content.decode()
    rent = signed_in.get(f"{url}&account={account('7100').pk}").content.decode()

    assert "Balance a year earlier, 31.12.2025" in page
    assert re.search(r"31\.12\.2025</td><td class=\"amount\">3,340\.00", page)
    assert re.search(r"31\.12\.2025</td><td class=\"amount\">400\.00", rent)


def test_journal_totals_each_month_beside_last_year(signed_in):
    page = signed_in.get(
        f"/admin/ledger/reports/journal/?{YEAR}&compare=on"
    ).content.decode()

    months = re.findall(
        r"<td>(\d\d/2026)</td><td class=\"amount\">([\d,.]+)</td>"
        r"<td class=\"amount\">([\d,.]+)</td>",
        page,
    )
    assert months[:4] == [
        ("01/2026", "0.00", "2,500.00"),
        ("02/2026", "4,920.00", "0.00"),
        ("03/2026", "500.00", "1,640.00"),
        ("04/2026", "2,000.00", "0.00"),
    ]
    assert len(months) == 12
