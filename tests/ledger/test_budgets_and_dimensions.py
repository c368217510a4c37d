"""Cost centres and projects on lines, budgets and budget vs actual."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.importing import read_table, run_import
from cms.registry import get_registration
from modules.ledger.batch import VoucherInput, post_vouchers
from modules.ledger.budgets import budget_vs_actual, copy_budget
from modules.ledger.models import BudgetEntry, CostCentre, Project, Voucher
from modules.ledger.selectors import verify_ledger
from modules.ledger.services import LineInput, post_voucher

D = Decimal


@pytest.fixture
def units(books):
    shop = CostCentre.objects.create(company=books, code="SHOP", name="Shops")
    north = CostCentre.objects.create(
        company=books, code="N", name="North shop", parent=shop
    )
    fair = Project.objects.create(company=books, code="FAIR", name="Spring fair")
    return shop, north, fair


def test_lines_carry_cost_centre_and_project(books, accountant, series, account, units):
    shop, north, fair = units
    for month, amount in ((1, "300.00"), (2, "500.00")):
        post_voucher(
            company=books,
            user=accountant,
            series=series,
            date=datetime.date(2026, month, 10),
            description="Rent",
            lines=[
                LineInput(
                    account=account("7100"),
                    debit=D(amount),
                    cost_centre=north,
                    project=fair,
                ),
                LineInput(account=account("1910"), credit=D(amount)),
            ],
        )
    BudgetEntry.objects.create(
        company=books,
        account=account("7100"),
        cost_centre=north,
        month=datetime.date(2026, 1, 1),
        amount=D("400.00"),
    )

    by_account = budget_vs_actual(
        company=books,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 2, 28),
        cost_centre=shop,
    )
    by_project = budget_vs_actual(
        company=books,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 2, 28),
        by="project",
    )

    [row] = by_account.rows
    assert (row.budget, row.actual, row.difference) == (
        D("400.00"),
        D("800.00"),
        D("400.00"),
    )
    assert by_account.months[1][2] == D("500.00")
    assert by_project.rows[0].actual == D("-800.00")


def test_cost_centre_of_another_company_is_refused(
    books, company_b, accountant, series, account
):
    foreign = CostCentre.objects.create(company=company_b, code="X", name="X")

    with pytest.raises(ValidationError) as refused:
        post_voucher(
            company=books,
            user=accountant,
            series=series,
            date=datetime.date(2026, 1, 10),
            description="Wrong",
            lines=[
                LineInput(
                    account=account("7100"), debit=D("1.00"), cost_centre=foreign
                ),
                LineInput(account=account("1910"), credit=D("1.00")),
            ],
        )

    assert refused.value.code == "foreign_dimension"
    assert not Voucher.objects.exists()


def test_budget_copied_with_a_percentage(books, accountant, account):
    BudgetEntry.objects.create(
        company=books,
        account=account("3000"),
        month=datetime.date(2026, 5, 1),
        amount=D("1000.00"),
    )

    copied = copy_budget(
        company=books, user=accountant, from_year=2026, to_year=2027, percent="5"
    )

    assert copied == 1
    assert BudgetEntry.objects.get(month=datetime.date(2027, 5, 1)).amount == D(
        "1050.00"
    )
    with pytest.raises(ValidationError):
        copy_budget(
            company=books, user=accountant, from_year=2026, to_year=2027, percent=5
        )


def test_budget_screen_chart_and_csv(client, books, make_user, account):
    BudgetEntry.objects.create(
        company=books,
        account=account("3000"),
        month=datetime.date(2026, 5, 1),
        amount=D("1234.00"),
    )
    client.force_login(make_user("controller", books, perms=["ledger.view_voucher"]))
    query = {"start": "2026-01-01", "end": "2026-12-31", "by": "account"}

    page = client.get(reverse("ledger_budget"), query)
    csv = client.get(reverse("ledger_budget"), {**query, "format": "csv"})

    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert "1,234.00" in page.content.decode()
    assert "1234" in csv.content.decode("utf-8-sig")


def test_batch_posts_all_or_nothing(books, accountant, series, account):
    good = VoucherInput(
        date=datetime.date(2026, 1, 5),
        description="Good",
        lines=[
            LineInput(account=account("1910"), debit=D("125.50")),
            LineInput(
                account=account("3000"), credit=D("125.50"), vat_code="sales_general"
            ),
        ],
    )
    bad = VoucherInput(
        date=datetime.date(2026, 1, 6),
        description="Bad",
        lines=[
            LineInput(account=account("1910"), debit=D("1.00")),
            LineInput(account=account("3000"), credit=D("2.00")),
        ],
    )

    with pytest.raises(ValidationError) as refused:
        post_vouchers(
            company=books, user=accountant, series=series, vouchers=[good, bad]
        )
    posted = post_vouchers(
        company=books, user=accountant, series=series, vouchers=[good, good]
    )
    single = post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=datetime.date(2026, 1, 7),
        description="After the batch",
        lines=good.lines,
    )

    assert "Voucher 2" in refused.value.messages[0]
    assert [voucher.number for voucher in posted] == [1, 2]
    assert posted[0].lines.count() == 3
    assert single.number == 3
    assert verify_ledger(company=books).ok


def _import_budget(content: bytes, *, user, company):
    return run_import(
        registration=get_registration(BudgetEntry),
        dataset=read_table(content, "budget.csv"),
        user=user,
        company=company,
        dry_run=False,
    )


def test_budget_imported_by_account_number_and_codes(books, accountant, units):
    content = (
        "account;cost_centre;project;month;amount;note\n"
        "7100;N;FAIR;1.1.2026;400,00;Rent\n"
        "7100;N;;1.2.2026;450,00;\n"
    ).encode("cp1252")

    result, _rows = _import_budget(content, user=accountant, company=books)

    assert not result.has_errors() and not result.has_validation_errors()
    assert sorted(
        (entry.month.month, entry.amount, entry.project_id is not None)
        for entry in BudgetEntry.objects.filter(company=books)
    ) == [(1, D("400.00"), True), (2, D("450.00"), False)]


def test_budget_import_with_a_broken_row_saves_nothing(books, accountant, units):
    content = (
        b"account;cost_centre;project;month;amount;note\n"
        b"7100;N;;1.1.2026;400,00;\n"
        b"9999;N;;1.2.2026;abc;\n"
    )

    result, rows = _import_budget(content, user=accountant, company=books)

    assert result.has_errors() or result.has_validation_errors()
    assert any(row.errors for row in rows)
    assert not BudgetEntry.objects.exists()
