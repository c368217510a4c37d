"""Writes for purchase invoices: receiving, archiving and pre-accounting.

Every channel ends in `_receive`, which archives the original file first,
so nothing that arrived is ever lost, then creates the invoice once per
source message (a unique key per company makes a second import of the same
message a no-op), recognises the supplier, flags possible duplicates and
proposes accounting rows learned from the supplier's earlier invoices.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.documents import get_document_model
from wagtail.models import Collection

from cms.services import create_object, delete_object, update_object
from integrations.finvoice.reader import (
    SHOWN_SCHEMA_ERRORS,
    FinvoiceError,
    Message,
    read_invoice,
    split_batch,
)
from integrations.ocr import UnreadableDocument, extract_text
from integrations.peppol.reader import read_ubl
from modules.core.audit import record_change, snapshot
from modules.core.money import round_decimal
from modules.crm.models import Organisation
from modules.stock.models import StockSettings

from . import circulation, matching
from .models import (
    AccountingRow,
    ArchivedFile,
    Channel,
    InvoiceLine,
    InvoiceState,
    PurchaseInvoice,
)
from .scanning import propose_fields

logger = logging.getLogger(__name__)

# Accounting Act 2:10: vouchers are kept six years from the end of the year.
RETENTION_YEARS = 6
MAX_FILE_BYTES = 20 * 1024 * 1024
# Proposed for order lines when the supplier has no earlier accounting.
DEFAULT_PURCHASE_VAT = "purchase_general"


@dataclass
class ReceiveResult:
    """What one received file produced."""

    created: list[PurchaseInvoice] = field(default_factory=list)
    already_received: int = 0
    needs_attention: list[PurchaseInvoice] = field(default_factory=list)

    def add(self, other: "ReceiveResult") -> None:
        """Count what another file of the same delivery produced."""
        self.created += other.created
        self.already_received += other.already_received
        self.needs_attention += other.needs_attention


NO_ATTACHMENT_MESSAGE = gettext_lazy(
    "The mail has no PDF, image or e-invoice attached; the mail itself is kept."
)


def _keep_until(today: datetime.date) -> datetime.date:
    return datetime.date(today.year + RETENTION_YEARS, 12, 31)


def archive_file(
    *, invoice, kind, data: bytes, filename: str, content_type, user, lookups=None
):
    """Store `data` unchanged beside `invoice`, with its SHA-256 checksum.

    Archived business documents are found through their invoice, never
    through the admin's document search, so they are kept out of the search
    index: `bulk_create` sends no post_save signal, which is what indexes a
    document (and is most of the cost of receiving a batch).
    """
    lookups = lookups or Lookups()
    Document = get_document_model()
    [document] = Document.objects.bulk_create(
        [
            Document(
                title=filename[:255],
                file=ContentFile(data, name=filename),
                file_size=len(data),
                collection_id=lookups.root_collection_id(),
                uploaded_by_user=(
                    user if user is not None and user.is_authenticated else None
                ),
            )
        ]
    )
    return ArchivedFile.objects.create(
        invoice=invoice,
        kind=kind,
        document=document,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type=content_type,
        keep_until=_keep_until(timezone.localdate()),
    )


@dataclass
class Lookups:
    """What one received file looks up again and again, fetched once: the
    suppliers by business ID, their learned accounting, the orders quoted."""

    suppliers: dict = field(default_factory=dict)
    learned: dict = field(default_factory=dict)
    orders: dict = field(default_factory=dict)
    _collection_id: int | None = None

    def root_collection_id(self) -> int:
        if self._collection_id is None:
            self._collection_id = Collection.get_first_root_node().pk
        return self._collection_id

    def supplier(self, *, company, business_id, iban):
        key = (business_id, iban)
        if key not in self.suppliers:
            self.suppliers[key] = recognise_supplier(
                company=company, business_id=business_id, iban=iban
            )
        return self.suppliers[key]

    def order(self, *, company, reference, supplier):
        if reference not in self.orders:
            self.orders[reference] = matching.orders_numbered(
                company=company, reference=reference
            )
        return next(
            (
                order
                for order in self.orders[reference]
                if supplier is None or order.supplier_id == supplier.pk
            ),
            None,
        )


def recognise_supplier(*, company, business_id: str = "", iban: str = ""):
    """Return the supplier by business ID, else by an IBAN it has used."""
    if business_id:
        supplier = (
            Organisation.objects.filter(company=company, business_id=business_id)
            .order_by("-is_supplier", "pk")
            .first()
        )
        if supplier:
            return supplier
    if iban:
        earlier = (
            PurchaseInvoice.objects.filter(
                company=company, iban=iban, supplier__isnull=False
            )
            .select_related("supplier")
            .order_by("-pk")
            .first()
        )
        if earlier:
            return earlier.supplier
    return None


def find_duplicate(invoice: PurchaseInvoice) -> PurchaseInvoice | None:
    """Return an earlier invoice with the same supplier and number, or the
    same amount and payment reference."""
    same_number = Q()
    if invoice.invoice_number:
        if invoice.supplier_id:
            same_number = Q(supplier_id=invoice.supplier_id)
        elif invoice.supplier_business_id:
            same_number = Q(supplier_business_id=invoice.supplier_business_id)
        if same_number:
            same_number &= Q(invoice_number=invoice.invoice_number)
    same_payment = Q()
    if invoice.reference and invoice.total:
        same_payment = Q(reference=invoice.reference, total=invoice.total)
    wanted = same_number | same_payment
    if not wanted:
        return None
    return (
        PurchaseInvoice.objects.filter(company_id=invoice.company_id)
        .filter(wanted)
        .exclude(pk=invoice.pk)
        .exclude(state=InvoiceState.REJECTED)
        .order_by("pk")
        .first()
    )


def split_in_proportion(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights` into cents; the last share
    takes the rounding difference, so the shares always add up."""
    whole = sum(weights, Decimal("0"))
    shares, left = [], total
    for index, weight in enumerate(weights):
        if index == len(weights) - 1 or not whole:
            share = left
        else:
            share = round_decimal(total * weight / whole, 2)
            left -= share
        shares.append(share)
    return shares


def _learned_rows(invoice: PurchaseInvoice, lookups=None) -> list[AccountingRow]:
    """The rows of the supplier's latest accounted invoice."""
    if invoice.supplier_id is None:
        return []
    if lookups is not None:
        if invoice.supplier_id not in lookups.learned:
            lookups.learned[invoice.supplier_id] = _learned_rows(invoice)
        return lookups.learned[invoice.supplier_id]
    earlier = (
        PurchaseInvoice.objects.filter(
            company_id=invoice.company_id,
            supplier_id=invoice.supplier_id,
            accounting_rows__isnull=False,
        )
        .exclude(pk=invoice.pk)
        .order_by("-pk")
        .first()
    )
    return list(earlier.accounting_rows.order_by("pk")) if earlier else []


def _order_rows(invoice, learned) -> list[AccountingRow]:
    """Rows for the lines matched to order lines: stocked goods go to the
    stock's goods-received account where stock values are booked, else to
    the supplier's usual expense account."""
    stock = StockSettings.objects.filter(
        company_id=invoice.company_id, post_to_ledger=True
    ).first()
    fallback = learned[0] if learned else None
    amounts: dict[tuple, Decimal] = {}
    for line in invoice.lines.filter(order_line__isnull=False).select_related(
        "order_line__product"
    ):
        stocked = line.order_line.product.is_stocked
        if stock is not None and stock.receipt_account_id and stocked:
            account_id = stock.receipt_account_id
        elif fallback is not None:
            account_id = fallback.account_id
        else:
            continue
        vat_code = fallback.vat_code if fallback else DEFAULT_PURCHASE_VAT
        key = (account_id, vat_code)
        amounts[key] = amounts.get(key, Decimal("0")) + line.net_amount
    return [
        AccountingRow(
            invoice=invoice,
            account_id=account_id,
            vat_code=vat_code,
            net_amount=amount,
            description=str(invoice.purchase_order),
        )
        for (account_id, vat_code), amount in amounts.items()
    ]


def suggest_accounting(invoice: PurchaseInvoice, lookups=None) -> list[AccountingRow]:
    """Propose accounting rows: lines matched to a purchase order by the
    order's products, the rest copied from the supplier's latest accounted
    invoice and scaled to the amount left."""
    learned = _learned_rows(invoice, lookups)
    rows = _order_rows(invoice, learned) if invoice.purchase_order_id else []
    left = invoice.net_amount - sum((r.net_amount for r in rows), Decimal("0"))
    if learned and left:
        amounts = split_in_proportion(left, [row.net_amount for row in learned])
        rows += [
            AccountingRow(
                invoice=invoice,
                account_id=row.account_id,
                vat_code=row.vat_code,
                net_amount=amount,
                description=row.description,
                cost_centre_id=row.cost_centre_id,
                project_id=row.project_id,
                accrual_months=row.accrual_months,
            )
            for row, amount in zip(learned, amounts, strict=True)
        ]
    return AccountingRow.objects.bulk_create(rows)


def _finish_received(invoice: PurchaseInvoice, user, lookups=None) -> None:
    duplicate = find_duplicate(invoice)
    if duplicate is not None:
        invoice.duplicate_of = duplicate
        invoice.state = InvoiceState.NEEDS_ATTENTION
        invoice.problem = _(
            "This may be a duplicate of invoice %(number)s received on %(date)s."
        ) % {
            "number": duplicate.invoice_number or duplicate.pk,
            "date": f"{timezone.localtime(duplicate.received_at):%d.%m.%Y}",
        }
        invoice.save(update_fields=["duplicate_of", "state", "problem"])
    order = None
    if invoice.order_reference:
        order = (lookups or Lookups()).order(
            company=invoice.company,
            reference=invoice.order_reference,
            supplier=invoice.supplier,
        )
    if order is not None:
        matching.match_to_order(invoice=invoice, order=order, user=user)
        invoice.purchase_order = order
    suggest_accounting(invoice, lookups)
    if (
        order is not None
        and invoice.state == InvoiceState.RECEIVED
        and circulation.approve_if_matched(invoice=invoice, user=user)
    ):
        invoice.state = InvoiceState.APPROVED


def _new_invoice(
    *, company, channel, source_key, user, values=None
) -> PurchaseInvoice | None:
    """Create the invoice row for a source once; None if it already exists."""
    try:
        with transaction.atomic():
            return PurchaseInvoice.objects.create(
                company=company,
                channel=channel,
                source_key=source_key,
                **(values or {}),
            )
    except IntegrityError:
        return None


def _new_file_invoice(
    *, company, data, filename, content_type, kind, user, values=None
) -> PurchaseInvoice | None:
    """Create the invoice of a received file once, keyed by the file's
    checksum, with the file archived; None if that file came before."""
    invoice = _new_invoice(
        company=company,
        channel=Channel.SCAN,
        source_key=f"file:{hashlib.sha256(data).hexdigest()}",
        user=user,
        values=values,
    )
    if invoice is not None:
        archive_file(
            invoice=invoice,
            kind=kind,
            data=data,
            filename=filename,
            content_type=content_type,
            user=user,
        )
    return invoice


def _needs_attention(invoice, message) -> None:
    invoice.state = InvoiceState.NEEDS_ATTENTION
    invoice.problem = str(message)
    invoice.save(update_fields=["state", "problem"])


def _schema_problem(errors: list[tuple[int, str]]) -> str:
    shown = [
        _("line %(line)s: %(reason)s") % {"line": line, "reason": reason}
        for line, reason in errors[:SHOWN_SCHEMA_ERRORS]
    ]
    more = len(errors) - len(shown)
    message = _(
        "The message does not follow the Finvoice 3.0 schema; check the fields "
        "against the original: %(errors)s"
    ) % {"errors": "; ".join(shown)}
    if more:
        message += " " + ngettext(
            "(and %(count)s more error)", "(and %(count)s more errors)", more
        ) % {"count": more}
    return message


def _check_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB and was not received.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)},
            code="file_too_large",
        )


def _finvoice_values(*, company, received, lookups) -> dict:
    """The invoice's fields as a received e-invoice gives them."""
    sign = -1 if received.is_credit_note and received.total > 0 else 1
    values = {
        "supplier_name": received.seller_name[:200],
        "supplier_business_id": received.seller_business_id[:20],
        "invoice_number": received.invoice_number[:40],
        "invoice_date": received.invoice_date,
        "due_date": received.due_date,
        "currency": received.currency[:3],
        "total": sign * received.total,
        "vat_amount": sign * received.vat_amount,
        "iban": received.iban[:34],
        "bic": received.bic[:11],
        "reference": received.reference[:35],
        "message": received.message,
        "order_reference": received.order_number[:70],
        "cash_discount_date": received.cash_discount_date,
        "cash_discount_percent": received.cash_discount_percent,
        "cash_discount_amount": (
            sign * received.cash_discount_amount
            if received.cash_discount_amount is not None
            else None
        ),
    }
    values["supplier"] = lookups.supplier(
        company=company,
        business_id=values["supplier_business_id"],
        iban=values["iban"],
    )
    if received.schema_errors:
        values["state"] = InvoiceState.NEEDS_ATTENTION
        values["problem"] = _schema_problem(received.schema_errors)
    return values


UBL_MARKER = b"urn:oasis:names:specification:ubl:schema:xsd:"


def _einvoice_messages(data: bytes):
    """Return the messages of a file and the channel and reader they need."""
    if b"<Finvoice" in data:
        return split_batch(data), Channel.FINVOICE, read_invoice
    if UBL_MARKER in data:
        message = Message(
            key=f"sha256:{hashlib.sha256(data).hexdigest()}", content=data
        )
        return [message], Channel.PEPPOL, read_ubl
    raise FinvoiceError(_("The file holds no Finvoice or Peppol invoice."))


@transaction.atomic
def receive_einvoice(*, company, data: bytes, filename: str, user) -> ReceiveResult:
    """Receive a Finvoice message or SOAP batch, or a Peppol UBL invoice.

    Each message becomes one invoice, once: a message received before is
    counted in `already_received` and left alone. A message that cannot be
    read lands as "needs attention" with its XML archived.
    """
    _check_size(data)
    result = ReceiveResult()
    try:
        messages, channel, read = _einvoice_messages(data)
    except FinvoiceError as exc:
        key = f"file:{hashlib.sha256(data).hexdigest()}"
        invoice = _new_invoice(
            company=company, channel=Channel.FINVOICE, source_key=key, user=user
        )
        if invoice is None:
            result.already_received += 1
            return result
        archive_file(
            invoice=invoice,
            kind=ArchivedFile.Kind.XML,
            data=data,
            filename=filename,
            content_type="application/xml",
            user=user,
        )
        _needs_attention(invoice, exc.message)
        result.needs_attention.append(invoice)
        return result
    lookups = Lookups()
    for index, message in enumerate(messages, start=1):
        try:
            received, problem = read(message.content), None
        except FinvoiceError as exc:
            received, problem = None, exc.message
        invoice = _new_invoice(
            company=company,
            channel=channel,
            source_key=message.key,
            user=user,
            values=(
                _finvoice_values(company=company, received=received, lookups=lookups)
                if received is not None
                else {"state": InvoiceState.NEEDS_ATTENTION, "problem": str(problem)}
            ),
        )
        if invoice is None:
            result.already_received += 1
            continue
        archive_file(
            invoice=invoice,
            kind=ArchivedFile.Kind.XML,
            data=message.content,
            filename=f"{filename}-{index}.xml" if len(messages) > 1 else filename,
            content_type="application/xml",
            user=user,
            lookups=lookups,
        )
        if received is None:
            result.needs_attention.append(invoice)
            continue
        InvoiceLine.objects.bulk_create(
            InvoiceLine(invoice=invoice, **vars(line)) for line in received.lines
        )
        _finish_received(invoice, user, lookups)
        record_change(
            instance=invoice, user=user, action="create", after=snapshot(invoice)
        )
        result.created.append(invoice)
    logger.info(
        "E-invoice file %s for company %s: %s new, %s again, %s need attention",
        filename,
        company.pk,
        len(result.created),
        result.already_received,
        len(result.needs_attention),
    )
    return result


@transaction.atomic
def receive_document(
    *, company, data: bytes, filename: str, content_type: str, user
) -> ReceiveResult:
    """Receive a scanned or emailed invoice (PDF or image) into the inbox.

    The text is read (OCR for scans) and the fields it suggests are filled
    in for the clerk to confirm; an unreadable file lands as "needs
    attention" with the original kept.
    """
    _check_size(data)
    result = ReceiveResult()
    invoice = _new_file_invoice(
        company=company,
        data=data,
        filename=filename,
        content_type=content_type,
        kind=ArchivedFile.Kind.IMAGE,
        user=user,
    )
    if invoice is None:
        result.already_received += 1
        return result
    try:
        extracted = extract_text(data)
    except UnreadableDocument as exc:
        _needs_attention(invoice, exc.message)
        result.needs_attention.append(invoice)
        return result
    own_ids = [company.business_id] if company.business_id else []
    proposal = propose_fields(extracted.text, own_business_ids=own_ids)
    invoice.supplier_business_id = proposal.business_id
    invoice.invoice_number = proposal.invoice_number
    invoice.invoice_date = proposal.invoice_date
    invoice.due_date = proposal.due_date
    invoice.total = proposal.total or Decimal("0")
    invoice.vat_amount = proposal.vat_amount or Decimal("0")
    invoice.iban = proposal.iban
    invoice.reference = proposal.reference
    invoice.supplier = recognise_supplier(
        company=company, business_id=proposal.business_id, iban=proposal.iban
    )
    if invoice.supplier:
        invoice.supplier_name = invoice.supplier.name
    invoice.save()
    _finish_received(invoice, user)
    record_change(instance=invoice, user=user, action="create", after=snapshot(invoice))
    result.created.append(invoice)
    return result


@transaction.atomic
def receive_unreadable(
    *, company, data: bytes, filename: str, content_type: str, problem, user
) -> ReceiveResult:
    """Keep a delivery that holds no invoice as a needs-attention item with
    the original archived, so that nothing that arrived is lost."""
    _check_size(data)
    result = ReceiveResult()
    invoice = _new_file_invoice(
        company=company,
        data=data,
        filename=filename,
        content_type=content_type,
        kind=ArchivedFile.Kind.ATTACHMENT,
        user=user,
        values={"state": InvoiceState.NEEDS_ATTENTION, "problem": str(problem)},
    )
    if invoice is None:
        result.already_received += 1
        return result
    result.needs_attention.append(invoice)
    return result


def refuse_manual_create(*, company, user, data):
    """Invoices come in through the inbox, never from a bare form."""
    raise ValidationError(
        _("Add purchase invoices by uploading the e-invoice or the scanned document."),
        code="use_upload",
    )


def refuse_delete(*, instance, user):
    """Received invoices are kept; a wrong one is rejected, not deleted."""
    raise ValidationError(
        _("Received invoices are archived and cannot be deleted; reject it instead."),
        code="archived",
    )


def refuse_line_write(*, user, instance=None, company=None, data=None):
    """Invoice lines are what the supplier sent and are not edited."""
    raise ValidationError(
        _("Invoice lines are kept as the supplier sent them."), code="supplier_lines"
    )


def refuse_file_write(*, user, instance=None, company=None, data=None):
    """Archived files are stored by the receiving services only."""
    raise ValidationError(
        _("Archived files are kept unchanged and cannot be added or changed here."),
        code="archived_file",
    )


def refuse_step_write(*, user, instance=None, company=None, data=None):
    """Approval steps change only by approving, rejecting or forwarding."""
    raise ValidationError(
        _("Approve, reject or forward the invoice on its own page."),
        code="use_circulation",
    )


EDITABLE_STATES = (InvoiceState.NEEDS_ATTENTION, InvoiceState.RECEIVED)


def _require_editable(invoice) -> None:
    if invoice.state not in EDITABLE_STATES:
        raise ValidationError(
            _("The invoice is %(state)s and can no longer be changed.")
            % {"state": invoice.get_state_display()},
            code="not_editable",
        )


@transaction.atomic
def update_purchase_invoice(*, instance, user, data: dict) -> PurchaseInvoice:
    """Save the clerk's confirmation of the fields of a received invoice.

    A confirmed invoice that needed attention is received again, unless it
    still looks like a duplicate of another one.
    """
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=instance.pk)
    _require_editable(invoice)
    before = snapshot(invoice)
    for name, value in data.items():
        setattr(invoice, name, value)
    if invoice.supplier and invoice.supplier.company_id != invoice.company_id:
        raise ValidationError(
            {"supplier": _("The supplier belongs to another company.")}
        )
    if invoice.total is None or invoice.vat_amount is None:
        raise ValidationError(_("Enter the total and the VAT of the invoice."))
    if abs(invoice.vat_amount) > abs(invoice.total):
        raise ValidationError(
            {"vat_amount": _("The VAT cannot be more than the invoice total.")}
        )
    invoice.duplicate_of = find_duplicate(invoice)
    if invoice.duplicate_of is None and invoice.state == InvoiceState.NEEDS_ATTENTION:
        invoice.state = InvoiceState.RECEIVED
        invoice.problem = ""
    invoice.save()
    record_change(
        instance=invoice,
        user=user,
        action="update",
        before=before,
        after=snapshot(invoice),
    )
    return invoice


def _check_row(*, invoice, data: dict) -> None:
    for name in ("account", "cost_centre", "project"):
        value = data.get(name)
        if value is not None and value.company_id != invoice.company_id:
            raise ValidationError({name: _("This belongs to another company.")})
    if data.get("accrual_months", 1) < 1:
        raise ValidationError(
            {"accrual_months": _("Spread the expense over one month or more.")}
        )


@transaction.atomic
def create_accounting_row(*, company, user, data: dict) -> AccountingRow:
    """Add an accounting row to a received invoice of `company`."""
    invoice = data["invoice"]
    if invoice.company_id != company.pk:
        raise ValidationError({"invoice": _("The invoice belongs to another company.")})
    _require_editable(invoice)
    _check_row(invoice=invoice, data=data)
    return create_object(model=AccountingRow, company=company, user=user, data=data)


@transaction.atomic
def update_accounting_row(*, instance, user, data: dict) -> AccountingRow:
    """Change an accounting row while its invoice is still editable."""
    _require_editable(instance.invoice)
    data.pop("invoice", None)
    _check_row(invoice=instance.invoice, data=data)
    return update_object(instance=instance, user=user, data=data)


@transaction.atomic
def delete_accounting_row(*, instance, user) -> None:
    """Remove an accounting row while its invoice is still editable."""
    _require_editable(instance.invoice)
    delete_object(instance=instance, user=user)


@transaction.atomic
def link_purchase_order(*, invoice, order, user) -> PurchaseInvoice:
    """Link a received invoice to the purchase order the clerk chose, check
    its lines against the order and propose the accounting again."""
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    _require_editable(invoice)
    if order.company_id != invoice.company_id:
        raise ValidationError(
            {"purchase_order": _("The order belongs to another company.")}
        )
    if invoice.supplier_id and order.supplier_id != invoice.supplier_id:
        raise ValidationError(
            {
                "purchase_order": _("Order %(order)s is from another supplier.")
                % {"order": order}
            }
        )
    matching.match_to_order(invoice=invoice, order=order, user=user)
    invoice.refresh_from_db()
    invoice.accounting_rows.all().delete()
    suggest_accounting(invoice)
    return invoice
