"""Sums of posted journal lines per account, in one scan of the journal.

Every report starts here. `account_totals` returns, per account, the
debits and credits of each named date range; the ranges are summed with
FILTER clauses over one pass of the lines, so the comparison year costs
no second query. An optional `line_filter` (a Q object on JournalLine)
narrows the lines, e.g. to one cost centre or project.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum

from modules.ledger.models import Account, AccountType, FiscalYear, JournalLine, Voucher

ZERO = Decimal("0.00")
INCOME_STATEMENT_TYPES = (AccountType.INCOME, AccountType.EXPENSE)


@dataclass(frozen=True)
class Span:
    """A date range to sum; a missing start sums from the first entry.

    A `net` span sums only debits less credits (one aggregate instead of
    two), which is all the statements need; its Totals carry the net sum
    as the debit.
    """

    start: datetime.date | None
    end: datetime.date
    net: bool = False


@dataclass
class Totals:
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        """Return debits less credits."""
        return self.debit - self.credit


def posted_lines(*, companies, line_filter: Q | None = None):
    """Return the posted journal lines of `companies`, narrowed by a filter."""
    lines = JournalLine.objects.filter(
        voucher__company__in=companies, voucher__state=Voucher.State.POSTED
    )
    if line_filter is not None:
        lines = lines.filter(line_filter)
    return lines


def _span_q(span: Span) -> Q:
    q = Q(voucher__date__lte=span.end)
    if span.start is not None:
        q &= Q(voucher__date__gte=span.start)
    return q


def account_totals(
    *, companies, spans: dict[str, Span], line_filter: Q | None = None, accounts=None
) -> dict[int, dict[str, Totals]]:
    """Return {account id: {span name: Totals}} for accounts with entries."""
    lines = posted_lines(companies=companies, line_filter=line_filter)
    starts = [span.start for span in spans.values()]
    if None not in starts:
        lines = lines.filter(voucher__date__gte=min(starts))
    lines = lines.filter(voucher__date__lte=max(span.end for span in spans.values()))
    if accounts is not None:
        lines = lines.filter(account__in=accounts)

    aggregates = {}
    for name, span in spans.items():
        condition = _span_q(span) if len(spans) > 1 else None
        if span.net:
            aggregates[f"{name}__debit"] = Sum(
                F("debit") - F("credit"), filter=condition, default=ZERO
            )
            continue
        aggregates[f"{name}__debit"] = Sum("debit", filter=condition, default=ZERO)
        aggregates[f"{name}__credit"] = Sum("credit", filter=condition, default=ZERO)
    rows = lines.values("account").annotate(**aggregates).order_by()

    result = {}
    for row in rows:
        result[row["account"]] = {
            name: Totals(row[f"{name}__debit"], row.get(f"{name}__credit", ZERO))
            for name in spans
        }
    return result


def accounts_by_id(ids) -> dict[int, Account]:
    """Return the accounts of `ids`, keyed by id."""
    return {account.pk: account for account in Account.objects.filter(pk__in=ids)}


def fiscal_year_start(*, company, day: datetime.date) -> datetime.date:
    """Return the start of the fiscal year of `company` that covers `day`.

    Without a fiscal year for the day, the calendar year is assumed.
    """
    start = (
        FiscalYear.objects.filter(company=company, start__lte=day, end__gte=day)
        .values_list("start", flat=True)
        .first()
    )
    return start or day.replace(month=1, day=1)
