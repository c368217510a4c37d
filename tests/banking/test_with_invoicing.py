"""Bank payments against real sales invoices of the invoicing module."""

import datetime
from decimal import Decimal

import pytest

from fixtures.bank_files import Payment, camt054
from modules.banking.models import BankTransaction
from modules.banking.providers import receivables_provider
from modules.banking.receivables import InvoicingReceivables
from modules.banking.services import allocate_to_invoices, import_bank_file
from modules.core.models import BankAccount
from modules.crm.models import Organisation
from modules.invoicing.models import SalesInvoice
from modules.invoicing.services import create_and_issue_invoice
from modules.ledger.models import Voucher
from tests.invoicing.conftest import open_books

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(company_a, clerk):
    open_books(company_a, clerk)
    customer = Organisation.objects.create(
        company=company_a, name="Asiakas Oy", business_id="1572860-0", is_customer=True
    )
    return [
        create_and_issue_invoice(
            company=company_a,
            user=clerk,
            customer=customer,
            lines=[{"description": "Work", "quantity": "1", "unit_price": price}],
            invoice_date=datetime.date(2026, 11, 2),
        )
        for price in ("100.00", "40.00")
    ]


def test_the_installed_invoicing_module_is_the_receivables_provider():
    assert isinstance(receivables_provider(), InvoicingReceivables)


def test_payments_by_reference_reduce_the_invoices_and_post_vouchers(
    company_a, clerk, invoices, django_capture_on_commit_callbacks
):
    account = BankAccount.objects.get(company=company_a)
    first, second = invoices
    payments = [
        Payment(first.total, reference=first.reference, archive_id="R1"),
        Payment(Decimal("10.00"), reference=second.reference, archive_id="R2"),
        Payment(Decimal("9.99"), name="Nobody", archive_id="R3"),
    ]
    vouchers_before = Voucher.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        result = import_bank_file(
            company=company_a, data=camt054(payments, iban=account.iban), user=clerk
        )
    with django_capture_on_commit_callbacks(execute=True):
        import_bank_file(
            company=company_a, data=camt054(payments, iban=account.iban), user=clerk
        )

    first.refresh_from_db()
    second.refresh_from_db()
    assert result.matched == 2
    assert first.open_amount == 0
    assert second.open_amount == second.total - Decimal("10.00")
    assert Voucher.objects.count() == vouchers_before + 2
    assert BankTransaction.objects.get(key="R3").state == "unmatched"


def test_the_user_allocates_an_unmatched_payment_to_an_invoice(
    company_a, clerk, invoices
):
    account = BankAccount.objects.get(company=company_a)
    _first, second = invoices
    import_bank_file(
        company=company_a,
        data=camt054(
            [Payment(second.total, name="Nobody", archive_id="U1")], iban=account.iban
        ),
        user=clerk,
    )
    waiting = BankTransaction.objects.get(key="U1")

    allocate_to_invoices(
        bank_transaction=waiting, user=clerk, lines=[(second.pk, second.total)]
    )

    assert SalesInvoice.objects.get(pk=second.pk).open_amount == 0
    assert BankTransaction.objects.get(key="U1").state == "matched"
