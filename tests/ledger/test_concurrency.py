"""R1 for vouchers: 8 posting threads with failures injected after numbering."""

import datetime
import random
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction

from fixtures import reference
from modules.core.models import Company
from modules.ledger.models import Account, Voucher, VoucherSeries
from modules.ledger.selectors import verify_ledger
from modules.ledger.services import (
    LineInput,
    create_chart_from_template,
    open_fiscal_year,
    post_voucher,
)

THREADS = 8
VOUCHERS_PER_THREAD = 12


class InjectedFailure(Exception):
    """A document failing after its voucher took a number."""


def _post_vouchers(worker, company, committed, errors, start):
    rng = random.Random(worker)
    series = list(VoucherSeries.objects.filter(company=company))
    bank, sales = (
        Account.objects.get(company=company, number=number)
        for number in ("1910", "3000")
    )
    start.wait()
    try:
        for _ in range(VOUCHERS_PER_THREAD):
            amount = Decimal(rng.randint(1, 10_000)) / 100
            chosen = rng.choice(series)
            try:
                with transaction.atomic():
                    voucher = post_voucher(
                        company=company,
                        user=None,
                        series=chosen,
                        date=datetime.date(2026, rng.randint(1, 12), 10),
                        description=f"Worker {worker}",
                        lines=[
                            LineInput(account=bank, debit=amount),
                            LineInput(account=sales, credit=amount),
                        ],
                    )
                    if rng.random() < 0.3:
                        raise InjectedFailure
            except InjectedFailure:
                continue
            committed[chosen.code].append(voucher.number)
    except Exception as error:  # reported to the main thread and asserted
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_r1_concurrent_posting_with_failures_leaves_series_gap_free():
    reference.load()
    company = Company.objects.create(name="Alfa Oy", business_id="2077474-0")
    create_chart_from_template(company=company, user=None)
    open_fiscal_year(
        company=company,
        user=None,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    for code in ("MY", "PA"):
        VoucherSeries.objects.create(company=company, code=code, name=code)
    committed = defaultdict(list)
    errors = []
    start = threading.Barrier(THREADS)
    threads = [
        threading.Thread(
            target=_post_vouchers, args=(n, company, committed, errors, start)
        )
        for n in range(THREADS)
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(len(numbers) for numbers in committed.values()) > THREADS
    for code, numbers in committed.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        stored = Voucher.objects.filter(company=company, series__code=code)
        assert sorted(stored.values_list("number", flat=True)) == sorted(numbers)
    check = verify_ledger(company=company)
    assert check.ok, check.findings
    assert check.vouchers == sum(len(numbers) for numbers in committed.values())
