"""Invoice numbers under concurrency: threads on the real database."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from modules.invoicing.models import SalesInvoice
from modules.invoicing.services import create_and_issue_invoice
from tests.invoicing.conftest import ROWS

THREADS = 8
PER_THREAD = 4


@pytest.mark.django_db(transaction=True)
def test_threads_issuing_at_once_leave_no_gap_and_no_duplicate(
    books, customer, accountant
):
    errors = []

    def work(index):
        try:
            for round_ in range(PER_THREAD):
                try:
                    with transaction.atomic():
                        create_and_issue_invoice(
                            company=books,
                            user=accountant,
                            customer=customer,
                            lines=ROWS,
                            invoice_date=datetime.date(2026, 5, 4),
                        )
                        if (index + round_) % 3 == 0:
                            # A failure after the number was taken.
                            raise ValidationError("injected")
                except ValidationError:
                    pass
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(
        int(number.split("-")[1])
        for number in SalesInvoice.objects.exclude(number="").values_list(
            "number", flat=True
        )
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == sum(
        1 for i in range(THREADS) for r in range(PER_THREAD) if (i + r) % 3
    )
