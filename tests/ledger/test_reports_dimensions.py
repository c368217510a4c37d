"""Income statements per cost centre (with those under it) and per project."""

import datetime
from decimal import Decimal

from django.test import Client

from modules.core.models import Role
from modules.ledger.models import CostCentre, Project
from modules.ledger.reports.forms import dimension_filter
from modules.ledger.reports.periods import DateRange
from modules.ledger.reports.statements import income_statement
from modules.ledger.services import LineInput, post_voucher

YEAR = DateRange(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_statement_per_cost_centre_and_project(books, accountant, series, account):
    sales = CostCentre.objects.create(company=books, code="MYY", name="Myynti")
    north = CostCentre.objects.create(
        company=books, code="POH", name="Pohjoinen", parent=sales
    )
    fair = Project.objects.create(company=books, code="MESSUT", name="Messut")
    for centre, project, amount in ((north, fair, "700"), (None, None, "300")):
        post_voucher(
            company=books,
            user=accountant,
            series=series,
            date=datetime.date(2026, 3, 1),
            description="Sale",
            lines=[
                LineInput(account=account("1910"), debit=Decimal(amount)),
                LineInput(
                    account=account("3000"),
                    credit=Decimal(amount),
                    cost_centre=centre,
                    project=project,
                ),
            ],
        )

    whole = income_statement(company=books, period=YEAR, compare=False)
    by_centre = income_statement(
        company=books,
        period=YEAR,
        compare=False,
        line_filter=dimension_filter(cost_centre=sales),
    )
    by_project = income_statement(
        company=books,
        period=YEAR,
        compare=False,
        line_filter=dimension_filter(project=fair),
    )

    assert whole.row("turnover").values == [Decimal("1000")]
    assert by_centre.row("turnover").values == [Decimal("700")]
    assert by_project.row("turnover").values == [Decimal("700")]


def test_cost_centre_choice_on_the_screen(books, make_user):
    CostCentre.objects.create(company=books, code="MYY", name="Myynti")
    reader = make_user(
        "centre_reader", books, role=Role.ACCOUNTANT, perms=["ledger.view_voucher"]
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(reader)

    page = client.get("/admin/ledger/reports/income-statement/").content.decode()

    assert "Cost centre" in page and "MYY" in page
