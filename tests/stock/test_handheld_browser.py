"""The handheld count page in headless Chromium with a keyboard-wedge scanner."""

from decimal import Decimal

import pytest

from modules.core.models import Role
from modules.stock import counting

pytestmark = pytest.mark.django_db(transaction=True)


def test_scanning_twice_and_saving_counts_two(
    live_server,
    new_page,
    make_user,
    company_a,
    product,
    warehouse,
    receive,
):
    receive(company_a, product, warehouse, "5")
    count = counting.start_count(company=company_a, warehouse=warehouse, user=None)
    make_user("picker", company_a, role=Role.WAREHOUSE)
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "picker")
    page.fill("#id_password", "pw-picker")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/handheld/count/{count.pk}/")
    scanner = page.locator("#scan")
    for code in ("A-01", "4006381333931", "4006381333931"):
        scanner.fill(code)
        scanner.press("Enter")
        page.wait_for_timeout(300)
    page.wait_for_function("document.getElementById('quantity').value === '2'")
    page.locator("#save").click()
    page.wait_for_selector(".status.ok >> text=counted")

    line = count.lines.get(location__code="A-01")
    assert line.counted == Decimal("2")
    assert page.locator("#save").bounding_box()["height"] >= 48
