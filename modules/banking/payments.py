"""Outgoing payments: SEPA payment batches, their files and the bank's answer.

Any module that pays money out hands `create_payment_batch` a list of
`PaymentInstruction`s (who, which account, how much, with which
reference or message, on which date, for which document). Today the
banking module itself pays back overpayments; a purchases module pays
supplier invoices the same way. A batch is approved, turned into a
pain.001 file (`payment_file`) for the bank, and the bank's pain.002
status report is applied back with `apply_status_report`.

    batch = create_payment_batch(
        company=company,
        bank_account=account,
        instructions=[
            PaymentInstruction(
                creditor_name="Supplier Oy",
                creditor_iban="FI37 1590 3000 0007 76",
                amount=Decimal("120.00"),
                reference="1232",
                requested_date=date(2026, 12, 10),
                source=purchase_invoice,
            )
        ],
        user=user,
    )
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.refpayments.references import reference_or_blank
from integrations.sepa import CreditTransfer, PaymentOrder, build_pain001, parse_pain002
from modules.banking.models import BankTransaction, OutgoingPayment, PaymentBatch
from modules.core.audit import record_change, snapshot
from modules.core.numbering import next_number
from modules.core.scoping import user_can_access_company
from modules.core.validators import bic_for_iban, normalize_bic, normalize_iban

logger = logging.getLogger(__name__)

BATCH_SERIES = "payment-batch"
# pain.002 statuses that mean the bank took the payment.
_ACCEPTED = {"ACCP", "ACSC", "ACSP", "ACTC", "ACWC", "ACCC"}
_SETTLED = {OutgoingPayment.State.PAID, OutgoingPayment.State.RETURNED}


@dataclass(frozen=True)
class PaymentInstruction:
    """One payment to make, as a paying module describes it.

    Give a Finnish or RF `reference` when the payee asked for one, else a
    `message`. `source` is the document paid (any model instance); it is
    linked from the payment, and settled by its module's settlement
    provider when the bank statement shows the payment. `cash_discount`
    is what the payee lets us deduct for paying early: `amount` is paid,
    and `amount + cash_discount` settles the document. `requested_date`
    None means as soon as possible.
    """

    creditor_name: str
    creditor_iban: str
    amount: Decimal
    creditor_bic: str = ""
    reference: str = ""
    message: str = ""
    requested_date: datetime.date | None = None
    source: object | None = None
    currency: str = "EUR"
    cash_discount: Decimal = Decimal("0")


def _row_error(row: int, error: ValidationError) -> ValidationError:
    return ValidationError(
        _("Payment %(row)s: %(error)s")
        % {"row": row, "error": " ".join(error.messages)},
        code=getattr(error, "code", None) or "invalid_payment",
    )


def _clean(instruction: PaymentInstruction, row: int) -> dict:
    try:
        iban = normalize_iban(instruction.creditor_iban)
        bic = (
            normalize_bic(instruction.creditor_bic)
            if instruction.creditor_bic
            else bic_for_iban(iban)
        )
        name = (instruction.creditor_name or "").strip()
        if not name:
            raise ValidationError(_("Name the payee."), code="no_payee")
        amount = Decimal(str(instruction.amount))
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(
                _("%(amount)s is not an amount above zero in cents.")
                % {"amount": instruction.amount},
                code="payment_amount",
            )
        discount = Decimal(str(instruction.cash_discount))
        if discount < 0 or discount != discount.quantize(Decimal("0.01")):
            raise ValidationError(
                _("%(amount)s is not a cash discount in cents.")
                % {"amount": instruction.cash_discount},
                code="payment_discount",
            )
        if instruction.currency != "EUR":
            raise ValidationError(
                _("SEPA credit transfers are in euros only."), code="currency"
            )
        reference = ""
        if instruction.reference:
            reference = reference_or_blank(instruction.reference)
            if not reference:
                raise ValidationError(
                    _("%(reference)s is not a valid Finnish or RF reference.")
                    % {"reference": instruction.reference},
                    code="invalid_reference",
                )
        message = (instruction.message or "").strip()
        if not reference and not message:
            raise ValidationError(
                _("Give the payee's reference or a message."), code="no_remittance"
            )
    except ValidationError as error:
        raise _row_error(row, error) from error
    source = instruction.source
    return {
        "creditor_name": name[:70],
        "creditor_iban": iban,
        "creditor_bic": bic,
        "amount": amount,
        "cash_discount": discount,
        "reference": reference,
        "message": message[:140],
        "source_type": (
            ContentType.objects.get_for_model(source) if source is not None else None
        ),
        "source_id": str(source.pk) if source is not None else "",
        "source_label": str(source)[:100] if source is not None else "",
    }


def _check_user(user, company) -> None:
    if not user_can_access_company(user, company):
        raise PermissionDenied(_("You do not have access to this company."))


@transaction.atomic
def create_payment_batch(
    *, company, bank_account, instructions, user, version=PaymentBatch.Version.V03
) -> PaymentBatch:
    """Create a draft payment batch from generic payment instructions.

    Every instruction is checked (IBAN, BIC, amount, reference) before
    anything is written; one bad row refuses the whole batch with a
    message naming the row. A batch pays on one date: the earliest
    requested one, and never before today.
    """
    _check_user(user, company)
    if bank_account.company_id != company.pk:
        raise ValidationError(
            _("The paying account belongs to another company."),
            code="foreign_account",
        )
    instructions = list(instructions)
    if not instructions:
        raise ValidationError(_("There is nothing to pay."), code="no_payments")
    cleaned = [_clean(item, row) for row, item in enumerate(instructions, start=1)]
    today = timezone.localdate()
    dates = [item.requested_date or today for item in instructions]
    requested = max(today, min(dates))

    batch = PaymentBatch(
        company=company,
        bank_account=bank_account,
        requested_date=requested,
        version=version,
        number=next_number(company=company, series=BATCH_SERIES, year=today.year).text,
        created_by=user if user.is_authenticated else None,
        total=sum(item["amount"] for item in cleaned),
    )
    batch.full_clean(exclude=["number"])
    batch.save()
    OutgoingPayment.objects.bulk_create(
        [
            OutgoingPayment(
                company=company,
                batch=batch,
                end_to_end_id=uuid.uuid4().hex[:35],
                **item,
            )
            for item in cleaned
        ]
    )
    record_change(instance=batch, user=user, action="create", after=snapshot(batch))
    logger.info("Payment batch %s created with %s payments", batch, len(cleaned))
    return batch


def _locked_batch(batch, user) -> PaymentBatch:
    _check_user(user, batch.company)
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def approve_payment_batch(*, batch, user) -> PaymentBatch:
    """Approve a draft batch so that its payment file may be created."""
    locked = _locked_batch(batch, user)
    if locked.state != PaymentBatch.State.DRAFT:
        raise ValidationError(
            _("Only a draft batch can be approved; this one is %(state)s."),
            code="not_draft",
            params={"state": locked.get_state_display()},
        )
    before = snapshot(locked)
    locked.state = PaymentBatch.State.APPROVED
    locked.approved_at = timezone.now()
    locked.approved_by = user if user.is_authenticated else None
    locked.save(update_fields=["state", "approved_at", "approved_by"])
    record_change(
        instance=locked,
        user=user,
        action="update",
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def payment_file(*, batch, user) -> bytes:
    """Return the batch's pain.001 file, creating it on first call.

    The batch must be approved. The file is stored, so asking again gives
    the same file (same message id) instead of a second set of payments.
    """
    locked = _locked_batch(batch, user)
    if locked.file_xml:
        return locked.file_xml.encode()
    if locked.state != PaymentBatch.State.APPROVED:
        raise ValidationError(
            _("Approve the batch before creating its payment file."),
            code="not_approved",
        )
    account = locked.bank_account
    message_id = f"{locked.number}-{uuid.uuid4().hex[:8]}"[:35]
    order = PaymentOrder(
        message_id=message_id,
        payment_info_id=locked.number[:35],
        created_at=timezone.now(),
        requested_date=locked.requested_date,
        debtor_name=locked.company.name,
        debtor_iban=account.iban,
        debtor_bic=account.bic,
        debtor_business_id=locked.company.business_id,
        transfers=[
            CreditTransfer(
                end_to_end_id=payment.end_to_end_id,
                creditor_name=payment.creditor_name,
                creditor_iban=payment.creditor_iban,
                creditor_bic=payment.creditor_bic,
                amount=payment.amount,
                currency=payment.currency,
                reference=payment.reference,
                message=payment.message,
            )
            for payment in locked.payments.order_by("pk")
        ],
    )
    xml = build_pain001(order, version=locked.version)
    before = snapshot(locked)
    locked.file_xml = xml.decode()
    locked.message_id = message_id
    locked.state = PaymentBatch.State.SENT
    locked.save(update_fields=["file_xml", "message_id", "state"])
    record_change(
        instance=locked,
        user=user,
        action="update",
        before=before,
        after=snapshot(locked),
    )
    return xml


def _payment_state(status: str, group_status: str) -> str:
    status = status or group_status
    if status == "RJCT":
        return OutgoingPayment.State.REJECTED
    if status in _ACCEPTED:
        return OutgoingPayment.State.ACCEPTED
    return OutgoingPayment.State.PENDING


@transaction.atomic
def apply_status_report(*, company, data: bytes, user) -> PaymentBatch:
    """Read a pain.002 status report and set the states of batch and payments.

    Applying the same report twice gives the same result.
    """
    _check_user(user, company)
    report = parse_pain002(data)
    batch = (
        PaymentBatch.objects.select_for_update()
        .filter(company=company, message_id=report.original_message_id)
        .exclude(message_id="")
        .first()
    )
    if batch is None:
        raise ValidationError(
            _(
                "The status report answers payment file %(message)s, which "
                "%(company)s has not sent."
            ),
            code="unknown_batch",
            params={"message": report.original_message_id, "company": company},
        )
    by_id = {t.end_to_end_id: t for t in report.transactions}
    payments = list(batch.payments.select_for_update().order_by("pk"))
    for payment in payments:
        if payment.state in _SETTLED:
            # The statement already showed the money going out (or back).
            continue
        answer = by_id.get(payment.end_to_end_id)
        payment.state = _payment_state(
            answer.status if answer else "", report.group_status
        )
        payment.status_reason = (
            (answer.reason if answer else "") or report.group_reason
        )[:200]
    OutgoingPayment.objects.bulk_update(payments, ["state", "status_reason"])

    states = {
        OutgoingPayment.State.ACCEPTED if p.state in _SETTLED else p.state
        for p in payments
    }
    before = snapshot(batch)
    if states == {OutgoingPayment.State.ACCEPTED}:
        batch.state = PaymentBatch.State.ACCEPTED
    elif states == {OutgoingPayment.State.REJECTED}:
        batch.state = PaymentBatch.State.REJECTED
    elif OutgoingPayment.State.REJECTED in states:
        batch.state = PaymentBatch.State.PARTIAL
    batch.status_message = f"{report.group_status} {report.group_reason}".strip()[:300]
    batch.save(update_fields=["state", "status_message"])
    record_change(
        instance=batch, user=user, action="update", before=before, after=snapshot(batch)
    )
    logger.info("Status report %s applied to batch %s", report.message_id, batch)
    return batch


def refund_instruction(*, bank_transaction) -> PaymentInstruction:
    """Describe the refund of what is left unallocated of an incoming payment.

    Refused when the payment is not incoming, is fully allocated, came
    without the payer's IBAN, or already has a refund that the bank has
    not rejected.
    """
    if bank_transaction.direction != BankTransaction.Direction.CREDIT:
        raise ValidationError(
            _("Only incoming payments can be paid back."), code="not_incoming"
        )
    if bank_transaction.open_amount <= 0:
        raise ValidationError(
            _("Nothing is left of this payment to pay back."), code="nothing_left"
        )
    if not bank_transaction.counterparty_iban:
        raise ValidationError(
            _("The bank did not give the payer's IBAN; the refund needs it."),
            code="no_payer_iban",
        )
    already = OutgoingPayment.objects.filter(
        source_type=ContentType.objects.get_for_model(BankTransaction),
        source_id=str(bank_transaction.pk),
    ).exclude(
        state__in=[OutgoingPayment.State.REJECTED, OutgoingPayment.State.RETURNED]
    )
    if already.exists():
        raise ValidationError(
            _("This payment is already being paid back."), code="refund_exists"
        )
    return PaymentInstruction(
        creditor_name=bank_transaction.counterparty_name or "-",
        creditor_iban=bank_transaction.counterparty_iban,
        amount=bank_transaction.open_amount,
        message=_("Refund of payment %(date)s %(reference)s")
        % {
            "date": f"{bank_transaction.booking_date:%d.%m.%Y}",
            "reference": bank_transaction.raw_reference,
        },
        source=bank_transaction,
    )


@transaction.atomic
def delete_payment_batch(*, instance, user) -> None:
    """Delete a batch whose file has not been created yet."""
    locked = _locked_batch(instance, user)
    if locked.state not in (PaymentBatch.State.DRAFT, PaymentBatch.State.APPROVED):
        raise ValidationError(
            _("The payment file was already created; the batch is kept."),
            code="batch_sent",
        )
    record_change(instance=locked, user=user, action="delete", before=snapshot(locked))
    locked.delete()
