"""Reminders, penal interest, ageing, credit limits and invoicing runs."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.invoicing.hooks import (
    BillableItem,
    register_invoice_source,
    unregister_invoice_source,
)
from modules.invoicing.models import (
    CustomerBilling,
    InvoiceKind,
    InvoicingSettings,
    RecurringContract,
    SalesInvoice,
)
from modules.invoicing.receivables import (
    create_interest_invoice,
    credit_limit_warning,
    invoices_to_remind,
    penal_interest,
    render_reminder_pdf,
    render_statement_pdf,
    send_reminder,
)
from modules.invoicing.runs import run_invoicing
from modules.invoicing.selectors import ageing
from modules.invoicing.services import create_invoice, issue_invoice

JAN = datetime.date(2026, 1, 15)


@pytest.fixture
def overdue(books, customer, accountant):
    draft = create_invoice(
        company=books,
        user=accountant,
        customer=customer,
        lines=[{"description": "Work", "unit_price": "1000.00"}],
        invoice_date=JAN,
    )
    return issue_invoice(invoice=draft, user=accountant)  # due 29.1.


def test_penal_interest_is_the_reference_rate_plus_seven_per_half_year(reference_data):
    # 2.15 % + 7 % = 9.15 % for 2026: 1000 EUR, 30 days late.
    interest = penal_interest(
        amount=Decimal("1000.00"),
        due_date=datetime.date(2026, 1, 31),
        paid_on=datetime.date(2026, 3, 2),
    )

    assert interest == Decimal("7.52")  # 1000 * 9.15 % * 30 / 365


def test_penal_interest_changes_rate_at_the_half_year(reference_data):
    interest = penal_interest(
        amount=Decimal("1000.00"),
        due_date=datetime.date(2025, 6, 20),
        paid_on=datetime.date(2025, 7, 10),
    )

    # 10 days at 3.15 + 7 %, 10 days at 2.15 + 7 %.
    expected = Decimal(1000) * (Decimal("10.15") * 10 + Decimal("9.15") * 10)
    assert interest == (expected / 100 / 365).quantize(Decimal("0.01"))


def test_reminders_follow_the_rules_and_invoice_the_fee(overdue, accountant):
    InvoicingSettings.objects.filter(company=overdue.company).update(
        reminder_fee=Decimal("5.00")
    )
    company = overdue.company

    assert invoices_to_remind(company=company, on_date=JAN.replace(day=31)) == []
    first_day = datetime.date(2026, 2, 5)
    assert invoices_to_remind(company=company, on_date=first_day) == [overdue]
    reminder = send_reminder(invoice=overdue, user=accountant, on_date=first_day)

    assert reminder.level == 1 and reminder.fee == Decimal("5.00")
    assert reminder.fee_invoice.total == Decimal("5.00")
    assert reminder.penal_interest > 0
    assert invoices_to_remind(company=company, on_date=first_day) == []
    later = first_day + datetime.timedelta(days=14)
    assert invoices_to_remind(company=company, on_date=later) == [overdue]
    assert render_reminder_pdf(reminder).startswith(b"%PDF")


def test_customers_without_reminders_are_left_out(overdue, customer):
    CustomerBilling.objects.create(
        company=customer.company, organisation=customer, send_reminders=False
    )

    assert (
        invoices_to_remind(company=overdue.company, on_date=datetime.date(2026, 3, 1))
        == []
    )


def test_an_interest_invoice_charges_the_late_days_once(overdue, accountant):
    interest = create_interest_invoice(
        invoice=overdue, user=accountant, on_date=datetime.date(2026, 2, 28)
    )

    assert interest.kind == InvoiceKind.INTEREST
    assert interest.total == penal_interest(
        amount=Decimal("1255.00"),
        due_date=overdue.due_date,
        paid_on=datetime.date(2026, 2, 28),
    )
    assert interest.total_vat == 0
    with pytest.raises(ValidationError, match="already been invoiced"):
        create_interest_invoice(
            invoice=overdue, user=accountant, on_date=datetime.date(2026, 3, 1)
        )


def test_ageing_and_statement_show_what_is_open(overdue):
    [row] = ageing(company=overdue.company, on_date=datetime.date(2026, 3, 15))

    assert row.buckets["31_60"] == Decimal("1255.00")
    assert row.total == Decimal("1255.00")
    pdf = render_statement_pdf(
        company=overdue.company,
        customer=overdue.customer,
        on_date=datetime.date(2026, 3, 15),
    )
    assert pdf.startswith(b"%PDF")


def test_the_credit_limit_warns_when_an_order_goes_over(overdue, customer):
    CustomerBilling.objects.create(
        company=customer.company, organisation=customer, credit_limit=1500
    )

    assert (
        credit_limit_warning(
            company=customer.company, customer=customer, extra=Decimal("200")
        )
        is None
    )
    warning = credit_limit_warning(
        company=customer.company, customer=customer, extra=Decimal("300")
    )
    assert "credit limit" in warning


def test_a_run_bills_contracts_and_sources_once(books, customer, accountant):
    RecurringContract.objects.create(
        company=books,
        name="Maintenance",
        organisation=customer,
        next_invoice_date=datetime.date(2026, 1, 31),
        interval_months=1,
        lines=[{"description": "Maintenance", "unit_price": "100.00"}],
    )
    billed = []
    register_invoice_source(
        "test-deliveries",
        items=lambda *, company, up_to: [
            BillableItem(
                key="delivery:1",
                customer=customer,
                delivery_date=datetime.date(2026, 3, 1),
                lines=[{"description": "Delivered goods", "unit_price": "40"}],
            )
        ],
        billed=lambda *, key, invoice: billed.append((key, invoice.number)),
    )
    try:
        result = run_invoicing(
            company=books, user=accountant, up_to=datetime.date(2026, 3, 31)
        )
        again = run_invoicing(
            company=books, user=accountant, up_to=datetime.date(2026, 3, 31)
        )
    finally:
        unregister_invoice_source("test-deliveries")

    # 31.1., 28.2. and 31.3. from the contract, and the delivery.
    assert len(result["invoiced"]) == 4 and result["failed"] == []
    assert again == {"invoiced": [], "failed": []}
    assert billed == [("delivery:1", result["invoiced"][-1])]
    dates = sorted(
        SalesInvoice.objects.filter(source__startswith="contract:").values_list(
            "invoice_date", flat=True
        )
    )
    assert dates == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 31),
    ]


def test_a_run_reports_an_item_it_cannot_bill_and_goes_on(books, customer, accountant):
    RecurringContract.objects.create(
        company=books,
        name="Broken",
        organisation=customer,
        next_invoice_date=datetime.date(2026, 1, 31),
        lines=[{"description": "X", "unit_price": "1", "vat_code": "nonsense"}],
    )
    RecurringContract.objects.create(
        company=books,
        name="Fine",
        organisation=customer,
        next_invoice_date=datetime.date(2026, 1, 31),
        lines=[{"description": "Y", "unit_price": "1"}],
    )

    result = run_invoicing(
        company=books, user=accountant, up_to=datetime.date(2026, 1, 31)
    )

    assert len(result["invoiced"]) == 1
    assert "nonsense" in result["failed"][0]["error"]
