"""Outgoing payments marked paid (or returned) from the bank statement."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from fixtures.bank_files import Payment, camt053, camt054
from modules.banking.models import (
    BankConnection,
    BankTransaction,
    OutgoingPayment,
    PaymentAllocation,
)
from modules.banking.payments import (
    PaymentInstruction,
    approve_payment_batch,
    create_payment_batch,
    payment_file,
    refund_instruction,
)
from modules.banking.selectors import waiting_transactions
from modules.banking.services import import_bank_file, post_pending_allocations
from modules.ledger.models import Account, JournalLine, Voucher, VoucherSeries
from modules.ledger.services import create_chart_from_template, open_fiscal_year
from modules.purchases.models import Channel, InvoiceState, PurchaseInvoice

pytestmark = pytest.mark.django_db

SUPPLIER_IBAN = "FI3715903000000776"
BOOKED = datetime.date(2026, 12, 1)


@pytest.fixture
def books(company_a, account_a, clerk):
    create_chart_from_template(company=company_a, user=clerk)
    open_fiscal_year(
        company=company_a,
        user=clerk,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    BankConnection.objects.create(
        company=company_a,
        bank_account=account_a,
        ledger_account=Account.objects.get(company=company_a, number="1910"),
        voucher_series=VoucherSeries.objects.create(
            company=company_a, code="PA", name="Pankki"
        ),
    )
    return company_a


def _posted_invoice(company, number, total, reference="1232"):
    return PurchaseInvoice.objects.create(
        company=company,
        state=InvoiceState.POSTED,
        channel=Channel.MANUAL,
        supplier_name="Toimittaja Oy",
        invoice_number=number,
        total=Decimal(total),
        iban=SUPPLIER_IBAN,
        reference=reference,
        source_key=f"test-{number}",
        due_date=BOOKED,
    )


def _sent_batch(company, account, user, *instructions):
    batch = create_payment_batch(
        company=company, bank_account=account, instructions=instructions, user=user
    )
    approve_payment_batch(batch=batch, user=user)
    payment_file(batch=batch, user=user)
    return batch


def _pay(invoice, amount=None, discount="0"):
    return PaymentInstruction(
        creditor_name="Toimittaja Oy",
        creditor_iban=invoice.iban,
        amount=Decimal(amount or invoice.total),
        cash_discount=Decimal(discount),
        reference=invoice.reference,
        source=invoice,
    )


def _debit(amount, archive_id, **refs):
    return Payment(
        Decimal(amount),
        name="Toimittaja Oy",
        payer_iban=SUPPLIER_IBAN,
        archive_id=archive_id,
        credit=False,
        booked=BOOKED,
        **refs,
    )


def _import(company, user, data):
    return import_bank_file(company=company, data=data, user=user)


def _balances(voucher):
    totals = {}
    for line in JournalLine.objects.filter(voucher=voucher).select_related("account"):
        number = line.account.number
        totals[number] = totals.get(number, Decimal("0")) + line.debit - line.credit
    return totals


def test_a_statement_debit_marks_the_purchase_invoice_paid_once(
    books, account_a, clerk, django_capture_on_commit_callbacks
):
    invoice = _posted_invoice(books, "A-1", "124.00")
    batch = _sent_batch(books, account_a, clerk, _pay(invoice))
    payment = batch.payments.get()
    statement = camt053([_debit("124.00", "D1", end_to_end_id=payment.end_to_end_id)])

    with django_capture_on_commit_callbacks(execute=True):
        _import(books, clerk, statement)
    with django_capture_on_commit_callbacks(execute=True):
        again = _import(books, clerk, statement)

    invoice.refresh_from_db()
    payment.refresh_from_db()
    allocation = PaymentAllocation.objects.get(outgoing_payment=payment)
    assert invoice.state == InvoiceState.PAID
    assert invoice.paid_on == BOOKED
    assert payment.state == OutgoingPayment.State.PAID
    assert allocation.method == PaymentAllocation.Method.END_TO_END
    assert _balances(allocation.voucher) == {
        "2800": Decimal("124.00"),
        "1910": Decimal("-124.00"),
    }
    assert again.already_imported and again.created == 0
    assert Voucher.objects.filter(series__code="PA").count() == 1
    assert BankTransaction.objects.get().state == BankTransaction.State.MATCHED


def test_a_cash_discount_books_to_the_discount_account(
    books, account_a, clerk, django_capture_on_commit_callbacks
):
    invoice = _posted_invoice(books, "A-2", "124.00")
    _sent_batch(books, account_a, clerk, _pay(invoice, "121.52", discount="2.48"))
    # This bank returns neither id: amount, IBAN and reference decide.
    debit = _debit("121.52", "D2", reference="1232")

    with django_capture_on_commit_callbacks(execute=True):
        _import(books, clerk, camt054([debit]))

    allocation = PaymentAllocation.objects.get(kind=PaymentAllocation.Kind.OUTGOING)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
    assert allocation.method == PaymentAllocation.Method.AMOUNT_ACCOUNT
    assert _balances(allocation.voucher) == {
        "2800": Decimal("124.00"),
        "1910": Decimal("-121.52"),
        "4310": Decimal("-2.48"),
    }


def test_a_batch_booked_as_one_entry_pays_all_its_payments(
    books, account_a, clerk, django_capture_on_commit_callbacks
):
    first = _posted_invoice(books, "B-1", "100.00")
    second = _posted_invoice(books, "B-2", "50.00", reference="1326")
    batch = _sent_batch(books, account_a, clerk, _pay(first), _pay(second))
    entry = _debit("150.00", "D3", payment_info_id=batch.number)

    with django_capture_on_commit_callbacks(execute=True):
        _import(books, clerk, camt053([entry]))

    assert set(
        PurchaseInvoice.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "state", flat=True
        )
    ) == {InvoiceState.PAID}
    assert Voucher.objects.filter(series__code="PA").count() == 2


def test_a_returned_payment_reopens_the_invoice_and_reverses_its_voucher(
    books, account_a, clerk, django_capture_on_commit_callbacks
):
    invoice = _posted_invoice(books, "C-1", "124.00")
    payment = _sent_batch(books, account_a, clerk, _pay(invoice)).payments.get()
    e2e = payment.end_to_end_id
    with django_capture_on_commit_callbacks(execute=True):
        _import(books, clerk, camt054([_debit("124.00", "D4", end_to_end_id=e2e)]))
    back = Payment(Decimal("124.00"), archive_id="R4", end_to_end_id=e2e, booked=BOOKED)

    with django_capture_on_commit_callbacks(execute=True):
        _import(books, clerk, camt054([back], message_id="MSG-RETURN"))

    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.state == InvoiceState.POSTED
    assert payment.state == OutgoingPayment.State.RETURNED
    ledger = JournalLine.objects.filter(
        voucher__series__code="PA", account__number="2800"
    )
    assert sum(line.debit - line.credit for line in ledger) == Decimal("0")
    assert BankTransaction.objects.get(key="R4").state == BankTransaction.State.MATCHED


def test_an_unknown_debit_waits_and_an_unsettleable_one_says_why(
    books, account_a, clerk, django_capture_on_commit_callbacks
):
    invoice = _posted_invoice(books, "E-1", "124.00")
    payment = _sent_batch(books, account_a, clerk, _pay(invoice)).payments.get()
    invoice.state = InvoiceState.PAID  # paid by hand meanwhile
    invoice.save()
    stranger = _debit("33.00", "D6")
    ours = _debit("124.00", "D5", end_to_end_id=payment.end_to_end_id)

    with django_capture_on_commit_callbacks(execute=True):
        _import(books, clerk, camt053([stranger, ours]))

    waiting = {t.key: t for t in waiting_transactions(company=books)}
    assert set(waiting) == {"D5", "D6"}
    assert waiting["D5"].note.startswith("Not booked to Toimittaja Oy E-1")
    assert "is Paid, not posted and unpaid" in waiting["D5"].note
    assert not Voucher.objects.filter(series__code="PA").exists()


def test_a_refund_of_an_overpayment_settles_the_incoming_payment(
    books, account_a, clerk, django_capture_on_commit_callbacks
):
    incoming = Payment(Decimal("20.00"), archive_id="IN1", booked=BOOKED)
    _import(books, clerk, camt054([incoming], message_id="MSG-IN"))
    received = BankTransaction.objects.get(key="IN1")
    refund = refund_instruction(bank_transaction=received)
    payment = _sent_batch(books, account_a, clerk, refund).payments.get()
    debit = Payment(
        Decimal("20.00"),
        archive_id="OUT1",
        credit=False,
        end_to_end_id=payment.end_to_end_id,
        booked=BOOKED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        _import(books, clerk, camt054([debit], message_id="MSG-OUT"))

    received.refresh_from_db()
    payment.refresh_from_db()
    assert payment.state == OutgoingPayment.State.PAID
    assert received.state == BankTransaction.State.MATCHED
    assert received.allocations.get().kind == PaymentAllocation.Kind.REFUND
    assert not waiting_transactions(company=books).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_statement_imported_concurrently_pays_once(books, account_a, clerk):
    invoice = _posted_invoice(books, "F-1", "124.00")
    payment = _sent_batch(books, account_a, clerk, _pay(invoice)).payments.get()
    e2e = payment.end_to_end_id
    # The notification and the statement book the same debit under
    # different archive ids, so both are stored; only one may pay.
    files = [
        camt054([_debit("124.00", "N1", end_to_end_id=e2e)]),
        camt053([_debit("124.00", "S1", end_to_end_id=e2e)]),
    ] * 2
    start = threading.Barrier(len(files))
    errors = []

    def run(data):
        try:
            start.wait()
            _import(books, clerk, data)
            post_pending_allocations(company=books, user=clerk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    invoice.refresh_from_db()
    assert errors == []
    assert invoice.state == InvoiceState.PAID
    assert Voucher.objects.filter(series__code="PA").count() == 1
    assert PaymentAllocation.objects.filter(outgoing_payment=payment).count() == 1
    assert [t.key for t in waiting_transactions(company=books)] in (["N1"], ["S1"])
