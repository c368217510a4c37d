"""R4: posted vouchers and lines cannot be changed, and tampering shows."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from cms.services import delete, update
from modules.ledger.models import JournalLine, PostedError, Voucher
from modules.ledger.selectors import verify_ledger
from modules.ledger.services import post_voucher

DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def posted(books, accountant, series, sale):
    return post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=DAY,
        description="Cash sale",
        lines=sale(),
    )


def test_orm_cannot_change_or_delete_a_posted_voucher(posted):
    voucher = Voucher.objects.get(pk=posted.pk)
    voucher.description = "Rewritten"

    with pytest.raises(PostedError):
        voucher.save()
    with pytest.raises(PostedError):
        voucher.delete()

    assert Voucher.objects.get(pk=posted.pk).description == "Cash sale"


def test_orm_cannot_change_or_delete_a_posted_line(posted):
    line = posted.lines.first()
    line.debit = Decimal("1.00")

    with pytest.raises(PostedError):
        line.save()
    with pytest.raises(PostedError):
        line.delete()

    assert posted.lines.count() == 3


def test_services_refuse_with_a_clear_message(posted, accountant):
    with pytest.raises(PostedError) as changing:
        update(instance=posted, user=accountant, data={"description": "New"})
    with pytest.raises(PostedError):
        delete(instance=posted, user=accountant)

    assert "cannot be changed or deleted; reverse it" in changing.value.messages[0]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_journalline SET debit = debit + 1 WHERE voucher_id = %s",
        "DELETE FROM ledger_journalline WHERE voucher_id = %s",
        "UPDATE ledger_voucher SET description = 'x' WHERE id = %s",
        "DELETE FROM ledger_voucher WHERE id = %s",
        "UPDATE ledger_voucher SET state = 'draft' WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_posted_rows(posted, statement):
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [posted.pk])

    assert Voucher.objects.get(pk=posted.pk).description == "Cash sale"
    assert posted.lines.count() == 3


def test_raw_sql_cannot_add_a_line_to_a_posted_voucher(posted, account):
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalLine.objects.bulk_create(
            [JournalLine(voucher=posted, account=account("1900"), debit=1)]
        )

    assert posted.lines.count() == 3


def test_database_refuses_to_post_an_unbalanced_draft(books, series, account):
    draft = Voucher.objects.create(
        company=books,
        series=series,
        fiscal_year=books.fiscal_years.get(),
        date=DAY,
        description="Draft",
    )
    JournalLine.objects.bulk_create(
        [
            JournalLine(voucher=draft, account=account("1910"), debit=10),
            JournalLine(voucher=draft, account=account("3000"), credit=9),
        ]
    )

    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        Voucher.objects.filter(pk=draft.pk).update(
            state="posted", number=1, chain_position=1, hash="f" * 64
        )

    assert Voucher.objects.get(pk=draft.pk).state == "draft"


def test_row_changed_behind_the_triggers_is_found_by_the_chain_check(
    books, accountant, series, sale, posted
):
    second = post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=DAY,
        description="Second sale",
        lines=sale("10.00", "2.40"),
    )
    post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=DAY,
        description="Third sale",
        lines=sale("20.00", "4.80"),
    )
    line = second.lines.get(account__number="3000")
    with connection.cursor() as cursor:
        # Deferred foreign key checks would keep the table from altering.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE ledger_journalline DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE ledger_journalline SET account_id = %s WHERE id = %s",
            [second.lines.get(account__number="2870").account_id, line.pk],
        )
        cursor.execute("ALTER TABLE ledger_journalline ENABLE TRIGGER USER")

    result = verify_ledger(company=books)

    assert not result.ok
    broken = result.first("chain")
    assert broken.voucher_id == second.pk
    assert "broken at voucher MU 2" in broken.message
    assert result.first("balance") is None
