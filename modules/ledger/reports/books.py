"""The journal, the general ledger and the trial balance.

The journal lists posted vouchers in date order with their lines; the
general ledger lists each account's lines with its opening balance and a
running balance; the trial balance sums each account's debits and
credits in the range, with the previous year's same range beside them.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from modules.ledger.models import Account, JournalLine, Voucher
from modules.ledger.reports.periods import DateRange
from modules.ledger.reports.totals import (
    INCOME_STATEMENT_TYPES,
    ZERO,
    Span,
    Totals,
    account_totals,
    accounts_by_id,
    fiscal_year_start,
    posted_lines,
)


def journal(*, company, period: DateRange, series=None):
    """Return the posted vouchers of `period` in date order, lines prefetched."""
    vouchers = Voucher.objects.filter(
        company=company,
        state=Voucher.State.POSTED,
        date__gte=period.start,
        date__lte=period.end,
    )
    if series is not None:
        vouchers = vouchers.filter(series=series)
    return (
        vouchers.select_related("series")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=JournalLine.objects.select_related("account").order_by("pk"),
            )
        )
        .order_by("date", "series__code", "number")
    )


@dataclass(frozen=True)
class JournalMonth:
    """A month's posted total in the journal and the same month a year before."""

    month: object
    total: Decimal
    previous: Decimal


def journal_months(*, company, period: DateRange, series=None) -> list[JournalMonth]:
    """Return the journal's total (debits) per month of `period`, last year beside.

    Debits equal credits on every voucher, so one sum is the month's total.
    """
    previous = period.previous_year()
    lines = posted_lines(companies=[company]).filter(
        Q(voucher__date__gte=period.start, voucher__date__lte=period.end)
        | Q(voucher__date__gte=previous.start, voucher__date__lte=previous.end)
    )
    if series is not None:
        lines = lines.filter(voucher__series=series)
    sums = dict(
        lines.annotate(month=TruncMonth("voucher__date"))
        .values("month")
        .annotate(total=Sum("debit"))
        .values_list("month", "total")
        .order_by()
    )
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        before = month.replace(year=month.year - 1)
        months.append(
            JournalMonth(month, sums.get(month, ZERO), sums.get(before, ZERO))
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return months


@dataclass
class LedgerEntry:
    """A journal line in the general ledger with the balance after it."""

    line: JournalLine
    balance: Decimal


@dataclass
class LedgerAccount:
    """One account of the general ledger."""

    account: Account
    opening: Decimal
    entries: list[LedgerEntry] = field(default_factory=list)
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    # The balance at the end of the same range a year earlier, if compared.
    previous: Decimal | None = None

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def _openings(*, company, period, accounts, line_filter) -> dict[int, Decimal]:
    """Return each account's balance on the morning of `period.start`.

    Balance sheet accounts carry everything before; income statement
    accounts only what the fiscal year has brought before the start.
    """
    year_start = fiscal_year_start(company=company, day=period.start)
    day_before = period.start.fromordinal(period.start.toordinal() - 1)
    spans = {"all": Span(None, day_before, net=True)}
    if year_start < period.start:
        spans["year"] = Span(year_start, day_before, net=True)
    totals = account_totals(
        companies=[company], spans=spans, line_filter=line_filter, accounts=accounts
    )
    types = dict(Account.objects.filter(pk__in=totals).values_list("pk", "type"))
    openings = {}
    for account_id, by_span in totals.items():
        if types[account_id] in INCOME_STATEMENT_TYPES:
            openings[account_id] = by_span.get("year", Totals()).balance
        else:
            openings[account_id] = by_span["all"].balance
    return openings


def _closings(*, company, period, accounts, line_filter) -> dict[int, Decimal]:
    """Return each account's balance in the evening of `period.end`."""
    closings = _openings(
        company=company, period=period, accounts=accounts, line_filter=line_filter
    )
    movements = account_totals(
        companies=[company],
        spans={"range": Span(period.start, period.end, net=True)},
        line_filter=line_filter,
        accounts=accounts,
    )
    for account_id, by_span in movements.items():
        closings[account_id] = closings.get(account_id, ZERO) + by_span["range"].balance
    return closings


def general_ledger(
    *,
    company,
    period: DateRange,
    accounts=None,
    line_filter: Q | None = None,
    compare: bool = False,
) -> list[LedgerAccount]:
    """Return the general ledger of `period`, optionally for some accounts.

    With `compare`, each account carries its balance at the end of the same
    range a year earlier (`previous`).
    """
    scope = Account.objects.filter(company=company)
    if accounts is not None:
        scope = scope.filter(pk__in=[getattr(a, "pk", a) for a in accounts])
    openings = _openings(
        company=company, period=period, accounts=scope, line_filter=line_filter
    )
    previous = (
        _closings(
            company=company,
            period=period.previous_year(),
            accounts=scope,
            line_filter=line_filter,
        )
        if compare
        else {}
    )
    lines = (
        posted_lines(companies=[company], line_filter=line_filter)
        .filter(
            account__in=scope,
            voucher__date__gte=period.start,
            voucher__date__lte=period.end,
        )
        .select_related("voucher__series", "account")
        .order_by(
            "account__number",
            "voucher__date",
            "voucher__series__code",
            "voucher__number",
            "pk",
        )
    )

    ledger: dict[int, LedgerAccount] = {}
    for line in lines:
        entry = ledger.get(line.account_id)
        if entry is None:
            entry = ledger[line.account_id] = LedgerAccount(
                account=line.account, opening=openings.get(line.account_id, ZERO)
            )
        entry.debit += line.debit
        entry.credit += line.credit
        entry.entries.append(LedgerEntry(line, entry.closing))
    quiet = {
        pk
        for pk, amount in [*openings.items(), *previous.items()]
        if amount and pk not in ledger
    }
    for account in Account.objects.filter(pk__in=quiet):
        ledger[account.pk] = LedgerAccount(
            account=account, opening=openings.get(account.pk, ZERO)
        )
    if compare:
        for pk, item in ledger.items():
            item.previous = previous.get(pk, ZERO)
    return sorted(ledger.values(), key=lambda item: item.account.number)


@dataclass
class TrialBalanceLine:
    """An account's debits, credits and balance, with last year's balance."""

    account: Account
    debit: Decimal
    credit: Decimal
    previous: Decimal | None = None

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


@dataclass
class TrialBalance:
    columns: list[DateRange]
    lines: list[TrialBalanceLine]

    @property
    def debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)

    @property
    def previous(self) -> Decimal | None:
        if len(self.columns) < 2:
            return None
        return sum((line.previous or ZERO for line in self.lines), ZERO)

    @property
    def title(self) -> str:
        return _("Trial balance")


def trial_balance(
    *, company, period: DateRange, compare: bool = True, line_filter: Q | None = None
) -> TrialBalance:
    """Return each account's debits and credits in `period`."""
    ranges = [period, period.previous_year()] if compare else [period]
    spans = {"c0": Span(period.start, period.end)}
    if compare:
        spans["c1"] = Span(ranges[1].start, ranges[1].end, net=True)
    totals = account_totals(companies=[company], spans=spans, line_filter=line_filter)
    accounts = accounts_by_id(totals)

    lines = []
    for account_id, by_span in totals.items():
        current = by_span["c0"]
        previous = by_span["c1"].balance if compare else None
        if not (current.debit or current.credit or previous):
            continue
        lines.append(
            TrialBalanceLine(
                account=accounts[account_id],
                debit=current.debit,
                credit=current.credit,
                previous=previous,
            )
        )
    lines.sort(key=lambda line: line.account.number)
    return TrialBalance(columns=ranges, lines=lines)
