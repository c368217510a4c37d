"""Closing a fiscal year and carrying its balances into the next.

`close_fiscal_year` posts the opening balances of the next year (opened
when it does not exist yet): every balance sheet account's closing
balance, per currency, and the year's result on the retained earnings
account (with anything booked on the profit-for-the-year account). Then
every period of the year and the year itself are closed, so nothing can
be posted into them any more, which the database enforces as well.
"""

import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from modules.core.audit import record_change
from modules.core.money import round_decimal
from modules.ledger.models import (
    BALANCE_SHEET_TYPES,
    Account,
    FiscalYear,
    JournalLine,
    Period,
    StatementLine,
    Voucher,
    VoucherSeries,
)
from modules.ledger.services import (
    LineInput,
    _add_months,
    _ledger_lock,
    _month_end,
    open_fiscal_year,
    post_voucher,
)

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
RETAINED_EARNINGS = "2250"


def system_series(company, code: str, name: str) -> VoucherSeries:
    """Return the company's voucher series `code`, creating it if needed."""
    series, _created = VoucherSeries.objects.get_or_create(
        company=company, code=code, defaults={"name": name}
    )
    return series


def _next_year(fiscal_year, user) -> FiscalYear:
    start = fiscal_year.end + datetime.timedelta(days=1)
    found = FiscalYear.objects.filter(company=fiscal_year.company, start=start).first()
    if found is not None:
        return found
    return open_fiscal_year(
        company=fiscal_year.company,
        user=user,
        start=start,
        end=_month_end(_add_months(start, 11)),
    )


def closing_balances(fiscal_year) -> dict[tuple[int, str], tuple[Decimal, Decimal]]:
    """Return {(account id, currency): (euros, amount in currency)} at the
    end of `fiscal_year` for balance sheet accounts, debit positive."""
    rows = (
        JournalLine.objects.filter(
            voucher__fiscal_year=fiscal_year,
            voucher__state=Voucher.State.POSTED,
            account__type__in=BALANCE_SHEET_TYPES,
        )
        .values("account", "currency")
        .annotate(
            debit=Sum("debit"),
            credit=Sum("credit"),
            in_currency=Sum("amount_in_currency"),
        )
    )
    return {
        (row["account"], row["currency"]): (
            row["debit"] - row["credit"],
            row["in_currency"] or ZERO,
        )
        for row in rows
    }


def _year_result(fiscal_year) -> Decimal:
    totals = JournalLine.objects.filter(
        voucher__fiscal_year=fiscal_year,
        voucher__state=Voucher.State.POSTED,
    ).exclude(account__type__in=BALANCE_SHEET_TYPES)
    sums = totals.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return (sums["credit"] or ZERO) - (sums["debit"] or ZERO)


def _opening_lines(*, fiscal_year, retained) -> list[LineInput]:
    accounts = Account.objects.in_bulk(
        {key[0] for key in closing_balances(fiscal_year)} | {retained.pk}
    )
    carried = defaultdict(lambda: [ZERO, ZERO])
    for (account_id, currency), (euros, amount) in closing_balances(
        fiscal_year
    ).items():
        account = accounts[account_id]
        if account.statement_line == StatementLine.BS_PROFIT:
            account, currency, amount = retained, "EUR", ZERO
        carried[(account.pk, currency)][0] += euros
        carried[(account.pk, currency)][1] += amount
    carried[(retained.pk, "EUR")][0] -= _year_result(fiscal_year)

    label = _("Opening balance")
    lines = []
    for (account_id, currency), (euros, amount) in sorted(carried.items()):
        if not euros:
            continue
        foreign = currency != "EUR"
        lines.append(
            LineInput(
                account=accounts[account_id],
                debit=max(euros, ZERO),
                credit=max(-euros, ZERO),
                description=label,
                currency=currency,
                amount_in_currency=amount if foreign else None,
                # Units of the currency per euro, as the rate table keeps it.
                rate=(round_decimal(amount / euros, 8) if amount else ZERO)
                if foreign
                else None,
            )
        )
    return lines


@transaction.atomic
def close_fiscal_year(
    *, fiscal_year, user, retained_earnings_account=None
) -> Voucher | None:
    """Close a fiscal year and post the opening balances of the next one.

    Return the opening balances voucher (None when the year had nothing
    to carry). Earlier years must be closed first.
    """
    company = fiscal_year.company
    _ledger_lock(company.pk)
    year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if year.state == FiscalYear.State.CLOSED:
        raise ValidationError(
            _("The fiscal year %(year)s is already closed.") % {"year": year},
            code="year_closed",
        )
    earlier = FiscalYear.objects.filter(
        company=company, start__lt=year.start, state=FiscalYear.State.OPEN
    ).first()
    if earlier is not None:
        raise ValidationError(
            _("Close the fiscal year %(year)s first.") % {"year": earlier},
            code="earlier_open",
        )
    retained = (
        retained_earnings_account
        or Account.objects.filter(company=company, number=RETAINED_EARNINGS).first()
    )
    if retained is None or retained.company_id != company.pk:
        raise ValidationError(
            _("Choose the retained earnings account of the company."),
            code="no_retained_earnings",
        )

    lines = _opening_lines(fiscal_year=year, retained=retained)
    next_year = _next_year(year, user)
    opening = None
    if lines:
        opening = post_voucher(
            company=company,
            user=user,
            series=system_series(company, "OB", _("Opening balances")),
            date=next_year.start,
            description=_("Opening balances from %(year)s") % {"year": year},
            lines=lines,
            source=year,
        )
    Period.objects.filter(fiscal_year=year).update(state=Period.State.CLOSED)
    FiscalYear.objects.filter(pk=year.pk).update(state=FiscalYear.State.CLOSED)

    record_change(
        instance=year,
        user=user,
        action="update",
        before={"state": "open"},
        after={"state": "closed", "opening_voucher": opening.pk if opening else None},
    )
    logger.info("Fiscal year %s of %s closed", year, company.pk)
    return opening
