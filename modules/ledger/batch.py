"""Posting many vouchers at once: imports, invoice runs, migrations.

`post_vouchers` applies the same rules as `post_voucher` (lines in whole
cents that balance, VAT lines, open periods, accounts of the company,
gap-free numbers, the hash chain) to a whole batch in one transaction:
one ledger lock, numbers taken per series and year in one step, the hash
chain worked out in Python, and the rows written with COPY. If any
voucher is refused, nothing of the batch is posted and the message names
the voucher by its place in the batch.

The lines are copied before their vouchers: the database checks the
foreign keys at commit, and its statement-level balance trigger checks
the vouchers as they are inserted already posted, in one query, so no
voucher row is ever rewritten.
"""

import logging
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


def _copy(table: str, columns, rows) -> None:
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


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
    cleaned = _clean_batch(company=company, vouchers=vouchers, table=VatTable(company))
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
    position, previous_hash = _last_link(company)
    posted_at = timezone.now()
    posted_by = user if user is not None and user.is_authenticated else None
    ids = _voucher_ids(len(cleaned))

    posted = []
    for voucher_id, (given, lines) in zip(ids, cleaned, strict=True):
        fiscal_year = periods[given.date].fiscal_year
        position += 1
        # A plain row, not a model instance: building 20 000 Vouchers
        # costs more than the rest of the batch.
        voucher = SimpleNamespace(
            id=voucher_id,
            company_id=company.pk,
            series=series,
            series_id=series.pk,
            fiscal_year=fiscal_year,
            fiscal_year_id=fiscal_year.pk,
            number=next_free[fiscal_year.pk],
            date=given.date,
            description=given.description.strip(),
            state=str(Voucher.State.POSTED),
            source_type_id=(
                ContentType.objects.get_for_model(given.source).pk
                if given.source is not None
                else None
            ),
            source_id=str(given.source.pk) if given.source is not None else "",
            posted_at=posted_at,
            posted_by_id=posted_by.pk if posted_by is not None else None,
            chain_position=position,
            reversal_of_id=None,
        )
        next_free[fiscal_year.pk] += 1
        voucher.hash = chain_hash(previous_hash, canonical_content(voucher, lines))
        previous_hash = voucher.hash
        posted.append((voucher, lines))

    _copy(
        "ledger_journalline",
        _LINE_COLUMNS,
        (_line_row(voucher.id, line) for voucher, lines in posted for line in lines),
    )
    _copy(
        "ledger_voucher",
        _VOUCHER_COLUMNS,
        (
            tuple(getattr(voucher, name) for name in _VOUCHER_COLUMNS)
            for voucher, _lines in posted
        ),
    )

    record_change(
        instance=company,
        user=user,
        action="update",
        after={
            "vouchers_posted": len(posted),
            "series": series.code,
            "chain": [posted[0][0].chain_position, posted[-1][0].chain_position],
        },
    )
    logger.info("%s vouchers posted in one batch for %s", len(posted), company.pk)
    return Voucher.objects.filter(pk__in=ids).order_by("chain_position")
