"""Handheld picking and receiving: scans, refusals and resubmits."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from modules.core.models import Role
from modules.orders import purchasing, services
from modules.stock.models import HandheldSubmission
from modules.stock.selectors import availability
from modules.stock.submissions import submit_once


@pytest.fixture
def delivery(company_a, customer, product, warehouse, receive):
    product.ean = "6410000000015"
    product.save()
    receive(product, "5")
    order = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "3"}],
        confirm=True,
    )
    return services.propose_delivery(order=order, user=None)


@pytest.fixture
def picker(client, role_user):
    client.force_login(role_user("picker", Role.WAREHOUSE))
    return client


def _scan(client, delivery, code, quantity="1", key=None):
    return client.post(
        f"/handheld/orders/pick/{delivery.pk}/",
        {"key": str(key or uuid.uuid4()), "code": code, "quantity": quantity},
    )


def test_pick_page_shows_the_lines(picker, delivery):
    page = picker.get(f"/handheld/orders/pick/{delivery.pk}/")

    assert page.status_code == 200
    assert "Vasara" in page.content.decode()
    assert "0 / 3" in page.content.decode()


def test_scanning_an_ean_picks_and_a_resubmit_books_nothing(picker, delivery):
    key = uuid.uuid4()

    first = _scan(picker, delivery, "6410000000015", "2", key=key)
    again = _scan(picker, delivery, "6410000000015", "2", key=key)

    line = delivery.lines.get()
    assert first.json()["ok"] and again.json()["ok"]
    assert again.json()["message"] == first.json()["message"]
    assert line.picked_quantity == Decimal("2")
    assert first.json()["lines"] == [{"id": line.pk, "done": "2", "total": "3"}]


def test_unknown_ean_and_over_picking_get_clear_messages(picker, delivery):
    unknown = _scan(picker, delivery, "4006381333931")
    over = _scan(picker, delivery, "6410000000015", "4")

    assert unknown.status_code == 400
    assert "Tuntematon viivakoodi 4006381333931" in unknown.json()["message"]
    assert over.status_code == 400
    assert "Ylikeräily" in over.json()["message"]
    assert delivery.lines.get().picked_quantity == 0


def test_sales_staff_and_other_companies_are_kept_out(
    client, role_user, delivery, make_user, company_b
):
    client.force_login(role_user("seller", Role.SALES))
    refused = client.get(f"/handheld/orders/pick/{delivery.pk}/")
    client.force_login(make_user("other", company_b, role=Role.WAREHOUSE))
    hidden = client.get(f"/handheld/orders/pick/{delivery.pk}/")
    anonymous = Client().get("/handheld/orders/")

    assert refused.status_code == 403
    assert hidden.status_code == 404
    assert anonymous.status_code == 302


def test_receiving_by_scan_needs_confirmation_to_go_over(
    picker, company_a, supplier, product, warehouse
):
    product.ean = "6410000000015"
    product.save()
    order = purchasing.create_purchase_order(
        company=company_a,
        user=None,
        supplier=supplier,
        lines=[{"product": product, "quantity": "2"}],
    )
    url = f"/handheld/orders/receive/{order.pk}/"

    over = picker.post(
        url, {"key": uuid.uuid4(), "code": "6410000000015", "quantity": "3"}
    )
    confirmed = picker.post(
        url,
        {"key": uuid.uuid4(), "code": "6410000000015", "quantity": "3", "confirm": "1"},
    )

    assert over.status_code == 400
    assert over["X-Confirm"] == "over_receipt"
    assert "Enemmän kuin tilattu" in over.json()["message"]
    assert confirmed.json()["ok"]
    assert availability(product=product).on_hand == Decimal("3")


@pytest.mark.django_db(transaction=True)
def test_the_same_submission_sent_twice_at_once_books_once(
    company_a, customer, product, warehouse, receive
):
    receive(product, "5")
    order = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "5"}],
        confirm=True,
    )
    line = services.propose_delivery(order=order, user=None).lines.get()
    key = uuid.uuid4()
    barrier = threading.Barrier(4)
    answers = []

    def submit():
        barrier.wait()
        try:
            answers.append(
                submit_once(
                    company=company_a,
                    user=None,
                    key=key,
                    action="pick",
                    book=lambda: (
                        services.record_pick(line=line, quantity="1", user=None)
                        and {"message": "picked"}
                    ),
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    line.refresh_from_db()
    assert line.picked_quantity == Decimal("1")
    assert sorted(first for _message, first in answers) == [False, False, False, True]
    assert HandheldSubmission.objects.filter(key=key).count() == 1
