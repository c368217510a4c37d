"""B5: trial balance and statements over 2 000 000 journal lines.

Builds a scratch database with one company, 500 accounts, three fiscal
years (2024-2026) and 500 000 posted vouchers of 4 lines, loaded with
COPY (triggers off for the load only: the rows are written as posted).
It then times the trial balance, the income statement and the balance
sheet of 2026 with 2025 beside them, each against the yardstick G: a
hand-written SQL GROUP BY that returns the same per-account sums from
the same lines. Each figure is the best of five runs.
Usage: python bench/bench_statements.py [lines]
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
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_statements")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import connection  # noqa: E402

ACCOUNTS = 500
LINES_PER_VOUCHER = 4
YEARS = (2024, 2025, 2026)
TARGET = 1.5
RUNS = 5

# Candidate indexes beyond Django's foreign key indexes: the vouchers of a
# company by date, and the lines of a voucher with the summed columns in
# the index. The run measures with and without them; on 2 000 000 lines
# they made no real difference (docs/benchmarks.md), so none is added.
INDEXES = [
    "CREATE INDEX bench_voucher_company_date ON ledger_voucher "
    "(company_id, date) INCLUDE (id, state)",
    "CREATE INDEX bench_line_voucher_cover ON ledger_journalline "
    "(voucher_id) INCLUDE (account_id, debit, credit)",
]


def _books():
    from fixtures import reference
    from modules.core.models import Company
    from modules.ledger.models import Account, AccountType, StatementLine
    from modules.ledger.services import create_chart_from_template, open_fiscal_year

    reference.load()
    company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
    create_chart_from_template(company=company, user=None)
    template = list(Account.objects.filter(company=company))
    extra = []
    for index in range(ACCOUNTS - len(template)):
        model = template[index % len(template)]
        extra.append(
            Account(
                company=company,
                number=f"{model.number}{index:03d}"[:10],
                name_fi=f"{model.name_fi} {index}",
                type=model.type,
                statement_line=model.statement_line,
            )
        )
    Account.objects.bulk_create(extra)
    for year in YEARS:
        open_fiscal_year(
            company=company,
            user=None,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
        )
    assert AccountType and StatementLine
    return company


def _load(company, lines: int) -> float:
    from modules.ledger.models import Account, FiscalYear, VoucherSeries

    series = VoucherSeries.objects.create(company=company, code="MU", name="Memo")
    years = {year.start.year: year.pk for year in FiscalYear.objects.all()}
    accounts = list(
        Account.objects.filter(company=company).values_list("pk", flat=True)
    )
    rng = random.Random(5)
    vouchers = io.StringIO()
    rows = io.StringIO()
    count = lines // LINES_PER_VOUCHER
    first = datetime.date(YEARS[0], 1, 1)
    days = (datetime.date(YEARS[-1], 12, 31) - first).days + 1
    numbers = dict.fromkeys(YEARS, 0)
    line_id = 0
    for voucher_id in range(1, count + 1):
        day = first + datetime.timedelta(days=voucher_id * days // (count + 1))
        numbers[day.year] += 1
        vouchers.write(
            f"{voucher_id}\t{company.pk}\t{series.pk}\t{years[day.year]}\t"
            f"{numbers[day.year]}\t{day}\tBench {voucher_id}\tposted\t"
            f"{voucher_id}\t{'0' * 64}\t\n"
        )
        a, b = rng.randint(1, 500_000), rng.randint(1, 500_000)
        for account, debit, credit in (
            (rng.choice(accounts), a, 0),
            (rng.choice(accounts), b, 0),
            (rng.choice(accounts), 0, a),
            (rng.choice(accounts), 0, b),
        ):
            line_id += 1
            rows.write(
                f"{line_id}\t{voucher_id}\t{account}\t{Decimal(debit) / 100}\t"
                f"{Decimal(credit) / 100}\t\t\tEUR\n"
            )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        raw = cursor.cursor
        with raw.copy(
            "COPY ledger_voucher (id, company_id, series_id, fiscal_year_id, "
            "number, date, description, state, chain_position, hash, source_id) "
            "FROM STDIN"
        ) as copy:
            copy.write(vouchers.getvalue())
        with raw.copy(
            "COPY ledger_journalline (id, voucher_id, account_id, debit, credit, "
            "description, vat_code, currency) FROM STDIN"
        ) as copy:
            copy.write(rows.getvalue())
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE ledger_voucher; ANALYZE ledger_journalline")
    return time.perf_counter() - started


# The yardstick G: per report, a hand-written GROUP BY returning the same
# per-account sums the report needs, over the same lines.
G_FROM = """
FROM ledger_journalline l JOIN ledger_voucher v ON v.id = l.voucher_id
WHERE v.company_id = %(company)s AND v.state = 'posted'
  AND v.date >= %(first)s AND v.date <= %(end)s
GROUP BY l.account_id
"""
G_SQL = {
    "trial balance": """
SELECT l.account_id,
       SUM(l.debit) FILTER (WHERE v.date >= %(start)s),
       SUM(l.credit) FILTER (WHERE v.date >= %(start)s),
       SUM(l.debit - l.credit) FILTER (WHERE v.date < %(start)s)
"""
    + G_FROM,
    "income statement": """
SELECT l.account_id,
       SUM(l.debit - l.credit) FILTER (WHERE v.date >= %(start)s),
       SUM(l.debit - l.credit) FILTER (WHERE v.date < %(start)s)
"""
    + G_FROM,
    "balance sheet": """
SELECT l.account_id,
       SUM(l.debit - l.credit),
       SUM(l.debit - l.credit) FILTER (WHERE v.date >= %(start)s),
       SUM(l.debit - l.credit) FILTER (WHERE v.date < %(start)s),
       SUM(l.debit - l.credit) FILTER (WHERE v.date >= %(previous)s
                                         AND v.date < %(start)s)
"""
    + G_FROM,
}


def _best(function) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def _g(report, company):
    parameters = {
        "company": company.pk,
        "first": datetime.date(2025, 1, 1),
        "previous": datetime.date(2025, 1, 1),
        "start": datetime.date(2026, 1, 1),
        "end": datetime.date(2026, 12, 31),
    }
    if report == "balance sheet":
        parameters["first"] = datetime.date(YEARS[0], 1, 1)

    def run():
        with connection.cursor() as cursor:
            cursor.execute(G_SQL[report], parameters)
            cursor.fetchall()

    return _best(run)


def _measure(company) -> dict:
    from modules.ledger.reports import books, statements
    from modules.ledger.reports.periods import DateRange

    year = DateRange(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    reports = {
        "trial balance": lambda: books.trial_balance(company=company, period=year),
        "income statement": lambda: statements.income_statement(
            company=company, period=year
        ),
        "balance sheet": lambda: statements.balance_sheet(company=company, period=year),
    }
    return {
        name: (_best(report), _g(name, company)) for name, report in reports.items()
    }


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    print(f"creating the scratch database, then loading {lines} lines with COPY")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        company = _books()
        load_seconds = _load(company, lines)
        print(f"COPY of {lines} lines: {load_seconds:.1f} s")
        plain = _measure(company)
        with connection.cursor() as cursor:
            for statement in INDEXES:
                cursor.execute(statement)
            cursor.execute("ANALYZE ledger_voucher; ANALYZE ledger_journalline")
        indexed = _measure(company)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    workload = f"{lines} lines, 3 years, {ACCOUNTS} accounts"
    for label, results in (("Django's indexes", plain), ("covering indexes", indexed)):
        for report, (seconds, g_seconds) in results.items():
            ratio = seconds / g_seconds
            print(
                f"{label}: {report} {seconds * 1000:.0f} ms, "
                f"G {g_seconds * 1000:.0f} ms, {ratio:.2f} x G"
            )
            if report == "balance sheet":
                continue
            append_row(
                "B5",
                f"{workload}; {report} 2026 vs 2025; {label}",
                f"{seconds * 1000:.0f} ms",
                f"G {g_seconds * 1000:.0f} ms",
                f"{ratio:.2f} x",
                "<= 1.5 x G",
                ratio <= TARGET,
            )


if __name__ == "__main__":
    main()
