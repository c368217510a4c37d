"""The current company switch in the admin."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from modules.core.current import SESSION_KEY
from modules.core.models import Company

SWITCH_URL = "/admin/company/switch/"


@pytest.fixture
def company_c(reference_data):
    return Company.objects.create(name="Gamma Oy", business_id="1572860-0")


@pytest.fixture
def anna(make_user, company_a, company_b):
    return make_user("anna", company_a, company_b)


def test_switch_url_is_under_the_admin():
    assert reverse("core_switch_company") == SWITCH_URL


def test_member_switches_to_another_of_her_companies(client, anna, company_b):
    client.force_login(anna)

    response = client.post(SWITCH_URL, {"company": company_b.pk, "next": "/admin/"})

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.session[SESSION_KEY] == company_b.pk
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Current company: Beta Ab"
    ]


def test_switching_to_a_company_one_does_not_belong_to_is_refused(
    client, anna, company_c
):
    client.force_login(anna)

    response = client.post(SWITCH_URL, {"company": company_c.pk})

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You can only switch to a company you are a member of."
    ]


def test_nonsense_company_is_refused_the_same_way(client, anna):
    client.force_login(anna)

    client.post(SWITCH_URL, {"company": "'; drop table"})

    assert SESSION_KEY not in client.session


def test_switch_needs_a_csrf_token(anna, company_b):
    guarded = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    guarded.force_login(anna)

    response = guarded.post(SWITCH_URL, {"company": company_b.pk})

    assert response.status_code == 403
    assert SESSION_KEY not in guarded.session


def test_next_url_to_another_site_is_ignored(client, anna, company_b):
    client.force_login(anna)

    response = client.post(
        SWITCH_URL, {"company": company_b.pk, "next": "https://evil.example/"}
    )

    assert response.url == reverse("wagtailadmin_home")


def test_menu_item_switches_with_the_company_in_its_url(client, anna, company_b):
    client.force_login(anna)

    client.post(f"{SWITCH_URL}?company={company_b.pk}&next=/admin/")

    assert client.session[SESSION_KEY] == company_b.pk


def test_switch_page_lists_only_the_users_companies(client, anna, company_c):
    client.force_login(anna)

    response = client.get(SWITCH_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Alfa Oy" in page
    assert "Beta Ab" in page
    assert "Gamma Oy" not in page


def test_dashboard_and_menu_show_the_current_company(client, anna, company_b):
    client.force_login(anna)
    client.post(SWITCH_URL, {"company": company_b.pk})

    response = client.get(reverse("wagtailadmin_home"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="current-company-section"' in page
    assert "<strong>Beta Ab</strong>" in page
    assert f"company-{company_b.pk}" in page
