"""The factoring transfer: assigned invoices listed, filed and marked once."""

import csv
import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from modules.invoicing.factoring import (
    transfer_assigned_invoices,
    transfer_report_pdf,
    untransferred_invoices,
)
from modules.invoicing.models import (
    CustomerBilling,
    FactoringCompany,
    FactoringTransfer,
    FactoringTransferLine,
)
from modules.invoicing.services import create_and_issue_invoice, credit_invoice

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 10)
PERMS = ("invoicing.view_factoringtransfer", "invoicing.add_factoringtransfer")


@pytest.fixture
def factor(books, customer):
    factor = FactoringCompany.objects.create(
        company=books,
        name="Rahoitus Oy",
        agreement_number="F-77",
        iban="FI3715903000000776",
        bic="HELSFIHH",
        assignment_clause="Saatava on siirretty Rahoitus Oy:lle.",
    )
    CustomerBilling.objects.create(
        company=books, organisation=customer, factoring_company=factor
    )
    return factor


def _issue(books, customer, accountant, price="100.00"):
    return create_and_issue_invoice(
        company=books,
        user=accountant,
        customer=customer,
        lines=[{"description": "Work", "quantity": "1", "unit_price": price}],
        invoice_date=MARCH,
    )


def _rows(transfer):
    return list(csv.DictReader(io.StringIO(transfer.file_csv), delimiter=";"))


def test_a_run_files_assigned_invoices_and_credit_notes_once(
    books, customer, accountant, factor
):
    first = _issue(books, customer, accountant, "100.00")
    second = _issue(books, customer, accountant, "40.00")
    note = credit_invoice(invoice=second, user=accountant)

    transfer = transfer_assigned_invoices(
        company=books, factoring_company=factor, user=accountant
    )

    rows = _rows(transfer)
    assert [row["record"] for row in rows] == [
        "invoice",
        "invoice",
        "credit_note",
        "total",
    ]
    assert rows[0]["number"] == first.number
    assert rows[0]["agreement"] == "F-77"
    assert rows[0]["business_id"] == "1572860-0"
    assert rows[2]["credits"] == second.number
    assert Decimal(rows[2]["total"]) == note.total < 0
    assert rows[3]["number"] == "3"
    assert Decimal(rows[3]["total"]) == first.total == transfer.total
    assert transfer_report_pdf(transfer).startswith(b"%PDF")
    assert not untransferred_invoices(company=books, factoring_company=factor)


def test_a_second_run_carries_only_new_invoices(books, customer, accountant, factor):
    _issue(books, customer, accountant)
    transfer_assigned_invoices(company=books, factoring_company=factor, user=accountant)
    with pytest.raises(ValidationError, match="No invoice assigned to Rahoitus Oy"):
        transfer_assigned_invoices(
            company=books, factoring_company=factor, user=accountant
        )
    later = _issue(books, customer, accountant, "55.00")

    second = transfer_assigned_invoices(
        company=books, factoring_company=factor, user=accountant
    )

    assert [row["number"] for row in _rows(second)[:-1]] == [later.number]
    assert FactoringTransfer.objects.count() == 2


def test_invoices_of_unassigned_customers_are_not_transferred(
    books, customer, accountant, factor
):
    CustomerBilling.objects.filter(organisation=customer).update(factoring_company=None)
    _issue(books, customer, accountant)

    assert not untransferred_invoices(company=books, factoring_company=factor)


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_transfer_each_invoice_once(
    books, customer, accountant, factor
):
    for price in ("10.00", "20.00", "30.00"):
        _issue(books, customer, accountant, price)
    start = threading.Barrier(3)
    outcomes = []

    def run():
        try:
            start.wait()
            transfer_assigned_invoices(
                company=books, factoring_company=factor, user=accountant
            )
            outcomes.append("made")
        except ValidationError:
            outcomes.append("nothing")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["made", "nothing", "nothing"]
    assert FactoringTransferLine.objects.count() == 3


def test_the_admin_screen_runs_and_serves_the_files(
    client, books, customer, accountant, factor, make_user, company_b
):
    invoice = _issue(books, customer, accountant)
    client.force_login(make_user("factor-clerk", books, perms=PERMS))

    page = client.get(reverse("invoicing_factoring"))
    made = client.post(
        reverse("invoicing_factoring"), {"factoring": factor.pk}, follow=True
    )
    transfer = FactoringTransfer.objects.get()
    csv_file = client.get(
        reverse("invoicing_factoring_file", args=[transfer.pk, "csv"])
    )
    stranger = make_user("stranger", company_b, perms=PERMS)
    client.force_login(stranger)
    foreign = client.get(reverse("invoicing_factoring_file", args=[transfer.pk, "csv"]))

    assert invoice.number in page.content.decode()
    assert "made with 1 document." in made.content.decode()
    assert invoice.number in csv_file.content.decode()
    assert foreign.status_code == 404
