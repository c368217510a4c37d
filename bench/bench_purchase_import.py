"""Purchase invoice reception: a Finvoice batch, and OCR of one scan.

1. A SOAP-framed batch of N Finvoice messages (default 1 000) from known
   suppliers goes through `receive_einvoice`: splitting, safe parsing,
   supplier recognition, duplicate check, pre-accounting learned from each
   supplier's earlier invoice and archiving of every message. Figure:
   invoices per second; target >= 50/s.
2. One 300 dpi one-page scan through `receive_document` against the plain
   `tesseract` command on the same image; target <= 2 x.
Usage: python bench/bench_purchase_import.py [messages] [--no-record]
(--no-record prints the figures without writing docs/benchmarks.md.)
"""

import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_purchases")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import connection  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "data" / "finvoice-example.xml"
SUPPLIERS = 50
RATE_TARGET = 50
OCR_TARGET = 2.0


def _company():
    from stdnum.fi import ytunnus

    from fixtures import reference
    from modules.core.models import Company
    from modules.crm.models import Organisation
    from modules.ledger.models import Account
    from modules.ledger.services import create_chart_from_template
    from modules.purchases.models import AccountingRow, PurchaseInvoice

    reference.load()
    company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
    create_chart_from_template(company=company, user=None)
    expense = Account.objects.get(company=company, number="4500")
    ids = []
    for number in range(1000000, 1000000 + SUPPLIERS * 20):
        for check in "0123456789":
            business_id = f"{number}-{check}"
            if ytunnus.is_valid(business_id):
                ids.append(business_id)
                break
        if len(ids) == SUPPLIERS:
            break
    for index, business_id in enumerate(ids):
        supplier = Organisation.objects.create(
            company=company, name=f"Toimittaja {index}", business_id=business_id
        )
        earlier = PurchaseInvoice.objects.create(
            company=company,
            channel="manual",
            source_key=f"earlier-{index}",
            supplier=supplier,
            total=Decimal("124.00"),
            vat_amount=Decimal("24.00"),
        )
        AccountingRow.objects.create(
            invoice=earlier,
            account=expense,
            vat_code="purchase_general",
            net_amount=Decimal("100.00"),
        )
    return company, ids


def _batch(count, business_ids) -> bytes:
    template = EXAMPLE.read_text("utf-8")
    parts = []
    for n in range(count):
        message = (
            template.replace(
                "<InvoiceNumber>123456</InvoiceNumber>",
                f"<InvoiceNumber>B{n}</InvoiceNumber>",
            )
            .replace(
                "<SellerPartyIdentifier>6666666-5</SellerPartyIdentifier>",
                f"<SellerPartyIdentifier>{business_ids[n % len(business_ids)]}"
                "</SellerPartyIdentifier>",
            )
            # A reference of its own, so that same amount + reference does
            # not flag the messages as duplicates of each other.
            .replace("RF911234567890120", f"RF00{n:08d}")
        )
        parts.append(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/'
            'envelope/" xmlns:eb="http://www.oasis-open.org/committees/ebxml-msg/'
            'schema/msg-header-2_0.xsd"><SOAP-ENV:Header><eb:MessageHeader>'
            f"<eb:MessageData><eb:MessageId>bench-{n}</eb:MessageId>"
            "</eb:MessageData></eb:MessageHeader></SOAP-ENV:Header>"
            "<SOAP-ENV:Body/></SOAP-ENV:Envelope>\n"
            '<?xml version="1.0" encoding="UTF-8"?>\n' + message + "\n"
        )
    return "".join(parts).encode()


def _scan(workdir: Path) -> Path:
    import weasyprint

    html = (
        "<body style='font-family: DejaVu Sans; font-size: 13pt'><h1>LASKU</h1>"
        "<p>Toimittaja Oy, Y-tunnus 6666666-5</p><p>Laskun numero: 4711</p>"
        "<p>Laskun päivämäärä: 15.11.2026</p><p>Eräpäivä: 29.11.2026</p>"
        + "".join(f"<p>Rivi {n}: tuote {n}, 10,00</p>" for n in range(20))
        + "<p>Arvonlisävero 25,5 %: 51,00</p><p>Maksettava yhteensä: 251,00</p>"
        "<p>IBAN: FI49 5000 9420 0287 30</p><p>Viitenumero: 12345 67907</p></body>"
    )
    pdf = workdir / "scan.pdf"
    pdf.write_bytes(weasyprint.HTML(string=html).write_pdf())
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", pdf, workdir / "s"],
        check=True,
    )
    return workdir / "s.png"


def main():
    from modules.purchases.models import PurchaseInvoice
    from modules.purchases.services import receive_document, receive_einvoice

    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    count = int(args[0]) if args else 1000
    record = "--no-record" not in sys.argv
    report = append_row if record else (lambda *row: " | ".join(map(str, row)))
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        company, business_ids = _company()
        data = _batch(count, business_ids)
        queries = []
        started = time.perf_counter()
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: (
                queries.append(sql),
                execute(sql, params, many, context),
            )[1]
        ):
            result = receive_einvoice(
                company=company, data=data, filename="batch.xml", user=None
            )
        seconds = time.perf_counter() - started
        assert len(result.created) == count, result
        rate = count / seconds
        suggested = PurchaseInvoice.objects.filter(
            company=company,
            accounting_rows__isnull=False,
            source_key__startswith="finvoice:",
        ).count()
        print(f"{count} messages in {seconds:.2f} s: {rate:.0f} invoices/s")
        print(f"queries per invoice: {len(queries) / count:.1f}")
        attention = PurchaseInvoice.objects.filter(
            company=company, state="needs_attention"
        ).count()
        print(f"pre-accounted from history: {suggested}, need attention: {attention}")
        print(
            report(
                "P1",
                f"Finvoice batch of {count}, {len(business_ids)} suppliers",
                f"{rate:.0f} invoices/s",
                "-",
                "-",
                f">= {RATE_TARGET}/s",
                rate >= RATE_TARGET,
            )
        )

        with tempfile.TemporaryDirectory() as tmp:
            image = _scan(Path(tmp))
            started = time.perf_counter()
            subprocess.run(
                ["tesseract", image, "stdout", "-l", "fin+swe+eng"],
                check=True,
                capture_output=True,
            )
            plain = time.perf_counter() - started
            started = time.perf_counter()
            scanned = receive_document(
                company=company,
                data=image.read_bytes(),
                filename="scan.png",
                content_type="image/png",
                user=None,
            )
            ours = time.perf_counter() - started
        [invoice] = scanned.created
        ratio = ours / plain
        print(f"OCR: ours {ours:.2f} s, tesseract {plain:.2f} s, {ratio:.2f} x")
        print(f"read: {invoice.invoice_number} {invoice.total} {invoice.reference}")
        print(
            report(
                "P2",
                "OCR of a one-page 300 dpi scan",
                f"{ours:.2f} s",
                f"tesseract {plain:.2f} s",
                f"{ratio:.2f} x",
                f"<= {OCR_TARGET} x",
                ratio <= OCR_TARGET,
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
