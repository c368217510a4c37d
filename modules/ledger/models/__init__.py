"""The ledger's data: the books, VAT codes and the dimensions of lines.

`books` holds the chart, fiscal years and the immutable vouchers; `vat`
the date-effective VAT codes; `dimensions` cost centres, projects and
budgets.
"""

from modules.ledger.models.books import (
    BALANCE_SHEET_TYPES,
    POSTED_MESSAGE,
    Account,
    AccountType,
    FiscalYear,
    JournalLine,
    Period,
    PostedError,
    StatementLine,
    VatRole,
    Voucher,
    VoucherAttachment,
    VoucherSeries,
)
from modules.ledger.models.dimensions import BudgetEntry, CostCentre, Project
from modules.ledger.models.vat import (
    KIND_BOXES,
    SALES_KINDS,
    SELF_ASSESSED_KINDS,
    TAX_INCLUDED_KINDS,
    VatBox,
    VatCode,
    VatKind,
    VatRate,
    VatSettlement,
)

__all__ = [
    "BALANCE_SHEET_TYPES",
    "KIND_BOXES",
    "POSTED_MESSAGE",
    "SALES_KINDS",
    "SELF_ASSESSED_KINDS",
    "TAX_INCLUDED_KINDS",
    "Account",
    "AccountType",
    "BudgetEntry",
    "CostCentre",
    "FiscalYear",
    "JournalLine",
    "Period",
    "PostedError",
    "Project",
    "StatementLine",
    "VatBox",
    "VatCode",
    "VatKind",
    "VatRate",
    "VatRole",
    "VatSettlement",
    "Voucher",
    "VoucherAttachment",
    "VoucherSeries",
]
