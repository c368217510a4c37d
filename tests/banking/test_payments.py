"""Payment batches: instructions, approval, pain.001 file, pain.002 answer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from fixtures.bank_files import Payment, camt054, pain002
from modules.banking.models import BankTransaction, OutgoingPayment, PaymentBatch
from modules.banking.payments import (
    PaymentInstruction,
    apply_status_report,
    approve_payment_batch,
    create_payment_batch,
    payment_file,
    refund_instruction,
)
from modules.banking.services import import_bank_file

pytestmark = pytest.mark.django_db


def _instructions():
    return [
        PaymentInstruction(
            creditor_name="Supplier Oy",
            creditor_iban="FI37 1590 3000 0007 76",
            amount=Decimal("120.00"),
            reference="1232",
            requested_date=timezone.localdate() + datetime.timedelta(days=3),
        ),
        PaymentInstruction(
            creditor_name="Other Ab",
            creditor_iban="FI4950009420028730",
            amount=Decimal("30.50"),
            message="Invoice 77",
            requested_date=timezone.localdate() + datetime.timedelta(days=5),
        ),
    ]


@pytest.fixture
def batch(company_a, account_a, clerk):
    return create_payment_batch(
        company=company_a,
        bank_account=account_a,
        instructions=_instructions(),
        user=clerk,
    )


def test_a_batch_is_made_from_generic_instructions(batch):
    payments = list(batch.payments.order_by("pk"))

    assert batch.state == PaymentBatch.State.DRAFT
    assert batch.total == Decimal("150.50")
    assert batch.requested_date == timezone.localdate() + datetime.timedelta(days=3)
    assert [p.creditor_iban for p in payments] == [
        "FI3715903000000776",
        "FI4950009420028730",
    ]
    assert payments[0].creditor_bic == "NDEAFIHH"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"creditor_iban": "FI3715903000000777"}, "Payment 2: The IBAN"),
        ({"reference": "1233"}, "Payment 2: 1233 is not a valid Finnish or RF"),
        ({"amount": Decimal("0")}, "Payment 2: 0 is not an amount above zero"),
        ({"message": "", "reference": ""}, "Payment 2: Give the payee's reference"),
    ],
)
def test_a_bad_instruction_refuses_the_whole_batch(
    company_a, account_a, clerk, change, message
):
    good, bad = _instructions()
    bad = PaymentInstruction(**{**bad.__dict__, **change})

    with pytest.raises(ValidationError) as refused:
        create_payment_batch(
            company=company_a,
            bank_account=account_a,
            instructions=[good, bad],
            user=clerk,
        )

    assert refused.value.messages[0].startswith(message)
    assert not PaymentBatch.objects.exists()


def test_the_file_needs_approval_and_is_created_once(batch, clerk):
    with pytest.raises(ValidationError):
        payment_file(batch=batch, user=clerk)

    approve_payment_batch(batch=batch, user=clerk)
    first = payment_file(batch=batch, user=clerk)
    second = payment_file(batch=batch, user=clerk)

    assert first == second
    root = etree.fromstring(first)
    assert root.tag == "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}Document"
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.SENT


def test_version_09_file_is_written_when_chosen(company_a, account_a, clerk):
    batch = create_payment_batch(
        company=company_a,
        bank_account=account_a,
        instructions=_instructions(),
        user=clerk,
        version="pain.001.001.09",
    )
    approve_payment_batch(batch=batch, user=clerk)

    xml = payment_file(batch=batch, user=clerk)

    assert b"pain.001.001.09" in xml


def test_status_report_marks_accepted_and_rejected_payments(company_a, batch, clerk):
    approve_payment_batch(batch=batch, user=clerk)
    payment_file(batch=batch, user=clerk)
    batch.refresh_from_db()
    first, second = batch.payments.order_by("pk")
    report = pain002(
        batch.message_id, {first.end_to_end_id: "ACCP", second.end_to_end_id: "RJCT"}
    )

    apply_status_report(company=company_a, data=report, user=clerk)
    updated = apply_status_report(company=company_a, data=report, user=clerk)

    assert updated.state == PaymentBatch.State.PARTIAL
    states = dict(batch.payments.values_list("end_to_end_id", "state"))
    assert states == {
        first.end_to_end_id: OutgoingPayment.State.ACCEPTED,
        second.end_to_end_id: OutgoingPayment.State.REJECTED,
    }
    second.refresh_from_db()
    assert second.status_reason == "AC04 Account closed"


def test_a_status_report_for_a_file_not_sent_is_refused(company_a, clerk):
    with pytest.raises(ValidationError) as refused:
        apply_status_report(company=company_a, data=pain002("NOT-OURS", {}), user=clerk)

    assert "which Alfa Oy has not sent" in refused.value.messages[0]


def test_an_overpayment_is_paid_back_through_a_batch(
    company_a, account_a, clerk, receivables
):
    receivables.add("3001", "80.00", reference="1232")
    over = Payment(Decimal("100.00"), reference="1232", archive_id="O1")
    import_bank_file(company=company_a, data=camt054([over]), user=clerk)
    overpaid = BankTransaction.objects.get(key="O1")

    refund = create_payment_batch(
        company=company_a,
        bank_account=account_a,
        instructions=[refund_instruction(bank_transaction=overpaid)],
        user=clerk,
    )

    payment = refund.payments.get()
    assert payment.amount == Decimal("20.00")
    assert payment.creditor_iban == "FI4950009420028730"
    assert payment.source_label == str(overpaid)
    with pytest.raises(ValidationError):
        refund_instruction(bank_transaction=overpaid)
