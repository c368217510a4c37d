"""Consolidated income statement and balance sheet of a company group.

Each member's statement figures come from the ledger reports
(`modules.ledger.reports.statements`), account by account; mapped
accounts move to their group account (and its statement line), unmapped
ones keep their own. Balances on accounts mapped as intra-group are
eliminated in a column of their own, so the group figure is the members'
sum less the eliminations. If intra-group balances do not match (one
member booked a sale the other has not yet booked as a purchase), the
eliminations do not net to zero and the difference is reported.
Eliminating the parent's shares against the subsidiary's equity is not
done here; map those accounts without the intra-group mark until the
group's chart has an account for it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from modules.consolidation.models import AccountMapping
from modules.ledger.models import StatementLine
from modules.ledger.reports.layouts import get_layout
from modules.ledger.reports.periods import DateRange
from modules.ledger.reports.statements import (
    Column,
    Statement,
    arrange,
    balance_figures,
    income_figures,
)
from modules.ledger.reports.totals import ZERO, fiscal_year_start


@dataclass
class Consolidation:
    """A consolidated statement with what the accountant must look at."""

    statement: Statement
    members: list
    unmapped: list = field(default_factory=list)
    difference: Decimal = ZERO
    # Holdings less the subsidiaries' equity eliminated against them.
    consolidation_difference: Decimal = ZERO


class _Grid:
    """Figures per group line and account, one column per member and more."""

    def __init__(self, members: int, compare: bool):
        self.elim, self.group, self.previous = members, members + 1, members + 2
        self.width = members + (3 if compare else 2)
        self.compare = compare
        self.listed = defaultdict(dict)
        self.extra = defaultdict(lambda: [ZERO] * self.width)

    def _add(self, values, member, amounts, *, eliminate):
        values[member] += amounts[0]
        values[self.group] += amounts[0]
        if self.compare:
            values[self.previous] += amounts[1]
        if eliminate:
            values[self.elim] -= amounts[0]
            values[self.group] -= amounts[0]
            if self.compare:
                values[self.previous] -= amounts[1]

    def add_account(self, line, key, member, amounts, *, eliminate=False):
        values = self.listed[line].setdefault(key, [ZERO] * self.width)
        self._add(values, member, amounts, eliminate=eliminate)

    def add_line(self, line, member, amounts, *, eliminate=False):
        self._add(self.extra[line], member, amounts, eliminate=eliminate)

    def eliminate_line(self, line, amounts):
        values = self.extra[line]
        values[self.elim] -= amounts[0]
        values[self.group] -= amounts[0]
        if self.compare:
            values[self.previous] -= amounts[1]

    def figures(self) -> dict[str, list[Decimal]]:
        lines = {}
        for line in {*self.listed, *self.extra}:
            total = list(self.extra.get(line, [ZERO] * self.width))
            for values in self.listed.get(line, {}).values():
                total = [a + b for a, b in zip(total, values, strict=True)]
            lines[line] = total
        return lines


def _intra_group_results(member, ranges, mappings) -> list[Decimal]:
    """Return the results on intra-group income and expense accounts."""
    totals = [ZERO] * len(ranges)
    _figures, listed = income_figures(companies=[member], ranges=ranges)
    for accounts in listed.values():
        for account, amounts in accounts.items():
            mapping = mappings.get(account.pk)
            if mapping is not None and mapping.intra_group:
                totals = [a + b for a, b in zip(totals, amounts, strict=True)]
    return totals


def consolidated_statement(
    *, group, statement: str, period: DateRange, layout="full", compare=True
) -> Consolidation:
    """Return the group's income statement or balance sheet with eliminations."""
    members = list(group.companies.order_by("name", "pk"))
    ranges = [period, period.previous_year()] if compare else [period]
    mappings = {
        mapping.account_id: mapping
        for mapping in AccountMapping.objects.filter(
            account__company__in=members
        ).select_related("group_account")
    }
    grid = _Grid(len(members), compare)
    unmapped = set()
    ownership = [ZERO] * len(ranges)

    for index, member in enumerate(members):
        if statement == "income":
            figures, listed = income_figures(companies=[member], ranges=ranges)
        else:
            figures, listed = balance_figures(company=member, ranges=ranges)
        for line, accounts in listed.items():
            derived = list(figures[line])
            for account, amounts in accounts.items():
                derived = [a - b for a, b in zip(derived, amounts, strict=True)]
                mapping = mappings.get(account.pk)
                if mapping is None:
                    unmapped.add(account)
                    grid.add_account(line, account, index, amounts)
                    continue
                grid.add_account(
                    mapping.group_account.statement_line,
                    mapping.group_account,
                    index,
                    amounts,
                    eliminate=mapping.intra_group or bool(mapping.ownership),
                )
                if mapping.ownership and statement == "balance":
                    ownership = [a + b for a, b in zip(ownership, amounts, strict=True)]
            grid.add_line(line, index, derived)
        for line in set(figures) - set(listed):
            grid.add_line(line, index, figures[line])
        if statement == "balance":
            year_ranges = [
                DateRange(fiscal_year_start(company=member, day=r.end), r.end)
                for r in ranges
            ]
            grid.eliminate_line(
                StatementLine.BS_PROFIT.value,
                _intra_group_results(member, year_ranges, mappings),
            )

    if any(ownership):
        # The eliminated holdings less equity (debits less credits) stay in
        # the group as goodwill, or as a group reserve when negative.
        line = StatementLine.BS_INTANGIBLE
        if ownership[0] < 0:
            line = StatementLine.BS_PROVISIONS
        grid.eliminate_line(line.value, [-amount for amount in ownership])

    chosen = get_layout(statement, layout)
    rows = arrange(chosen, grid.figures(), grid.listed, grid.width)
    columns = [Column(member.name, period) for member in members]
    columns += [Column(_("Eliminations"), period), Column(_("Group"), period)]
    if compare:
        columns.append(Column(_("Group, previous year"), ranges[1]))
    title = _("Consolidated income statement")
    if statement == "balance":
        title = _("Consolidated balance sheet")
    result = Statement(
        title=title,
        statement=statement,
        layout=chosen,
        columns=columns,
        rows=rows,
    )
    return Consolidation(
        statement=result,
        members=members,
        unmapped=sorted(
            unmapped, key=lambda account: (account.company_id, account.number)
        ),
        difference=_difference(result, grid.elim),
        consolidation_difference=ownership[0],
    )


def _difference(statement: Statement, column: int) -> Decimal:
    """Return what the eliminations leave unmatched."""
    if statement.statement == "income":
        return statement.row("profit").values[column]
    assets = statement.row("assets").values[column]
    return assets - statement.row("liabilities").values[column]
