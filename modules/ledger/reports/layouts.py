"""The statutory layouts of the income statement and the balance sheet.

Accounts carry a `statement_line` (see `modules.ledger.models.StatementLine`);
a layout says which statement lines make up each of its rows, and where
its headings and totals are. Three sets of layouts exist:

- the full layouts of the Accounting Ordinance (Kirjanpitoasetus): the
  income statement by nature of expense (1:1) and the balance sheet (1:6);
- the small-company layouts of decree 1753/2015 (PMA-asetus, chapter 2);
- the micro-company layouts of the same decree (chapter 3).

The rows of the PMA layouts are the mapping from statutory lines to PMA
lines: `line_map(layout)` returns it as a dict. The income statement by
function (Kirjanpitoasetus 1:2) is not offered: it needs every expense
account split by function (production, sales, administration), which the
chart of accounts does not record.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.ledger.models import StatementLine as L


class Kind(StrEnum):
    HEADING = "heading"
    LINE = "line"
    TOTAL = "total"


class Side(StrEnum):
    """Which side of an account makes a row's figure positive."""

    DEBIT = "debit"
    CREDIT = "credit"


@dataclass(frozen=True)
class Row:
    """A row of a layout: a heading, a sum of statement lines, or a total."""

    key: str
    label: Promise
    kind: Kind = Kind.LINE
    lines: tuple[str, ...] = ()
    sums: tuple[str, ...] = ()
    level: int = 0
    side: Side = Side.CREDIT


@dataclass(frozen=True)
class Layout:
    key: str
    label: Promise
    statement: str
    rows: tuple[Row, ...]

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)


def line_map(layout: Layout) -> dict[str, str]:
    """Return {statement line: key of the layout row that shows it}."""
    return {line: row.key for row in layout.rows for line in row.lines}


def _line(statement_line, *, level=0, side=Side.CREDIT, label=None) -> Row:
    return Row(
        key=statement_line.value.split("_", 1)[1],
        label=label or statement_line.label,
        lines=(statement_line.value,),
        level=level,
        side=side,
    )


def _heading(key, label, *, level=0) -> Row:
    return Row(key=key, label=label, kind=Kind.HEADING, level=level)


def _total(key, label, sums, *, level=0) -> Row:
    return Row(key=key, label=label, kind=Kind.TOTAL, sums=tuple(sums), level=level)


_OPERATING = (
    "turnover",
    "inventory_change",
    "other_income",
    "materials",
    "personnel",
    "depreciation",
    "other_expenses",
)
_OPERATING_PROFIT = _("Operating profit (loss)")
_BEFORE_TAXES = _("Profit (loss) before appropriations and taxes")
_PROFIT = _("Profit (loss) for the financial year")
_FINANCIAL = _("Financial income and expenses")

INCOME_FULL = Layout(
    key="full",
    label=_("Full (Accounting Ordinance 1:1)"),
    statement="income",
    rows=(
        _line(L.IS_TURNOVER),
        _line(L.IS_INVENTORY_CHANGE),
        _line(L.IS_OTHER_INCOME),
        _line(L.IS_MATERIALS),
        _line(L.IS_PERSONNEL),
        _line(L.IS_DEPRECIATION),
        _line(L.IS_OTHER_EXPENSES),
        _total("operating_profit", _OPERATING_PROFIT, _OPERATING),
        _heading("financial_heading", _FINANCIAL),
        _line(L.IS_FINANCIAL_INCOME, level=1),
        _line(L.IS_FINANCIAL_EXPENSES, level=1),
        _total(
            "financial",
            _("Financial income and expenses in total"),
            ("financial_income", "financial_expenses"),
        ),
        _total("before_taxes", _BEFORE_TAXES, ("operating_profit", "financial")),
        _line(L.IS_APPROPRIATIONS),
        _line(L.IS_INCOME_TAXES),
        _total("profit", _PROFIT, ("before_taxes", "appropriations", "income_taxes")),
    ),
)

INCOME_SMALL = Layout(
    key="pma_small",
    label=_("Small company (PMA decree, chapter 2)"),
    statement="income",
    rows=(
        *INCOME_FULL.rows[:8],
        Row(
            key="financial",
            label=_FINANCIAL,
            lines=(L.IS_FINANCIAL_INCOME.value, L.IS_FINANCIAL_EXPENSES.value),
        ),
        *INCOME_FULL.rows[12:],
    ),
)

INCOME_MICRO = Layout(
    key="pma_micro",
    label=_("Micro company (PMA decree, chapter 3)"),
    statement="income",
    rows=(
        _line(L.IS_TURNOVER),
        _line(L.IS_OTHER_INCOME),
        # The micro scheme has no row for the change in inventories of own
        # products; it goes with materials, beside the change in bought goods.
        Row(
            key="materials",
            label=L.IS_MATERIALS.label,
            lines=(L.IS_MATERIALS.value, L.IS_INVENTORY_CHANGE.value),
        ),
        _line(L.IS_PERSONNEL),
        _line(L.IS_DEPRECIATION),
        _line(L.IS_OTHER_EXPENSES),
        INCOME_SMALL.row("financial"),
        _line(L.IS_APPROPRIATIONS),
        _line(L.IS_INCOME_TAXES),
        _total(
            "profit",
            _PROFIT,
            (
                "turnover",
                "other_income",
                "materials",
                "personnel",
                "depreciation",
                "other_expenses",
                "financial",
                "appropriations",
                "income_taxes",
            ),
        ),
    ),
)

D = Side.DEBIT
_ASSETS = _heading("assets_heading", _("Assets"))
_NON_CURRENT = _heading("non_current_heading", _("Non-current assets"))
_NON_CURRENT_LINES = (
    _line(L.BS_INTANGIBLE, level=1, side=D),
    _line(L.BS_TANGIBLE, level=1, side=D),
    _line(L.BS_INVESTMENTS, level=1, side=D),
)
_NON_CURRENT_TOTAL = _total(
    "non_current",
    _("Non-current assets in total"),
    ("intangible", "tangible", "investments"),
)
_CURRENT = _heading("current_heading", _("Current assets"))
_ASSETS_TOTAL = _total("assets", _("Assets in total"), ("non_current", "current"))
_LIABILITIES_SIDE = _heading("liabilities_heading", _("Equity and liabilities"))
_EQUITY = _heading("equity_heading", _("Equity"))
_EQUITY_LINES = (
    _line(L.BS_SHARE_CAPITAL, level=1),
    _line(L.BS_OTHER_RESERVES, level=1),
    _line(L.BS_RETAINED_EARNINGS, level=1),
    _line(L.BS_PROFIT, level=1),
)
_EQUITY_TOTAL = _total(
    "equity",
    _("Equity in total"),
    ("share_capital", "other_reserves", "retained_earnings", "profit"),
)
_DEBTS = _heading("debts_heading", _("Liabilities"))
_DEBT_LINES = (
    _line(L.BS_LIABILITIES_LONG, level=1),
    _line(L.BS_LIABILITIES_SHORT, level=1),
)
_DEBTS_TOTAL = _total(
    "debts", _("Liabilities in total"), ("liabilities_long", "liabilities_short")
)
_LIABILITIES_TOTAL = _total(
    "liabilities",
    _("Equity and liabilities in total"),
    ("equity", "appropriations", "provisions", "debts"),
)
_CURRENT_TOTAL_LABEL = _("Current assets in total")


def _balance_sheet(key, label, current_rows) -> Layout:
    current_keys = tuple(row.key for row in current_rows)
    return Layout(
        key=key,
        label=label,
        statement="balance",
        rows=(
            _ASSETS,
            _NON_CURRENT,
            *_NON_CURRENT_LINES,
            _NON_CURRENT_TOTAL,
            _CURRENT,
            *current_rows,
            _total("current", _CURRENT_TOTAL_LABEL, current_keys),
            _ASSETS_TOTAL,
            _LIABILITIES_SIDE,
            _EQUITY,
            *_EQUITY_LINES,
            _EQUITY_TOTAL,
            _line(L.BS_APPROPRIATIONS),
            _line(L.BS_PROVISIONS),
            _DEBTS,
            *_DEBT_LINES,
            _DEBTS_TOTAL,
            _LIABILITIES_TOTAL,
        ),
    )


BALANCE_FULL = _balance_sheet(
    "full",
    _("Full (Accounting Ordinance 1:6)"),
    (
        _line(L.BS_INVENTORIES, level=1, side=D),
        _line(L.BS_RECEIVABLES_LONG, level=1, side=D),
        _line(L.BS_RECEIVABLES_SHORT, level=1, side=D),
        _line(L.BS_SECURITIES, level=1, side=D),
        _line(L.BS_CASH, level=1, side=D),
    ),
)

BALANCE_SMALL = _balance_sheet(
    "pma_small",
    INCOME_SMALL.label,
    (
        _line(L.BS_INVENTORIES, level=1, side=D),
        Row(
            key="receivables",
            label=pgettext_lazy("balance sheet", "Receivables"),
            lines=(L.BS_RECEIVABLES_LONG.value, L.BS_RECEIVABLES_SHORT.value),
            level=1,
            side=D,
        ),
        _line(L.BS_SECURITIES, level=1, side=D),
        _line(L.BS_CASH, level=1, side=D),
    ),
)

BALANCE_MICRO = Layout(
    key="pma_micro",
    label=INCOME_MICRO.label,
    statement="balance",
    rows=(
        _ASSETS,
        Row(
            key="non_current",
            label=_("Non-current assets"),
            lines=tuple(line for row in _NON_CURRENT_LINES for line in row.lines),
            side=D,
        ),
        Row(
            key="current",
            label=_("Current assets"),
            lines=tuple(
                line.value
                for line in (
                    L.BS_INVENTORIES,
                    L.BS_RECEIVABLES_LONG,
                    L.BS_RECEIVABLES_SHORT,
                    L.BS_SECURITIES,
                    L.BS_CASH,
                )
            ),
            side=D,
        ),
        _ASSETS_TOTAL,
        _LIABILITIES_SIDE,
        Row(
            key="equity",
            label=_("Equity"),
            lines=tuple(line for row in _EQUITY_LINES for line in row.lines),
        ),
        _line(L.BS_APPROPRIATIONS),
        _line(L.BS_PROVISIONS),
        Row(
            key="debts",
            label=_("Liabilities"),
            lines=tuple(line for row in _DEBT_LINES for line in row.lines),
        ),
        _LIABILITIES_TOTAL,
    ),
)

INCOME_LAYOUTS = {
    layout.key: layout for layout in (INCOME_FULL, INCOME_SMALL, INCOME_MICRO)
}
BALANCE_LAYOUTS = {
    layout.key: layout for layout in (BALANCE_FULL, BALANCE_SMALL, BALANCE_MICRO)
}
LAYOUT_CHOICES = [(layout.key, layout.label) for layout in INCOME_LAYOUTS.values()]


def get_layout(statement: str, key: str) -> Layout:
    """Return the layout `key` of the income statement or the balance sheet."""
    layouts = INCOME_LAYOUTS if statement == "income" else BALANCE_LAYOUTS
    return layouts.get(key, layouts["full"])
