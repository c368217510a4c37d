"""The statements and the trial balance over GraphQL, scoped and checked."""

from decimal import Decimal

import pytest
from django.test import Client

from modules.core.models import Role

STATEMENT = """
query($company: ID!) {
  incomeStatement(companyId: $company, start: "2026-01-01", end: "2026-12-31",
                  layout: "pma_small") {
    title layout columns { label start end }
    rows { key label kind values accounts { number values } }
  }
  balanceSheet(companyId: $company, start: "2026-01-01", end: "2026-12-31") {
    rows { key values }
  }
  trialBalance(companyId: $company, start: "2026-01-01", end: "2026-12-31") {
    debit credit lines { number debit credit balance previous }
  }
}
"""


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)

    def run(query, variables):
        return client.post(
            "/graphql/",
            {"query": query, "variables": variables},
            content_type="application/json",
        ).json()

    return run


@pytest.fixture
def reader(make_user, two_years):
    return make_user(
        "api_reader", two_years, role=Role.ACCOUNTANT, perms=["ledger.view_voucher"]
    )


def test_statements_and_trial_balance_over_graphql(reader, two_years):
    data = _client(reader)(STATEMENT, {"company": two_years.pk})["data"]

    income = data["incomeStatement"]
    rows = {row["key"]: row for row in income["rows"]}
    assert income["layout"] == "pma_small"
    assert income["columns"][1]["start"] == "2025-01-01"
    assert [Decimal(v) for v in rows["profit"]["values"]] == [1300, 600]
    assert rows["turnover"]["accounts"][0]["number"] == "3000"
    sheet = {row["key"]: row["values"] for row in data["balanceSheet"]["rows"]}
    assert sheet["assets"] == sheet["liabilities"]
    balance = data["trialBalance"]
    assert Decimal(balance["debit"]) == Decimal(balance["credit"]) == 7420


def test_another_companys_statements_are_not_found(reader, company_b):
    result = _client(reader)(STATEMENT, {"company": company_b.pk})

    assert result["data"]["incomeStatement"] is None
    assert result["errors"][0]["extensions"]["code"] == "not_found"


def test_statements_need_the_permission(make_user, two_years):
    clerk = make_user("api_clerk", two_years, role=Role.SALES)

    result = _client(clerk)(STATEMENT, {"company": two_years.pk})

    assert result["data"]["trialBalance"] is None
    assert result["errors"][0]["extensions"]["code"] == "permission_denied"
