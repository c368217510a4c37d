"""The banking screens in the admin: permissions, company, what a user sees."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fixtures.bank_files import Payment, camt054, pain002
from modules.banking.models import BankStatement, BankTransaction, PaymentBatch
from modules.banking.payments import PaymentInstruction, create_payment_batch
from modules.banking.services import import_bank_file
from modules.core.models import Role

pytestmark = pytest.mark.django_db

BANKING = [
    "banking.add_bankstatement",
    "banking.view_banktransaction",
    "banking.change_banktransaction",
    "banking.change_paymentbatch",
]


@pytest.fixture
def banker(make_user, company_a):
    return make_user("banker", company_a, role=Role.ACCOUNTANT, perms=BANKING)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/bank/import/",
        "/admin/bank/reconcile/",
        "/admin/bank/batches/",
        "/admin/bank/forecast/",
    ],
)
def test_screens_need_the_banking_permissions(client, make_user, company_a, url):
    client.force_login(make_user("outsider", company_a, role=Role.SALES))

    response = client.get(url)

    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert (response.status_code, response.url) == (302, "/admin/")


def test_upload_imports_and_the_queue_shows_what_did_not_match(
    client, banker, account_a, receivables
):
    client.force_login(banker)
    upload = SimpleUploadedFile(
        "n.xml",
        camt054([Payment(Decimal("42.00"), name="Mystery Oy", archive_id="M1")]),
    )

    response = client.post("/admin/bank/import/", {"file": upload}, follow=True)

    page = response.content.decode()
    assert "1 transactions imported" in page
    assert "Mystery Oy" in page
    assert BankStatement.objects.count() == 1


def test_an_upload_for_another_account_shows_the_reason_on_the_form(
    client, banker, account_a
):
    client.force_login(banker)
    upload = SimpleUploadedFile(
        "n.xml", camt054([Payment(Decimal("1.00"))], iban="FI3715903000000776")
    )

    response = client.post("/admin/bank/import/", {"file": upload})

    assert response.status_code == 200
    assert "not a bank account of Alfa Oy" in response.content.decode()
    assert not BankStatement.objects.exists()


def test_a_hostile_upload_is_refused_with_a_message(client, banker, account_a):
    client.force_login(banker)
    hostile = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'

    response = client.post(
        "/admin/bank/import/", {"file": SimpleUploadedFile("x.xml", hostile)}
    )

    page = response.content.decode()
    assert "declares a document type or entities" in page
    assert "root:" not in page


def test_the_queue_never_shows_another_companys_payments(
    client, banker, company_b, make_user, receivables
):
    from modules.core.models import BankAccount

    other = BankAccount.objects.create(
        company=company_b, name="B", iban="FI4950009420028730"
    )
    import_bank_file(
        company=company_b,
        data=camt054(
            [Payment(Decimal("5.00"), name="Secret Customer")], iban=other.iban
        ),
        user=make_user("b-user", company_b),
    )
    client.force_login(banker)
    payment = BankTransaction.objects.get()

    page = client.get("/admin/bank/reconcile/").content.decode()
    attempt = client.post(
        "/admin/bank/reconcile/",
        {"action": "refund", "transaction": payment.pk},
    )

    assert "Secret Customer" not in page
    assert attempt.status_code == 404


def test_batches_are_approved_downloaded_and_answered(
    client, banker, company_a, account_a
):
    batch = create_payment_batch(
        company=company_a,
        bank_account=account_a,
        instructions=[
            PaymentInstruction(
                creditor_name="Supplier Oy",
                creditor_iban="FI3715903000000776",
                amount=Decimal("10.00"),
                reference="1232",
            )
        ],
        user=banker,
    )
    client.force_login(banker)

    client.post("/admin/bank/batches/", {"action": "approve", "batch": batch.pk})
    download = client.get(f"/admin/bank/batches/{batch.pk}/file/")
    batch.refresh_from_db()
    payment = batch.payments.get()
    answer = client.post(
        "/admin/bank/batches/",
        {
            "file": SimpleUploadedFile(
                "s.xml",
                pain002(
                    batch.message_id,
                    {payment.end_to_end_id: "ACCP"},
                    group_status="ACCP",
                ),
            )
        },
        follow=True,
    )

    assert download["Content-Disposition"].endswith(f'{batch.number}.xml"')
    assert b"<CdtrRefInf>" in download.content
    assert "applied to batch" in answer.content.decode()
    assert PaymentBatch.objects.get().state == PaymentBatch.State.ACCEPTED


def test_forecast_page_draws_a_chart_and_exports(client, banker, account_a):
    client.force_login(banker)

    page = client.get("/admin/bank/forecast/?days=14")
    csv = client.get("/admin/bank/forecast/?days=14&format=csv")
    xlsx = client.get("/admin/bank/forecast/?days=14&format=xlsx")

    assert b"<svg" in page.content
    assert csv.content.decode().count("\n") == 15
    assert xlsx.content[:2] == b"PK"
