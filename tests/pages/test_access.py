"""Who gets into the intranet and the extranet, and what the others see."""

import pytest
from django.utils import translation

from pages.models import ExtranetHomePage, IntranetHomePage

INTRANET = "/intranet/"
INTRANET_NEWS = "/intranet/tiedotteet/pikkujoulut/"
EXTRANET = "/extranet/"
PARTNER_PAGE = "/extranet/kumppanit/"
CUSTOMER_PAGE = "/extranet/asiakkaat/"

# who, url, expected status
ACCESS = [
    ("employee", INTRANET, 200),
    ("employee", INTRANET_NEWS, 200),
    ("employee", EXTRANET, 403),
    ("employee", PARTNER_PAGE, 403),
    ("partner", EXTRANET, 200),
    ("partner", PARTNER_PAGE, 200),
    ("partner", CUSTOMER_PAGE, 403),
    ("partner", INTRANET, 403),
    ("customer", EXTRANET, 200),
    ("customer", CUSTOMER_PAGE, 200),
    ("customer", PARTNER_PAGE, 403),
    ("customer", INTRANET_NEWS, 403),
    ("stranger", INTRANET, 403),
    ("stranger", EXTRANET, 403),
    ("superuser", INTRANET, 200),
    ("superuser", PARTNER_PAGE, 200),
    ("superuser", CUSTOMER_PAGE, 200),
]


def _finnish(message) -> str:
    with translation.override("fi"):
        return str(message)


@pytest.mark.parametrize(("who", "url", "status"), ACCESS)
def test_each_kind_of_user_gets_into_their_own_pages_only(
    trees, client, request, who, url, status
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(url)

    assert response.status_code == status


@pytest.mark.parametrize("url", [INTRANET, INTRANET_NEWS, EXTRANET, PARTNER_PAGE])
def test_anonymous_visitor_is_sent_to_the_site_login_page(trees, client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_public_pages_are_open_to_anonymous_visitors(trees, client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Uusi verkkokauppa avattu" in response.text


def test_refused_employee_is_told_the_extranet_is_not_for_them(trees, client, employee):
    client.force_login(employee)

    response = client.get(EXTRANET)

    assert response.status_code == 403
    assert _finnish(ExtranetHomePage.refusal_message) in response.text
    assert response["Cache-Control"].startswith("max-age=0")


def test_refused_partner_is_told_the_intranet_is_not_for_them(trees, client, partner):
    client.force_login(partner)

    response = client.get(INTRANET)

    assert _finnish(IntranetHomePage.refusal_message) in response.text


def test_extranet_lists_only_the_pages_of_the_users_group(trees, client, partner):
    client.force_login(partner)

    response = client.get(EXTRANET)

    assert "Kumppaneille" in response.text
    assert "Asiakkaille" not in response.text


def test_intranet_front_page_greets_the_employee_with_their_companies(
    trees, client, employee, company_a
):
    employee.first_name = "Eeva"
    employee.save()
    client.force_login(employee)

    response = client.get(INTRANET)

    assert "Eeva" in response.text
    assert company_a.name in response.text
    assert "Pikkujoulut 12.12." in response.text
    assert 'href="/admin/"' in response.text


def test_intranet_front_page_has_no_back_office_link_for_non_staff(
    trees, client, make_user, company_a
):
    from modules.core.models import Role

    user = make_user("kesatyontekija", company_a, role=Role.EMPLOYEE, staff=False)
    client.force_login(user)

    response = client.get(INTRANET)

    assert response.status_code == 200
    assert 'href="/admin/"' not in response.text


def test_intranet_pages_are_not_kept_by_shared_caches(trees, client, employee):
    client.force_login(employee)

    response = client.get(INTRANET_NEWS)

    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
