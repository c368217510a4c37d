"""End to end in Chromium: an accountant types vouchers on the entry screen."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_entry(page, live_server, log_in):
    page.goto(f"{live_server.url}/admin/login/")
    log_in(page, "accountant", button="button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/ledger/vouchers/new/")
    choose(page.locator("#id_series"), "MU")
    page.locator("#id_description").fill("Toimistotarvikkeet")


def choose(select, prefix):
    """Choose the option of `select` whose label starts with `prefix`."""
    option = select.locator("option", has_text=re.compile(f"^{prefix} ")).first
    select.select_option(label=option.text_content())


def fill_line(row, account, *, debit="", credit="", vat=""):
    """Fill one line: account, amount and VAT code."""
    choose(row.locator("[name$='-account']"), account)
    if debit:
        row.locator("[name$='-debit']").fill(debit)
    if credit:
        row.locator("[name$='-credit']").fill(credit)
    if vat:
        row.locator("[name$='-vat_code']").select_option(vat)


def test_accountant_posts_a_three_line_voucher(
    demo_site, live_server, new_page, log_in
):
    page = new_page()
    open_entry(page, live_server, log_in)
    rows = page.locator("#ledger-lines tr.ledger-line")
    fill_line(rows.nth(0), "1910", credit="251,00")
    fill_line(rows.nth(1), "7610", debit="125,50", vat="purchase_general")
    # Enter on a line adds the third row and puts the cursor in it.
    rows.nth(1).locator("[name$='-credit']").press("Enter")
    expect(rows).to_have_count(3)
    fill_line(rows.nth(2), "7600", debit="125,50")

    expect(page.locator("#ledger-difference")).to_have_text("0,00")
    expect(page.locator("#ledger-tax-lines")).to_contain_text("1763")
    page.get_by_role("button", name="Kirjaa tosite").click()

    page.wait_for_url(re.compile(r".*/ledger/reports/voucher/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(r"^MU \d+ "))).to_be_visible()
    expect(page.locator(".ledger-voucher-lines tbody tr")).to_have_count(4)


def test_unbalanced_voucher_shows_the_error_and_keeps_the_lines(
    demo_site, live_server, new_page, log_in
):
    page = new_page()
    open_entry(page, live_server, log_in)
    rows = page.locator("#ledger-lines tr.ledger-line")
    fill_line(rows.nth(0), "1910", debit="100,00")
    fill_line(rows.nth(1), "3000", credit="90,00")
    expect(page.locator("#ledger-difference")).to_have_text("10,00")

    page.get_by_role("button", name="Kirjaa tosite").click()

    expect(page.locator(".ledger-entry-errors")).to_contain_text("Tosite ei täsmää")
    rows = page.locator("#ledger-lines tr.ledger-line")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("[name$='-debit']")).to_have_value("100,00")
    expect(rows.nth(1).locator("[name$='-credit']")).to_have_value("90,00")
    expect(page.locator("#id_description")).to_have_value("Toimistotarvikkeet")
