"""Build a valid row of any registered model for a given company.

The isolation tests walk every registration and need one row of each model
owned by another company. Field values are made up from the field types;
models whose rules need more than that get an entry in BUILDERS.
"""

import datetime
import itertools
from decimal import Decimal

from django.db import models

from modules.core.models import BankAccount, Company, NumberSeries
from modules.crm.models import Organisation
from modules.invoicing.models import (
    CustomerBilling,
    FactoringCompany,
    RecurringContract,
    SalesInvoice,
)
from modules.ledger.models import (
    Account,
    FiscalYear,
    JournalLine,
    Period,
    Voucher,
    VoucherSeries,
)

_counter = itertools.count(1)

# Models whose valid rows cannot be made up from field types alone:
# label -> function(company) returning an unsaved instance.
BUILDERS = {
    "core.bankaccount": lambda company: BankAccount(
        company=company, name=marker(), iban="FI2112345600000785"
    ),
    "core.numberseries": lambda company: NumberSeries(
        company=company, code=marker(), year=2026
    ),
    "ledger.account": lambda company: Account(
        company=company,
        number=str(next(_counter) + 10000),
        name_fi=marker(),
        type="asset",
        statement_line="bs_cash",
    ),
    "ledger.fiscalyear": lambda company: _fiscal_year(company),
    "ledger.period": lambda company: Period(
        fiscal_year=_fiscal_year(company, saved=True),
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 1, 31),
    ),
    "ledger.voucherseries": lambda company: VoucherSeries(
        company=company, code=f"S{next(_counter)}", name=marker()
    ),
    "ledger.voucher": lambda company: _draft_voucher(company, saved=False),
    "ledger.journalline": lambda company: JournalLine(
        voucher=_draft_voucher(company),
        account=build(Account, company),
        debit=Decimal("1"),
        description=marker(),
    ),
    "invoicing.factoringcompany": lambda company: FactoringCompany(
        company=company,
        name=marker(),
        iban="FI4950009420028730",
        bic="OKOYFIHH",
        assignment_clause=marker(),
    ),
    "invoicing.customerbilling": lambda company: CustomerBilling(
        company=company, organisation=build(Organisation, company)
    ),
    "invoicing.salesinvoice": lambda company: SalesInvoice(
        company=company,
        organisation=build(Organisation, company),
        customer_name=marker(),
        invoice_date=datetime.date(2026, 1, 15),
        delivery_date=datetime.date(2026, 1, 15),
    ),
    "invoicing.recurringcontract": lambda company: RecurringContract(
        company=company,
        name=marker(),
        organisation=build(Organisation, company),
        next_invoice_date=datetime.date(2026, 2, 1),
        lines=[{"description": marker(), "unit_price": "10.00"}],
    ),
}


def _fiscal_year(company, saved=False):
    year = FiscalYear(
        company=company,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    if saved:
        year.save()
    return year


def _draft_voucher(company, saved=True):
    voucher = Voucher(
        company=company,
        series=build(VoucherSeries, company),
        fiscal_year=_fiscal_year(company, saved=True),
        date=datetime.date(2026, 1, 15),
        description=marker(),
    )
    if saved:
        voucher.save()
    return voucher


def _join_group(group, company):
    company.group = group
    company.save(update_fields=["group"])


# Rows that belong to a company through the company's side of a relation:
# label -> function(saved instance, company) that makes the link.
LINKERS = {"core.companygroup": _join_group}


def marker() -> str:
    """Return a text unlikely to appear anywhere else in a page or file."""
    return f"zq{next(_counter):05d}x"


def _value(field, company):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        target = field.related_model
        if target is Company:
            return company
        return build(target, company)
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.DateTimeField):
        return datetime.datetime.now(datetime.UTC)
    if isinstance(field, models.DateField):
        return datetime.date.today()
    if isinstance(field, models.EmailField):
        return f"{marker()}@example.com"
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.CharField | models.TextField):
        return marker()[: field.max_length or 20]
    raise LookupError(f"no value for {field!r}")


def build(model, company, **values):
    """Save and return a valid row of `model` that belongs to `company`."""
    label = model._meta.label_lower
    if label in BUILDERS:
        instance = BUILDERS[label](company)
    else:
        instance = model()
        for field in model._meta.concrete_fields:
            if field.primary_key or field.has_default() or field.null:
                continue
            if field.blank and not isinstance(field, models.ForeignKey):
                continue
            setattr(instance, field.name, _value(field, company))
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    if label in LINKERS:
        LINKERS[label](instance, company)
    return instance
