"""The income statement and the balance sheet in a chosen layout.

Both are built from `totals.account_totals` and arranged by a layout of
`layouts`. Each statement has a column for the chosen range and, when
asked, one for the same range a year earlier. The balance sheet shows the
balances at the end of each range; the result of the current fiscal year
so far is its profit row, and results of earlier years not yet closed
into retained earnings are added to retained earnings, so the balance
sheet balances whether or not the previous year has been closed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from modules.ledger.models import Account, StatementLine
from modules.ledger.reports.layouts import Kind, Layout, Side, get_layout
from modules.ledger.reports.periods import DateRange
from modules.ledger.reports.totals import (
    INCOME_STATEMENT_TYPES,
    ZERO,
    Span,
    account_totals,
    accounts_by_id,
    fiscal_year_start,
)


@dataclass(frozen=True)
class Column:
    """A figure column: its heading and the dates it covers."""

    label: str
    range: DateRange


@dataclass
class StatementAccount:
    """One account under a statement row, with its figures per column."""

    account: Account
    values: list[Decimal]


@dataclass
class StatementRow:
    """A row of a statement with its figures per column (None for headings)."""

    key: str
    label: str
    kind: Kind
    level: int
    values: list[Decimal] | None
    lines: tuple[str, ...] = ()
    accounts: list[StatementAccount] = field(default_factory=list)

    @property
    def is_heading(self) -> bool:
        return self.kind == Kind.HEADING

    @property
    def is_total(self) -> bool:
        return self.kind == Kind.TOTAL


@dataclass
class Statement:
    """An income statement or balance sheet ready to show or export."""

    title: str
    statement: str
    layout: Layout
    columns: list[Column]
    rows: list[StatementRow]

    def row(self, key: str) -> StatementRow:
        """Return the row `key` of the statement."""
        return next(row for row in self.rows if row.key == key)


# Account figures are kept as debit less credit until a row's side turns
# them into what the statement prints.
LineFigures = dict[str, list[Decimal]]
LineAccounts = dict[str, dict[Account, list[Decimal]]]


def arrange(
    layout: Layout, figures: LineFigures, accounts: LineAccounts, width: int
) -> list[StatementRow]:
    """Return the rows of `layout` filled from per-line debit-less-credit sums."""
    rows, by_key = [], {}
    for row in layout.rows:
        values, listed = None, []
        if row.kind == Kind.LINE:
            sign = 1 if row.side == Side.DEBIT else -1
            values = [ZERO] * width
            merged = defaultdict(lambda: [ZERO] * width)
            for line in row.lines:
                for index, amount in enumerate(figures.get(line, [ZERO] * width)):
                    values[index] += sign * amount
                for account, amounts in accounts.get(line, {}).items():
                    for index, amount in enumerate(amounts):
                        merged[account][index] += sign * amount
            listed = [
                StatementAccount(account, amounts)
                for account, amounts in sorted(
                    merged.items(), key=lambda item: item[0].number
                )
            ]
        elif row.kind == Kind.TOTAL:
            values = [
                sum((by_key[key][index] for key in row.sums), ZERO)
                for index in range(width)
            ]
        by_key[row.key] = values
        rows.append(
            StatementRow(
                key=row.key,
                label=str(row.label),
                kind=row.kind,
                level=row.level,
                values=values,
                lines=row.lines,
                accounts=listed,
            )
        )
    return rows


def _ranges(period: DateRange, compare: bool) -> list[DateRange]:
    return [period, period.previous_year()] if compare else [period]


def _add(target: list[Decimal], amounts) -> None:
    for index, amount in enumerate(amounts):
        target[index] += amount


def income_figures(
    *, companies, ranges: list[DateRange], line_filter: Q | None = None
) -> tuple[LineFigures, LineAccounts]:
    """Return income statement figures per statement line and per account."""
    width = len(ranges)
    spans = {
        f"c{index}": Span(r.start, r.end, net=True) for index, r in enumerate(ranges)
    }
    totals = account_totals(companies=companies, spans=spans, line_filter=line_filter)
    accounts = accounts_by_id(totals)

    figures: LineFigures = {}
    listed: LineAccounts = defaultdict(dict)
    for account_id, by_span in totals.items():
        account = accounts[account_id]
        if account.type not in INCOME_STATEMENT_TYPES:
            continue
        amounts = [by_span[name].balance for name in spans]
        _add(figures.setdefault(account.statement_line, [ZERO] * width), amounts)
        listed[account.statement_line][account] = amounts
    return figures, listed


def balance_figures(
    *, company, ranges: list[DateRange], line_filter: Q | None = None
) -> tuple[LineFigures, LineAccounts]:
    """Return balance sheet figures at the end of each range.

    Balance sheet accounts give their balance at each date. Income and
    expense accounts give their result of the fiscal year so far to the
    profit row and their earlier results, not yet closed, to retained
    earnings.
    """
    width = len(ranges)
    spans = {}
    for index, period in enumerate(ranges):
        spans[f"b{index}"] = Span(None, period.end, net=True)
        year_start = fiscal_year_start(company=company, day=period.end)
        spans[f"y{index}"] = Span(year_start, period.end, net=True)
    totals = account_totals(companies=[company], spans=spans, line_filter=line_filter)
    accounts = accounts_by_id(totals)

    figures: LineFigures = {}
    listed: LineAccounts = defaultdict(dict)
    profit = figures.setdefault(StatementLine.BS_PROFIT.value, [ZERO] * width)
    earlier = figures.setdefault(
        StatementLine.BS_RETAINED_EARNINGS.value, [ZERO] * width
    )
    for account_id, by_span in totals.items():
        account = accounts[account_id]
        closing = [by_span[f"b{index}"].balance for index in range(width)]
        if account.type in INCOME_STATEMENT_TYPES:
            year = [by_span[f"y{index}"].balance for index in range(width)]
            _add(profit, year)
            _add(
                earlier,
                [total - part for total, part in zip(closing, year, strict=True)],
            )
            continue
        _add(figures.setdefault(account.statement_line, [ZERO] * width), closing)
        listed[account.statement_line][account] = closing
    return figures, listed


def _statement(kind, *, company, period, layout, compare, line_filter) -> Statement:
    ranges = _ranges(period, compare)
    if kind == "income":
        figures, listed = income_figures(
            companies=[company], ranges=ranges, line_filter=line_filter
        )
        title, heading = _("Income statement"), str
    else:
        figures, listed = balance_figures(
            company=company, ranges=ranges, line_filter=line_filter
        )
        title, heading = _("Balance sheet"), lambda r: f"{r.end:%d.%m.%Y}"
    chosen = get_layout(kind, layout)
    return Statement(
        title=title,
        statement=kind,
        layout=chosen,
        columns=[Column(heading(r), r) for r in ranges],
        rows=arrange(chosen, figures, listed, len(ranges)),
    )


def income_statement(
    *,
    company,
    period: DateRange,
    layout: str = "full",
    compare: bool = True,
    line_filter: Q | None = None,
) -> Statement:
    """Return the income statement of `company` for `period`."""
    return _statement(
        "income",
        company=company,
        period=period,
        layout=layout,
        compare=compare,
        line_filter=line_filter,
    )


def balance_sheet(
    *,
    company,
    period: DateRange,
    layout: str = "full",
    compare: bool = True,
    line_filter: Q | None = None,
) -> Statement:
    """Return the balance sheet of `company` at the end of `period`."""
    return _statement(
        "balance",
        company=company,
        period=period,
        layout=layout,
        compare=compare,
        line_filter=line_filter,
    )
