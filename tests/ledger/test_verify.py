"""The auditor's check: balance, numbering and hash chain."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from modules.ledger.selectors import verify_ledger
from modules.ledger.services import post_voucher

DAY = datetime.date(2026, 5, 4)


@pytest.fixture
def three_vouchers(books, accountant, series, sale):
    return [
        post_voucher(
            company=books,
            user=accountant,
            series=series,
            date=DAY,
            description=f"Sale {index}",
            lines=sale(),
        )
        for index in range(3)
    ]


def _tamper(sql, params):
    with connection.cursor() as cursor:
        # Deferred foreign key checks would keep the tables from altering.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE ledger_voucher DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE ledger_journalline DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE ledger_voucher ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE ledger_journalline ENABLE TRIGGER USER")


def test_intact_books_pass(three_vouchers, books):
    result = verify_ledger(company=books)

    assert result.ok
    assert result.vouchers == 3


def test_unbalanced_voucher_is_reported(three_vouchers, books):
    first = three_vouchers[0]
    _tamper(
        "UPDATE ledger_journalline SET credit = credit + 1 "
        "WHERE voucher_id = %s AND credit > 0 AND id = "
        "(SELECT min(id) FROM ledger_journalline WHERE voucher_id = %s "
        "AND credit > 0)",
        [first.pk, first.pk],
    )

    result = verify_ledger(company=books)

    assert "MU 1 " in result.first("balance").message
    assert result.first("chain").voucher_id == first.pk


def test_deleted_voucher_shows_as_a_gap_and_a_broken_chain(three_vouchers, books):
    middle = three_vouchers[1]
    _tamper("DELETE FROM ledger_journalline WHERE voucher_id = %s", [middle.pk])
    _tamper("DELETE FROM ledger_voucher WHERE id = %s", [middle.pk])

    result = verify_ledger(company=books)

    assert "number 2 is missing" in result.first("numbering").message
    assert result.first("chain").voucher_id == three_vouchers[2].pk


def test_command_reports_the_first_broken_link(three_vouchers, books):
    _tamper(
        "UPDATE ledger_voucher SET description = 'Rewritten' WHERE id = %s",
        [three_vouchers[1].pk],
    )
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_ledger", company=books.business_id, stdout=out)

    assert "broken at voucher MU 2" in out.getvalue()


def test_command_says_when_all_is_well(three_vouchers, books):
    out = StringIO()

    call_command("verify_ledger", company=books.business_id, stdout=out)

    assert "3 posted vouchers" in out.getvalue()
    assert "Alfa Oy" in out.getvalue()
