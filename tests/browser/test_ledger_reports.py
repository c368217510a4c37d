"""End to end in Chromium: an accountant follows a figure down to its voucher."""

import datetime
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accountant_drills_from_income_statement_to_voucher_and_back(
    demo_site, live_server, new_page, log_in
):
    year = datetime.date.today().year - 1
    page = new_page()
    page.goto(f"{live_server.url}/admin/login/")
    log_in(page, "accountant", button="button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(
        f"{live_server.url}/admin/ledger/reports/income-statement/"
        f"?start={year}-01-01&end={year}-12-31&compare=on"
    )
    assert page.get_by_role("heading", name="Tuloslaskelma").is_visible()
    page.get_by_role("link", name="Henkilöstökulut").click()
    page.wait_for_url(re.compile(r".*/statement-row/.*row=personnel.*"))
    page.get_by_role("link", name=re.compile(r"^5000 ")).click()
    page.wait_for_url(re.compile(r".*/general-ledger/.*"))
    assert page.get_by_text("Alkusaldo").first.is_visible()
    page.get_by_role("link", name=re.compile(r"^PA \d+$")).first.click()
    page.wait_for_url(re.compile(r".*/voucher/\d+/$"))

    assert page.get_by_text(f"Palkat 1/{year}").first.is_visible()
    page.get_by_role("link", name=re.compile(r"^2880 ")).click()
    page.wait_for_url(re.compile(r".*/general-ledger/.*account=\d+.*"))
    assert page.get_by_role("heading", name=re.compile(r"^2880 ")).is_visible()
