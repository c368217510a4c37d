"""Invoicing screens: permissions, company isolation and the card panel."""

import datetime

import pytest

from modules.core.models import Role
from modules.invoicing.services import create_invoice, issue_invoice
from tests.invoicing.conftest import open_books

VIEW_PERMS = ("invoicing.view_salesinvoice", "crm.view_organisation")


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def issued(books, customer, accountant, rows):
    draft = create_invoice(
        company=books,
        user=accountant,
        customer=customer,
        lines=rows,
        invoice_date=datetime.date(2026, 3, 10),
    )
    return issue_invoice(invoice=draft, user=accountant)


def test_the_card_shows_open_invoices_and_the_receivables_screen_ages_them(
    client, make_user, books, issued
):
    clerk = make_user("clerk", books, role=Role.SALES, perms=VIEW_PERMS)
    client.force_login(clerk)

    card = client.get(f"/admin/crm/organisation/inspect/{issued.organisation_id}/")
    receivables = client.get("/admin/invoicing/receivables/")
    pdf = client.get(f"/admin/invoicing/invoice/{issued.pk}/pdf/")

    assert 'data-crm-panel="open_invoices"' in card.content.decode()
    assert issued.number in card.content.decode()
    assert "Asiakas Oy" in receivables.content.decode()
    assert pdf["Content-Type"] == "application/pdf"


def test_without_the_permission_nothing_is_shown(client, make_user, books, issued):
    outsider = make_user("outsider", books, role=Role.EMPLOYEE)
    client.force_login(outsider)

    assert client.get("/admin/invoicing/receivables/").status_code in (302, 403)
    assert client.get(f"/admin/invoicing/invoice/{issued.pk}/pdf/").status_code in (
        302,
        403,
    )
    response = client.post(f"/admin/invoicing/invoice/{issued.pk}/credit/")
    assert response.status_code in (302, 403)
    assert not issued.credit_notes.exists()


def test_a_user_of_another_company_cannot_reach_an_invoice(
    client, make_user, company_b, accountant, issued
):
    open_books(company_b, accountant)
    stranger = make_user(
        "stranger",
        company_b,
        role=Role.ACCOUNTANT,
        perms=(*VIEW_PERMS, "invoicing.change_salesinvoice"),
    )
    client.force_login(stranger)

    assert client.get(f"/admin/invoicing/invoice/{issued.pk}/pdf/").status_code == 404
    response = client.post(f"/admin/invoicing/invoice/{issued.pk}/credit/")
    assert response.status_code == 404
    assert not issued.credit_notes.exists()
    assert (
        issued.number
        not in client.get("/admin/invoicing/receivables/").content.decode()
    )
