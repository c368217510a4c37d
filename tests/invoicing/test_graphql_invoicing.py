"""Invoices, their lines, open items and payments over GraphQL, per company."""

import datetime
from decimal import Decimal

import pytest

from modules.core.models import BankAccount, Role
from modules.crm.models import Organisation
from modules.invoicing.services import create_and_issue_invoice, register_payment

from .conftest import open_books

pytestmark = pytest.mark.django_db

READ = (
    "invoicing.view_salesinvoice",
    "invoicing.view_salesinvoiceline",
    "invoicing.view_invoicepayment",
)
QUERY = """
query ($state: String) {
  salesInvoices(first: 50, state: $state) { totalCount edges { node {
    number customerName total openAmount state reference
    lines { description quantity unitPrice }
    payments { amount paidOn }
  } } }
  invoicePayments(first: 50) { totalCount edges { node {
    amount invoice { number }
  } } }
}
"""


def _invoice(company, user, name, prices):
    customer = Organisation.objects.create(
        company=company, name=name, business_id="", is_customer=True
    )
    return create_and_issue_invoice(
        company=company,
        user=user,
        customer=customer,
        lines=[
            {"description": f"Work {price}", "quantity": "1", "unit_price": price}
            for price in prices
        ],
        invoice_date=datetime.date(2026, 11, 2),
    )


def _ask(client, user, state=None):
    client.force_login(user)
    response = client.post(
        "/graphql/",
        {"query": QUERY, "variables": {"state": state}},
        content_type="application/json",
    )
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"]


@pytest.fixture
def two_companies(company_a, company_b, make_user):
    accountant_a = make_user(
        "accountant-a", company_a, role=Role.ACCOUNTANT, perms=READ
    )
    accountant_b = make_user(
        "accountant-b", company_b, role=Role.ACCOUNTANT, perms=READ
    )
    open_books(company_a, accountant_a)
    paid = _invoice(company_a, accountant_a, "Asiakas Oy", ["100.00", "24.00"])
    register_payment(
        invoice=paid,
        amount=Decimal("50.00"),
        paid_on=datetime.date(2026, 11, 20),
        bank_account=BankAccount.objects.get(company=company_a),
        user=accountant_a,
        source="test:1",
    )
    return accountant_a, accountant_b, paid


def test_a_user_reads_the_company_invoices_lines_open_items_and_payments(
    client, two_companies
):
    accountant_a, _accountant_b, paid = two_companies

    data = _ask(client, accountant_a)

    [invoice] = [edge["node"] for edge in data["salesInvoices"]["edges"]]
    assert invoice["number"] == paid.number
    assert invoice["customerName"] == "Asiakas Oy"
    assert [line["description"] for line in invoice["lines"]] == [
        "Work 100.00",
        "Work 24.00",
    ]
    assert Decimal(invoice["openAmount"]) == paid.total - Decimal("50.00")
    assert [Decimal(p["amount"]) for p in invoice["payments"]] == [Decimal("50.00")]
    [payment] = [edge["node"] for edge in data["invoicePayments"]["edges"]]
    assert payment["invoice"]["number"] == paid.number
    open_items = _ask(client, accountant_a, state="issued")["salesInvoices"]
    assert open_items["totalCount"] == 1


def test_another_company_user_sees_none_of_it(client, two_companies, company_b):
    _accountant_a, accountant_b, _paid = two_companies

    data = _ask(client, accountant_b)

    assert data["salesInvoices"] == {"totalCount": 0, "edges": []}
    assert data["invoicePayments"] == {"totalCount": 0, "edges": []}
