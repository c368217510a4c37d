"""End to end in Chromium: a partner sends a support request on the extranet."""

import pytest

from modules.crm.models import Process, ProcessType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Rajapinnan avain vanhenee"


def test_a_partner_sends_a_request_and_a_customer_never_sees_it(
    demo_site, live_server, new_page, log_in, tmp_path
):
    support = ProcessType.objects.get(code="support_request")
    partner = new_page()
    partner.goto(f"{live_server.url}/extranet/requests/")
    assert "/login/?next=/extranet/requests/" in partner.url
    log_in(partner, "partner")

    partner.select_option("#id_process_type", str(support.pk))
    partner.select_option("#id_organisation", label="Integraattori Partners Oy")
    partner.fill("#id_title", SUBJECT)
    partner.fill("#id_description", "Avain vanhenee ensi viikolla.")
    partner.locator("[data-crm-request-form] button[type=submit]").click()
    partner.wait_for_load_state()
    partner.screenshot(path=tmp_path / "requests.png", full_page=True)

    process = Process.objects.get(title=SUBJECT)
    assert process.organisation.name == "Integraattori Partners Oy"
    assert process.person.user.username == "partner"
    row = partner.locator("[data-crm-requests] tr", has_text=SUBJECT)
    assert row.locator("[data-crm-state]").inner_text() == "Uusi"

    customer = new_page()
    customer.goto(f"{live_server.url}/extranet/requests/")
    log_in(customer, "customer")
    assert SUBJECT not in customer.content()
    response = customer.goto(f"{live_server.url}/extranet/requests/{process.pk}/")
    assert response.status == 404
    assert SUBJECT not in customer.content()
