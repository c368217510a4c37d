"""Build a valid row of any registered model for a given company.

The isolation tests walk every registration and need one row of each model
owned by another company. Field values are made up from the field types;
models whose rules need more than that get an entry in BUILDERS.
"""

import datetime
import itertools
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import models
from wagtail.documents import get_document_model

from modules.banking.models import (
    BankConnection,
    BankStatement,
    BankTransaction,
    OutgoingPayment,
    PaymentAllocation,
    PaymentBatch,
)
from modules.consolidation.models import AccountMapping, GroupAccount, StatementNote
from modules.core.models import BankAccount, Company, CompanyGroup, NumberSeries
from modules.crm.models import Organisation, SiteCompany
from modules.invoicing.models import (
    CustomerBilling,
    FactoringCompany,
    FactoringTransfer,
    RecurringContract,
    SalesInvoice,
)
from modules.ledger.models import (
    Account,
    BudgetEntry,
    FiscalYear,
    JournalLine,
    Period,
    VatCode,
    Voucher,
    VoucherSeries,
)
from modules.outreach.models import Mailing, Segment
from modules.products.models import PriceList, PriceListItem, Product
from modules.purchases.models import ArchivedFile, PurchaseInvoice
from modules.stock.models import HandheldSubmission

_counter = itertools.count(1)

# Models whose valid rows cannot be made up from field types alone:
# label -> function(company) returning an unsaved instance.
BUILDERS = {
    "crm.sitecompany": lambda company: SiteCompany(company=company, site=_site()),
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
    "outreach.mailing": lambda company: Mailing(
        company=company,
        name=marker(),
        segment=build(Segment, company),
        subject_fi=marker(),
        body_fi=marker(),
    ),
    "ledger.vatcode": lambda company: VatCode(
        company=company, code=marker(), name_fi=marker(), kind="zero_rated_sales"
    ),
    "ledger.budgetentry": lambda company: BudgetEntry(
        company=company,
        account=build(Account, company),
        month=datetime.date(2026, 1, 1),
        amount=Decimal("1"),
    ),
    "ledger.journalline": lambda company: JournalLine(
        voucher=_draft_voucher(company),
        account=build(Account, company),
        debit=Decimal("1"),
        description=marker(),
    ),
    "stock.handheldsubmission": lambda company: HandheldSubmission(
        company=company,
        key=uuid.uuid4(),
        action=marker(),
        result={"message": marker()},
    ),
    "invoicing.factoringcompany": lambda company: FactoringCompany(
        company=company,
        name=marker(),
        iban="FI4950009420028730",
        bic="OKOYFIHH",
        assignment_clause=marker(),
    ),
    "invoicing.factoringtransfer": lambda company: FactoringTransfer(
        company=company,
        factoring_company=build(FactoringCompany, company),
        number=marker(),
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
    "consolidation.groupaccount": lambda company: _group_account(company),
    "consolidation.accountmapping": lambda company: AccountMapping(
        account=build(Account, company), group_account=_group_account(company, True)
    ),
    "consolidation.statementnote": lambda company: StatementNote(
        company=company,
        fiscal_year=_fiscal_year(company, saved=True),
        other_notes=marker(),
    ),
    "products.pricelistitem": lambda company: PriceListItem(
        price_list=build(PriceList, company),
        product=build(Product, company),
        unit_price=Decimal("9.90"),
    ),
    "banking.bankconnection": lambda company: BankConnection(
        company=company, bank_account=_bank_account(company, fresh=True)
    ),
    "banking.bankstatement": lambda company: _statement(company, saved=False),
    "banking.banktransaction": lambda company: _transaction(company, saved=False),
    "banking.paymentallocation": lambda company: PaymentAllocation(
        company=company,
        transaction=_transaction(company),
        kind="account",
        method="manual",
        amount=Decimal("1"),
    ),
    "banking.paymentbatch": lambda company: _batch(company, saved=False),
    "banking.outgoingpayment": lambda company: OutgoingPayment(
        company=company,
        batch=_batch(company),
        end_to_end_id=marker(),
        creditor_name=marker(),
        creditor_iban="FI3715903000000776",
        amount=Decimal("1"),
        message=marker(),
    ),
    "purchases.archivedfile": lambda company: ArchivedFile(
        invoice=build(PurchaseInvoice, company),
        kind=ArchivedFile.Kind.ATTACHMENT,
        document=_document(),
        sha256="0" * 64,
        size=1,
        content_type="text/plain",
        keep_until=datetime.date(2032, 12, 31),
    ),
}


def _group_account(company, saved=False):
    if company.group_id is None:
        _join_group(CompanyGroup.objects.create(name=marker()), company)
    account = GroupAccount(
        group=company.group,
        number=str(next(_counter) + 20000),
        name_fi=marker(),
        type="asset",
        statement_line="bs_cash",
    )
    if saved:
        account.save()
    return account


def _site():
    from wagtail.models import Page, Site

    return Site.objects.create(
        hostname=f"{marker()}.example", port=80, root_page=Page.objects.get(depth=1)
    )


def _document():
    document = get_document_model()(
        title=marker(), file=ContentFile(b"x", name="x.txt")
    )
    document.save()
    return document


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


_IBANS = ("FI2112345600000785", "FI3715903000000776", "FI4950009420028730")


def _bank_account(company, fresh=False):
    """Return a bank account of `company`; `fresh`: one no connection uses."""
    for iban in _IBANS:
        account, _created = BankAccount.objects.get_or_create(
            company=company, iban=iban, defaults={"name": marker()}
        )
        if not fresh or not BankConnection.objects.filter(bank_account=account):
            return account
    raise LookupError("no free test IBAN left")


def _statement(company, saved=True):
    statement = BankStatement(
        company=company,
        bank_account=_bank_account(company),
        kind="camt.054",
        file_name=marker(),
        file_sha256=marker(),
    )
    if saved:
        statement.save()
    return statement


def _transaction(company, saved=True):
    statement = _statement(company)
    row = BankTransaction(
        company=company,
        statement=statement,
        bank_account=statement.bank_account,
        key=marker(),
        booking_date=datetime.date(2026, 12, 1),
        amount=Decimal("10"),
        direction="credit",
        counterparty_name=marker(),
    )
    if saved:
        row.save()
    return row


def _batch(company, saved=True):
    batch = PaymentBatch(
        company=company,
        bank_account=_bank_account(company),
        number=marker(),
        requested_date=datetime.date(2026, 12, 10),
    )
    if saved:
        batch.save()
    return batch


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
