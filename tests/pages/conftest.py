"""Fixtures of the page tests: the three page trees and their kinds of users."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from fixtures import pages as demo_pages
from modules.core.models import Role, role_group_name
from pages.models import (
    ContactFormField,
    ContactFormPage,
    ExtranetHomePage,
    ExtranetPage,
    IntranetHomePage,
    IntranetNewsIndexPage,
    IntranetNewsPage,
    NewsIndexPage,
    NewsPage,
)


def _add(parent, model, slug, title, **fields):
    page = model(slug=slug, title=title, **fields)
    parent.add_child(instance=page)
    return page


def _restrict(page, restriction_type, *groups):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type
    )
    restriction.groups.set(groups)


@pytest.fixture
def trees(company_a):
    """Return the three page trees, shaped as the demo has them.

    Built with live pages straight in the tree: publishing revisions the
    way fixtures.pages does costs seconds per test.
    """
    partners = Group.objects.get_or_create(name=role_group_name(Role.PARTNER))[0]
    customers = Group.objects.get_or_create(name=role_group_name(Role.CUSTOMER))[0]
    home = demo_pages.site_home_page()
    news = _add(home, NewsIndexPage, "uutiset", "Uutiset", show_in_menus=True)
    _add(news, NewsPage, "uusi-verkkokauppa", "Uusi verkkokauppa avattu")
    contact = _add(
        home,
        ContactFormPage,
        "yhteystiedot",
        "Yhteystiedot",
        to_address="asiakaspalvelu@example.fi",
        subject="Yhteydenotto",
        form_fields=[
            ContactFormField(label="Nimi", field_type="singleline", required=True),
            ContactFormField(label="Sähköposti", field_type="email", required=True),
            ContactFormField(label="Viesti", field_type="multiline", required=True),
        ],
    )
    intranet = _add(home, IntranetHomePage, "intranet", "Intranet")
    _restrict(intranet, PageViewRestriction.LOGIN)
    intranet_news = _add(intranet, IntranetNewsIndexPage, "tiedotteet", "Tiedotteet")
    _add(intranet_news, IntranetNewsPage, "pikkujoulut", "Pikkujoulut 12.12.")
    extranet = _add(home, ExtranetHomePage, "extranet", "Extranet")
    _restrict(extranet, PageViewRestriction.GROUPS, partners, customers)
    partner_page = _add(extranet, ExtranetPage, "kumppanit", "Kumppaneille")
    _restrict(partner_page, PageViewRestriction.GROUPS, partners)
    customer_page = _add(extranet, ExtranetPage, "asiakkaat", "Asiakkaille")
    _restrict(customer_page, PageViewRestriction.GROUPS, customers)
    return SimpleNamespace(
        home=home,
        news=news,
        contact=contact,
        intranet=intranet,
        intranet_news=intranet_news,
        extranet=extranet,
        partner_page=partner_page,
        customer_page=customer_page,
    )


def _in_role_group(user, role):
    user.groups.add(Group.objects.get_or_create(name=role_group_name(role))[0])
    return user


@pytest.fixture
def employee(company_a, make_user):
    return make_user("eeva", company_a, role=Role.EMPLOYEE)


@pytest.fixture
def partner(company_a, make_user):
    user = make_user("pekka", company_a, role=Role.PARTNER, staff=False)
    return _in_role_group(user, Role.PARTNER)


@pytest.fixture
def customer(company_a, make_user):
    user = make_user("asta", company_a, role=Role.CUSTOMER, staff=False)
    return _in_role_group(user, Role.CUSTOMER)


@pytest.fixture
def stranger(make_user):
    """Return a logged-in user with no company and no partner or customer group."""
    return make_user("vieras", staff=False)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw-root")
