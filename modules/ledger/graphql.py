"""GraphQL beyond the generated API: posting, reversing and balances.

`postVoucher` and `reverseVoucher` call the posting services; they need
the permission to add vouchers and a company the caller belongs to. The
balances query sums posted lines by account, cost centre or period in one
aggregate query, whatever the number of rows.
"""

import graphene
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cms.api import access
from cms.api.errors import field_errors
from cms.api.mutations import FieldError
from modules.core.models import Company
from modules.ledger.models import (
    Account,
    CostCentre,
    JournalLine,
    Project,
    Voucher,
    VoucherSeries,
)
from modules.ledger.services import LineInput, post_voucher, reverse_voucher


class VoucherLineInput(graphene.InputObjectType):
    account = graphene.String(required=True, description="Account number.")
    debit = graphene.Decimal()
    credit = graphene.Decimal()
    description = graphene.String()
    vat_code = graphene.String()
    cost_centre = graphene.String(description="Cost centre code.")
    project = graphene.String(description="Project code.")
    currency = graphene.String()
    amount_in_currency = graphene.Decimal()


def _company(info, company_id):
    company = access.scoped(Company.objects.filter(pk=company_id), info.context).first()
    if company is None:
        raise ValidationError(_("Unknown company."), code="unknown_company")
    return company


def _by_code(model, company, field, value):
    if not value:
        return None
    found = model.objects.filter(company=company, **{field: value}).first()
    if found is None:
        raise ValidationError(
            _("%(name)s %(code)s is unknown.")
            % {"name": capfirst(model._meta.verbose_name), "code": value},
            code="unknown_code",
        )
    return found


def _line(company, given) -> LineInput:
    return LineInput(
        account=_by_code(Account, company, "number", given.account),
        debit=given.debit or 0,
        credit=given.credit or 0,
        description=given.description or "",
        vat_code=given.vat_code or "",
        cost_centre=_by_code(CostCentre, company, "code", given.cost_centre),
        project=_by_code(Project, company, "code", given.project),
        currency=(given.currency or "EUR").upper(),
        amount_in_currency=given.amount_in_currency,
    )


class _VoucherPayload:
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    voucher_id = graphene.ID()
    number = graphene.Int()

    @classmethod
    def result(cls, run):
        try:
            voucher = run()
        except ValidationError as error:
            return cls(ok=False, errors=field_errors(error))
        return cls(ok=True, errors=[], voucher_id=voucher.pk, number=voucher.number)


class PostVoucher(_VoucherPayload, graphene.Mutation):
    """Post a balanced voucher through the posting service."""

    class Arguments:
        company = graphene.ID(required=True)
        series = graphene.String(required=True, description="Series code.")
        date = graphene.Date(required=True)
        description = graphene.String(required=True)
        lines = graphene.List(graphene.NonNull(VoucherLineInput), required=True)

    @classmethod
    def mutate(cls, root, info, company, series, date, description, lines):
        access.require(info.context, Voucher, "add")

        def run():
            owner = _company(info, company)
            return post_voucher(
                company=owner,
                user=info.context.user,
                series=_by_code(VoucherSeries, owner, "code", series),
                date=date,
                description=description,
                lines=[_line(owner, given) for given in lines],
            )

        return cls.result(run)


class ReverseVoucher(_VoucherPayload, graphene.Mutation):
    """Post the reversal of a posted voucher."""

    class Arguments:
        voucher = graphene.ID(required=True)
        date = graphene.Date(required=True)

    @classmethod
    def mutate(cls, root, info, voucher, date):
        access.require(info.context, Voucher, "add")

        def run():
            original = access.scoped(
                Voucher.objects.filter(pk=voucher), info.context
            ).first()
            if original is None:
                raise ValidationError(_("Unknown voucher."), code="unknown_voucher")
            return reverse_voucher(voucher=original, user=info.context.user, date=date)

        return cls.result(run)


class BalanceRow(graphene.ObjectType):
    key = graphene.String(description="Account number, cost centre code or month.")
    debit = graphene.Decimal(required=True)
    credit = graphene.Decimal(required=True)
    balance = graphene.Decimal(required=True)


_GROUPS = {
    "account": "account__number",
    "cost_centre": "cost_centre__code",
    "period": "month",
}


def resolve_ledger_balances(root, info, company, by="account", start=None, end=None):
    access.require(info.context, JournalLine, "view")
    if by not in _GROUPS:
        raise access.ApiError(_("Group by account, cost_centre or period."), code="by")
    try:
        owner = _company(info, company)
    except ValidationError as error:
        raise access.ApiError(error.messages[0], code="unknown_company") from error
    lines = JournalLine.objects.filter(
        voucher__company=owner, voucher__state=Voucher.State.POSTED
    )
    if start:
        lines = lines.filter(voucher__date__gte=start)
    if end:
        lines = lines.filter(voucher__date__lte=end)
    key = _GROUPS[by]
    rows = (
        lines.annotate(month=TruncMonth("voucher__date"))
        .values(key)
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by(key)
    )
    return [
        BalanceRow(
            key=str(row[key]) if row[key] is not None else "",
            debit=row["debit"],
            credit=row["credit"],
            balance=row["debit"] - row["credit"],
        )
        for row in rows
    ]


def build_fields():
    """Return the ledger's own (query fields, mutation fields)."""
    balances = graphene.List(
        graphene.NonNull(BalanceRow),
        required=True,
        company=graphene.ID(required=True),
        by=graphene.String(default_value="account"),
        start=graphene.Date(),
        end=graphene.Date(),
        resolver=resolve_ledger_balances,
        description="Posted debits and credits by account, cost centre or month.",
    )
    return (
        {"ledger_balances": balances},
        {
            "post_voucher": PostVoucher.Field(),
            "reverse_voucher": ReverseVoucher.Field(),
        },
    )
