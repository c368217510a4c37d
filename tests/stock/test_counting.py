"""Stock counts: full and rolling, idempotent counting, posting differences."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.stock import counting
from modules.stock.models import CountKind, MoveKind, StockMove
from modules.stock.selectors import availability
from tests.products.factories import make_product


def test_full_count_posts_differences_as_count_moves(
    company_a, product, warehouse, receive
):
    shelf = warehouse.locations.get(code="A-01")
    receive(company_a, product, warehouse, "10", location=shelf)
    count = counting.start_count(company=company_a, warehouse=warehouse, user=None)
    line = count.lines.get()

    counting.record_count(
        count=count, product=product, location=shelf, quantity=7, user=None
    )
    moves = counting.post_count(count=count, user=None)
    count.refresh_from_db()

    assert line.expected == Decimal("10")
    assert [(move.kind, move.quantity) for move in moves] == [
        (MoveKind.COUNT, Decimal("-3"))
    ]
    assert availability(product=product).on_hand == Decimal("7")
    assert count.state == "posted"
    with pytest.raises(ValidationError):
        counting.post_count(count=count, user=None)


def test_found_goods_get_a_new_line_and_raise_stock(
    company_a, product, warehouse, receive
):
    count = counting.start_count(company=company_a, warehouse=warehouse, user=None)
    shelf = warehouse.locations.get(code="A-02")

    counting.record_count(
        count=count, product=product, location=shelf, quantity=4, user=None
    )
    counting.post_count(count=count, user=None)

    assert availability(product=product, warehouse=warehouse).on_hand == Decimal("4")


def test_resubmitted_handheld_count_books_once(company_a, product, warehouse, receive):
    receive(company_a, product, warehouse, "10")
    count = counting.start_count(company=company_a, warehouse=warehouse, user=None)
    key = uuid.uuid4()

    counting.record_count(count=count, product=product, quantity=8, user=None, key=key)
    counting.record_count(count=count, product=product, quantity=5, user=None)
    again = counting.record_count(
        count=count, product=product, quantity=8, user=None, key=key
    )

    assert again.counted == Decimal("5")
    assert count.lines.get().counted == Decimal("5")


def test_moves_during_counting_are_not_booked_twice(
    company_a, product, warehouse, receive
):
    receive(company_a, product, warehouse, "10")
    count = counting.start_count(company=company_a, warehouse=warehouse, user=None)
    counting.record_count(count=count, product=product, quantity=10, user=None)
    receive(company_a, product, warehouse, "5")

    counting.post_count(count=count, user=None)

    assert availability(product=product).on_hand == Decimal("10")
    assert StockMove.objects.filter(kind=MoveKind.COUNT).get().quantity == Decimal("-5")


def test_negative_count_is_refused(company_a, product, warehouse):
    count = counting.start_count(company=company_a, warehouse=warehouse, user=None)

    with pytest.raises(ValidationError) as refused:
        counting.record_count(count=count, product=product, quantity=-1, user=None)

    assert refused.value.code == "negative_count"


def test_rolling_count_prefers_class_a_and_the_longest_uncounted(
    company_a, warehouse, receive
):
    products = [
        make_product(company_a, f"P{n}", abc_class=abc)
        for n, abc in enumerate(["C", "C", "A", "B", "C", "C", "C", "C", "C", "C"])
    ]
    for product in products:
        receive(company_a, product, warehouse, "1")
    day = datetime.date(2026, 5, 4)

    first = counting.cycle_products(
        company=company_a, warehouse=warehouse, date=day, share=20
    )
    count = counting.start_count(
        company=company_a,
        warehouse=warehouse,
        user=None,
        kind=CountKind.CYCLE,
        date=day,
        products=first,
    )
    for line in count.lines.all():
        counting.record_count(count=count, product=line.product, quantity=1, user=None)
    counting.post_count(count=count, user=None)
    second = counting.cycle_products(
        company=company_a,
        warehouse=warehouse,
        date=day + datetime.timedelta(days=1),
        share=20,
    )

    assert [product.item_number for product in first] == ["P2", "P3"]
    assert not {product.pk for product in first} & {product.pk for product in second}
    assert len(second) == 2
