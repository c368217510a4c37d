"""B6: a camt.054 of 10 000 payments matched against 50 000 open invoices.

Builds a camt.054 notification of N payments (default 10 000): 70 % pay
an open invoice by reference (a fifth of them as RF references), 20 %
pay one by amount and payer name, 10 % match nothing. The open invoices
(default 50 000) come from a receivables provider that reads them from a
table filled by COPY: an issued sales invoice needs its own posted
voucher, and 50 000 of them cannot be made through the services within a
benchmark run, so the provider stands in for the invoicing module's one
(same `OpenItem` rows, one SELECT). The import is then timed as the user
waits for it: parse, store, match and record the allocations, in one
transaction. Booking the matched payments runs afterwards in a
background job, one ledger voucher per payment through the invoicing
module, so its speed is that of ledger posting (B1) and is not part of
this figure. The file is imported a second time to show that it adds
nothing. The yardstick C copies the same transactions with COPY into a
table made LIKE banking_banktransaction.

Usage: python bench/bench_bank_matching.py [payments] [open_invoices]
"""

import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_banking")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import connection, transaction  # noqa: E402

TARGET_SECONDS = 10.0
NAMES = ["Asiakas", "Rakennus", "Kauppa", "Puu", "Metalli", "Kone", "Sähkö", "Valo"]


class CopiedReceivables:
    """Open items read from the bench table with one SELECT."""

    def document_model(self):
        from modules.banking.models import BankStatement

        return BankStatement

    def open_items(self, *, company, document_ids=None):
        from modules.banking.providers import OpenItem

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, number, reference, customer, open_amount, due_date "
                "FROM bench_open_item WHERE open_amount > 0"
            )
            rows = cursor.fetchall()
        return [
            OpenItem(
                document_id=str(row[0]),
                number=row[1],
                reference=row[2],
                customer_key=row[3],
                customer_name=row[3],
                open_amount=row[4],
                due_date=row[5],
            )
            for row in rows
            if document_ids is None or str(row[0]) in document_ids
        ]

    def register_payment(self, **kwargs):
        raise NotImplementedError("B6 times matching, not booking")


def _invoices(count, rng):
    from integrations.reference import national_reference

    rows = []
    for index in range(1, count + 1):
        name = f"{rng.choice(NAMES)} {index} Oy"
        amount = Decimal(rng.randint(1000, 900_000)) / 100
        reference = national_reference(str(1000 + index))
        rows.append((index, str(100_000 + index), reference, name, amount))
    return rows


def _fill_invoices(rows):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_open_item (id bigint PRIMARY KEY, number text, "
            "reference text, customer text, open_amount numeric(18,2), due_date date)"
        )
        data = io.StringIO()
        for index, number, reference, name, amount in rows:
            data.write(
                f"{index}\t{number}\t{reference}\t{name}\t{amount}\t2026-11-30\n"
            )
        with cursor.cursor.copy(
            "COPY bench_open_item (id, number, reference, customer, open_amount, "
            "due_date) FROM STDIN"
        ) as copy:
            copy.write(data.getvalue())


def _payments(invoices, count, rng):
    from fixtures.bank_files import Payment
    from integrations.reference import rf_reference

    chosen = rng.sample(invoices, count)
    payments = []
    for number, (_index, _number, reference, name, amount) in enumerate(chosen):
        archive = f"B6{number:014d}"
        share = number % 10
        if share < 7:
            ref = rf_reference(reference) if share == 0 else reference
            payments.append(
                Payment(amount, reference=ref, name=name, archive_id=archive)
            )
        elif share < 9:
            payments.append(Payment(amount, name=name.upper(), archive_id=archive))
        else:
            payments.append(
                Payment(Decimal("1.23"), name="Unknown payer", archive_id=archive)
            )
    return payments


def _copy_yardstick(statement) -> float:
    from modules.banking.models import BankTransaction

    rows = io.StringIO()
    for t in BankTransaction.objects.filter(statement=statement).iterator():
        rows.write(
            f"{t.pk}\t{t.company_id}\t{t.statement_id}\t{t.bank_account_id}\t{t.key}\t"
            f"{t.booking_date}\t{t.amount}\t{t.currency}\t{t.direction}\tf\t"
            f"{t.reference}\t{t.raw_reference}\t\t{t.counterparty_name}\t\t\t"
            f"{t.state}\t{t.allocated_amount}\t[]\t\t\n"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_tx (LIKE banking_banktransaction INCLUDING ALL)"
        )
        started = time.perf_counter()
        with cursor.cursor.copy(
            "COPY bench_tx (id, company_id, statement_id, bank_account_id, key, "
            "booking_date, amount, currency, direction, is_reversal, reference, "
            "raw_reference, message, counterparty_name, counterparty_iban, "
            "end_to_end_id, state, allocated_amount, proposals, note, payment_info_id) "
            "FROM STDIN"
        ) as copy:
            copy.write(rows.getvalue())
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_tx")
    return elapsed


def main():
    payments_count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    invoice_count = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    print(f"creating the scratch database: {invoice_count} open invoices")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from cms.celery import app
        from fixtures import reference
        from fixtures.bank_files import IBAN, camt054
        from modules.banking.models import BankTransaction
        from modules.banking.providers import set_receivables_provider
        from modules.banking.services import import_bank_file
        from modules.core.models import BankAccount, Company

        reference.load()
        company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
        BankAccount.objects.create(company=company, name="Main", iban=IBAN)
        rng = random.Random(6)
        invoices = _invoices(invoice_count, rng)
        _fill_invoices(invoices)
        set_receivables_provider(CopiedReceivables())
        data = camt054(_payments(invoices, payments_count, rng), batch=False)
        # A web process loads the task modules once; not part of an import.
        app.loader.import_default_modules()
        print(f"camt.054 of {payments_count} payments: {len(data) / 1e6:.1f} MB")

        with transaction.atomic():
            started = time.perf_counter()
            result = import_bank_file(company=company, data=data, user=None)
            import_seconds = time.perf_counter() - started
            # The booking job would start when this block commits; it is
            # dropped here and run below directly, to be timed on its own.
            connection.run_on_commit = []
        started = time.perf_counter()
        again = import_bank_file(company=company, data=data, user=None)
        reimport_seconds = time.perf_counter() - started
        rows_after = BankTransaction.objects.count()
        copy_seconds = _copy_yardstick(result.statements[0])
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    copy_rate = payments_count / copy_seconds
    ratio = copy_seconds / import_seconds
    idempotent = again.created == 0 and rows_after == payments_count
    print(
        f"import + match: {import_seconds:.2f} s; created {result.created}, "
        f"matched {result.matched}, waiting {result.waiting}"
    )
    print(f"re-import: {reimport_seconds:.2f} s, created {again.created}")
    print(f"COPY of the same rows: {copy_seconds:.3f} s ({copy_rate:.0f} rows/s)")
    met = import_seconds <= TARGET_SECONDS and idempotent
    append_row(
        "B6",
        f"camt.054 {payments_count} payments vs {invoice_count} open items "
        "(COPY-table provider)",
        f"{import_seconds:.1f} s import+match, {result.matched} matched; "
        f"re-import +{again.created}",
        f"C {copy_rate:.0f} rows/s",
        f"{ratio:.1%} of C",
        "<= 10 s; re-import adds nothing",
        met,
    )


if __name__ == "__main__":
    main()
