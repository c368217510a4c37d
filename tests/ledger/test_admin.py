"""The ledger in the admin: posted vouchers refused, the auditor's check."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from modules.ledger.models import Voucher
from modules.ledger.services import post_voucher


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def posted(books, accountant, series, sale):
    return post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=datetime.date(2026, 2, 2),
        description="Cash sale",
        lines=sale(),
    )


@pytest.fixture
def signed_in(client, make_user, books):
    bookkeeper = make_user(
        "bookkeeper",
        books,
        perms=[
            f"ledger.{action}_voucher" for action in ("view", "add", "change", "delete")
        ],
    )
    client.force_login(bookkeeper)
    return client


def test_voucher_list_shows_number_total_and_state(signed_in, posted):
    page = signed_in.get("/admin/ledger/voucher/").content.decode()

    assert "Cash sale" in page
    assert "124.00" in page
    assert "Posted" in page


def test_editing_a_posted_voucher_is_refused_with_a_message(signed_in, posted):
    response = signed_in.post(
        f"/admin/ledger/voucher/edit/{posted.pk}/",
        {
            "series": posted.series_id,
            "fiscal_year": posted.fiscal_year_id,
            "date": "2026-02-03",
            "description": "Rewritten",
        },
    )

    assert "cannot be changed or deleted; reverse it" in response.content.decode()
    assert Voucher.objects.get(pk=posted.pk).description == "Cash sale"


def test_deleting_a_posted_voucher_is_refused(signed_in, posted):
    signed_in.post(f"/admin/ledger/voucher/delete/{posted.pk}/", follow=True)

    assert Voucher.objects.filter(pk=posted.pk).exists()


def test_check_view_says_the_books_are_intact(signed_in, posted):
    page = signed_in.get("/admin/ledger/verify/").content.decode()

    assert "1 posted voucher." in page
    assert "hash chain is intact" in page


def test_check_view_names_the_broken_voucher(signed_in, posted):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE ledger_voucher DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE ledger_voucher SET description = 'x' WHERE id = %s", [posted.pk]
        )
        cursor.execute("ALTER TABLE ledger_voucher ENABLE TRIGGER USER")

    page = signed_in.get("/admin/ledger/verify/").content.decode()

    assert "Hash chain" in page
    assert "broken at voucher MU 1" in page


def test_check_view_needs_ledger_rights(client, make_user, company_a):
    clerk = make_user("clerk", company_a)
    client.force_login(clerk)

    response = client.get("/admin/ledger/verify/")

    assert response.status_code == 302
    assert response.url == "/admin/"


def test_empty_voucher_cannot_be_started_in_the_admin(signed_in, series, books):
    response = signed_in.post(
        "/admin/ledger/voucher/new/",
        {
            "series": series.pk,
            "fiscal_year": books.fiscal_years.get().pk,
            "date": "2026-02-03",
            "description": "Empty",
        },
    )

    assert "cannot be started empty" in response.content.decode()
    assert not Voucher.objects.exists()
