"""Batch posting in chunks: order, the hash chain and errors from the copier."""

import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from modules.ledger import batch
from modules.ledger.batch import VoucherInput, post_vouchers
from modules.ledger.models import JournalLine, Voucher
from modules.ledger.selectors import verify_ledger
from modules.ledger.services import LineInput


def _vouchers(account, amounts):
    return [
        VoucherInput(
            date=datetime.date(2026, 2, day),
            description=f"Cash sale {day}",
            lines=[
                LineInput(account=account("1910"), debit=amount),
                LineInput(account=account("3000"), credit=amount),
            ],
        )
        for day, amount in enumerate(amounts, start=1)
    ]


def _account_checked_at_commit(voucher) -> bool:
    """Return whether a line's account is still checked only at commit.

    The batch checks accounts per chunk; the caller's transaction must
    get the usual deferred check back.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ledger_journalline (voucher_id, account_id, debit, "
                "credit, description, vat_code, vat_role, currency) "
                "VALUES (%s, -1, 1, 0, '', '', '', 'EUR')",
                [voucher.pk],
            )
            raise _Undo
    except _Undo:
        return True
    except IntegrityError:
        return False


class _Undo(Exception):
    """Rolls the probe row back."""


def test_batch_of_several_chunks_posts_in_order(
    books, accountant, series, account, monkeypatch
):
    monkeypatch.setattr(batch, "CHUNK", 3)
    amounts = [Decimal(n) + Decimal("0.25") for n in range(1, 9)]

    posted = post_vouchers(
        company=books,
        user=accountant,
        series=series,
        vouchers=_vouchers(account, amounts),
    )

    assert [voucher.number for voucher in posted] == list(range(1, 9))
    assert [voucher.total for voucher in posted] == amounts
    assert JournalLine.objects.filter(voucher__company=books).count() == 16
    check = verify_ledger(company=books)
    assert check.ok, check.findings
    assert check.vouchers == 8
    draft = Voucher.objects.create(
        company=books,
        series=series,
        fiscal_year=posted[0].fiscal_year,
        date=datetime.date(2026, 2, 9),
        description="Draft",
    )
    assert _account_checked_at_commit(draft)


def test_database_error_in_a_chunk_posts_nothing(
    books, accountant, series, account, monkeypatch
):
    monkeypatch.setattr(batch, "CHUNK", 2)
    # Balanced, in cents, and too large for the amount columns: only the
    # database refuses it, in the copier thread's third chunk.
    amounts = [Decimal("10.00")] * 5 + [Decimal("1" + "0" * 17 + ".00")]

    with pytest.raises(DataError):
        post_vouchers(
            company=books,
            user=accountant,
            series=series,
            vouchers=_vouchers(account, amounts),
        )

    assert not Voucher.objects.filter(company=books).exists()
    again = post_vouchers(
        company=books,
        user=accountant,
        series=series,
        vouchers=_vouchers(account, amounts[:5]),
    )
    assert [voucher.number for voucher in again] == [1, 2, 3, 4, 5]
