"""A real Celery worker polls the bank channel and books matched payments."""

import os
import time
from decimal import Decimal

import pytest

from fixtures.bank_files import Payment, camt054
from modules.banking.models import BankConnection, BankStatement, Channel
from modules.banking.tasks import poll_bank_channels
from tests.jobs.test_worker import (  # noqa: F401 - fixtures used by name
    broker,
    publish_to_broker,
    worker,
)

pytestmark = pytest.mark.worker


@pytest.fixture(scope="module")
def bank_root(tmp_path_factory):
    """A bank file directory the worker process also sees."""
    root = tmp_path_factory.mktemp("bank")
    previous = os.environ.get("BANK_FILES_DIR")
    os.environ["BANK_FILES_DIR"] = str(root)
    yield root
    if previous is None:
        os.environ.pop("BANK_FILES_DIR")
    else:
        os.environ["BANK_FILES_DIR"] = previous


def test_worker_imports_a_file_dropped_in_the_watched_folder(
    bank_root,
    worker,  # noqa: F811 - the fixture imported above
    transactional_db,
    company_a,
    account_a,
):
    BankConnection.objects.create(
        company=company_a, bank_account=account_a, channel=Channel.FOLDER, folder="w"
    )
    (bank_root / "w").mkdir()
    (bank_root / "w" / "054.xml").write_bytes(camt054([Payment(Decimal("3.00"))]))

    poll_bank_channels.apply_async()

    deadline = time.monotonic() + 60
    while not BankStatement.objects.exists() and time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail("The worker stopped.")
        time.sleep(0.2)
    assert BankStatement.objects.get().transaction_count == 1
    assert (bank_root / "w" / "imported" / "054.xml").exists()
