"""End to end in Chromium: a seller logs a project from the customer card."""

import pytest

from modules.core.models import Membership
from modules.crm.models import Organisation, Process, ProcessType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Uusi varastohanke"


def test_a_seller_logs_a_project_on_the_customer_card_and_sees_it_there(
    demo_site, live_server, new_page, log_in
):
    company = Membership.objects.get(user__username="sales", is_default=True).company
    customer = Organisation.objects.filter(company=company, is_customer=True).first()
    project = ProcessType.objects.get(company=company, code="customer_project")
    card_url = f"{live_server.url}/admin/crm/organisation/inspect/{customer.pk}/"
    page = new_page()
    page.goto(f"{live_server.url}/admin/login/")
    log_in(page, "sales", button="button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(card_url)
    page.locator("[data-crm-new-process]").get_by_role(
        "link", name=str(project.name_fi)
    ).click()
    page.wait_for_load_state()
    page.fill("#id_title", TITLE)
    page.fill("#id_process__budget", "12500,50")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(card_url)

    process = Process.objects.get(title=TITLE)
    assert process.organisation == customer
    assert process.process_type == project
    assert process.extra["budget"] == "12500.50"
    assert page.get_by_role("link", name=TITLE).is_visible()
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert page.get_by_text("Budjetti").first.is_visible()
