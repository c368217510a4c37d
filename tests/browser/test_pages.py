"""End to end in Chromium: an editor publishes intranet news for the staff."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from fixtures.demo import demo_password
from pages.models import ExtranetHomePage, IntranetNewsIndexPage, IntranetNewsPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Uusi kahvinkeitin taukotilaan"


def test_editor_publishes_intranet_news_that_an_employee_then_reads(
    demo_site, live_server, new_page, log_in, tmp_path
):
    news_index = IntranetNewsIndexPage.objects.get()
    editor = new_page()
    editor.goto(f"{live_server.url}/admin/login/")
    log_in(editor, "editor", button="button[type=submit]")
    editor.wait_for_url(f"{live_server.url}/admin/")

    editor.goto(f"{live_server.url}/admin/pages/{news_index.pk}/add_subpage/")
    editor.fill("#id_title", TITLE)
    editor.fill("#id_intro", "Kahvinkeitin on vaihdettu, ohjeet ovat keittiössä.")
    editor.locator("footer .w-dropdown__toggle").click()
    editor.locator("button[name=action-publish]").click()
    editor.wait_for_url(f"{live_server.url}/admin/pages/{news_index.pk}/")
    editor.goto(f"{live_server.url}/intranet/")
    editor.locator("form.account button").click()
    editor.wait_for_url(f"{live_server.url}/")

    assert IntranetNewsPage.objects.get(title=TITLE).live
    assert editor.locator("form.account").count() == 0

    employee = new_page()
    employee.goto(f"{live_server.url}/intranet/")
    assert "/login/?next=/intranet/" in employee.url
    log_in(employee, "employee")
    employee.screenshot(path=tmp_path / "intranet.png", full_page=True)

    assert employee.url == f"{live_server.url}/intranet/"
    assert employee.get_by_role("heading", name="Eeva", exact=False).is_visible()
    news_link = employee.get_by_role("link", name=TITLE)
    assert news_link.is_visible()
    news_link.click()
    assert employee.get_by_role("heading", level=1).inner_text() == TITLE


def test_strangers_are_refused_on_the_extranet(
    demo_site, live_server, new_page, log_in
):
    get_user_model().objects.create_user("vieras", password=demo_password("vieras"))
    with translation.override("fi"):
        refusal = str(ExtranetHomePage.refusal_message)

    anonymous = new_page()
    response = anonymous.goto(f"{live_server.url}/extranet/")

    assert response.status == 200
    assert anonymous.url == f"{live_server.url}/login/?next=/extranet/"
    assert anonymous.locator("#id_password").is_visible()

    for username in ("vieras", "employee"):
        visitor = new_page()
        visitor.goto(f"{live_server.url}/login/?next=/extranet/")
        log_in(visitor, username)
        response = visitor.goto(f"{live_server.url}/extranet/")

        assert response.status == 403
        assert visitor.get_by_role("alert").inner_text() == refusal
        assert visitor.get_by_role("link", name="Kumppaneille").count() == 0
