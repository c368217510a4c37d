"""Approved invoices post to the ledger with their image; then they are paid."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.banking.payments import approve_payment_batch, payment_file
from modules.banking.providers import Settlement
from modules.core.models import BankAccount
from modules.ledger.models import Account, JournalLine, VoucherSeries
from modules.ledger.selectors import verify_ledger
from modules.purchases.models import AccountingRow, InvoiceState
from modules.purchases.posting import (
    payment_candidates,
    post_purchase_invoice,
    propose_payments,
)
from modules.purchases.services import receive_einvoice
from modules.purchases.settlement import PurchaseSettlement

from .conftest import finvoice

pytestmark = pytest.mark.django_db

INVOICE_DATE = datetime.date(2026, 3, 10)
DUE_DATE = datetime.date(2026, 3, 24)


@pytest.fixture
def approved(books, clerk, supplier):
    """A 124.00 invoice (100.00 + 24.00 VAT), accounted and approved."""

    def make(number="1", rows=(("4500", "100.00", 1),), vat_code="purchase_general"):
        [invoice] = receive_einvoice(
            company=books, data=finvoice(number), filename=number, user=clerk
        ).created
        invoice.accounting_rows.all().delete()  # not the suggested ones
        for account, amount, months in rows:
            AccountingRow.objects.create(
                invoice=invoice,
                account=Account.objects.get(company=books, number=account),
                vat_code=vat_code,
                net_amount=Decimal(amount),
                accrual_months=months,
            )
        invoice.invoice_date = INVOICE_DATE
        invoice.due_date = DUE_DATE
        invoice.state = InvoiceState.APPROVED
        invoice.save()
        return invoice

    return make


def balances(voucher):
    totals = {}
    for line in JournalLine.objects.filter(voucher=voucher).select_related("account"):
        number = line.account.number
        totals[number] = totals.get(number, Decimal("0")) + line.debit - line.credit
    return totals


def test_posting_books_expense_vat_and_payable_with_the_image(approved, clerk):
    invoice = post_purchase_invoice(invoice=approved(), user=clerk)

    assert invoice.state == InvoiceState.POSTED
    assert balances(invoice.voucher) == {
        "4500": Decimal("100.00"),
        "1763": Decimal("24.00"),
        "2800": Decimal("-124.00"),
    }
    assert invoice.voucher.attachments.count() == 1
    assert verify_ledger(company=invoice.company).ok


def test_split_rows_share_the_invoice_vat(approved, clerk):
    invoice = approved(rows=(("4500", "60.00", 1), ("7710", "40.00", 1)))

    posted = post_purchase_invoice(invoice=invoice, user=clerk)

    assert balances(posted.voucher) == {
        "4500": Decimal("60.00"),
        "7710": Decimal("40.00"),
        "1763": Decimal("24.00"),
        "2800": Decimal("-124.00"),
    }


def test_expense_spread_over_months_is_released_monthly(approved, clerk, books):
    invoice = approved(rows=(("4500", "100.00", 4),))

    post_purchase_invoice(invoice=invoice, user=clerk)

    releases = JournalLine.objects.filter(
        voucher__company=books, account__number="4500"
    ).order_by("voucher__date")
    assert [line.voucher.date for line in releases] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 30),
        datetime.date(2026, 5, 31),
        datetime.date(2026, 6, 30),
    ]
    assert sum(line.debit for line in releases) == Decimal("100.00")
    prepaid = JournalLine.objects.filter(voucher__company=books, account__number="1740")
    assert sum(line.debit - line.credit for line in prepaid) == 0


def test_only_approved_invoices_post(approved, clerk):
    invoice = approved()
    invoice.state = InvoiceState.IN_CIRCULATION
    invoice.save()

    with pytest.raises(ValidationError, match="Only an approved invoice"):
        post_purchase_invoice(invoice=invoice, user=clerk)
    invoice.refresh_from_db()
    assert invoice.voucher is None


def test_payment_proposal_makes_one_sepa_file_and_skips_what_is_in_a_batch(
    approved, clerk, books
):
    for number in ("1", "2"):
        post_purchase_invoice(invoice=approved(number), user=clerk)
    account = BankAccount.objects.create(
        company=books, name="Main", iban="FI2112345600000785", bic="NDEAFIHH"
    )

    batch = propose_payments(
        company=books, bank_account=account, due_by=DUE_DATE, user=clerk
    )
    approve_payment_batch(batch=batch, user=clerk)
    xml = payment_file(batch=batch, user=clerk).decode()

    assert batch.total == Decimal("248.00")
    assert xml.count("<CdtTrfTxInf>") == 2
    assert "RF911234567890120" in xml
    assert payment_candidates(company=books, due_by=DUE_DATE) == []
    with pytest.raises(ValidationError, match="No posted invoice falls due"):
        propose_payments(
            company=books, bank_account=account, due_by=DUE_DATE, user=clerk
        )


def test_next_invoice_of_the_supplier_gets_the_learned_accounting(
    approved, books, clerk
):
    approved("1", rows=(("4500", "75.00", 1), ("7710", "25.00", 1)))

    [second] = receive_einvoice(
        company=books,
        data=finvoice("2", total="248,00", vat="48,00"),
        filename="2",
        user=clerk,
    ).created

    rows = second.accounting_rows.order_by("pk")
    assert [(r.account.number, r.net_amount) for r in rows] == [
        ("4500", Decimal("150.00")),
        ("7710", Decimal("50.00")),
    ]


def test_cost_centre_and_project_reach_the_journal_and_pick_the_route(
    approved, books, clerk, make_user
):
    from modules.ledger.models import CostCentre, Project
    from modules.purchases import circulation
    from modules.purchases.models import ApprovalRule

    sales = CostCentre.objects.create(company=books, code="MYY", name="Myynti")
    fair = Project.objects.create(company=books, code="MESSU", name="Messut")
    invoice = approved()
    invoice.accounting_rows.update(cost_centre=sales, project=fair)
    boss = make_user("boss", books)
    other = make_user("other", books)
    ApprovalRule.objects.create(company=books, name="Any", priority=9, approver=other)
    chosen = ApprovalRule.objects.create(
        company=books, name="Sales", priority=1, cost_centre=sales, approver=boss
    )

    assert circulation.route_for(invoice) == chosen
    posted = post_purchase_invoice(invoice=invoice, user=clerk)
    expense = JournalLine.objects.get(voucher=posted.voucher, account__number="4500")
    assert (expense.cost_centre, expense.project) == (sales, fair)


def _with_cash_discount(data: bytes, date: datetime.date, percent="2") -> bytes:
    return data.replace(
        b"20181217</InvoiceDueDate>",
        b"20181217</InvoiceDueDate>"
        + f'<CashDiscountDate Format="CCYYMMDD">{date:%Y%m%d}</CashDiscountDate>'
        f"<CashDiscountPercent>{percent}</CashDiscountPercent>".encode(),
    )


def test_cash_discount_terms_are_read_from_the_finvoice(books, clerk, supplier):
    day = datetime.date(2026, 12, 10)

    [invoice] = receive_einvoice(
        company=books,
        data=_with_cash_discount(finvoice("CD"), day, "2,5"),
        filename="cd",
        user=clerk,
    ).created

    assert invoice.cash_discount_date == day
    assert invoice.cash_discount_percent == Decimal("2.5")
    assert invoice.cash_discount == Decimal("3.10")


def test_proposal_takes_the_cash_discount_on_its_date_when_asked(
    approved, clerk, books
):
    today = datetime.date.today()
    ahead = today + datetime.timedelta(days=3)
    invoice = approved("CD")
    invoice.cash_discount_date = ahead
    invoice.cash_discount_percent = Decimal("2")
    invoice.due_date = today + datetime.timedelta(days=20)
    invoice.save()
    post_purchase_invoice(invoice=invoice, user=clerk)
    account = BankAccount.objects.create(
        company=books, name="Main", iban="FI2112345600000785", bic="NDEAFIHH"
    )

    without = payment_candidates(company=books, due_by=ahead)
    batch = propose_payments(
        company=books,
        bank_account=account,
        due_by=ahead,
        user=clerk,
        take_cash_discounts=True,
    )

    assert without == []
    assert batch.total == Decimal("121.52")
    assert batch.requested_date == ahead


def test_cash_discount_whose_date_has_passed_is_not_taken(approved, clerk, books):
    today = datetime.date.today()
    invoice = approved("CD")
    invoice.cash_discount_date = today - datetime.timedelta(days=1)
    invoice.cash_discount_percent = Decimal("2")
    invoice.due_date = today + datetime.timedelta(days=2)
    invoice.save()
    post_purchase_invoice(invoice=invoice, user=clerk)
    account = BankAccount.objects.create(
        company=books, name="Main", iban="FI2112345600000785", bic="NDEAFIHH"
    )

    batch = propose_payments(
        company=books,
        bank_account=account,
        due_by=invoice.due_date,
        user=clerk,
        take_cash_discounts=True,
    )

    assert batch.total == Decimal("124.00")


def test_cash_discount_taken_at_payment_takes_back_its_vat(approved, clerk, books):
    invoice = post_purchase_invoice(invoice=approved("CD"), user=clerk)
    settlement = Settlement(
        company=books,
        payment_id=1,
        source_id=str(invoice.pk),
        amount=invoice.total - Decimal("2.48"),
        cash_discount=Decimal("2.48"),
        paid_on=datetime.date(2026, 3, 20),
        bank_account=None,
        ledger_account=Account.objects.get(company=books, number="1910"),
        voucher_series=VoucherSeries.objects.filter(company=books).first(),
        user=clerk,
    )

    voucher = PurchaseSettlement().settle(settlement)

    totals = balances(voucher)
    assert totals["2800"] == invoice.total
    assert totals["1910"] == -(invoice.total - Decimal("2.48"))
    assert totals["4310"] == Decimal("-2.00")
    assert sum(totals.values()) == 0
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
    assert verify_ledger(company=books).ok
