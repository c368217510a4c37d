"""End to end in Chromium: an approver decides on a purchase invoice on a
phone-sized screen, from the link in the approval email."""

import re

import pytest
from playwright.sync_api import expect

from modules.purchases.models import InvoiceState, PurchaseInvoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _circulating():
    return PurchaseInvoice.objects.get(state=InvoiceState.IN_CIRCULATION)


def _open(page, live_server, log_in, username, invoice):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/purchases/approve/{invoice.pk}/")
    # The email link leads to the site's login first, then back here.
    log_in(page, username)
    page.wait_for_url(re.compile(rf".*/purchases/approve/{invoice.pk}/$"))


def test_inspector_approves_on_a_phone_and_the_invoice_moves_on(
    demo_site, live_server, new_page, log_in
):
    invoice = _circulating()
    page = new_page()
    _open(page, live_server, log_in, "employee", invoice)

    approve = page.get_by_role("button", name="Hyväksy")
    expect(approve).to_be_visible()
    # A touch target as wide as the phone's screen, not a desktop link.
    assert approve.bounding_box()["width"] > PHONE["width"] * 0.8
    page.locator("#comment").fill("Tilattu, tarkastettu.")
    approve.click()

    expect(page.locator("[data-done]")).to_have_text(
        "Kiitos, päätöksesi tallennettiin."
    )
    expect(page.locator("[data-waiting]")).to_have_text(
        "Odottaa käyttäjää Aino Ylläpitäjä."
    )
    expect(page.get_by_role("button", name="Hyväksy")).to_have_count(0)
    step = invoice.steps.get(assignee__username="employee")
    assert step.comment == "Tilattu, tarkastettu."


def test_someone_not_on_the_route_is_refused(demo_site, live_server, new_page, log_in):
    invoice = _circulating()
    page = new_page()
    page.goto(f"{live_server.url}/login/")
    log_in(page, "warehouse")

    response = page.goto(f"{live_server.url}/purchases/approve/{invoice.pk}/")

    assert response.status == 403
    expect(page.get_by_role("button", name="Hyväksy")).to_have_count(0)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.IN_CIRCULATION
