"""Budgets: the import resource, copying a year, and budget vs actual.

Budget amounts are positive on the natural side of the account: income
as income, expenses as expenses. Compared per account the figures keep
that side; per cost centre or project they are netted to a result
(income less expenses), which is what a manager of a unit follows.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from import_export import fields as ie_fields

from cms.importing import RegisteredResource, ScopedForeignKeyWidget
from modules.core.audit import record_change
from modules.core.money import round_decimal
from modules.ledger.models import (
    Account,
    AccountType,
    BudgetEntry,
    CostCentre,
    JournalLine,
    Project,
    Voucher,
)

logger = logging.getLogger(__name__)

ZERO = Decimal(0)


class CompanyKeyWidget(ScopedForeignKeyWidget):
    """Find a linked row by its code within the importing company."""

    company = None

    def get_queryset(self, value, row, *args, **kwargs):
        return (
            super()
            .get_queryset(value, row, *args, **kwargs)
            .filter(company=self.company)
        )


def _key_field(name, model, key):
    return ie_fields.Field(
        attribute=name, column_name=name, widget=CompanyKeyWidget(model, field=key)
    )


class BudgetEntryResource(RegisteredResource):
    """Budget rows in files: account number, cost centre and project codes."""

    account = _key_field("account", Account, "number")
    cost_centre = _key_field("cost_centre", CostCentre, "code")
    project = _key_field("project", Project, "code")

    class Meta:
        model = BudgetEntry
        fields = ("account", "cost_centre", "project", "month", "amount", "note")
        import_id_fields = ("account", "cost_centre", "project", "month")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, user, company):
        super().__init__(user=user, company=company)
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, CompanyKeyWidget):
                resource_field.widget.company = company


def _shift_year(month: datetime.date, years: int) -> datetime.date:
    return month.replace(year=month.year + years)


@transaction.atomic
def copy_budget(*, company, user, from_year: int, to_year: int, percent) -> int:
    """Copy a calendar year's budget to another year, changed by `percent`.

    `percent` 5 raises every amount by 5 %, -10 lowers it by 10 %. The
    target year must have no budget yet. Return the number of rows made.
    """
    try:
        factor = 1 + Decimal(str(percent)) / 100
    except ArithmeticError as error:
        raise ValidationError(
            _("%(value)s is not a percentage.") % {"value": percent}, code="percent"
        ) from error
    source = BudgetEntry.objects.filter(company=company, month__year=from_year)
    if not source.exists():
        raise ValidationError(
            _("There is no budget for %(year)s to copy.") % {"year": from_year},
            code="no_budget",
        )
    if BudgetEntry.objects.filter(company=company, month__year=to_year).exists():
        raise ValidationError(
            _("%(year)s already has a budget.") % {"year": to_year},
            code="budget_exists",
        )

    created = BudgetEntry.objects.bulk_create(
        BudgetEntry(
            company=company,
            account_id=entry.account_id,
            cost_centre_id=entry.cost_centre_id,
            project_id=entry.project_id,
            month=_shift_year(entry.month, to_year - from_year),
            amount=round_decimal(entry.amount * factor, 2),
        )
        for entry in source
    )

    record_change(
        instance=company,
        user=user,
        action="update",
        after={"budget_copied": f"{from_year}->{to_year}", "percent": str(percent)},
    )
    logger.info(
        "Budget %s copied to %s for %s (%s rows)",
        from_year,
        to_year,
        company.pk,
        len(created),
    )
    return len(created)


GROUPINGS = ("account", "cost_centre", "project")


@dataclass
class BudgetRow:
    """Budget and actual of one account, cost centre or project."""

    key: int | None
    label: str
    budget: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def difference(self) -> Decimal:
        return self.actual - self.budget

    @property
    def percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return round_decimal(self.actual * 100 / self.budget, 1)


@dataclass
class BudgetReport:
    """The rows of a budget comparison, its totals and the monthly series."""

    by: str
    rows: list[BudgetRow] = field(default_factory=list)
    months: list[tuple[datetime.date, Decimal, Decimal]] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((row.budget for row in self.rows), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((row.actual for row in self.rows), ZERO)


def _sign(account_type: str, *, by: str) -> int:
    # Per account the natural side counts; per unit, the result.
    if by == "account":
        return 1
    return 1 if account_type == AccountType.INCOME else -1


def _actual_amount(account_type, debit, credit) -> Decimal:
    if account_type == AccountType.INCOME:
        return credit - debit
    return debit - credit


def _labels(by, keys, company) -> dict:
    model = {"account": Account, "cost_centre": CostCentre, "project": Project}[by]
    return {
        row.pk: str(row) for row in model.objects.filter(company=company, pk__in=keys)
    }


def budget_vs_actual(
    *, company, start, end, by="account", cost_centre=None, project=None
) -> BudgetReport:
    """Compare budgeted and posted income and expenses between two dates.

    `cost_centre` narrows both sides to that cost centre and those under
    it; `project` to one project.
    """
    if by not in GROUPINGS:
        raise ValueError(f"Cannot group a budget by {by!r}.")
    types = (AccountType.INCOME, AccountType.EXPENSE)
    budgets = BudgetEntry.objects.filter(
        company=company,
        month__gte=start.replace(day=1),
        month__lte=end,
        account__type__in=types,
    )
    lines = JournalLine.objects.filter(
        voucher__company=company,
        voucher__state=Voucher.State.POSTED,
        voucher__date__gte=start,
        voucher__date__lte=end,
        account__type__in=types,
    )
    if cost_centre is not None:
        centres = cost_centre.descendant_ids()
        budgets = budgets.filter(cost_centre__in=centres)
        lines = lines.filter(cost_centre__in=centres)
    if project is not None:
        budgets = budgets.filter(project=project)
        lines = lines.filter(project=project)

    rows: dict = {}
    monthly = defaultdict(lambda: [ZERO, ZERO])
    for entry in budgets.values(by, "account__type", "month").annotate(
        total=Sum("amount")
    ):
        amount = entry["total"] * _sign(entry["account__type"], by=by)
        rows.setdefault(entry[by], BudgetRow(entry[by], "")).budget += amount
        monthly[entry["month"]][0] += amount
    actual = (
        lines.annotate(month=TruncMonth("voucher__date"))
        .values(by, "account__type", "month")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    for entry in actual:
        amount = _actual_amount(
            entry["account__type"], entry["debit"], entry["credit"]
        ) * _sign(entry["account__type"], by=by)
        rows.setdefault(entry[by], BudgetRow(entry[by], "")).actual += amount
        monthly[entry["month"]][1] += amount

    labels = _labels(by, [key for key in rows if key is not None], company)
    for key, row in rows.items():
        row.label = labels.get(key, "") if key is not None else _("(none)")
    ordered = sorted(rows.values(), key=lambda row: (row.key is None, row.label))
    months = [(month, *monthly[month]) for month in _months(start, end)]
    return BudgetReport(by=by, rows=ordered, months=months)


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return found
