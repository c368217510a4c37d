"""B2: interactive invoice posting, 8 threads for 60 s on one number series.

Each thread writes and issues 3-line invoices through
`modules.invoicing.services.create_and_issue_invoice` (draft, gap-free
number, reference, voucher through the ledger) as fast as it can, in a
scratch test database. Reported: the 95th percentile of the time one
invoice takes, and whether the issued numbers run 1..N without gaps or
duplicates. Target: p95 <= 150 ms.
Usage: python bench/bench_invoice_posting.py [seconds] [threads]
"""

import datetime
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_invoicing")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import connection  # noqa: E402

TARGET_MS = 150
ROWS = [
    {"description": "Consulting", "quantity": "3", "unit_price": "95.00"},
    {"description": "Travel", "quantity": "1", "unit_price": "42.00"},
    {
        "description": "Book",
        "quantity": "2",
        "unit_price": "19.90",
        "vat_code": "sales_reduced_14",
    },
]


def _setup():
    from fixtures import reference
    from modules.core.models import BankAccount, Company
    from modules.crm.models import Organisation
    from modules.invoicing import rates
    from modules.invoicing.services import ensure_invoicing_settings
    from modules.ledger.services import create_chart_from_template, open_fiscal_year

    reference.load()
    rates.load()
    company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
    create_chart_from_template(company=company, user=None)
    open_fiscal_year(
        company=company,
        user=None,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    BankAccount.objects.create(
        company=company, name="Main", iban="FI4950009420028730", is_default=True
    )
    ensure_invoicing_settings(company=company)
    customer = Organisation.objects.create(company=company, name="Asiakas Oy")
    return company, customer


def _run(company, customer, seconds, threads):
    from modules.invoicing.services import create_and_issue_invoice

    timings: list[float] = []
    failures: list[str] = []
    deadline = time.monotonic() + seconds

    def work():
        try:
            while time.monotonic() < deadline:
                start = time.perf_counter()
                create_and_issue_invoice(
                    company=company,
                    user=None,
                    customer=customer,
                    lines=ROWS,
                    invoice_date=datetime.date(2026, 6, 1),
                )
                timings.append(time.perf_counter() - start)
        except Exception as error:
            failures.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return timings, failures


def _numbers_are_gap_free(company) -> tuple[int, bool]:
    from modules.invoicing.models import SalesInvoice

    numbers = sorted(
        int(text.split("-")[1])
        for text in SalesInvoice.objects.filter(company=company)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    return len(numbers), numbers == list(range(1, len(numbers) + 1))


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False
    )
    try:
        company, customer = _setup()
        timings, failures = _run(company, customer, seconds, threads)
        count, gap_free = _numbers_are_gap_free(company)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    p95 = statistics.quantiles(timings, n=20)[18] * 1000 if len(timings) > 1 else 0
    median = statistics.median(timings) * 1000 if timings else 0
    print(f"{threads} threads, {seconds} s: {count} invoices, {len(failures)} errors")
    print(f"median {median:.1f} ms, p95 {p95:.1f} ms, numbers gap-free: {gap_free}")
    for failure in failures[:5]:
        print("error:", failure)
    met = p95 <= TARGET_MS and gap_free and not failures and count == len(timings)
    print(
        append_row(
            "B2",
            f"{threads} threads x {seconds} s, 3-line invoices, one series",
            f"p95 {p95:.0f} ms (median {median:.0f} ms), {count} invoices, "
            f"gap-free {'yes' if gap_free else 'no'}",
            "-",
            "-",
            f"p95 <= {TARGET_MS} ms; no gaps, no duplicates",
            met,
        ),
        end="",
    )


if __name__ == "__main__":
    main()
