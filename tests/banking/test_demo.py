"""The banking demo data: a statement with matched and waiting entries."""

import pytest

from fixtures import demo
from modules.banking.models import BankStatement, RecurringCashItem
from modules.banking.selectors import waiting_transactions

pytestmark = pytest.mark.django_db


def test_demo_statement_loads_once_and_leaves_work_in_the_queue(
    reference_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        loaded = demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()

    main = loaded["companies"]["main"]
    statement = BankStatement.objects.get(company=main)
    waiting = {t.counterparty_name for t in waiting_transactions(company=main)}
    assert {"Tuntematon Maksaja", "Nordea"} <= waiting
    assert statement.closing_balance is not None
    assert RecurringCashItem.objects.filter(company=main).count() == 3
