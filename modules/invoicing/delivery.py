"""Sending issued invoices the way each customer wants them.

The channel is chosen on the customer's billing details: PDF by email,
Finvoice through an e-invoice operator (also for consumers' e-invoices and
direct payment), Peppol through an access point, or an e-letter batch for
a printing service. E-invoices go through an `OperatorAdapter`; the one in
use is named by the setting INVOICING_OPERATOR (a dotted path). The
default `FolderOperator` writes each message to a folder, which is what
tests and the demo use and what an operator's SFTP drop looks like.

Each sending is recorded as an `InvoiceDelivery`, failed or not, and a
failure carries a message a clerk can act on.
"""

import csv
import io
import logging
import zipfile
from pathlib import Path
from typing import Protocol

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from integrations.finvoice.writer import (
    FinvoiceInvalid,
    build_finvoice,
    soap_envelope,
    validate,
)
from integrations.peppol import build_ubl
from modules.invoicing.documents import outgoing_invoice, render_invoice_pdf
from modules.invoicing.models import (
    DeliveryChannel,
    DeliveryStatus,
    InvoiceDelivery,
    InvoiceState,
    SalesInvoice,
)
from modules.invoicing.services import billing_of, ensure_invoicing_settings

logger = logging.getLogger(__name__)

EINVOICE_CHANNELS = {
    DeliveryChannel.FINVOICE,
    DeliveryChannel.CONSUMER_EINVOICE,
    DeliveryChannel.DIRECT_PAYMENT,
}


class OperatorAdapter(Protocol):
    """What an e-invoice operator or Peppol access point offers."""

    def send(self, *, message: bytes, kind: str, filename: str) -> str:
        """Hand over one message; return the operator's message id."""


class FolderOperator:
    """An operator that drops each message as a file into a folder."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or Path(django_settings.VAR_DIR) / "einvoice-outbox")

    def send(self, *, message: bytes, kind: str, filename: str) -> str:
        target = self.folder / kind
        target.mkdir(parents=True, exist_ok=True)
        (target / filename).write_bytes(message)
        return filename


def operator() -> OperatorAdapter:
    """Return the configured operator adapter."""
    path = getattr(django_settings, "INVOICING_OPERATOR", "")
    return import_string(path)() if path else FolderOperator()


class DeliveryError(ValidationError):
    """An invoice that cannot go through its channel as things are."""


def _require(condition, message, code):
    if not condition:
        raise DeliveryError(message, code=code)


def _check_einvoice_address(invoice, outgoing) -> None:
    settings = ensure_invoicing_settings(company=invoice.company)
    _require(
        settings.einvoice_address and settings.einvoice_operator,
        _("Enter our own e-invoice address and operator in the invoicing settings."),
        "no_own_address",
    )
    _require(
        outgoing.buyer.einvoice_address,
        _("%(customer)s has no e-invoice address.") % {"customer": invoice.customer},
        "no_einvoice_address",
    )
    _require(
        outgoing.buyer.operator,
        _(
            "The e-invoice address %(address)s of %(customer)s has no operator; "
            "enter the operator's code or the bank's BIC on the customer."
        )
        % {"address": outgoing.buyer.einvoice_address, "customer": invoice.customer},
        "no_operator",
    )


def _send_email(invoice, billing) -> tuple[str, str]:
    recipient = (billing.email if billing else "") or getattr(
        invoice.customer, "email", ""
    )
    _require(
        recipient,
        _("%(customer)s has no email address for invoices.")
        % {"customer": invoice.customer},
        "no_email",
    )
    pdf = render_invoice_pdf(invoice)
    language = getattr(invoice.customer, "language", "") or "fi"
    with translation.override(language):
        subject = _("Invoice %(number)s from %(company)s") % {
            "number": invoice.number,
            "company": invoice.company.name,
        }
        body = _(
            "Hello,\n\nattached is invoice %(number)s, %(total)s %(currency)s, "
            "due %(due)s. Reference: %(reference)s.\n\n%(company)s"
        ) % {
            "number": invoice.number,
            "total": invoice.total,
            "currency": invoice.currency,
            "due": f"{invoice.due_date:%d.%m.%Y}",
            "reference": invoice.reference,
            "company": invoice.company.name,
        }
    email = EmailMessage(subject=subject, body=body, to=[recipient])
    email.attach(f"{invoice.number}.pdf", pdf, "application/pdf")
    email.send()
    return recipient, ""


def _send_finvoice(invoice, billing) -> tuple[str, str]:
    outgoing = outgoing_invoice(invoice)
    _check_einvoice_address(invoice, outgoing)
    if invoice.channel == DeliveryChannel.DIRECT_PAYMENT:
        _require(
            outgoing.mandate,
            _("%(customer)s has given no direct payment mandate.")
            % {"customer": invoice.customer},
            "no_mandate",
        )
    message = build_finvoice(outgoing)
    try:
        validate(message)
    except FinvoiceInvalid as error:
        logger.warning("Finvoice of %s invalid: %s", invoice.pk, error.errors)
        raise DeliveryError(
            _(
                "The e-invoice of %(number)s does not pass the Finvoice schema: "
                "%(errors)s"
            )
            % {"number": invoice.number, "errors": "; ".join(error.errors[:3])},
            code="finvoice_invalid",
        ) from error
    framed = soap_envelope(message, invoice=outgoing, timestamp=outgoing.timestamp)
    message_id = operator().send(
        message=framed, kind="finvoice", filename=f"{outgoing.message_id}.xml"
    )
    return outgoing.buyer.einvoice_address, message_id


def _send_peppol(invoice, billing) -> tuple[str, str]:
    settings = ensure_invoicing_settings(company=invoice.company)
    _require(
        billing is not None and billing.peppol_id,
        _("%(customer)s has no Peppol ID.") % {"customer": invoice.customer},
        "no_peppol_id",
    )
    _require(
        settings.einvoice_address,
        _("Enter our own e-invoice address in the invoicing settings."),
        "no_own_address",
    )
    outgoing = outgoing_invoice(invoice)
    message = build_ubl(
        outgoing,
        seller_peppol_id=f"0216:{settings.einvoice_address}",
        buyer_peppol_id=billing.peppol_id,
    )
    message_id = operator().send(
        message=message, kind="peppol", filename=f"{outgoing.message_id}.xml"
    )
    return billing.peppol_id, message_id


_SENDERS = {
    DeliveryChannel.EMAIL_PDF: _send_email,
    DeliveryChannel.FINVOICE: _send_finvoice,
    DeliveryChannel.CONSUMER_EINVOICE: _send_finvoice,
    DeliveryChannel.DIRECT_PAYMENT: _send_finvoice,
    DeliveryChannel.PEPPOL: _send_peppol,
}


def send_invoice(*, invoice, user) -> InvoiceDelivery:
    """Send an issued invoice through its channel and record the sending.

    E-letters are not sent one by one: they wait for `build_eletter_batch`.
    A failure is recorded and raised as a ValidationError with its reason.
    """
    invoice = SalesInvoice.objects.select_related(
        "company", "organisation", "person", "factoring_company", "credited_invoice"
    ).get(pk=invoice.pk)
    if invoice.state == InvoiceState.DRAFT:
        raise DeliveryError(_("Issue the invoice before sending it."), code="draft")
    channel = invoice.channel or DeliveryChannel.EMAIL_PDF
    if channel == DeliveryChannel.ELETTER:
        raise DeliveryError(
            _("E-letters are sent in a batch; make an e-letter batch."),
            code="eletter_batch",
        )
    billing = billing_of(invoice.customer)

    try:
        recipient, message_id = _SENDERS[channel](invoice, billing)
    except ValidationError as error:
        _record(invoice, channel, DeliveryStatus.FAILED, error=" ".join(error.messages))
        raise
    delivery = _record(
        invoice,
        channel,
        DeliveryStatus.SENT,
        recipient=recipient,
        message_id=message_id,
    )
    logger.info("Invoice %s sent by %s", invoice.number, channel)
    return delivery


@transaction.atomic
def _record(invoice, channel, status, *, recipient="", message_id="", error=""):
    delivery = InvoiceDelivery.objects.create(
        company=invoice.company,
        invoice=invoice,
        channel=channel,
        status=status,
        recipient=recipient[:200],
        message_id=message_id[:100],
        error=error,
    )
    if status == DeliveryStatus.SENT:
        SalesInvoice.objects.filter(pk=invoice.pk).update(sent_at=timezone.now())
    return delivery


def build_eletter_batch(*, company, user, invoices) -> str:
    """Zip print-ready PDFs of e-letter invoices with an index; return its path.

    The index (index.csv, semicolon-separated, UTF-8) lists for each file
    the recipient's name and address lines, as printing services ask.
    The batch is stored in the default file storage.
    """
    invoices = list(invoices)
    if not invoices:
        raise DeliveryError(
            _("There are no invoices for an e-letter batch."), code="empty"
        )
    buffer = io.BytesIO()
    index = io.StringIO()
    writer = csv.writer(index, delimiter=";")
    writer.writerow(["file", "invoice", "name", "address", "pages"])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            if invoice.company_id != company.pk or invoice.state == InvoiceState.DRAFT:
                raise DeliveryError(
                    _("%(invoice)s cannot go into this batch.") % {"invoice": invoice},
                    code="not_in_batch",
                )
            filename = f"{invoice.number}.pdf"
            archive.writestr(filename, render_invoice_pdf(invoice))
            address = invoice.billing_address.replace("\n", ", ")
            writer.writerow(
                [filename, invoice.number, invoice.customer_name, address, 1]
            )
        archive.writestr("index.csv", index.getvalue())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = default_storage.save(
        f"invoicing/eletters/{company.pk}/eletter-{stamp}.zip",
        ContentFile(buffer.getvalue()),
    )
    for invoice in invoices:
        _record(invoice, DeliveryChannel.ELETTER, DeliveryStatus.SENT, message_id=path)
    logger.info("E-letter batch %s with %s invoices", path, len(invoices))
    return path
