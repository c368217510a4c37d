"""R1 for vouchers, and vouchers changed under by other connections."""

import datetime
import random
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from fixtures import reference
from modules.core.database import run_together
from modules.core.models import Company
from modules.ledger.models import Account, JournalLine, Period, Voucher, VoucherSeries
from modules.ledger.selectors import verify_ledger
from modules.ledger.services import (
    LineInput,
    create_chart_from_template,
    lock_period,
    open_fiscal_year,
    post_voucher,
    prepare_voucher,
    seal_voucher,
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


def _in_another_connection(work):
    """Run `work` on its own connection and commit, as another user would."""
    failures = []

    def run():
        try:
            with transaction.atomic():
                work()
        except Exception as error:  # reported to the test and asserted
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the other connection waited on the draft"
    assert failures == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["lock the period", "close the account"])
def test_voucher_prepared_before_a_lock_or_closing_is_refused_when_sealed(
    books, accountant, series, sale, change
):
    period = Period.objects.get(fiscal_year__company=books, start__month=3)

    with pytest.raises(ValidationError) as error, transaction.atomic():
        prepared = prepare_voucher(
            company=books,
            series=series,
            date=datetime.date(2026, 3, 14),
            description="Cash sale",
            lines=sale(),
        )
        if change == "lock the period":
            _in_another_connection(lambda: lock_period(period=period, user=None))
        else:
            _in_another_connection(
                lambda: Account.objects.filter(company=books, number="3000").update(
                    is_active=False
                )
            )
        seal_voucher(prepared, user=accountant)

    expected = "03/2026 is locked" if change == "lock the period" else "is closed"
    assert expected in error.value.messages[0]
    assert not Voucher.objects.exists()
    assert not JournalLine.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_voucher_is_prepared_only_inside_the_transaction_that_seals_it(
    books, series, sale
):
    # Outside a transaction a draft would be committed on its own and the
    # statements sent together would not share their locks.
    with pytest.raises(TransactionManagementError):
        prepare_voucher(
            company=books,
            series=series,
            date=datetime.date(2026, 3, 14),
            description="Cash sale",
            lines=sale(),
        )
    with pytest.raises(TransactionManagementError):
        run_together(("SELECT 1", []))
    assert not Voucher.objects.exists()
