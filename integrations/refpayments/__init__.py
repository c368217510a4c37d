"""The legacy Finnish reference payment file (viitesiirto, "KTL").

Banks still deliver incoming reference payments as a fixed-width text
file of 90-character records (Finance Finland, "Incoming reference
payments", service description 2.1):

    0  header: creation date and time, bank code, service id
    3  a reference payment (5: a direct debit), one per record
    9  totals: number and sum of the payments and of the corrections

`parse_reference_file` reads one into `ReferencePayment` rows and checks
the totals record against them, so a truncated file is refused instead
of imported in part.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integrations.refpayments.references import reference_or_blank

RECORD_LENGTH = 90
MAX_BYTES = 16 * 1024 * 1024


class ReferenceFileError(ValidationError):
    """The reference payment file cannot be read; the message says why."""


@dataclass(frozen=True)
class ReferencePayment:
    """One incoming payment of a reference payment file."""

    account: str
    booking_date: datetime.date
    payment_date: datetime.date
    archive_id: str
    reference: str
    raw_reference: str
    payer_name: str
    amount: Decimal
    is_correction: bool


@dataclass(frozen=True)
class ReferenceFile:
    """A parsed reference payment file."""

    created_at: datetime.datetime
    account: str
    payments: list[ReferencePayment]
    sha256: str


def _date(text: str, *, line: int) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%y%m%d").date()
    except ValueError as error:
        raise ReferenceFileError(
            _("Line %(line)s: %(value)s is not a date (YYMMDD)."),
            code="refpayment_date",
            params={"line": line, "value": text},
        ) from error


def _cents(text: str, *, line: int) -> Decimal:
    if not text.isdigit():
        raise ReferenceFileError(
            _("Line %(line)s: %(value)s is not an amount in cents."),
            code="refpayment_amount",
            params={"line": line, "value": text},
        )
    return Decimal(int(text)) / 100


def _payment(record: str, *, line: int) -> ReferencePayment:
    raw_reference = record[43:63].strip()
    return ReferencePayment(
        account=record[1:15],
        booking_date=_date(record[15:21], line=line),
        payment_date=_date(record[21:27], line=line),
        archive_id=record[27:43].strip(),
        reference=reference_or_blank(raw_reference),
        raw_reference=raw_reference.lstrip("0"),
        payer_name=record[63:75].strip(),
        amount=_cents(record[77:87], line=line),
        is_correction=record[87] == "1",
    )


def _lines(data: bytes) -> list[str]:
    if len(data) > MAX_BYTES:
        raise ReferenceFileError(
            _("The file is larger than %(limit)s MB; it was not read."),
            code="refpayment_too_large",
            params={"limit": MAX_BYTES // (1024 * 1024)},
        )
    # The files are ISO-8859-1 (names with Scandinavian letters).
    text = data.decode("latin-1")
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


def _check_totals(record: str, payments, *, line: int) -> None:
    count = int(record[1:7]) if record[1:7].isdigit() else -1
    total = _cents(record[7:18], line=line)
    ordinary = [payment for payment in payments if not payment.is_correction]
    if count != len(ordinary) or total != sum(p.amount for p in ordinary):
        raise ReferenceFileError(
            _(
                "The totals record does not agree with the payments in the "
                "file (%(count)s payments, %(total)s EUR); the file may be "
                "incomplete."
            ),
            code="refpayment_totals",
            params={"count": len(ordinary), "total": sum(p.amount for p in ordinary)},
        )


def looks_like_reference_file(data: bytes) -> bool:
    """Tell whether `data` starts like a reference payment file."""
    return data[:1] == b"0" and not data.lstrip().startswith(b"<")


def parse_reference_file(data: bytes) -> ReferenceFile:
    """Parse a reference payment file; raise ReferenceFileError if invalid."""
    lines = _lines(data)
    if not lines or not lines[0].startswith("0"):
        raise ReferenceFileError(
            _("This is not a reference payment file: the header record is missing."),
            code="refpayment_header",
        )
    payments: list[ReferencePayment] = []
    created_at = None
    totals_seen = False
    for number, record in enumerate(lines, start=1):
        if len(record) < RECORD_LENGTH:
            raise ReferenceFileError(
                _("Line %(line)s is shorter than %(length)s characters."),
                code="refpayment_length",
                params={"line": number, "length": RECORD_LENGTH},
            )
        kind = record[0]
        if kind == "0":
            created_at = datetime.datetime.combine(
                _date(record[1:7], line=number),
                datetime.time(int(record[7:9] or 0), int(record[9:11] or 0)),
            )
        elif kind in "35":
            payments.append(_payment(record, line=number))
        elif kind == "9":
            _check_totals(record, payments, line=number)
            totals_seen = True
        else:
            raise ReferenceFileError(
                _("Line %(line)s has an unknown record type %(kind)s."),
                code="refpayment_record",
                params={"line": number, "kind": kind},
            )
    if not totals_seen:
        raise ReferenceFileError(
            _("The totals record is missing; the file may be incomplete."),
            code="refpayment_no_totals",
        )
    accounts = {payment.account for payment in payments}
    if len(accounts) > 1:
        raise ReferenceFileError(
            _("The file mixes payments to several accounts: %(accounts)s."),
            code="refpayment_accounts",
            params={"accounts": ", ".join(sorted(accounts))},
        )
    return ReferenceFile(
        created_at=created_at,
        account=accounts.pop() if accounts else "",
        payments=payments,
        sha256=hashlib.sha256(data).hexdigest(),
    )
