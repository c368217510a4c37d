"""B10: importing a customer register against a COPY of the same rows.

Imports N organisations (default 50 000), each with one contact person,
through `modules.crm.bulk.bulk_import_register` (validation of business IDs
and email addresses, duplicate checks in the file and the register, COPY
into the register's tables, audit entry) in a scratch test database. The
yardstick C copies the same rows with psycopg's COPY into tables made LIKE
the register's (same columns and indexes, no triggers or foreign keys).
Both figures are register rows (organisations + persons + contacts) per
second. Peak memory is the process's maximum resident size. Then the
register search answers 40 queries and its median time is recorded.
Usage: python bench/bench_crm_import.py [organisations]
"""

import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_crm")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import connection  # noqa: E402

TARGET = 0.25
MEMORY_LIMIT_MB = 1024
SEARCH_LIMIT_MS = 100
WORDS = ["Rauta", "Kone", "Puu", "Kala", "Valo", "Sähkö", "Metsä", "Kivi", "Lasi"]
CITIES = ["Turku", "Tampere", "Oulu", "Helsinki", "Lahti", "Vaasa", "Kuopio"]


WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def _business_id(number: int) -> str | None:
    """Return the business ID with the 7 digits of `number`, None if none."""
    digits = f"{number:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def _rows(count: int) -> list[dict]:
    rng = random.Random(10)
    rows = []
    seen = set()
    number = 100_000
    while len(rows) < count:
        number += 1
        business_id = _business_id(number)
        if business_id is None or business_id in seen:
            continue
        seen.add(business_id)
        index = len(rows)
        word = rng.choice(WORDS)
        rows.append(
            {
                "name": f"{word}{index} Oy",
                "business_id": business_id,
                "city": rng.choice(CITIES),
                "email": f"info{index}@yritys{index}.example",
                "phone": f"040 {index:07d}",
                "first_name": "Matti",
                "last_name": f"Meikäläinen{index}",
                "person_email": f"matti{index}@yritys{index}.example",
                "person_phone": f"050 {index:07d}",
                "title": "CEO",
            }
        )
    return rows


def _copy_yardstick(company, rows) -> float:
    """COPY the same rows into look-alike tables; return the seconds."""
    from modules.crm.bulk import _column_template
    from modules.crm.models import Organisation, Person

    now = django.utils.timezone.now()
    org_columns, org_defaults = _column_template(
        Organisation, {"company": company, "created_at": now, "updated_at": now}
    )
    person_columns, person_defaults = _column_template(
        Person, {"company": company, "created_at": now, "updated_at": now}
    )
    oi = {column: position for position, column in enumerate(org_columns)}
    pi = {column: position for position, column in enumerate(person_columns)}
    org_rows, person_rows, contact_rows = [], [], []
    for number, row in enumerate(rows, start=1):
        values = list(org_defaults)
        values[oi["id"]] = number
        for name in ("name", "business_id", "city", "email", "phone"):
            values[oi[name]] = row[name]
        org_rows.append(values)
        values = list(person_defaults)
        values[pi["id"]] = number
        values[pi["last_name"]] = row["last_name"]
        values[pi["email"]] = row["person_email"]
        person_rows.append(values)
        contact_rows.append((number, company.pk, number, number, row["title"], True))
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            "CREATE TABLE bench_org (LIKE crm_organisation INCLUDING ALL);"
            "CREATE TABLE bench_person (LIKE crm_person INCLUDING ALL);"
            "CREATE TABLE bench_contact (LIKE crm_contact INCLUDING ALL)"
        )
        started = time.perf_counter()
        for table, columns, data in (
            ("bench_org", org_columns, org_rows),
            ("bench_person", person_columns, person_rows),
            (
                "bench_contact",
                [
                    "id",
                    "company_id",
                    "person_id",
                    "organisation_id",
                    "title",
                    "is_primary",
                ],
                contact_rows,
            ),
        ):
            names = ", ".join(f'"{column}"' for column in columns)
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in data:
                    copy.write_row(values)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_org, bench_person, bench_contact")
    return elapsed


def _search_median(user, company) -> float:
    from modules.crm.selectors import search_register

    rng = random.Random(3)
    queries = [f"{rng.choice(WORDS)}{rng.randint(0, 49_999)}" for _ in range(20)]
    queries += [f"Meikäläinen{rng.randint(0, 49_999)}" for _ in range(10)]
    queries += [rng.choice(CITIES) for _ in range(10)]
    search_register(user=user, query=queries[0], company=company)
    times = []
    for query in queries:
        started = time.perf_counter()
        search_register(user=user, query=query, company=company, limit=20)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    print(f"creating the scratch database, then importing {count} organisations")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from django.contrib.auth import get_user_model

        from fixtures import reference
        from modules.core.models import Company
        from modules.crm.bulk import bulk_import_register

        reference.load()
        company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
        user = get_user_model().objects.create_superuser("bench", password="x")
        rows = _rows(count)
        started = time.perf_counter()
        result = bulk_import_register(company=company, user=user, rows=rows)
        import_seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE crm_organisation; ANALYZE crm_person")
        median_ms = _search_median(user, company)
        copy_seconds = _copy_yardstick(company, rows)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    written = result.organisations + 2 * result.persons
    import_rate = written / import_seconds
    copy_rate = written / copy_seconds
    ratio = import_rate / copy_rate
    met = ratio >= TARGET and peak_mb <= MEMORY_LIMIT_MB
    print(f"workload: {count} organisations with a person each ({written} rows)")
    print(f"bulk import: {import_seconds:.1f} s, {import_rate:.0f} rows/s")
    print(f"COPY: {copy_seconds:.2f} s, {copy_rate:.0f} rows/s; ratio {ratio:.1%}")
    print(f"peak memory {peak_mb:.0f} MB; search median {median_ms:.1f} ms")
    append_row(
        "B10",
        f"{count} organisations + persons (crm bulk import), peak {peak_mb:.0f} MB",
        f"{import_rate:.0f} rows/s",
        f"C {copy_rate:.0f} rows/s",
        f"{ratio:.1%}",
        ">= 25 %; <= 1 GB",
        met,
    )
    append_row(
        "B10",
        f"search over {count} organisations + persons (median of 40)",
        f"{median_ms:.1f} ms",
        "-",
        "-",
        f"<= {SEARCH_LIMIT_MS} ms",
        median_ms <= SEARCH_LIMIT_MS,
    )


if __name__ == "__main__":
    main()
