"""End to end in Chromium: visitors register for an event on its page."""

import pytest

from fixtures.pages import _child, site_home_page
from modules.crm.models import Person
from modules.outreach.models import Event, EventRegistrationPage, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _register(page, url, email, *, consent=False):
    page.goto(url)
    page.fill("#id_first_name", "Kävijä")
    page.fill("#id_last_name", email.split("@")[0].capitalize())
    page.fill("#id_email", email)
    if consent:
        page.check("#id_consent")
    page.locator("[data-registration-form] button[type=submit]").click()
    page.wait_for_load_state()
    return page.locator("[data-registration-status]").get_attribute(
        "data-registration-status"
    )


@pytest.fixture
def small_event(demo_site):
    event = Event.objects.get(name="Asiakasilta")
    event.capacity = Registration.objects.filter(event=event).count() + 1
    event.save()
    return event


def test_visitors_register_until_full_then_wait(small_event, live_server, new_page):
    page = EventRegistrationPage.objects.get(slug="asiakasilta")
    url = f"{live_server.url}{page.url}"
    visitor = new_page()

    first = _register(visitor, url, "uusi.kavija@example.fi", consent=True)
    second = _register(new_page(), url, "myohainen@example.fi")

    assert first == Registration.Status.REGISTERED
    assert second == Registration.Status.WAITING
    newcomer = Person.objects.get(email="uusi.kavija@example.fi")
    assert newcomer.company == small_event.company
    assert newcomer.marketing_consent is True
    assert Person.objects.get(email="myohainen@example.fi").marketing_consent is False


def test_a_hidden_page_needs_its_link_and_is_not_listed(
    demo_site, live_server, new_page
):
    event = Event.objects.get(name="Asiakasilta")
    hidden = _child(
        site_home_page(),
        EventRegistrationPage,
        "vip-ilta",
        title="VIP-ilta",
        event=event,
        access=EventRegistrationPage.Access.LINK,
        show_in_menus=True,
    )
    visitor = new_page()

    home = visitor.goto(f"{live_server.url}/")
    menu = visitor.locator("nav.main-nav").inner_html()
    without_key = visitor.goto(f"{live_server.url}{hidden.url}")
    wrong_key = visitor.goto(f"{live_server.url}{hidden.url}?key=guess")
    status = _register(
        visitor,
        f"{live_server.url}{hidden.url}?key={hidden.secret_key}",
        "vip@example.fi",
    )

    assert home.status == 200
    assert "/asiakasilta/" in menu
    assert "/vip-ilta/" not in menu
    assert without_key.status == 404
    assert wrong_key.status == 404
    assert status == Registration.Status.REGISTERED
