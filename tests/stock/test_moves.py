"""Stock moves: balances, refusals, transfers, reservations and cost."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from modules.stock import services
from modules.stock.models import MoveKind, StockMove
from modules.stock.selectors import availability
from tests.products.factories import make_product, make_warehouse


def test_receipt_and_issue_change_on_hand(company_a, product, warehouse, receive):
    receive(company_a, product, warehouse, "10")

    services.issue_stock(
        company=company_a, product=product, warehouse=warehouse, quantity=3, user=None
    )

    stock = availability(product=product)
    assert stock.on_hand == Decimal("7")
    assert stock.available == Decimal("7")
    assert [move.quantity for move in StockMove.objects.order_by("pk")] == [
        Decimal("10"),
        Decimal("-3"),
    ]


def test_issue_beyond_stock_is_refused_and_changes_nothing(
    company_a, product, warehouse, receive
):
    receive(company_a, product, warehouse, "2")

    with pytest.raises(services.InsufficientStock) as refused:
        services.post_stock_move(
            company=company_a,
            product=product,
            warehouse=warehouse,
            quantity=-3,
            kind=MoveKind.ISSUE,
            user=None,
        )

    assert "Not enough" in refused.value.messages[0]
    assert availability(product=product).on_hand == Decimal("2")
    assert StockMove.objects.count() == 1


def test_negative_stock_allowed_when_the_product_allows_it(company_a, warehouse):
    product = make_product(company_a, "NEG", allow_negative_stock=True)

    services.issue_stock(
        company=company_a, product=product, warehouse=warehouse, quantity=4, user=None
    )

    assert availability(product=product).on_hand == Decimal("-4")


def test_batch_product_needs_a_batch(company_a, warehouse, receive):
    product = make_product(company_a, "B-1", batch_tracked=True)

    with pytest.raises(ValidationError) as refused:
        receive(company_a, product, warehouse, "5")

    assert refused.value.code == "batch_required"
    assert not StockMove.objects.exists()


def test_quantity_finer_than_the_unit_is_refused(
    company_a, product, warehouse, receive
):
    with pytest.raises(ValidationError) as refused:
        receive(company_a, product, warehouse, "1.5")

    assert refused.value.code == "quantity_places"


def test_issue_without_place_takes_earliest_expiry_first(company_a, warehouse, receive):
    product = make_product(company_a, "MILK", batch_tracked=True)
    late = services.create_batch(
        company=company_a,
        product=product,
        number="L2",
        user=None,
        expiry_date=datetime.date(2027, 3, 1),
    )
    early = services.create_batch(
        company=company_a,
        product=product,
        number="L1",
        user=None,
        expiry_date=datetime.date(2027, 1, 1),
    )
    location = warehouse.locations.get(code="A-01")
    receive(company_a, product, warehouse, "5", batch=late, location=location)
    receive(company_a, product, warehouse, "3", batch=early, location=location)

    moves = services.issue_stock(
        company=company_a, product=product, warehouse=warehouse, quantity=4, user=None
    )

    assert [(move.batch.number, move.quantity) for move in moves] == [
        ("L1", Decimal("-3")),
        ("L2", Decimal("-1")),
    ]


def test_transfer_keeps_total_and_moves_between_warehouses(
    company_a, product, warehouse, receive
):
    other = make_warehouse(company_a, "SHOP")
    receive(company_a, product, warehouse, "10")

    out, into = services.transfer_stock(
        company=company_a,
        product=product,
        from_warehouse=warehouse,
        to_warehouse=other,
        quantity=4,
        user=None,
    )

    stock = availability(product=product)
    by_code = {row.warehouse.code: row.on_hand for row in stock.warehouses}
    assert by_code == {"MAIN": Decimal("6"), "SHOP": Decimal("4")}
    assert stock.on_hand == Decimal("10")
    assert out.transfer_id == into.transfer_id


def test_moving_average_cost_follows_receipts(company_a, product, warehouse, receive):
    receive(company_a, product, warehouse, "10", cost="10")
    receive(company_a, product, warehouse, "10", cost="13")

    services.issue_stock(
        company=company_a, product=product, warehouse=warehouse, quantity=5, user=None
    )

    product.refresh_from_db()
    assert product.average_cost == Decimal("11.5")
    assert StockMove.objects.get(kind=MoveKind.ISSUE).unit_cost == Decimal("11.5")


def test_reservation_limits_what_others_can_reserve(
    company_a, product, warehouse, receive
):
    receive(company_a, product, warehouse, "5")
    first = services.reserve_stock(
        product=product, warehouse=warehouse, quantity=4, source=None, user=None
    )

    with pytest.raises(services.InsufficientStock):
        services.reserve_stock(
            product=product, warehouse=warehouse, quantity=2, source=None, user=None
        )
    partial = services.reserve_stock(
        product=product,
        warehouse=warehouse,
        quantity=2,
        source=None,
        user=None,
        allow_partial=True,
    )

    assert partial.quantity == Decimal("1")
    assert availability(product=product).available == Decimal("0")
    services.release_reservation(reservation=first, user=None)
    assert availability(product=product).available == Decimal("4")


def test_issue_reserved_delivers_and_closes_reservation(
    company_a, product, warehouse, receive
):
    receive(company_a, product, warehouse, "5")
    reservation = services.reserve_stock(
        product=product, warehouse=warehouse, quantity=3, source=None, user=None
    )

    services.issue_reserved(reservation=reservation, quantity=3, user=None)
    reservation.refresh_from_db()

    stock = availability(product=product)
    assert (stock.on_hand, stock.reserved) == (Decimal("2"), Decimal("0"))
    assert reservation.state == "issued"
    with pytest.raises(ValidationError):
        services.issue_reserved(reservation=reservation, quantity=1, user=None)


def test_stock_moves_cannot_be_changed_even_with_raw_sql(
    company_a, product, warehouse, receive
):
    move = receive(company_a, product, warehouse, "5")

    for sql in (
        "UPDATE stock_stockmove SET quantity = 50 WHERE id = %s",
        "DELETE FROM stock_stockmove WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [move.pk])

    move.refresh_from_db()
    assert move.quantity == Decimal("5")
