"""The financial statements document (tilinpäätös) of one fiscal year.

Cover page, income statement and balance sheet with the previous year,
the notes of `StatementNote`, the signature page with a place for the
auditor's note, and the list of books and voucher types, which is made
from the voucher series used in the year.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from modules.consolidation.models import StatementNote
from modules.ledger.models import Voucher, VoucherSeries
from modules.ledger.reports.periods import DateRange
from modules.ledger.reports.statements import balance_sheet, income_statement


@dataclass
class SeriesUse:
    """A voucher series and the numbers it used in the fiscal year."""

    series: VoucherSeries
    count: int
    first: int | None
    last: int | None


@dataclass
class FinancialStatements:
    company: object
    fiscal_year: object
    income: object
    balance: object
    note: StatementNote
    books: list[str]
    series: list[SeriesUse]


def _books() -> list[str]:
    return [
        _("Journal (päiväkirja): electronic, in the ledger of this system"),
        _("General ledger (pääkirja): electronic, in the ledger of this system"),
        _("Financial statements and balance sheet details: bound PDF"),
        _("Vouchers: electronic, with their attached source documents"),
    ]


def financial_statements(*, company, fiscal_year, layout="pma_small"):
    """Return everything the financial statements document of a year shows."""
    period = DateRange(fiscal_year.start, fiscal_year.end)
    note = StatementNote.objects.filter(fiscal_year=fiscal_year).first()
    if note is None:
        note = StatementNote(company=company, fiscal_year=fiscal_year)
    used = (
        Voucher.objects.filter(fiscal_year=fiscal_year, state=Voucher.State.POSTED)
        .values("series")
        .annotate(count=Count("pk"), first=Min("number"), last=Max("number"))
    )
    by_series = {row["series"]: row for row in used}
    series = [
        SeriesUse(
            series=item,
            count=by_series.get(item.pk, {}).get("count", 0),
            first=by_series.get(item.pk, {}).get("first"),
            last=by_series.get(item.pk, {}).get("last"),
        )
        for item in VoucherSeries.objects.filter(company=company).order_by("code")
    ]
    return FinancialStatements(
        company=company,
        fiscal_year=fiscal_year,
        income=income_statement(company=company, period=period, layout=layout),
        balance=balance_sheet(company=company, period=period, layout=layout),
        note=note,
        books=_books(),
        series=series,
    )
