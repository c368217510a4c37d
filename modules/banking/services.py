"""Writes of the banking module: import bank files, match and post payments.

`import_bank_file` is the one way statements enter: upload, watched folder
and bank channel all call it. It is idempotent: a file already imported
(same checksum) or transactions already known (same archive id on the
same account, e.g. a camt.053 repeating a camt.054) add nothing, also
when the same file arrives twice at once, because imports into one
account take turns on an advisory lock. The whole file goes in one
transaction, so an import killed half-way leaves nothing behind.

Matched payments are booked by the receivables provider in a background
job (`post_pending_allocations`), one allocation per transaction, each
exactly once; what cannot be booked returns to the reconciliation view.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.camt import CamtReport, CamtTransaction, parse_camt
from integrations.refpayments import parse_reference_file
from modules.banking.bulk import copy_instances
from modules.banking.matching import OpenItemIndex, match_payment
from modules.banking.models import (
    BankStatement,
    BankTransaction,
    PaymentAllocation,
    StatementKind,
)
from modules.banking.outgoing import (
    bank_booking,
    match_outgoing,
    post_outgoing_allocation,
)
from modules.banking.providers import receivables_provider
from modules.core.audit import record_change, snapshot
from modules.core.models import BankAccount
from modules.core.scoping import user_can_access_company

logger = logging.getLogger(__name__)

# First key of the two-part advisory lock that serialises imports into one
# bank account; the second is the account's id.
_IMPORT_LOCK = 7302
POSTING_TASK = "modules.banking.tasks.post_matched_payments"


@dataclass
class ImportResult:
    """What one bank file import did, for the message shown to the user."""

    statements: list[BankStatement] = field(default_factory=list)
    created: int = 0
    duplicates: int = 0
    matched: int = 0
    waiting: int = 0
    already_imported: bool = False


# Reading files


def _is_xml(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return head.startswith(b"<")


def _reference_report(data: bytes) -> tuple[str, str, list[CamtReport]]:
    parsed = parse_reference_file(data)
    transactions = [
        CamtTransaction(
            key=payment.archive_id or f"{parsed.sha256[:16]}/{index}",
            entry_reference="",
            booking_date=payment.booking_date,
            value_date=payment.payment_date,
            amount=payment.amount,
            currency="EUR",
            is_credit=not payment.is_correction,
            is_reversal=payment.is_correction,
            reference=payment.reference,
            raw_reference=payment.raw_reference,
            message="",
            counterparty_name=payment.payer_name,
            counterparty_iban="",
            end_to_end_id="",
        )
        for index, payment in enumerate(parsed.payments, start=1)
    ]
    report = CamtReport(
        kind=StatementKind.REFERENCE_FILE,
        report_id="",
        created_at=None,
        account_iban=parsed.account,
        currency="EUR",
        from_date=min((t.booking_date for t in transactions), default=None),
        to_date=max((t.booking_date for t in transactions), default=None),
        opening_balance=None,
        closing_balance=None,
        transactions=transactions,
    )
    return parsed.sha256, "", [report]


def read_bank_file(data: bytes) -> tuple[str, str, list[CamtReport]]:
    """Parse a camt or reference payment file: (checksum, message id, reports).

    Raises a ValidationError subclass with a translated message for
    anything that is not a well-formed, safe bank file.
    """
    if _is_xml(data):
        document = parse_camt(data)
        return document.sha256, document.message_id, document.reports
    if data[:1] == b"0":
        return _reference_report(data)
    raise ValidationError(
        _(
            "The file is not a bank file this product reads: camt.053, "
            "camt.054 or a reference payment file."
        ),
        code="unknown_bank_file",
    )


def _account_for(*, company, report: CamtReport, chosen) -> BankAccount:
    identifier = report.account_iban
    accounts = list(BankAccount.objects.filter(company=company))
    if report.kind == StatementKind.REFERENCE_FILE:
        # The reference file names the account in the old 14-digit form,
        # which is a Finnish IBAN without its country and check digits.
        found = [
            a for a in accounts if a.iban.startswith("FI") and a.iban[4:] == identifier
        ]
    else:
        found = [a for a in accounts if a.iban == identifier]
    if not found:
        raise ValidationError(
            _(
                "The file is for account %(account)s, which is not a bank "
                "account of %(company)s. Nothing was imported."
            ),
            code="foreign_account",
            params={"account": identifier, "company": company},
        )
    account = found[0]
    if chosen is not None and chosen.pk != account.pk:
        raise ValidationError(
            _(
                "The file is for account %(account)s, not for the chosen "
                "account %(chosen)s. Nothing was imported."
            ),
            code="other_account",
            params={"account": account, "chosen": chosen},
        )
    return account


# Importing


def _pending_by_document(company) -> dict[str, Decimal]:
    rows = (
        PaymentAllocation.objects.filter(
            company=company,
            kind=PaymentAllocation.Kind.RECEIVABLE,
            posted_at__isnull=True,
        )
        .values("document_id")
        .annotate(total=Sum("amount"))
    )
    return {row["document_id"]: row["total"] for row in rows}


def _open_item_index(company, document_ids=None) -> OpenItemIndex | None:
    provider = receivables_provider()
    if provider is None:
        return None
    index = OpenItemIndex(
        provider.open_items(company=company, document_ids=document_ids)
    )
    for document_id, pending in _pending_by_document(company).items():
        if document_id in index.remaining:
            index.remaining[document_id] -= pending
    return index


def state_for(bank_transaction: BankTransaction) -> str:
    """Return the reconciliation state that a transaction's allocations give."""
    State = BankTransaction.State
    if bank_transaction.allocated_amount >= bank_transaction.amount:
        return State.MATCHED
    if bank_transaction.allocated_amount > 0:
        return State.PARTIAL
    if bank_transaction.proposals:
        return State.PROPOSED
    return State.UNMATCHED


def _document_type():
    provider = receivables_provider()
    return ContentType.objects.get_for_model(provider.document_model())


def _allocation(*, bank_transaction, item, amount, method, user) -> PaymentAllocation:
    return PaymentAllocation(
        company_id=bank_transaction.company_id,
        transaction=bank_transaction,
        kind=PaymentAllocation.Kind.RECEIVABLE,
        method=method,
        document_type=_document_type(),
        document_id=item.document_id,
        document_label=item.number[:100],
        customer_key=item.customer_key,
        customer_name=item.customer_name[:200],
        due_date=item.due_date,
        amount=amount,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def _match(*, company, transactions, user) -> list[PaymentAllocation]:
    """Match new transactions and return the allocations to create.

    Debits (and returns of our payments) go to the outgoing payments
    first; the other credits to the open receivables.
    """
    allocations = match_outgoing(company=company, transactions=transactions, user=user)
    payable = [
        t
        for t in transactions
        if t.direction == BankTransaction.Direction.CREDIT
        and not t.is_reversal
        and not t.allocated_amount
    ]
    index = _open_item_index(company) if payable else None
    for bank_transaction in payable:
        if index is None:
            break
        result = match_payment(bank_transaction, index)
        bank_transaction.proposals = result.proposals
        for chosen in result.allocations:
            allocations.append(
                _allocation(
                    bank_transaction=bank_transaction,
                    item=chosen.item,
                    amount=chosen.amount,
                    method=chosen.method,
                    user=user,
                )
            )
            bank_transaction.allocated_amount += chosen.amount
    for bank_transaction in transactions:
        bank_transaction.state = state_for(bank_transaction)
    return allocations


def _new_transactions(*, statement, report) -> tuple[list[BankTransaction], int]:
    keys = [t.key for t in report.transactions]
    known = set(
        BankTransaction.objects.filter(
            bank_account=statement.bank_account, key__in=keys
        ).values_list("key", flat=True)
    )
    fresh, seen = [], set()
    for parsed in report.transactions:
        if parsed.key in known or parsed.key in seen:
            continue
        seen.add(parsed.key)
        fresh.append(
            BankTransaction(
                company_id=statement.company_id,
                statement=statement,
                bank_account=statement.bank_account,
                key=parsed.key,
                booking_date=parsed.booking_date,
                value_date=parsed.value_date,
                amount=parsed.amount,
                currency=parsed.currency or statement.currency,
                direction=(
                    BankTransaction.Direction.CREDIT
                    if parsed.is_credit
                    else BankTransaction.Direction.DEBIT
                ),
                is_reversal=parsed.is_reversal,
                reference=parsed.reference,
                raw_reference=parsed.raw_reference[:35],
                message=parsed.message,
                counterparty_name=parsed.counterparty_name,
                counterparty_iban=parsed.counterparty_iban[:34],
                end_to_end_id=parsed.end_to_end_id[:35],
                payment_info_id=parsed.payment_info_id[:35],
            )
        )
    return fresh, len(report.transactions) - len(fresh)


def _lock_account(bank_account) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [_IMPORT_LOCK, bank_account.pk]
        )


def _import_report(*, company, report, sha256, message_id, meta, user, result):
    account = meta["account"]
    _lock_account(account)
    if BankStatement.objects.filter(
        bank_account=account, file_sha256=sha256, report_id=report.report_id
    ).exists():
        result.already_imported = True
        result.duplicates += len(report.transactions)
        return
    statement = BankStatement.objects.create(
        company=company,
        bank_account=account,
        kind=report.kind,
        file_name=meta["file_name"][:200],
        file_sha256=sha256,
        message_id=message_id[:100],
        report_id=report.report_id[:100],
        created_by_bank_at=report.created_at,
        from_date=report.from_date,
        to_date=report.to_date,
        opening_balance=report.opening_balance,
        closing_balance=report.closing_balance,
        currency=report.currency or "EUR",
        source=meta["source"],
        imported_by=user if user is not None and user.is_authenticated else None,
    )
    fresh, duplicates = _new_transactions(statement=statement, report=report)
    allocations = _match(company=company, transactions=fresh, user=user)
    copy_instances(fresh)
    copy_instances(allocations)
    statement.transaction_count = len(fresh)
    statement.save(update_fields=["transaction_count"])
    record_change(
        instance=statement, user=user, action="create", after=snapshot(statement)
    )

    result.statements.append(statement)
    result.created += len(fresh)
    result.duplicates += duplicates
    result.matched += sum(1 for t in fresh if t.state == BankTransaction.State.MATCHED)
    result.waiting += sum(
        1
        for t in fresh
        if t.state != BankTransaction.State.MATCHED
        and t.direction == BankTransaction.Direction.CREDIT
    )


def _check_access(user, company) -> None:
    if user is not None and not user_can_access_company(user, company):
        raise PermissionDenied(_("You do not have access to this company."))


def import_bank_file(
    *,
    company,
    data: bytes,
    user,
    file_name: str = "",
    bank_account=None,
    source: str = BankStatement.Source.UPLOAD,
) -> ImportResult:
    """Import a camt.053, camt.054 or reference payment file for `company`.

    Every report in the file must be for an account of the company (and
    for `bank_account`, when given). Returns what was created; a file seen
    before creates nothing and says so. Matched payments are booked by a
    background job started when the import commits.
    """
    _check_access(user, company)
    if BankStatement.objects.filter(
        company=company, file_sha256=hashlib.sha256(data).hexdigest()
    ).exists():
        # The whole file went in before, in one transaction: nothing to read.
        return ImportResult(already_imported=True)
    sha256, message_id, reports = read_bank_file(data)
    accounts = [
        _account_for(company=company, report=report, chosen=bank_account)
        for report in reports
    ]

    result = ImportResult()
    with transaction.atomic():
        for report, account in zip(reports, accounts, strict=True):
            _import_report(
                company=company,
                report=report,
                sha256=sha256,
                message_id=message_id,
                meta={"account": account, "file_name": file_name, "source": source},
                user=user,
                result=result,
            )
        _start_posting(company=company, user=user, result=result)
    logger.info(
        "Bank file %s for %s: %s new, %s known, %s matched",
        file_name or sha256[:12],
        company,
        result.created,
        result.duplicates,
        result.matched,
    )
    return result


def _start_posting(*, company, user, result) -> None:
    from cms.jobs.services import start_job

    if not PaymentAllocation.objects.filter(
        transaction__statement__in=result.statements, posted_at__isnull=True
    ).exists():
        return
    start_job(
        company=company,
        user=user,
        kind=POSTING_TASK,
        title=_("Book matched bank payments"),
        params={"statement_ids": [s.pk for s in result.statements]},
    )


# Booking matched payments


def undo_allocation(allocation: PaymentAllocation, reason) -> None:
    """Take back an allocation that could not be booked, saying why."""
    bank_transaction = BankTransaction.objects.select_for_update().get(
        pk=allocation.transaction_id
    )
    bank_transaction.allocated_amount -= allocation.amount
    bank_transaction.note = _("Not booked to %(invoice)s: %(reason)s") % {
        "invoice": allocation.document_label,
        "reason": reason,
    }
    allocation.delete()
    bank_transaction.state = state_for(bank_transaction)
    bank_transaction.save(update_fields=["allocated_amount", "note", "state"])


def unposted_allocation(allocation_id: int) -> PaymentAllocation | None:
    """Return the allocation locked for booking, or None if it is booked.

    Call inside a transaction: the row lock makes two jobs booking the
    same statement at once book each allocation once.
    """
    return (
        PaymentAllocation.objects.select_for_update()
        .select_related("transaction__bank_account", "company")
        .filter(pk=allocation_id, posted_at__isnull=True)
        .first()
    )


def _post_allocation(allocation_id: int, user) -> bool:
    """Book one allocation through the receivables provider, exactly once."""
    provider = receivables_provider()
    with transaction.atomic():
        allocation = unposted_allocation(allocation_id)
        if allocation is None:
            return False
        bank_transaction = allocation.transaction
        try:
            with transaction.atomic():
                provider.register_payment(
                    company=allocation.company,
                    document_id=allocation.document_id,
                    amount=allocation.amount,
                    paid_on=bank_transaction.booking_date,
                    bank_account=bank_transaction.bank_account,
                    user=user,
                    source=f"bank-payment:{allocation.pk}",
                )
        except ValidationError as error:
            logger.warning(
                "Payment %s could not be booked to %s: %s",
                bank_transaction.pk,
                allocation.document_label,
                error,
            )
            undo_allocation(allocation, "; ".join(error.messages))
            return False
        allocation.posted_at = timezone.now()
        allocation.save(update_fields=["posted_at"])
        return True


def post_pending_allocations(
    *, company, user, statement_ids=None, progress=None
) -> int:
    """Book every matched but unbooked payment of `company`; return the count.

    Safe to run again after a crash: each allocation is booked in its own
    transaction and marked in it, so none is booked twice.
    """
    Kind = PaymentAllocation.Kind
    pending = PaymentAllocation.objects.filter(
        company=company,
        kind__in=[Kind.RECEIVABLE, Kind.OUTGOING, Kind.RETURN],
        posted_at__isnull=True,
    )
    if statement_ids is not None:
        pending = pending.filter(transaction__statement_id__in=statement_ids)
    if receivables_provider() is None:
        pending = pending.exclude(kind=Kind.RECEIVABLE)
    rows = list(pending.order_by("pk").values_list("pk", "kind"))
    booked = 0
    for number, (allocation_id, kind) in enumerate(rows, start=1):
        booked += _book(allocation_id, kind, user)
        if progress is not None and (number % 100 == 0 or number == len(rows)):
            progress(number, len(rows))
    logger.info("Booked %s of %s matched payments for %s", booked, len(rows), company)
    return booked


def _book(allocation_id: int, kind: str, user) -> bool:
    if kind == PaymentAllocation.Kind.RECEIVABLE:
        return _post_allocation(allocation_id, user)
    return post_outgoing_allocation(allocation_id, user)


# Reconciliation by hand


def _locked_transaction(bank_transaction, user, *, reversal_ok=False):
    _check_access(user, bank_transaction.company)
    locked = BankTransaction.objects.select_for_update().get(pk=bank_transaction.pk)
    if locked.is_reversal and not reversal_ok:
        raise ValidationError(
            _("A reversed payment cannot be allocated; post it to an account."),
            code="reversal",
        )
    return locked


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError as error:
        raise ValidationError(
            _("%(value)s is not an amount."), code="amount", params={"value": value}
        ) from error
    if amount <= 0:
        raise ValidationError(_("Allocate amounts above zero."), code="amount")
    return amount


def _check_fits(bank_transaction, total) -> None:
    if total > bank_transaction.open_amount:
        raise ValidationError(
            _(
                "The allocations (%(total)s) exceed what is left of the "
                "payment (%(open)s)."
            ),
            code="over_allocated",
            params={"total": total, "open": bank_transaction.open_amount},
        )


@transaction.atomic
def allocate_to_invoices(*, bank_transaction, user, lines) -> list[PaymentAllocation]:
    """Apply an incoming payment to invoices the user picked, and book it.

    `lines` is a list of (document_id, amount). Each invoice must be open
    for at least the amount; the total must fit in what is left of the
    payment. Booking happens in the same transaction: all or nothing.
    """
    locked = _locked_transaction(bank_transaction, user)
    if locked.direction != BankTransaction.Direction.CREDIT:
        raise ValidationError(
            _("Only incoming payments are allocated to sales invoices."),
            code="not_incoming",
        )
    wanted = [(str(document_id), _amount(amount)) for document_id, amount in lines]
    if not wanted:
        raise ValidationError(_("Pick at least one invoice."), code="no_lines")
    _check_fits(locked, sum(amount for _document, amount in wanted))
    index = _open_item_index(locked.company, [d for d, _a in wanted])
    if index is None:
        raise ValidationError(
            _("No module with sales invoices is installed."), code="no_receivables"
        )

    allocations = []
    for document_id, amount in wanted:
        item = index.items.get(document_id)
        if item is None or index.remaining[document_id] < amount:
            raise ValidationError(
                _("Invoice %(invoice)s is not open for %(amount)s."),
                code="not_open",
                params={
                    "invoice": item.number if item else document_id,
                    "amount": amount,
                },
            )
        index.take(item, amount)
        allocations.append(
            _allocation(
                bank_transaction=locked,
                item=item,
                amount=amount,
                method=PaymentAllocation.Method.MANUAL,
                user=user,
            )
        )
    PaymentAllocation.objects.bulk_create(allocations)
    locked.allocated_amount += sum(a.amount for a in allocations)
    locked.state = state_for(locked)
    locked.save(update_fields=["allocated_amount", "state"])
    for allocation in allocations:
        if not _post_allocation(allocation.pk, user):
            raise ValidationError(
                _("Invoice %(invoice)s could not be booked."),
                code="not_booked",
                params={"invoice": allocation.document_label},
            )
    record_change(instance=locked, user=user, action="update", after=snapshot(locked))
    return allocations


@transaction.atomic
def post_to_account(
    *, bank_transaction, user, account, amount=None, description=""
) -> PaymentAllocation:
    """Post (part of) a bank transaction to a ledger account with a voucher.

    For payments that pay no invoice: bank fees, interest, a refund
    received, an overpayment kept. The bank side goes to the account's
    cash account from its bank connection.
    """
    from modules.ledger.services import LineInput, post_voucher

    locked = _locked_transaction(bank_transaction, user, reversal_ok=True)
    amount = _amount(amount if amount is not None else locked.open_amount)
    _check_fits(locked, amount)
    if account.company_id != locked.company_id:
        raise ValidationError(
            _("The account belongs to another company."), code="foreign_account"
        )
    setup = bank_booking(locked.bank_account)

    incoming = locked.direction == BankTransaction.Direction.CREDIT
    text = (description or "").strip() or str(locked)[:200]
    bank_side = {"debit" if incoming else "credit": amount}
    other_side = {"credit" if incoming else "debit": amount}
    voucher = post_voucher(
        company=locked.company,
        user=user,
        series=setup.voucher_series,
        date=locked.booking_date,
        description=text,
        lines=[
            LineInput(account=setup.ledger_account, description=text, **bank_side),
            LineInput(account=account, description=text, **other_side),
        ],
        source=locked,
    )
    allocation = PaymentAllocation.objects.create(
        company=locked.company,
        transaction=locked,
        kind=PaymentAllocation.Kind.ACCOUNT,
        method=PaymentAllocation.Method.MANUAL,
        ledger_account=account,
        voucher=voucher,
        amount=amount,
        posted_at=timezone.now(),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    locked.allocated_amount += amount
    locked.state = state_for(locked)
    locked.save(update_fields=["allocated_amount", "state"])
    record_change(instance=locked, user=user, action="update", after=snapshot(locked))
    return allocation


def rematch_waiting(*, company, user) -> int:
    """Match the waiting payments again (after new invoices); return a count.

    Newly matched payments are booked at once.
    """
    _check_access(user, company)
    with transaction.atomic():
        waiting = list(
            BankTransaction.objects.select_for_update()
            .filter(
                company=company,
                is_reversal=False,
                state__in=[
                    BankTransaction.State.UNMATCHED,
                    BankTransaction.State.PROPOSED,
                ],
            )
            .order_by("pk")
        )
        allocations = _match(company=company, transactions=waiting, user=user)
        PaymentAllocation.objects.bulk_create(allocations)
        BankTransaction.objects.bulk_update(
            waiting, ["allocated_amount", "state", "proposals"], batch_size=2000
        )
    for allocation in allocations:
        _book(allocation.pk, allocation.kind, user)
    return len({allocation.transaction_id for allocation in allocations})


# What the generated admin, API and imports may and may not do


def refusal(message):
    """Return a create/update/delete service that refuses with `message`."""

    def refuse(**kwargs):
        raise ValidationError(message, code="read_only")

    return refuse


@transaction.atomic
def delete_statement(*, instance, user) -> None:
    """Delete a statement whose payments are not booked anywhere yet.

    Lets a user take back a file imported into the wrong place before
    anything came of it; once a payment is booked the statement stays.
    """
    _check_access(user, instance.company)
    statement = BankStatement.objects.select_for_update().get(pk=instance.pk)
    if PaymentAllocation.objects.filter(transaction__statement=statement).exists():
        raise ValidationError(
            _(
                "Payments of this statement are already allocated; the "
                "statement cannot be deleted."
            ),
            code="statement_in_use",
        )
    record_change(
        instance=statement, user=user, action="delete", before=snapshot(statement)
    )
    statement.transactions.all().delete()
    statement.delete()
