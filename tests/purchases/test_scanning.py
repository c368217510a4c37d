"""Scanned and emailed invoices: text read (OCR for scans) and fields proposed."""

import datetime
import subprocess
from decimal import Decimal

import pytest
import weasyprint

from integrations.barcode.reader import BarcodeError, parse_virtual_barcode
from modules.purchases.models import InvoiceState
from modules.purchases.scanning import parse_amount, propose_fields
from modules.purchases.services import receive_document

pytestmark = pytest.mark.django_db

INVOICE_HTML = """
<html><body style="font-family: DejaVu Sans; font-size: 14pt">
<h1>LASKU</h1>
<p>Pullin Musiikki Oy<br>Y-tunnus 6666666-5</p>
<p>Ostaja: Alfa Oy, Y-tunnus 2077474-0</p>
<p>Laskun numero: 2026-0042</p>
<p>Laskun päivämäärä: 15.11.2026</p>
<p>Eräpäivä: 29.11.2026</p>
<p>Arvonlisävero 25,5 %: 255,00</p>
<p>Maksettava yhteensä: 1 255,00 EUR</p>
<p>IBAN: FI49 5000 9420 0287 30</p>
<p>Viitenumero: 12345 67907</p>
</body></html>
"""


def text_pdf() -> bytes:
    return weasyprint.HTML(string=INVOICE_HTML).write_pdf()


def scanned_png(tmp_path) -> bytes:
    """The same invoice as a 300 dpi greyscale image, as a scanner gives it."""
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(text_pdf())
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", pdf, tmp_path / "s"],
        check=True,
    )
    return (tmp_path / "s.png").read_bytes()


def assert_proposed(invoice, supplier):
    assert invoice.supplier == supplier
    assert invoice.supplier_business_id == "6666666-5"
    assert invoice.invoice_number == "2026-0042"
    assert invoice.invoice_date == datetime.date(2026, 11, 15)
    assert invoice.due_date == datetime.date(2026, 11, 29)
    assert invoice.total == Decimal("1255.00")
    assert invoice.vat_amount == Decimal("255.00")
    assert invoice.iban == "FI4950009420028730"
    assert invoice.reference == "1234567907"


def test_pdf_with_text_proposes_the_fields(company_a, clerk, supplier):
    result = receive_document(
        company=company_a,
        data=text_pdf(),
        filename="lasku.pdf",
        content_type="application/pdf",
        user=clerk,
    )

    [invoice] = result.created
    assert invoice.state == InvoiceState.RECEIVED
    assert_proposed(invoice, supplier)


def test_scanned_image_is_read_with_ocr(company_a, clerk, supplier, tmp_path):
    result = receive_document(
        company=company_a,
        data=scanned_png(tmp_path),
        filename="scan.png",
        content_type="image/png",
        user=clerk,
    )

    [invoice] = result.created
    assert_proposed(invoice, supplier)
    assert invoice.files.get().content_type == "image/png"


def test_broken_pdf_needs_attention_and_is_kept(company_a, clerk):
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"

    result = receive_document(
        company=company_a,
        data=broken,
        filename="broken.pdf",
        content_type="application/pdf",
        user=clerk,
    )

    [invoice] = result.needs_attention
    assert "damaged" in invoice.problem
    assert invoice.files.get().document.file.read() == broken


def test_image_with_nothing_readable_needs_attention(company_a, clerk, tmp_path):
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(weasyprint.HTML(string="<p></p>").write_pdf())
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-singlefile", blank, tmp_path / "b"],
        check=True,
    )

    result = receive_document(
        company=company_a,
        data=(tmp_path / "b.png").read_bytes(),
        filename="blank.png",
        content_type="image/png",
        user=clerk,
    )

    [invoice] = result.needs_attention
    assert "No text could be read" in invoice.problem


def test_unknown_file_type_needs_attention(company_a, clerk):
    result = receive_document(
        company=company_a,
        data=b"PK\x03\x04 a zip file",
        filename="x.zip",
        content_type="application/zip",
        user=clerk,
    )

    [invoice] = result.needs_attention
    assert "not a PDF" in invoice.problem


@pytest.mark.parametrize(
    "code, iban, amount, reference, due",
    [
        (
            "437159030000007760000122500000000000000000011112161221",
            "FI3715903000000776",
            "12.25",
            "11112",
            datetime.date(2016, 12, 21),
        ),
        (
            "537159030000007760000011098000000000000000011112170101",
            "FI3715903000000776",
            "1.10",
            "RF9811112",
            datetime.date(2017, 1, 1),
        ),
        (
            "449500094200287300001002000000000000001234567907201212",
            "FI4950009420028730",
            "100.20",
            "1234567907",
            datetime.date(2020, 12, 12),
        ),
    ],
)
def test_virtual_barcode_vectors(code, iban, amount, reference, due):
    parsed = parse_virtual_barcode(code)

    assert parsed.iban == iban
    assert parsed.amount == Decimal(amount)
    assert parsed.reference == reference
    assert parsed.due_date == due


def test_barcode_with_a_wrong_reference_is_refused():
    with pytest.raises(BarcodeError):
        parse_virtual_barcode("437159030000007760000122500000000000000000011113161221")


def test_barcode_in_the_text_settles_payment_fields():
    text = "Lasku\n4 37159030000007760000122500000000000000000011112161221\n"

    proposal = propose_fields(text)

    assert proposal.iban == "FI3715903000000776"
    assert proposal.total == Decimal("12.25")
    assert proposal.reference == "11112"
    assert "barcode" in proposal.found


@pytest.mark.parametrize(
    "text, value",
    [("1 234,56", "1234.56"), ("1.234,56", "1234.56"), ("99.90", "99.90")],
)
def test_amounts_in_finnish_and_english_notation(text, value):
    assert parse_amount(text) == Decimal(value)
