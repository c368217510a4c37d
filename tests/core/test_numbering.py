"""Gap-free number series, including R1: numbering under concurrency."""

import random
import threading
from collections import defaultdict

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from fixtures import reference
from modules.core.models import Company, NumberSeries
from modules.core.numbering import format_number, next_number
from tests.sample.models import Gadget


def test_first_number_of_a_new_series_is_one(company_a):
    issued = next_number(company=company_a, series="invoice", year=2026)

    assert issued.number == 1
    assert str(issued) == "2026-00001"


def test_numbers_follow_each_other_per_company_series_and_year(company_a, company_b):
    taken = [
        next_number(company=company_a, series="invoice", year=2026).number,
        next_number(company=company_a, series="invoice", year=2026).number,
        next_number(company=company_a, series="voucher", year=2026).number,
        next_number(company=company_a, series="invoice", year=2027).number,
        next_number(company=company_b, series="invoice", year=2026).number,
        next_number(company=company_a, series="invoice", year=2026).number,
    ]

    assert taken == [1, 2, 1, 1, 1, 3]


def test_a_new_year_keeps_the_prefix_and_padding_of_the_last(company_a):
    NumberSeries.objects.create(
        company=company_a, code="invoice", year=2025, prefix="INV-", padding=3
    )

    issued = next_number(company=company_a, series="invoice", year=2026)

    assert issued.text == "INV-2026-001"


def test_series_may_start_where_an_old_system_stopped(company_a):
    NumberSeries.objects.create(
        company=company_a, code="invoice", year=2026, next_number=1043
    )

    issued = next_number(company=company_a, series="invoice", year=2026)

    assert issued.number == 1043


@pytest.mark.parametrize(
    ("prefix", "year", "number", "padding", "text"),
    [
        ("", 2026, 42, 5, "2026-00042"),
        ("LASKU-", 2026, 7, 3, "LASKU-2026-007"),
        ("T", 2027, 123456, 4, "T2027-123456"),
    ],
)
def test_numbers_are_printed_with_prefix_year_and_zero_padding(
    prefix, year, number, padding, text
):
    assert (
        format_number(prefix=prefix, year=year, number=number, padding=padding) == text
    )


def test_a_rolled_back_document_gives_its_number_back(company_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number(company=company_a, series="invoice", year=2026)
        raise RuntimeError("the invoice could not be stored")

    issued = next_number(company=company_a, series="invoice", year=2026)

    assert issued.number == 1


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_is_refused():
    reference.load()
    company = Company.objects.create(name="Alfa Oy", business_id="2077474-0")

    with pytest.raises(TransactionManagementError):
        next_number(company=company, series="invoice", year=2026)

    assert not NumberSeries.objects.exists()


class InjectedFailure(Exception):
    """A document failing after it took its number."""


THREADS = 16
DOCUMENTS_PER_THREAD = 25


def _take_numbers(worker, companies, committed, errors, start):
    rng = random.Random(worker)
    start.wait()
    try:
        for _ in range(DOCUMENTS_PER_THREAD):
            company = rng.choice(companies)
            series = rng.choice(["invoice", "voucher"])
            try:
                with transaction.atomic():
                    issued = next_number(company=company, series=series, year=2026)
                    Gadget.objects.create(
                        company=company,
                        code=f"{series[0]}{issued.number}",
                        name=issued.text,
                    )
                    if rng.random() < 0.3:
                        raise InjectedFailure
            except InjectedFailure:
                continue
            committed[(company.pk, series)].append(issued.number)
    except Exception as error:  # reported to the main thread and asserted
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_r1_concurrent_numbering_with_failures_leaves_every_series_gap_free():
    reference.load()
    companies = [
        Company.objects.create(name="Alfa Oy", business_id="2077474-0"),
        Company.objects.create(name="Beta Ab", business_id="0737546-2"),
    ]
    committed = defaultdict(list)
    errors = []
    start = threading.Barrier(THREADS)
    threads = [
        threading.Thread(
            target=_take_numbers, args=(n, companies, committed, errors, start)
        )
        for n in range(THREADS)
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(len(numbers) for numbers in committed.values()) > THREADS
    for (company_id, series), numbers in committed.items():
        count = len(numbers)
        assert sorted(numbers) == list(range(1, count + 1))
        stored = Gadget.objects.filter(
            company_id=company_id, code__startswith=series[0]
        )
        assert sorted(int(g.code[1:]) for g in stored) == list(range(1, count + 1))
        row = NumberSeries.objects.get(company_id=company_id, code=series, year=2026)
        assert row.next_number == count + 1
    assert NumberSeries.objects.count() == len(committed)
