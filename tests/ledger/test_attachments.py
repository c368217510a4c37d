"""Source documents attached to vouchers, checked by the auditor's check."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from wagtail.documents.models import Document

from modules.ledger.selectors import verify_ledger
from modules.ledger.services import attach_document, post_voucher


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def receipt():
    document = Document(title="Receipt 17")
    document.file.save("receipt-17.pdf", ContentFile(b"%PDF-1.4 receipt"))
    document.save()
    return document


@pytest.fixture
def posted(books, accountant, series, sale):
    return post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=datetime.date(2026, 6, 1),
        description="Cash sale",
        lines=sale(),
    )


def test_attached_document_keeps_its_checksum(posted, accountant, receipt, books):
    attachment = attach_document(voucher=posted, user=accountant, document=receipt)

    assert list(posted.attachments.all()) == [attachment]
    assert len(attachment.sha256) == 64
    assert verify_ledger(company=books).ok


def test_changed_document_file_is_reported(posted, accountant, receipt, books):
    attach_document(voucher=posted, user=accountant, document=receipt)
    with open(receipt.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 forged")

    result = verify_ledger(company=books)

    assert "Receipt 17 of voucher MU 1" in result.first("attachments").message


def test_attachment_cannot_be_removed_even_with_sql(posted, accountant, receipt):
    attachment = attach_document(voucher=posted, user=accountant, document=receipt)

    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "DELETE FROM ledger_voucherattachment WHERE id = %s", [attachment.pk]
        )

    assert posted.attachments.count() == 1
