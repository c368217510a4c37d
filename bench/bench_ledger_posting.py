"""B1: ledger posting through the service against a COPY of the same rows.

Posts N vouchers of 5 lines each (default 20 000) in one batch through
`modules.ledger.batch.post_vouchers`, with the balance check of every
voucher (in Python and by the database trigger), row locks, gap-free
numbering, hash chain and audit entry, in a scratch test database.
The yardstick C copies the same vouchers and lines with psycopg's COPY into
tables made LIKE the ledger's (same columns, indexes and constraints, no
triggers or foreign keys). Both figures are journal lines per second.
Usage: python bench/bench_ledger_posting.py [vouchers]
"""

import datetime
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_ledger")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import connection  # noqa: E402

LINES_PER_VOUCHER = 5
TARGET = 0.25


def _books():
    from fixtures import reference
    from modules.core.models import Company
    from modules.ledger.models import Account, VoucherSeries
    from modules.ledger.services import create_chart_from_template, open_fiscal_year

    reference.load()
    company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
    create_chart_from_template(company=company, user=None)
    open_fiscal_year(
        company=company,
        user=None,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    series = VoucherSeries.objects.create(company=company, code="MU", name="Memo")
    accounts = list(Account.objects.filter(company=company).order_by("number"))
    return company, series, accounts


def _workload(accounts, count):
    from modules.ledger.services import LineInput

    rng = random.Random(1)
    vouchers = []
    for index in range(count):
        amounts = [Decimal(rng.randint(1, 100_000)) / 100 for _ in range(4)]
        chosen = rng.sample(accounts, LINES_PER_VOUCHER)
        lines = [
            LineInput(account=account, debit=amount)
            for account, amount in zip(chosen, amounts, strict=False)
        ]
        lines.append(LineInput(account=chosen[-1], credit=sum(amounts)))
        date = datetime.date(2026, 1, 1) + datetime.timedelta(days=index % 365)
        vouchers.append((date, f"Voucher {index}", lines))
    return vouchers


def _post_all(company, series, vouchers) -> float:
    from modules.ledger.batch import VoucherInput, post_vouchers

    started = time.perf_counter()
    post_vouchers(
        company=company,
        user=None,
        series=series,
        vouchers=[
            VoucherInput(date=date, description=description, lines=lines)
            for date, description, lines in vouchers
        ],
    )
    return time.perf_counter() - started


def _copy_all(company, series, vouchers) -> float:
    fiscal_year = company.fiscal_years.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_voucher (LIKE ledger_voucher INCLUDING ALL);"
            "CREATE TABLE bench_journalline (LIKE ledger_journalline INCLUDING ALL)"
        )
        voucher_rows = io.StringIO()
        line_rows = io.StringIO()
        line_id = 0
        for number, (date, description, lines) in enumerate(vouchers, start=1):
            voucher_rows.write(
                f"{number}\t{company.pk}\t{series.pk}\t{fiscal_year.pk}\t{number}\t"
                f"{date}\t{description}\tposted\t{number}\t{'0' * 64}\t\n"
            )
            for line in lines:
                line_id += 1
                line_rows.write(
                    f"{line_id}\t{number}\t{line.account.pk}\t{line.debit}\t"
                    f"{line.credit}\t\t\t\tEUR\n"
                )
        started = time.perf_counter()
        raw = cursor.cursor
        with raw.copy(
            "COPY bench_voucher (id, company_id, series_id, fiscal_year_id, number, "
            "date, description, state, chain_position, hash, source_id) FROM STDIN"
        ) as copy:
            copy.write(voucher_rows.getvalue())
        with raw.copy(
            "COPY bench_journalline (id, voucher_id, account_id, debit, credit, "
            "description, vat_code, vat_role, currency) FROM STDIN"
        ) as copy:
            copy.write(line_rows.getvalue())
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_voucher; DROP TABLE bench_journalline")
    return elapsed


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    print(f"creating the scratch database, then posting {count} vouchers")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from modules.ledger.selectors import verify_ledger

        company, series, accounts = _books()
        vouchers = _workload(accounts, count)
        service_seconds = _post_all(company, series, vouchers)
        check = verify_ledger(company=company)
        copy_seconds = _copy_all(company, series, vouchers)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    lines = count * LINES_PER_VOUCHER
    service_rate = lines / service_seconds
    copy_rate = lines / copy_seconds
    ratio = service_rate / copy_rate
    print(f"workload: {count} vouchers x {LINES_PER_VOUCHER} lines")
    print(f"post_vouchers: {service_seconds:.1f} s, {service_rate:.0f} lines/s")
    print(f"COPY: {copy_seconds:.2f} s, {copy_rate:.0f} lines/s")
    print(f"ratio {ratio:.1%}; ledger check ok: {check.ok} ({check.vouchers})")
    append_row(
        "B1",
        f"{count} x {LINES_PER_VOUCHER} lines",
        f"{service_rate:.0f} lines/s",
        f"C {copy_rate:.0f} rows/s",
        f"{ratio:.1%}",
        ">= 25 %",
        check.ok and ratio >= TARGET,
    )


if __name__ == "__main__":
    main()
