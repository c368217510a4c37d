"""R2: reservations and moves from many threads on the real database."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from fixtures import reference
from modules.core.models import Company
from modules.stock import services
from modules.stock.models import MoveKind, Reservation, StockMove, WarehouseStock
from tests.products.factories import make_product, make_warehouse

THREADS = 20


def _run_threads(target, count):
    start = threading.Barrier(count)
    outcomes, errors = [], []

    def work(n):
        start.wait()
        try:
            outcomes.append(target(n))
        except services.InsufficientStock:
            outcomes.append(None)
        except Exception as error:  # reported to the main thread and asserted
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


@pytest.mark.django_db(transaction=True)
def test_r2_twenty_reservations_of_one_for_ten_units_reserve_exactly_ten():
    reference.load()
    company = Company.objects.create(name="Alfa Oy", business_id="2077474-0")
    product = make_product(company)
    warehouse = make_warehouse(company)
    services.post_stock_move(
        company=company,
        product=product,
        warehouse=warehouse,
        quantity=10,
        unit_cost=Decimal("5"),
        kind=MoveKind.RECEIPT,
        user=None,
    )

    outcomes, errors = _run_threads(
        lambda n: services.reserve_stock(
            product=product, warehouse=warehouse, quantity=1, source=None, user=None
        ),
        THREADS,
    )

    assert errors == []
    assert len([made for made in outcomes if made is not None]) == 10
    assert Reservation.objects.aggregate(total=Sum("quantity"))["total"] == 10
    stock = WarehouseStock.objects.get(product=product, warehouse=warehouse)
    assert (stock.on_hand, stock.reserved) == (Decimal("10"), Decimal("10"))


@pytest.mark.django_db(transaction=True)
def test_r2_concurrent_receipts_issues_and_transfers_keep_on_hand_equal_to_moves():
    reference.load()
    company = Company.objects.create(name="Alfa Oy", business_id="2077474-0")
    products = [make_product(company, f"HOT-{n}") for n in range(3)]
    main, shop = make_warehouse(company, "MAIN"), make_warehouse(company, "SHOP")

    def work(n):
        product = products[n % len(products)]
        for step in range(6):
            services.post_stock_move(
                company=company,
                product=product,
                warehouse=main,
                quantity=3,
                unit_cost=Decimal("2"),
                kind=MoveKind.RECEIPT,
                user=None,
            )
            services.transfer_stock(
                company=company,
                product=product,
                from_warehouse=main,
                to_warehouse=shop,
                quantity=1,
                user=None,
            )
            services.issue_stock(
                company=company,
                product=product,
                warehouse=shop if step % 2 else main,
                quantity=1,
                user=None,
            )
        return n

    outcomes, errors = _run_threads(work, 8)

    assert errors == []
    for product in products:
        for warehouse in (main, shop):
            moved = StockMove.objects.filter(
                product=product, warehouse=warehouse
            ).aggregate(total=Sum("quantity"))["total"]
            stock = WarehouseStock.objects.get(product=product, warehouse=warehouse)
            assert stock.on_hand == moved
            assert stock.on_hand >= 0
