"""Importing bank files: matching, idempotency (R5) and refusals."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from fixtures.bank_files import OTHER_IBAN, Payment, camt053, camt054
from fixtures.bank_files import reference_file as make_reference_file
from modules.banking.models import BankStatement, BankTransaction, PaymentAllocation
from modules.banking.services import import_bank_file
from modules.core.models import BankAccount

pytestmark = pytest.mark.django_db

PAYMENTS = [
    Payment(Decimal("100.00"), reference="1232", name="Asiakas Oy", archive_id="A1"),
    Payment(Decimal("80.00"), reference="RF921326", name="Toinen Ab", archive_id="A2"),
    Payment(Decimal("7.00"), message="Lasku 1005", name="KOLMAS OY", archive_id="A3"),
    Payment(Decimal("12.34"), name="Tuntematon", archive_id="A4"),
]


@pytest.fixture
def invoices(receivables):
    receivables.add("1001", "100.00", reference="1232")
    receivables.add("1002", "80.00", reference="1326", customer="Toinen Ab")
    receivables.add("1005", "7.00", customer="Kolmas Oy")
    receivables.add("1006", "7.00", customer="Muu Firma Oy")
    return receivables


def _import(company, user, data, **options):
    return import_bank_file(company=company, data=data, user=user, **options)


def test_payments_are_matched_by_reference_then_amount_and_name(
    company_a, account_a, clerk, invoices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(company_a, clerk, camt054(PAYMENTS), file_name="n.xml")

    assert (result.created, result.matched, result.waiting) == (4, 3, 1)
    assert invoices.booked == [
        ("1001", Decimal("100.00")),
        ("1002", Decimal("80.00")),
        ("1005", Decimal("7.00")),
    ]
    waiting = BankTransaction.objects.get(key="A4")
    assert waiting.state == BankTransaction.State.UNMATCHED
    assert not PaymentAllocation.objects.filter(posted_at__isnull=True).exists()


def test_the_same_file_twice_changes_nothing(
    company_a, account_a, clerk, invoices, django_capture_on_commit_callbacks
):
    data = camt054(PAYMENTS)
    with django_capture_on_commit_callbacks(execute=True):
        _import(company_a, clerk, data)

    with django_capture_on_commit_callbacks(execute=True):
        again = _import(company_a, clerk, data)

    assert again.already_imported
    assert again.created == 0
    assert BankStatement.objects.count() == 1
    assert BankTransaction.objects.count() == 4
    assert len(invoices.booked) == 3


def test_a_statement_repeating_notified_payments_adds_only_the_new_ones(
    company_a, account_a, clerk, invoices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _import(company_a, clerk, camt054(PAYMENTS[:2]))
    fee = Payment(Decimal("3.50"), message="Fee", credit=False, archive_id="F1")

    with django_capture_on_commit_callbacks(execute=True):
        result = _import(company_a, clerk, camt053([*PAYMENTS[:2], fee]))

    assert (result.created, result.duplicates) == (1, 2)
    assert len(invoices.booked) == 2
    statement = result.statements[0]
    assert statement.closing_balance == Decimal("1176.50")


def test_a_partial_payment_leaves_the_rest_open_and_an_overpayment_waits(
    company_a, account_a, clerk, invoices, django_capture_on_commit_callbacks
):
    partial = Payment(Decimal("60.00"), reference="1232", archive_id="P1")
    over = Payment(Decimal("100.00"), reference="1326", archive_id="P2")

    with django_capture_on_commit_callbacks(execute=True):
        _import(company_a, clerk, camt054([partial, over]))

    assert invoices.open_amount("1001") == Decimal("40.00")
    assert invoices.open_amount("1002") == Decimal("0.00")
    overpaid = BankTransaction.objects.get(key="P2")
    assert overpaid.state == BankTransaction.State.PARTIAL
    assert overpaid.open_amount == Decimal("20.00")


def test_two_payments_never_spend_the_same_open_amount(
    company_a, account_a, clerk, invoices, django_capture_on_commit_callbacks
):
    first = Payment(Decimal("100.00"), reference="1232", archive_id="D1")
    second = Payment(Decimal("100.00"), reference="1232", archive_id="D2")

    with django_capture_on_commit_callbacks(execute=True):
        _import(company_a, clerk, camt054([first, second]))

    assert invoices.booked == [("1001", Decimal("100.00"))]
    assert BankTransaction.objects.get(key="D2").state == "unmatched"


def test_ambiguous_amount_and_name_gives_proposals_not_a_match(
    company_a, account_a, clerk, invoices
):
    payment = Payment(Decimal("7.00"), name="Someone Else", archive_id="Q1")

    _import(company_a, clerk, camt054([payment]))

    waiting = BankTransaction.objects.get(key="Q1")
    assert waiting.state == BankTransaction.State.PROPOSED
    assert {p["number"] for p in waiting.proposals} == {"1005", "1006"}
    assert not PaymentAllocation.objects.exists()


def test_reference_payment_file_is_imported_and_matched(
    company_a, account_a, clerk, invoices, django_capture_on_commit_callbacks
):
    data = make_reference_file([Payment(Decimal("100.00"), reference="1232")])

    with django_capture_on_commit_callbacks(execute=True):
        result = _import(company_a, clerk, data, file_name="viite.txt")

    assert result.statements[0].kind == "reference"
    assert invoices.booked == [("1001", Decimal("100.00"))]


def test_a_file_for_an_account_of_another_company_is_refused(
    company_a, company_b, account_a, clerk
):
    BankAccount.objects.create(company=company_b, name="B", iban=OTHER_IBAN)

    with translation.override("en"), pytest.raises(Exception) as refused:
        _import(company_a, clerk, camt054(PAYMENTS, iban=OTHER_IBAN))

    assert "not a bank account of Alfa Oy" in refused.value.messages[0]
    assert not BankStatement.objects.exists()


def test_a_file_for_another_account_than_the_chosen_one_is_refused(
    company_a, account_a, second_account_a, clerk
):
    with translation.override("en"), pytest.raises(Exception) as refused:
        _import(
            company_a,
            clerk,
            camt054(PAYMENTS, iban=OTHER_IBAN),
            bank_account=account_a,
        )

    assert "not for the chosen account" in refused.value.messages[0]
    assert not BankStatement.objects.exists()


def test_a_malformed_file_is_refused_with_a_message(company_a, account_a, clerk):
    with translation.override("en"), pytest.raises(Exception) as refused:
        _import(company_a, clerk, b"<Document><Ntfctn></Document>")

    assert "not well-formed XML" in refused.value.messages[0]


def test_an_import_killed_half_way_leaves_nothing(
    company_a,
    account_a,
    clerk,
    invoices,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from modules.banking import services

    store = services.copy_instances

    def crash(instances):
        if instances and isinstance(instances[0], PaymentAllocation):
            raise RuntimeError("worker killed")
        store(instances)

    with monkeypatch.context() as patched:
        # Dies after the transactions are stored, before the allocations.
        patched.setattr(services, "copy_instances", crash)
        with pytest.raises(RuntimeError):
            _import(company_a, clerk, camt054(PAYMENTS))

    assert not BankStatement.objects.exists()
    assert not BankTransaction.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(company_a, clerk, camt054(PAYMENTS))
    assert result.created == 4
    assert len(invoices.booked) == 3


def test_a_payment_that_can_no_longer_be_booked_returns_to_the_queue(
    company_a, account_a, clerk, invoices, django_capture_on_commit_callbacks
):
    original = invoices.register_payment

    def paid_meanwhile(**kwargs):
        if kwargs["document_id"] == "1":
            raise ValidationError("Already paid.")
        return original(**kwargs)

    invoices.register_payment = paid_meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        _import(company_a, clerk, camt054(PAYMENTS[:2]))

    back = BankTransaction.objects.get(key="A1")
    assert back.state == BankTransaction.State.UNMATCHED
    assert back.allocated_amount == 0
    assert back.note == "Not booked to 1001: Already paid."
    assert invoices.booked == [("1002", Decimal("80.00"))]


@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_concurrently_is_stored_once(
    company_a, account_a, clerk, receivables
):
    receivables.add("1001", "100.00", reference="1232")
    data = camt054(PAYMENTS)
    errors = []

    def run():
        try:
            import_bank_file(company=company_a, data=data, user=clerk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert BankStatement.objects.count() == 1
    assert BankTransaction.objects.count() == 4
    assert PaymentAllocation.objects.count() == 1
    assert receivables.booked == [("1001", Decimal("100.00"))]
