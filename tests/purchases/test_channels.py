"""Invoices arriving by an operator's folder and by mail, without upload."""

import mailbox
from email.message import EmailMessage

import pytest

from modules.purchases import tasks
from modules.purchases.models import InvoiceState, PurchaseInvoice, PurchaseSettings

from .conftest import finvoice, soap_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(tmp_path, settings):
    settings.EINVOICE_FILES_DIR = str(tmp_path)
    return tmp_path


def test_operator_files_are_received_once_and_moved_aside(root, company_a, supplier):
    PurchaseSettings.objects.create(company=company_a, einvoice_folder="operator")
    inbox = root / "operator"
    inbox.mkdir()
    (inbox / "batch-1.xml").write_bytes(soap_batch(finvoice("1"), finvoice("2")))
    (inbox / "broken.xml").write_bytes(b"<Finvoice><InvoiceDetails>")

    tasks.poll_invoice_channels()
    (inbox / "batch-1.xml").write_bytes(soap_batch(finvoice("1"), finvoice("2")))
    tasks.poll_invoice_channels()

    invoices = PurchaseInvoice.objects.filter(company=company_a)
    assert sorted(invoices.values_list("invoice_number", flat=True)) == ["", "1", "2"]
    broken = invoices.get(invoice_number="")
    assert broken.state == InvoiceState.NEEDS_ATTENTION
    assert broken.files.get().document.file.read() == b"<Finvoice><InvoiceDetails>"
    assert sorted(p.name for p in (inbox / "imported").iterdir()) == [
        "batch-1.xml",
        "broken.xml",
    ]
    assert not list(inbox.glob("*.xml"))


def test_folder_outside_the_einvoice_directory_is_refused(root, company_a):
    PurchaseSettings.objects.create(company=company_a, einvoice_folder="../etc")

    with pytest.raises(Exception, match="not a folder name"):
        tasks.poll_invoice_channels()


def _mail(subject, attachments):
    message = EmailMessage()
    message["From"] = "laskut@pullin.example"
    message["To"] = "ostolaskut@alfa.example"
    message["Subject"] = subject
    message.set_content("Liitteenä lasku.")
    for name, maintype, subtype, data in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def test_mail_attachments_become_inbox_invoices_once(root, company_a, supplier):
    box = mailbox.Maildir(root / "mail", create=True)
    box.add(_mail("Lasku 5", [("lasku.xml", "application", "xml", finvoice("5"))]))
    box.add(_mail("Hei", []))
    PurchaseSettings.objects.create(
        company=company_a,
        mailbox=PurchaseSettings.Mailbox.MAILDIR,
        mailbox_folder="mail",
    )

    tasks.poll_invoice_channels()
    tasks.poll_invoice_channels()

    invoices = PurchaseInvoice.objects.filter(company=company_a)
    assert invoices.count() == 2
    received = invoices.get(invoice_number="5")
    assert received.supplier == supplier
    kept = invoices.exclude(pk=received.pk).get()
    assert kept.state == InvoiceState.NEEDS_ATTENTION
    assert "no PDF, image or e-invoice" in kept.problem
    assert all("S" in message.get_flags() for message in box)
