"""Bank files from a watched folder, fetched by the beat task."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fixtures.bank_files import Payment, camt054
from modules.banking.channels import folder_path
from modules.banking.models import BankConnection, BankStatement, Channel
from modules.banking.tasks import poll_bank_channels

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_root(tmp_path, settings):
    settings.BANK_FILES_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def watched(company_a, account_a, bank_root):
    BankConnection.objects.create(
        company=company_a, bank_account=account_a, channel=Channel.FOLDER, folder="main"
    )
    folder = bank_root / "main"
    folder.mkdir()
    return folder


def test_files_in_the_folder_are_imported_once_and_moved_aside(watched):
    (watched / "054.xml").write_bytes(camt054([Payment(Decimal("9.00"))]))
    (watched / "broken.xml").write_bytes(b"<Document>")

    poll_bank_channels()
    (watched / "again.xml").write_bytes(camt054([Payment(Decimal("9.00"))]))
    poll_bank_channels()

    assert BankStatement.objects.count() == 1
    assert BankStatement.objects.get().source == BankStatement.Source.CHANNEL
    assert sorted(p.name for p in (watched / "imported").iterdir()) == [
        "054.xml",
        "again.xml",
    ]
    assert [p.name for p in (watched / "failed").iterdir()] == ["broken.xml"]
    assert BankConnection.objects.get().last_polled_at is not None


@pytest.mark.parametrize("name", ["../outside", "/etc", "", "."])
def test_a_folder_outside_the_bank_directory_is_refused(bank_root, name):
    with pytest.raises(ValidationError):
        folder_path(name)
