"""Sending invoices: PDF by email, Finvoice, Peppol and e-letter batches."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from lxml import etree

from integrations.finvoice.writer import validate
from modules.invoicing.delivery import build_eletter_batch, send_invoice
from modules.invoicing.models import (
    CustomerBilling,
    DeliveryChannel,
    DeliveryStatus,
    FactoringCompany,
    InvoicingSettings,
)
from modules.invoicing.services import create_invoice, issue_invoice

MARCH = datetime.date(2026, 3, 10)
ENVELOPE_END = b"</SOAP-ENV:Envelope>"


@pytest.fixture
def outbox(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "einvoice-outbox"


@pytest.fixture
def own_address(books):
    InvoicingSettings.objects.filter(company=books).update(
        einvoice_address="003720774740", einvoice_operator="003721291126"
    )


def _issue(books, customer, accountant, rows):
    draft = create_invoice(
        company=books,
        user=accountant,
        customer=customer,
        lines=rows,
        invoice_date=MARCH,
    )
    return issue_invoice(invoice=draft, user=accountant)


def _bill(customer, **fields):
    return CustomerBilling.objects.create(
        company=customer.company, organisation=customer, **fields
    )


def test_a_pdf_invoice_is_emailed_with_its_barcode(
    books, customer, accountant, rows, outbox
):
    invoice = _issue(books, customer, accountant, rows)

    delivery = send_invoice(invoice=invoice, user=accountant)

    assert delivery.status == DeliveryStatus.SENT
    assert mail.outbox[0].to == ["laskut@asiakas.example"]
    name, content, kind = mail.outbox[0].attachments[0]
    assert kind == "application/pdf" and content.startswith(b"%PDF")
    assert invoice.reference in mail.outbox[0].body


def test_a_finvoice_is_valid_and_framed_for_the_operator(
    books, customer, accountant, rows, outbox, own_address
):
    _bill(
        customer,
        channel=DeliveryChannel.FINVOICE,
        einvoice_address="003715728600",
        einvoice_operator="003721291126",
    )
    invoice = _issue(books, customer, accountant, rows)

    send_invoice(invoice=invoice, user=accountant)

    [sent] = (outbox / "finvoice").iterdir()
    frame, finvoice = sent.read_bytes().split(ENVELOPE_END, 1)
    validate(finvoice.strip())
    document = etree.fromstring(finvoice.strip())
    assert document.findtext("InvoiceDetails/InvoiceNumber") == invoice.number
    assert document.findtext(".//EpiRemittanceInfoIdentifier") == invoice.reference
    assert document.findtext("VirtualBankBarcode").startswith("4")
    assert b"ProcessInvoice" in frame and b"003715728600" in frame


def test_a_factored_invoice_carries_the_clause_and_the_factors_account(
    books, customer, accountant, rows, outbox, own_address
):
    factor = FactoringCompany.objects.create(
        company=books,
        name="Rahoitus Oy",
        agreement_number="F-77",
        iban="FI3715903000000776",
        bic="HELSFIHH",
        assignment_clause="Saatava on siirretty Rahoitus Oy:lle.",
    )
    _bill(
        customer,
        channel=DeliveryChannel.FINVOICE,
        factoring_company=factor,
        einvoice_address="003715728600",
        einvoice_operator="003721291126",
    )
    invoice = _issue(books, customer, accountant, rows)

    send_invoice(invoice=invoice, user=accountant)

    [sent] = (outbox / "finvoice").iterdir()
    document = etree.fromstring(sent.read_bytes().split(ENVELOPE_END, 1)[1].strip())
    assert document.findtext(".//FactoringFreeText") == factor.assignment_clause
    assert document.findtext(".//EpiAccountID") == "FI3715903000000776"


def test_an_einvoice_address_without_operator_is_refused_clearly(
    books, customer, accountant, rows, outbox, own_address
):
    _bill(customer, channel=DeliveryChannel.FINVOICE, einvoice_address="003715728600")
    invoice = _issue(books, customer, accountant, rows)

    with pytest.raises(ValidationError, match="has no operator"):
        send_invoice(invoice=invoice, user=accountant)

    assert invoice.deliveries.get().status == DeliveryStatus.FAILED


def test_direct_payment_needs_a_mandate(
    books, customer, accountant, rows, outbox, own_address
):
    _bill(
        customer,
        channel=DeliveryChannel.DIRECT_PAYMENT,
        einvoice_address="FI4950009420028730",
        einvoice_operator="OKOYFIHH",
    )
    invoice = _issue(books, customer, accountant, rows)

    with pytest.raises(ValidationError, match="mandate"):
        send_invoice(invoice=invoice, user=accountant)

    CustomerBilling.objects.filter(organisation=customer).update(
        direct_payment_mandate="M-2026-1"
    )
    send_invoice(invoice=invoice, user=accountant)
    [sent] = (outbox / "finvoice").iterdir()
    assert b"<MandateReference>M-2026-1</MandateReference>" in sent.read_bytes()


def test_a_peppol_invoice_states_the_same_totals(
    books, customer, accountant, rows, outbox, own_address
):
    _bill(customer, channel=DeliveryChannel.PEPPOL, peppol_id="0216:003715728600")
    invoice = _issue(books, customer, accountant, rows)

    send_invoice(invoice=invoice, user=accountant)

    [sent] = (outbox / "peppol").iterdir()
    document = etree.fromstring(sent.read_bytes())
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert document.findtext("cbc:ID", namespaces=ns) == invoice.number
    payable = document.find(".//cbc:PayableAmount", namespaces=ns)
    assert Decimal(payable.text) == invoice.total
    assert document.findtext(".//cbc:PaymentID", namespaces=ns) == invoice.reference


def test_an_eletter_batch_zips_pdfs_with_an_index(
    books, customer, accountant, rows, outbox
):
    _bill(customer, channel=DeliveryChannel.ELETTER)
    invoices = [_issue(books, customer, accountant, rows) for _ in range(2)]

    with pytest.raises(ValidationError, match="batch"):
        send_invoice(invoice=invoices[0], user=accountant)
    path = build_eletter_batch(company=books, user=accountant, invoices=invoices)

    with default_storage.open(path) as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    names = sorted(archive.namelist())
    assert names == sorted([f"{i.number}.pdf" for i in invoices] + ["index.csv"])
    assert "Asiakas Oy" in archive.read("index.csv").decode()
