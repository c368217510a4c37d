"""GraphQL queries of the ledger reports: statements and the trial balance.

`incomeStatement`, `balanceSheet` and `trialBalance` take a company id and
a date range. The caller needs the permission to view vouchers and access
to the company (an API token limited to one company sees only that one).
Registered as root query fields through `cms.registry.register_query`.
"""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.api import access
from cms.api.errors import ApiError
from cms.registry import register_query
from modules.core.models import Company
from modules.ledger.models import Voucher
from modules.ledger.reports import books, statements
from modules.ledger.reports.periods import DateRange


class ReportColumn(graphene.ObjectType):
    label = graphene.String(required=True)
    start = graphene.Date(required=True)
    end = graphene.Date(required=True)


class StatementAccount(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    name = graphene.String(required=True)
    values = graphene.List(graphene.NonNull(graphene.Decimal), required=True)


class StatementRow(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    kind = graphene.String(required=True, description="heading, line or total")
    level = graphene.Int(required=True)
    values = graphene.List(
        graphene.NonNull(graphene.Decimal), description="Null for headings."
    )
    accounts = graphene.List(graphene.NonNull(StatementAccount), required=True)


class Statement(graphene.ObjectType):
    title = graphene.String(required=True)
    layout = graphene.String(required=True)
    columns = graphene.List(graphene.NonNull(ReportColumn), required=True)
    rows = graphene.List(graphene.NonNull(StatementRow), required=True)


class TrialBalanceLine(graphene.ObjectType):
    account_id = graphene.ID(required=True)
    number = graphene.String(required=True)
    name = graphene.String(required=True)
    debit = graphene.Decimal(required=True)
    credit = graphene.Decimal(required=True)
    balance = graphene.Decimal(required=True)
    previous = graphene.Decimal(description="Balance of last year's same range.")


class TrialBalance(graphene.ObjectType):
    columns = graphene.List(graphene.NonNull(ReportColumn), required=True)
    lines = graphene.List(graphene.NonNull(TrialBalanceLine), required=True)
    debit = graphene.Decimal(required=True)
    credit = graphene.Decimal(required=True)


def _column(label, period):
    return ReportColumn(label=label, start=period.start, end=period.end)


def _company_and_period(info, company_id, start, end):
    request = info.context
    access.require(request, Voucher, "view")
    company = access.scoped(Company.objects.all(), request).filter(pk=company_id)
    company = company.first()
    if company is None:
        raise ApiError(_("No such company."), code="not_found")
    try:
        return company, DateRange(start, end)
    except ValidationError as error:
        raise ApiError(error.messages[0], code="invalid") from error


def _statement(result):
    return Statement(
        title=result.title,
        layout=result.layout.key,
        columns=[_column(column.label, column.range) for column in result.columns],
        rows=[
            StatementRow(
                key=row.key,
                label=row.label,
                kind=str(row.kind),
                level=row.level,
                values=row.values,
                accounts=[
                    StatementAccount(
                        id=item.account.pk,
                        number=item.account.number,
                        name=item.account.name,
                        values=item.values,
                    )
                    for item in row.accounts
                ],
            )
            for row in result.rows
        ],
    )


_ARGUMENTS = {
    "company_id": graphene.ID(required=True),
    "start": graphene.Date(required=True),
    "end": graphene.Date(required=True),
    "compare": graphene.Boolean(
        default_value=True, description="Add last year's same range."
    ),
}


def _statement_field(builder, description):
    def resolve(root, info, company_id, start, end, compare, layout):
        company, period = _company_and_period(info, company_id, start, end)
        return _statement(
            builder(company=company, period=period, layout=layout, compare=compare)
        )

    return graphene.Field(
        Statement,
        **_ARGUMENTS,
        layout=graphene.String(
            default_value="full", description="full, pma_small or pma_micro"
        ),
        resolver=resolve,
        description=description,
    )


def _trial_balance_field():
    def resolve(root, info, company_id, start, end, compare):
        company, period = _company_and_period(info, company_id, start, end)
        result = books.trial_balance(company=company, period=period, compare=compare)
        return TrialBalance(
            columns=[_column(str(column), column) for column in result.columns],
            lines=[
                TrialBalanceLine(
                    account_id=line.account.pk,
                    number=line.account.number,
                    name=line.account.name,
                    debit=line.debit,
                    credit=line.credit,
                    balance=line.balance,
                    previous=line.previous,
                )
                for line in result.lines
            ],
            debit=result.debit,
            credit=result.credit,
        )

    return graphene.Field(
        TrialBalance,
        **_ARGUMENTS,
        resolver=resolve,
        description="Debits and credits per account in a date range.",
    )


register_query(
    "incomeStatement",
    lambda: _statement_field(
        statements.income_statement, "The income statement in a statutory layout."
    ),
)
register_query(
    "balanceSheet",
    lambda: _statement_field(
        statements.balance_sheet, "The balance sheet at the end of the range."
    ),
)
register_query("trialBalance", _trial_balance_field)
