"""Issuing, posting, crediting and paying invoices, on the real database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from integrations.reference import normalize_reference
from modules.invoicing.models import InvoiceState, SalesInvoice, SalesInvoiceLine
from modules.invoicing.selectors import open_invoices_for_matching
from modules.invoicing.services import (
    create_invoice,
    credit_invoice,
    issue_invoice,
    register_payment,
    write_off_invoice,
)
from modules.ledger.models import JournalLine

MARCH = datetime.date(2026, 3, 10)


def _lines_by_account(voucher):
    sides = {}
    for line in JournalLine.objects.filter(voucher=voucher).select_related("account"):
        debit, credit = sides.get(line.account.number, (Decimal(0), Decimal(0)))
        sides[line.account.number] = (debit + line.debit, credit + line.credit)
    return sides


@pytest.fixture
def issued(books, customer, accountant, rows):
    draft = create_invoice(
        company=books,
        user=accountant,
        customer=customer,
        lines=rows,
        invoice_date=MARCH,
    )
    return issue_invoice(invoice=draft, user=accountant)


def test_issuing_numbers_references_and_posts_the_invoice(issued):
    # 2 h x 100 at 25.5 % and a book of 20 at 13.5 % (VAT of 2026).
    assert issued.state == InvoiceState.ISSUED
    assert issued.total_net == Decimal("220.00")
    assert issued.total_vat == Decimal("51.00") + Decimal("2.70")
    assert issued.total == issued.open_amount == Decimal("273.70")
    assert issued.due_date == MARCH + datetime.timedelta(days=14)
    assert normalize_reference(issued.reference) == issued.reference
    assert issued.voucher.source_id == str(issued.pk)
    assert _lines_by_account(issued.voucher) == {
        "1700": (Decimal("273.70"), Decimal("0.00")),
        "3000": (Decimal("0.00"), Decimal("220.00")),
        "2870": (Decimal("0.00"), Decimal("53.70")),
    }
    voucher = issued.voucher
    voucher.refresh_from_db()
    texts = {
        (line.account.number, line.description)
        for line in voucher.lines.select_related("account")
    }
    named = f"{issued.number} {issued.customer_name}"
    assert voucher.description == f"Sales invoice {issued.number}"
    assert texts == {
        ("1700", named),
        ("3000", named),
        ("2870", "VAT 25.5 %"),
        ("2870", "VAT 13.5 %"),
    }


def test_vat_follows_the_delivery_date(books, customer, accountant):
    draft = create_invoice(
        company=books,
        user=accountant,
        customer=customer,
        lines=[{"description": "Service", "unit_price": "100"}],
        invoice_date=datetime.date(2026, 1, 5),
        delivery_date=datetime.date(2024, 8, 30),
    )

    assert draft.total_vat == Decimal("24.00")


def test_numbers_follow_each_other(books, customer, accountant, rows):
    numbers = []
    for _ in range(3):
        draft = create_invoice(
            company=books,
            user=accountant,
            customer=customer,
            lines=rows,
            invoice_date=MARCH,
        )
        numbers.append(issue_invoice(invoice=draft, user=accountant).number)

    assert numbers == ["2026-00001", "2026-00002", "2026-00003"]


def test_a_failed_issue_leaves_the_draft_and_the_number(books, customer, accountant):
    draft = create_invoice(
        company=books,
        user=accountant,
        customer=customer,
        lines=[{"description": "Late", "unit_price": "10"}],
        invoice_date=datetime.date(2027, 2, 1),
    )

    with pytest.raises(ValidationError, match="No fiscal year covers"):
        issue_invoice(invoice=draft, user=accountant)

    draft.refresh_from_db()
    assert draft.state == InvoiceState.DRAFT and draft.number == ""


def test_an_issued_invoice_cannot_change_even_in_sql(issued):
    with (
        pytest.raises(DatabaseError, match="cannot change"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE invoicing_salesinvoice SET total = 1 WHERE id = %s", [issued.pk]
        )
    with pytest.raises(DatabaseError, match="cannot change"), transaction.atomic():
        SalesInvoiceLine.objects.filter(invoice=issued).update(unit_price=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        SalesInvoice.objects.filter(pk=issued.pk).delete()


def test_a_credit_note_cancels_the_invoice(issued, accountant):
    note = credit_invoice(invoice=issued, user=accountant, invoice_date=MARCH)

    issued.refresh_from_db()
    assert note.credited_invoice == issued
    assert note.total == -issued.total
    assert issued.open_amount == 0 and issued.state == InvoiceState.PAID
    assert _lines_by_account(note.voucher) == {
        "1700": (Decimal("0.00"), Decimal("273.70")),
        "3000": (Decimal("220.00"), Decimal("0.00")),
        "2870": (Decimal("53.70"), Decimal("0.00")),
    }
    with pytest.raises(ValidationError, match="exceed"):
        credit_invoice(invoice=issued, user=accountant, invoice_date=MARCH)


def test_a_payment_posts_and_reduces_what_is_open(issued, accountant):
    bank = issued.company.bank_accounts.get()

    payment = register_payment(
        invoice=issued,
        amount=Decimal("100.00"),
        paid_on=MARCH,
        bank_account=bank,
        user=accountant,
        source="camt:1",
    )
    again = register_payment(
        invoice=issued,
        amount=Decimal("100.00"),
        paid_on=MARCH,
        bank_account=bank,
        user=accountant,
        source="camt:1",
    )

    issued.refresh_from_db()
    assert again.pk == payment.pk
    assert issued.open_amount == Decimal("173.70")
    assert issued in open_invoices_for_matching(company=issued.company)
    assert _lines_by_account(payment.voucher) == {
        "1910": (Decimal("100.00"), Decimal("0.00")),
        "1700": (Decimal("0.00"), Decimal("100.00")),
    }


def test_an_overpayment_closes_the_invoice_and_books_the_excess(issued, accountant):
    payment = register_payment(
        invoice=issued,
        amount=Decimal("280.00"),
        paid_on=MARCH,
        bank_account=None,
        user=accountant,
        source="manual:1",
    )

    issued.refresh_from_db()
    assert issued.state == InvoiceState.PAID and issued.open_amount == 0
    assert payment.overpaid == Decimal("6.30")
    assert issued not in open_invoices_for_matching(company=issued.company)
    assert _lines_by_account(payment.voucher)["2710"] == (
        Decimal("0.00"),
        Decimal("6.30"),
    )


def test_a_write_off_books_the_loss_and_returns_the_vat(issued, accountant):
    write_off_invoice(invoice=issued, user=accountant, date=MARCH, reason="Bankrupt")

    issued.refresh_from_db()
    assert issued.state == InvoiceState.WRITTEN_OFF and issued.open_amount == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"description": "", "unit_price": "1"}, "describe"),
        ({"description": "X", "unit_price": "abc"}, "not a number"),
        ({"description": "X", "unit_price": "1", "vat_code": "nope"}, "VAT code"),
        (
            {"description": "X", "unit_price": "1", "discount_percent": "120"},
            "discount",
        ),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(
    books, customer, accountant, row, message
):
    with pytest.raises(ValidationError, match=message):
        create_invoice(company=books, user=accountant, customer=customer, lines=[row])

    assert not SalesInvoice.objects.exists()


def test_a_customer_of_another_company_is_refused(books, company_b, accountant, rows):
    from modules.crm.models import Organisation

    stranger = Organisation.objects.create(company=company_b, name="Other Ab")

    with pytest.raises(ValidationError, match="customer of"):
        create_invoice(company=books, user=accountant, customer=stranger, lines=rows)
