"""postVoucher, reverseVoucher and ledger balances over GraphQL."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from modules.ledger.models import Voucher

POST = """
mutation($company: ID!, $lines: [VoucherLineInput!]!) {
  postVoucher(company: $company, series: "MU", date: "2026-04-01",
              description: "Over the API", lines: $lines) {
    ok voucherId number errors { code messages }
  }
}"""
BALANCES = """
query($company: ID!) {
  ledgerBalances(company: $company, by: "account") { key debit credit balance }
}"""


@pytest.fixture
def api(make_user, books, series):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(
        make_user(
            "integrator",
            books,
            perms=["ledger.add_voucher", "ledger.view_journalline"],
        )
    )

    def run(query, variables):
        response = client.post(
            "/graphql/",
            {"query": query, "variables": variables},
            content_type="application/json",
        )
        return response.json()

    return run


SALE = [
    {"account": "1910", "debit": "125.50"},
    {"account": "3000", "credit": "125.50", "vatCode": "sales_general"},
]


def test_post_reverse_and_balances(api, books):
    posted = api(POST, {"company": books.pk, "lines": SALE})["data"]["postVoucher"]
    reversed_ = api(
        'mutation($id: ID!) { reverseVoucher(voucher: $id, date: "2026-04-02") '
        "{ ok number errors { messages } } }",
        {"id": posted["voucherId"]},
    )["data"]["reverseVoucher"]
    with CaptureQueriesContext(connection) as queries:
        balances = api(BALANCES, {"company": books.pk})["data"]["ledgerBalances"]

    assert posted["ok"] is True and posted["number"] == 1
    assert reversed_ == {"ok": True, "number": 2, "errors": []}
    assert {row["key"]: row["balance"] for row in balances} == {
        "1910": "0.00",
        "2870": "0.00",
        "3000": "0.00",
    }
    assert len(queries) <= 8


def test_refusals_post_nothing(api, books, company_b):
    unbalanced = api(
        POST,
        {"company": books.pk, "lines": [SALE[0], {**SALE[1], "credit": "1.00"}]},
    )["data"]["postVoucher"]
    foreign = api(POST, {"company": company_b.pk, "lines": SALE})["data"]["postVoucher"]

    assert unbalanced["ok"] is False
    assert unbalanced["errors"][0]["code"] == "unbalanced"
    assert foreign["errors"][0]["code"] == "unknown_company"
    assert not Voucher.objects.exists()


def test_posting_needs_the_permission(make_user, books):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("reader", books, perms=["ledger.view_voucher"]))

    response = client.post(
        "/graphql/",
        {"query": POST, "variables": {"company": books.pk, "lines": SALE}},
        content_type="application/json",
    ).json()

    assert response["data"]["postVoucher"] is None
    assert "permission" in response["errors"][0]["message"]
    assert not Voucher.objects.exists()
