"""Handheld picking in Chromium: wedge scans, refusals and a lost connection."""

import pytest

from modules.core.models import Role
from modules.orders import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def delivery(transactional_db, company_a, customer, product, warehouse, receive):
    product.ean = "6410000000015"
    product.save()
    receive(product, "5")
    order = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "3"}],
        confirm=True,
    )
    return services.propose_delivery(order=order, user=None)


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def _scan(page, code):
    page.fill("#code", code)
    page.press("#code", "Enter")


def test_picker_scans_is_refused_clearly_and_survives_a_lost_connection(
    live_server,
    new_page,
    make_user,
    company_a,
    delivery,
):
    make_user("picker", company_a, role=Role.WAREHOUSE)
    page = new_page()
    _log_in(page, live_server, "picker")
    page.goto(f"{live_server.url}/handheld/orders/")
    page.get_by_text(delivery.number).click()
    cell = page.locator(f'[data-line="{delivery.lines.get().pk}"]')

    _scan(page, "4006381333931")
    page.wait_for_selector("#message.error")
    refused = page.inner_text("#message")
    _scan(page, "6410000000015")
    page.wait_for_selector("#message.ok")
    page.context.set_offline(True)
    _scan(page, "6410000000015")
    page.wait_for_selector("#message.offline")
    offline = page.inner_text("#message")
    page.context.set_offline(False)
    page.wait_for_function(
        "document.querySelector('[data-line]').textContent.trim() === '2 / 3'"
    )
    page.reload()

    assert "Tuntematon viivakoodi 4006381333931" in refused
    assert "Ei yhteyttä" in offline
    assert cell.inner_text().strip() == "2 / 3"
    assert delivery.lines.get().picked_quantity == 2
    box = page.locator("button[type=submit]").bounding_box()
    assert box["height"] >= 48
