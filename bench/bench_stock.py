"""B3: stock moves from 8 concurrent writers, against a COPY of the same rows.

Posts N stock moves (default 50 000) over 2 000 products in two
warehouses through `modules.stock.services` from 8 writer processes. Half of the
moves hit a hot set of 20 products, so writers queue on the same rows.
A move that fails on a deadlock or serialization error is retried and
counted; the target is under 1 % retries, and afterwards every balance
must equal the sum of its moves. The yardstick C copies the same number
of move rows with psycopg's COPY into a table made LIKE the stock ledger.
Usage: python bench/bench_stock.py [moves] [writers]
"""

import multiprocessing
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_stock")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402

PRODUCTS = 2_000
HOT = 20
TARGET_RETRIES = 0.01


def _setup():
    from fixtures import reference
    from modules.core.models import Company, Unit
    from modules.products.models import Product
    from modules.stock.models import Warehouse

    reference.load()
    company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
    unit = Unit.objects.get(code="kpl")
    Product.objects.bulk_create(
        Product(
            company=company, item_number=f"B{n:05d}", name_fi=f"Tuote {n}", unit=unit
        )
        for n in range(PRODUCTS)
    )
    warehouses = [
        Warehouse.objects.create(company=company, code=code, name=code)
        for code in ("MAIN", "SHOP")
    ]
    return company, list(Product.objects.filter(company=company)), warehouses


def _plan(products, count, writers):
    rng = random.Random(3)
    hot = products[:HOT]
    plans = [[] for _ in range(writers)]
    for index in range(count):
        product = rng.choice(hot) if rng.random() < 0.5 else rng.choice(products)
        roll = rng.random()
        kind = "receipt" if roll < 0.6 else "issue" if roll < 0.85 else "transfer"
        plans[index % writers].append((kind, product.pk, rng.randint(1, 5)))
    return plans


def _one(company, warehouses, kind, product, quantity):
    from modules.stock import services
    from modules.stock.models import MoveKind

    main, shop = warehouses
    if kind == "receipt":
        services.post_stock_move(
            company=company,
            product=product,
            warehouse=main,
            quantity=quantity,
            unit_cost=Decimal("2.50"),
            kind=MoveKind.RECEIPT,
            user=None,
        )
    elif kind == "issue":
        services.issue_stock(
            company=company, product=product, warehouse=main, quantity=1, user=None
        )
    else:
        services.transfer_stock(
            company=company,
            product=product,
            from_warehouse=main,
            to_warehouse=shop,
            quantity=1,
            user=None,
        )


def _writer(company_id, warehouse_ids, plan, results, start):
    # Each writer is its own process with its own database connection, as
    # application servers are; threads would share one interpreter lock.
    from modules.core.models import Company
    from modules.products.models import Product
    from modules.stock.models import Warehouse
    from modules.stock.services import InsufficientStock

    connection.close()
    company = Company.objects.get(pk=company_id)
    warehouses = [Warehouse.objects.get(pk=pk) for pk in warehouse_ids]
    products = Product.objects.in_bulk({product_id for _k, product_id, _q in plan})
    tally = {"done": 0, "refused": 0, "retries": 0, "errors": 0}
    start.wait()
    try:
        for kind, product_id, quantity in plan:
            while True:
                try:
                    _one(company, warehouses, kind, products[product_id], quantity)
                    tally["done"] += 1
                    break
                except InsufficientStock:
                    tally["refused"] += 1
                    break
                except OperationalError:
                    tally["retries"] += 1
    except Exception:
        tally["errors"] += 1
        raise
    finally:
        connection.close()
        results.put(tally)


def _run(company, warehouses, plans) -> tuple[float, dict]:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start = context.Barrier(len(plans) + 1)
    connection.close()
    processes = [
        context.Process(
            target=_writer,
            args=(company.pk, [w.pk for w in warehouses], plan, results, start),
        )
        for plan in plans
    ]
    for process in processes:
        process.start()
    start.wait()
    started = time.perf_counter()
    tallies = [results.get() for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return elapsed, {
        key: sum(tally[key] for tally in tallies)
        for key in ("done", "refused", "retries", "errors")
    }


def _consistent(company) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM stock_warehousestock ws
            LEFT JOIN (
                SELECT product_id, warehouse_id, sum(quantity) AS moved
                FROM stock_stockmove GROUP BY product_id, warehouse_id
            ) m USING (product_id, warehouse_id)
            WHERE ws.company_id = %s
              AND (ws.on_hand <> COALESCE(m.moved, 0) OR ws.on_hand < 0)
            """,
            [company.pk],
        )
        wrong_totals = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FROM (
                SELECT product_id, warehouse_id, sum(on_hand) AS held
                FROM stock_stocklevel GROUP BY product_id, warehouse_id
            ) l JOIN stock_warehousestock ws USING (product_id, warehouse_id)
            WHERE l.held <> ws.on_hand
            """
        )
        wrong_levels = cursor.fetchone()[0]
    return wrong_totals == 0 and wrong_levels == 0


def _copy(company, products, warehouses, count) -> float:
    rows = "".join(
        f"{n + 1}\t{company.pk}\t{products[n % len(products)].pk}\t"
        f"{warehouses[0].pk}\treceipt\t1\t2.5\t2026-05-04\t\t2026-05-04 10:00:00+00\n"
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_move (LIKE stock_stockmove INCLUDING ALL)")
        started = time.perf_counter()
        with cursor.cursor.copy(
            "COPY bench_move (id, company_id, product_id, warehouse_id, kind, "
            "quantity, unit_cost, date, reference, created_at) FROM STDIN"
        ) as copy:
            copy.write(rows)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_move")
    return elapsed


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    writers = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    print(f"creating the scratch database, then {count} moves from {writers} writers")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        company, products, warehouses = _setup()
        plans = _plan(products, count, writers)
        seconds, tally = _run(company, warehouses, plans)
        from modules.stock.models import StockMove

        moves = StockMove.objects.filter(company=company).count()
        consistent = _consistent(company)
        copy_seconds = _copy(company, products, warehouses, count)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    operations = tally["done"] + tally["refused"]
    retry_share = tally["retries"] / operations if operations else 1
    rate = moves / seconds
    copy_rate = count / copy_seconds
    print(f"workload: {count} operations, {writers} writers, hot set {HOT}")
    print(f"done {tally['done']}, refused (no stock) {tally['refused']}")
    print(f"writers that failed: {tally['errors']}")
    print(f"moves written {moves} in {seconds:.1f} s: {rate:.0f} moves/s")
    print(f"retries {tally['retries']} ({retry_share:.2%}); consistent: {consistent}")
    print(f"COPY: {copy_rate:.0f} rows/s")
    append_row(
        "B3",
        f"{count} ops over {PRODUCTS} products, hot {HOT}, {writers} writers",
        f"{rate:.0f} moves/s; retries {retry_share:.2%}; on-hand = moves: "
        f"{'yes' if consistent else 'no'}",
        f"C {copy_rate:.0f} rows/s",
        f"{rate / copy_rate:.1%}",
        "retries < 1 %; on-hand = sum of moves",
        consistent and retry_share < TARGET_RETRIES and not tally["errors"],
    )


if __name__ == "__main__":
    main()
