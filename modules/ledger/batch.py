"""Posting many vouchers at once: imports, invoice runs, migrations.

`post_vouchers` applies the same rules as `post_voucher` (lines in whole
cents that balance, VAT lines, open periods, accounts of the company,
gap-free numbers, the hash chain) to a whole batch in one transaction:
one ledger lock, numbers taken per series and year in one step, the hash
chain worked out in Python, and the rows written with COPY. If any
voucher is refused, nothing of the batch is posted and the message names
the voucher by its place in the batch.

The lines are copied before their vouchers: the database checks a line's
voucher at commit, and its statement-level balance trigger checks the
vouchers as they are inserted already posted, so no voucher row is ever
rewritten. The rows go in chunks, copied by a second thread on the same
connection while this one hashes the next chunk; the other foreign keys
are checked at the end of each chunk's COPY, so PostgreSQL checks one
chunk while Python prepares the next, instead of all of them at commit.
"""

import gc
import logging
import queue
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import record_change
from modules.core.numbering import reserve_numbers
from modules.ledger.models import Period, Voucher
from modules.ledger.services import (
    _check_dimensions,
    _clean_lines,
    _last_link,
    _ledger_lock,
    _lock_accounts,
    _number_series_code,
    canonical_content,
    chain_hash,
    check_postable,
)
from modules.ledger.vat import VatTable

logger = logging.getLogger(__name__)

_LINE_COLUMNS = (
    "voucher_id",
    "account_id",
    "debit",
    "credit",
    "description",
    "vat_code",
    "vat_role",
    "vat_rate",
    "cost_centre_id",
    "project_id",
    "currency",
    "amount_in_currency",
    "rate",
)
_VOUCHER_COLUMNS = (
    "id",
    "company_id",
    "series_id",
    "fiscal_year_id",
    "number",
    "date",
    "description",
    "state",
    "source_type_id",
    "source_id",
    "posted_at",
    "posted_by_id",
    "chain_position",
    "hash",
)


@dataclass(frozen=True)
class VoucherInput:
    """One voucher given to `post_vouchers`."""

    date: object
    description: str
    lines: list = field(default_factory=list)
    source: object = None


def _as_voucher(value) -> VoucherInput:
    return value if isinstance(value, VoucherInput) else VoucherInput(**value)


def _clean_batch(*, company, vouchers, table) -> list[tuple[VoucherInput, list]]:
    cleaned = []
    for index, given in enumerate(map(_as_voucher, vouchers), start=1):
        try:
            if not (given.description or "").strip():
                raise ValidationError(_("Describe the voucher."), code="no_description")
            lines = _clean_lines(
                company=company, date=given.date, lines=given.lines, vat_table=table
            )
        except ValidationError as error:
            raise ValidationError(
                _("Voucher %(index)s (%(description)s): %(message)s")
                % {
                    "index": index,
                    "description": given.description,
                    "message": " ".join(error.messages),
                },
                code=error.code if hasattr(error, "code") else "invalid",
            ) from error
        cleaned.append((given, lines))
    if not cleaned:
        raise ValidationError(_("There are no vouchers to post."), code="empty")
    return cleaned


def _periods(*, company, dates) -> dict:
    first, last = min(dates), max(dates)
    periods = list(
        Period.objects.select_for_update(no_key=True)
        .select_related("fiscal_year")
        .filter(fiscal_year__company=company, end__gte=first, start__lte=last)
        .order_by("pk")
    )
    found = {}
    for date in sorted(set(dates)):
        period = next((p for p in periods if p.start <= date <= p.end), None)
        found[date] = check_postable(period, date=date)
    return found


def _take_numbers(*, company, series, fiscal_year, count: int) -> int:
    """Take `count` consecutive numbers and return the first."""
    first, _prefix, _padding = reserve_numbers(
        company=company,
        series=_number_series_code(series, fiscal_year),
        year=fiscal_year.start.year,
        count=count,
    )
    return first


def _voucher_ids(count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('ledger_voucher', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


CHUNK = 2000


def _copy_statement(table: str, columns) -> str:
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN"


_LINE_COPY = _copy_statement("ledger_journalline", _LINE_COLUMNS)
_VOUCHER_COPY = _copy_statement("ledger_voucher", _VOUCHER_COLUMNS)


class _LineStream:
    """Journal lines copied in chunks by a second thread, one COPY each.

    The thread copies a chunk while this one hashes the next, so
    PostgreSQL inserts and checks rows while Python works. The lines'
    accounts and dimensions are checked at the end of each chunk's COPY
    rather than at commit, for the same reason; their vouchers are copied
    after all lines and checked at commit. psycopg connections may be
    shared between threads; this thread leaves the connection to the
    copier until `close`, which waits for the last COPY and raises the
    first database error, if any, as Django's.
    """

    def __init__(self):
        connection.ensure_connection()
        self._raw = connection.connection
        self._immediate = ", ".join(self._checked_per_chunk())
        self._raw.execute(f"SET CONSTRAINTS {self._immediate} IMMEDIATE")
        self._chunks = queue.Queue(maxsize=2)
        self._failures = []
        self._thread = threading.Thread(target=self._copy_chunks, name="ledger-copy")
        self._thread.start()

    def _checked_per_chunk(self) -> list[str]:
        return [
            name
            for (name,) in self._raw.execute(
                "SELECT quote_ident(conname) FROM pg_constraint "
                "WHERE contype = 'f' AND condeferrable "
                "AND conrelid = 'ledger_journalline'::regclass "
                "AND confrelid <> 'ledger_voucher'::regclass ORDER BY conname"
            )
        ]

    def _copy_chunks(self):
        for chunk in iter(self._chunks.get, None):
            if self._failures:
                continue  # the transaction is lost; take what close() sends
            try:
                with self._raw.cursor() as cursor, cursor.copy(_LINE_COPY) as copy:
                    for row in chunk:
                        copy.write_row(row)
            except Exception as error:  # raised again by close()
                self._failures.append(error)

    def send(self, rows: list) -> None:
        self._chunks.put(rows)

    def close(self) -> None:
        self._chunks.put(None)
        self._thread.join()
        if self._failures:
            with connection.wrap_database_errors:
                raise self._failures[0]
        self._raw.execute(f"SET CONSTRAINTS {self._immediate} DEFERRED")


def _copy(statement: str, rows) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def _collector_paused():
    # A batch allocates a million short-lived objects with no cycles; the
    # cyclic collector would walk them all several times over.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _line_row(voucher_id: int, line) -> tuple:
    return (
        voucher_id,
        line.account.pk,
        line.debit,
        line.credit,
        line.description,
        line.vat_code,
        line.vat_role,
        line.vat_rate,
        line.cost_centre_id,
        line.project_id,
        line.currency,
        line.amount_in_currency,
        line.rate,
    )


@dataclass
class _Chain:
    """Numbers a batch's vouchers and links each into the hash chain."""

    company: object
    series: object
    periods: dict
    next_free: dict
    source_types: dict
    position: int
    previous_hash: str
    posted_at: object
    posted_by_id: int | None

    def row(self, voucher_id: int, given: VoucherInput, lines) -> tuple:
        """Return the voucher's row for COPY, numbered, hashed and linked."""
        fiscal_year = self.periods[given.date].fiscal_year
        self.position += 1
        # A plain row, not a model instance: building 20 000 Vouchers
        # costs more than the rest of the batch.
        voucher = SimpleNamespace(
            id=voucher_id,
            company_id=self.company.pk,
            series=self.series,
            series_id=self.series.pk,
            fiscal_year=fiscal_year,
            fiscal_year_id=fiscal_year.pk,
            number=self.next_free[fiscal_year.pk],
            date=given.date,
            description=given.description.strip(),
            state=str(Voucher.State.POSTED),
            source_type_id=self.source_types.get(type(given.source)),
            source_id=str(given.source.pk) if given.source is not None else "",
            posted_at=self.posted_at,
            posted_by_id=self.posted_by_id,
            chain_position=self.position,
            reversal_of_id=None,
        )
        self.next_free[fiscal_year.pk] += 1
        voucher.hash = chain_hash(self.previous_hash, canonical_content(voucher, lines))
        self.previous_hash = voucher.hash
        return tuple(getattr(voucher, name) for name in _VOUCHER_COLUMNS)


@transaction.atomic
def post_vouchers(*, company, user, series, vouchers) -> QuerySet:
    """Post a batch of vouchers in one transaction; all or none.

    `vouchers` are `VoucherInput`s (or dicts of date, description, lines
    and source) whose lines are `LineInput`s as for `post_voucher`. Return
    the posted vouchers (a queryset) in the order given, numbered in that
    order.
    """
    if series.company_id != company.pk:
        raise ValidationError(
            _("The voucher series belongs to another company."), code="foreign_series"
        )
    with _collector_paused():
        cleaned = _clean_batch(
            company=company, vouchers=vouchers, table=VatTable(company)
        )
        all_lines = [line for _given, lines in cleaned for line in lines]

        _ledger_lock(company.pk)
        periods = _periods(company=company, dates=[given.date for given, _ in cleaned])
        _lock_accounts(company=company, lines=all_lines)
        _check_dimensions(company=company, lines=all_lines)

        numbers = {}
        for given, _lines in cleaned:
            year = periods[given.date].fiscal_year
            numbers.setdefault(year.pk, [year, 0])[1] += 1
        next_free = {
            year_pk: _take_numbers(
                company=company, series=series, fiscal_year=year, count=count
            )
            for year_pk, (year, count) in sorted(numbers.items())
        }
        source_types = {
            model: content_type.pk
            for model, content_type in ContentType.objects.get_for_models(
                *{
                    type(given.source)
                    for given, _ in cleaned
                    if given.source is not None
                }
            ).items()
        }
        position, previous_hash = _last_link(company)
        chain = _Chain(
            company=company,
            series=series,
            periods=periods,
            next_free=next_free,
            source_types=source_types,
            position=position,
            previous_hash=previous_hash,
            posted_at=timezone.now(),
            posted_by_id=user.pk
            if user is not None and user.is_authenticated
            else None,
        )
        ids = _voucher_ids(len(cleaned))

        voucher_rows = []
        stream = _LineStream()
        try:
            for start in range(0, len(cleaned), CHUNK):
                line_rows = []
                for voucher_id, (given, lines) in zip(
                    ids[start : start + CHUNK],
                    cleaned[start : start + CHUNK],
                    strict=True,
                ):
                    voucher_rows.append(chain.row(voucher_id, given, lines))
                    line_rows.extend(_line_row(voucher_id, line) for line in lines)
                stream.send(line_rows)
        finally:
            stream.close()
        _copy(_VOUCHER_COPY, voucher_rows)

    record_change(
        instance=company,
        user=user,
        action="update",
        after={
            "vouchers_posted": len(cleaned),
            "series": series.code,
            "chain": [position + 1, chain.position],
        },
    )
    logger.info("%s vouchers posted in one batch for %s", len(cleaned), company.pk)
    return Voucher.objects.filter(pk__in=ids).order_by("chain_position")
