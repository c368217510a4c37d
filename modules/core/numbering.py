"""Gap-free document numbers per company, series and year.

Invoice and voucher numbers must run without gaps. `next_number` takes
the number inside the caller's transaction while holding a row lock on
the series, so a rolled-back document gives its number back and two
concurrent documents can never get the same one. The lock is held until
the caller commits: take the number as late as possible in the flow.
"""

import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from modules.core.models import NumberSeries

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedNumber:
    """A number taken from a series, and its printed form."""

    number: int
    text: str

    def __str__(self):
        return self.text


def format_number(*, prefix: str, year: int, number: int, padding: int) -> str:
    """Return the printed form of a number, e.g. "INV-2026-00042"."""
    return f"{prefix}{year}-{number:0{padding}d}"


def _ensure_series(company_id: int, code: str, year: int) -> None:
    previous = (
        NumberSeries.objects.filter(company_id=company_id, code=code, year__lt=year)
        .order_by("-year")
        .first()
    )
    template = NumberSeries(company_id=company_id, code=code, year=year)
    if previous is not None:
        template.prefix = previous.prefix
        template.padding = previous.padding
    # ON CONFLICT DO NOTHING: a concurrent first use waits on the unique
    # index for the other transaction and then finds its row.
    NumberSeries.objects.bulk_create([template], ignore_conflicts=True)


def number_statement(*, company, series: str, year: int, count: int = 1):
    """Return the (sql, params) that take `count` numbers of a series.

    For callers that send it together with other statements (see
    `modules.core.database.run_together`). Its one row is (first number,
    prefix, padding) and takes the series' row lock; no row means the
    series has no row for the year yet, and `reserve_numbers` creates it.
    """
    return (
        f"UPDATE {NumberSeries._meta.db_table} "
        "SET next_number = next_number + %s "
        "WHERE company_id = %s AND code = %s AND year = %s "
        "RETURNING next_number - %s, prefix, padding",
        [count, getattr(company, "pk", company), series, year, count],
    )


def _advance(company_id: int, code: str, year: int, count: int):
    # One statement takes the numbers and the row lock together; the lock
    # is held until the caller's transaction ends.
    with connection.cursor() as cursor:
        cursor.execute(
            *number_statement(company=company_id, series=code, year=year, count=count)
        )
        return cursor.fetchone()


def reserve_numbers(*, company, series: str, year: int, count: int = 1):
    """Take `count` consecutive numbers inside the caller's transaction.

    Return (first number, prefix, padding). The series row is created on
    first use, copying the prefix and padding of the same series' latest
    earlier year. If the caller's transaction rolls back, the numbers are
    not consumed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "Numbers must be taken inside the transaction that stores the "
            "numbered document, or a rollback would leave a gap."
        )
    company_id = getattr(company, "pk", company)

    taken = _advance(company_id, series, year, count)
    if taken is None:
        _ensure_series(company_id, series, year)
        taken = _advance(company_id, series, year, count)

    logger.debug(
        "Numbers %s+%s taken from %s/%s/%s",
        taken[0],
        count,
        company_id,
        series,
        year,
    )
    return taken


def next_number(*, company, series: str, year: int) -> IssuedNumber:
    """Take the next number of a series inside the caller's transaction.

    The series row is created on first use, copying the prefix and padding
    of the same series' latest earlier year. If the caller's transaction
    rolls back, the number is not consumed.
    """
    number, prefix, padding = reserve_numbers(company=company, series=series, year=year)
    return IssuedNumber(
        number=number,
        text=format_number(prefix=prefix, year=year, number=number, padding=padding),
    )
