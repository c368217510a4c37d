"""Reads of the banking module: the reconciliation queue and the cash forecast.

The forecast starts from the bank balances the company's statements
report and adds, day by day:

- open receivables, each on its due date moved by the customer's actual
  average paying delay (learnt from the payments matched here; overdue
  items that have not come are expected on the first day);
- open payables of every registered payables provider;
- recurring items (rent, salaries, loans) entered in banking;
- budgeted expenses (ledger budgets of expense accounts, all cost centres
  and projects) that no booked expense or open payable covers yet: the
  budget of a month less the expenses already booked in that month and
  the payables due in it, spread evenly over the month's days still
  ahead. Shown apart as "of which budgeted", so a reader can tell a
  plan from an invoice; an invoice is never counted twice, because what
  it covers is taken off the budget first.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from modules.banking.models import (
    BankStatement,
    BankTransaction,
    PaymentAllocation,
    RecurringCashItem,
)
from modules.banking.providers import payables_providers, receivables_provider
from modules.core.models import BankAccount

ZERO = Decimal("0")


def waiting_transactions(*, company):
    """Return the transactions the user still has to reconcile."""
    State = BankTransaction.State
    return (
        BankTransaction.objects.filter(company=company)
        .filter(
            Q(state__in=[State.UNMATCHED, State.PROPOSED, State.PARTIAL])
            | Q(is_reversal=True, allocated_amount=0)
        )
        .exclude(state=State.IGNORED)
        .select_related("bank_account", "statement")
        .order_by("booking_date", "pk")
    )


def bank_balance(*, company, on: datetime.date) -> Decimal:
    """Return the company's bank balance at the end of `on`.

    Each account's last statement closing balance up to `on`, plus the
    transactions booked after that statement's end, up to `on`.
    """
    total = ZERO
    for account in BankAccount.objects.filter(company=company):
        last = (
            BankStatement.objects.filter(
                bank_account=account,
                closing_balance__isnull=False,
                to_date__lte=on,
            )
            .order_by("-to_date", "-pk")
            .first()
        )
        since = last.to_date if last else None
        total += last.closing_balance if last else ZERO
        movements = BankTransaction.objects.filter(
            bank_account=account, booking_date__lte=on
        )
        if since is not None:
            movements = movements.filter(booking_date__gt=since)
        for direction, amount in movements.values_list("direction", "amount"):
            total += (
                amount if direction == BankTransaction.Direction.CREDIT else -amount
            )
    return total


def paying_delays(*, company) -> dict[str, int]:
    """Return each customer's average days paid after the due date."""
    rows = PaymentAllocation.objects.filter(
        company=company,
        kind=PaymentAllocation.Kind.RECEIVABLE,
        due_date__isnull=False,
    ).values_list("customer_key", "due_date", "transaction__booking_date")
    delays: dict[str, list[int]] = defaultdict(list)
    for customer, due, paid in rows:
        delays[customer].append((paid - due).days)
    return {customer: round(sum(d) / len(d)) for customer, d in delays.items()}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


_STEPS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def occurrences(item: RecurringCashItem, start, end) -> list[datetime.date]:
    """Return the dates of a recurring item between `start` and `end`."""
    dates = []
    count = 0
    day = item.start_date
    last = min(end, item.end_date) if item.end_date else end
    while day <= last:
        if day >= start:
            dates.append(day)
        count += 1
        if item.frequency == RecurringCashItem.Frequency.WEEKLY:
            day = item.start_date + datetime.timedelta(weeks=count)
        else:
            day = _add_months(item.start_date, _STEPS[item.frequency] * count)
    return dates


@dataclass
class ForecastDay:
    day: datetime.date
    cash_in: Decimal
    cash_out: Decimal
    balance: Decimal
    # The part of cash_out that comes from budgets, not from known items.
    budgeted_out: Decimal = ZERO


@dataclass
class Forecast:
    opening_balance: Decimal
    days: list[ForecastDay]

    def weeks(self) -> list[ForecastDay]:
        """Return the forecast summed by ISO week, dated by each Monday."""
        weeks: dict[datetime.date, ForecastDay] = {}
        for day in self.days:
            monday = day.day - datetime.timedelta(days=day.day.weekday())
            week = weeks.setdefault(monday, ForecastDay(monday, ZERO, ZERO, ZERO))
            week.cash_in += day.cash_in
            week.cash_out += day.cash_out
            week.budgeted_out += day.budgeted_out
            week.balance = day.balance
        return list(weeks.values())


def _receivables(company, start, end, flows) -> None:
    provider = receivables_provider()
    if provider is None:
        return
    delays = paying_delays(company=company)
    pending = defaultdict(Decimal)
    for document_id, amount in PaymentAllocation.objects.filter(
        company=company, kind=PaymentAllocation.Kind.RECEIVABLE, posted_at__isnull=True
    ).values_list("document_id", "amount"):
        pending[document_id] += amount
    for item in provider.open_items(company=company):
        amount = item.open_amount - pending[item.document_id]
        if amount <= 0:
            continue
        due = item.due_date or start
        expected = max(
            start, due + datetime.timedelta(days=delays.get(item.customer_key, 0))
        )
        if expected <= end:
            flows[expected][0] += amount


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _spread(amount: Decimal, days: int) -> list[Decimal]:
    """Split `amount` into `days` cent amounts that add up to it."""
    share = (amount / days).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    parts = [share] * days
    parts[-1] += amount - share * days
    return parts


def _budgets(company, start, end, payables_by_month) -> dict[datetime.date, Decimal]:
    """Return the budgeted expenses not yet covered, by day (see module doc)."""
    from modules.ledger.models import AccountType, BudgetEntry, JournalLine

    first, last = _month_start(start), _month_start(end)
    budgets = dict(
        BudgetEntry.objects.filter(
            company=company,
            account__type=AccountType.EXPENSE,
            month__gte=first,
            month__lte=last,
        )
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    booked = defaultdict(Decimal)
    lines = JournalLine.objects.filter(
        voucher__company=company,
        account__type=AccountType.EXPENSE,
        voucher__date__gte=first,
        voucher__date__lt=_add_months(last, 1),
    ).values_list("voucher__date", "debit", "credit")
    for day, debit, credit in lines:
        booked[_month_start(day)] += debit - credit

    spread: dict[datetime.date, Decimal] = {}
    for month, budget in budgets.items():
        left = budget - booked[month] - payables_by_month[month]
        month_end = _add_months(month, 1) - datetime.timedelta(days=1)
        ahead = max(month, start)
        if left <= 0 or ahead > month_end:
            continue
        count = (month_end - ahead).days + 1
        for offset, part in enumerate(_spread(left, count)):
            day = ahead + datetime.timedelta(days=offset)
            if day <= end:
                spread[day] = part
    return spread


def cash_forecast(*, company, start: datetime.date, days: int = 91) -> Forecast:
    """Return the expected cash in, out and balance for each day from `start`."""
    end = start + datetime.timedelta(days=days - 1)
    opening = bank_balance(company=company, on=start - datetime.timedelta(days=1))
    flows: dict[datetime.date, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])

    _receivables(company, start, end, flows)
    payables_by_month = defaultdict(Decimal)
    for provider in payables_providers():
        for expected in provider.expected_payments(company=company):
            day = max(start, expected.due_date)
            payables_by_month[_month_start(day)] += expected.amount
            if day <= end:
                flows[day][1] += expected.amount
    budgeted = _budgets(company, start, end, payables_by_month)
    for day, amount in budgeted.items():
        flows[day][1] += amount
    for item in RecurringCashItem.objects.filter(company=company, is_active=True):
        side = 0 if item.direction == RecurringCashItem.Direction.IN else 1
        for day in occurrences(item, start, end):
            flows[day][side] += item.amount

    balance = opening
    rows = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        cash_in, cash_out = flows.get(day, (ZERO, ZERO))
        balance += cash_in - cash_out
        rows.append(
            ForecastDay(day, cash_in, cash_out, balance, budgeted.get(day, ZERO))
        )
    return Forecast(opening_balance=opening, days=rows)
