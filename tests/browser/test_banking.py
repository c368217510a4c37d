"""An accountant imports a bank file in the admin and finds what is left."""

from decimal import Decimal

from fixtures.bank_files import Payment, camt054
from modules.banking.models import BankTransaction
from modules.core.models import BankAccount


def test_accountant_uploads_a_bank_file_and_sees_the_unmatched_payment(
    demo_site, live_server, new_page, log_in, tmp_path
):
    account = BankAccount.objects.get(
        company=demo_site["companies"]["main"], is_default=True
    )
    upload = tmp_path / "camt054.xml"
    upload.write_bytes(
        camt054(
            [Payment(Decimal("61.50"), name="Selain Testaaja", archive_id="BR1")],
            iban=account.iban,
            message_id="BROWSER-1",
        )
    )
    page = new_page()
    page.goto(f"{live_server.url}/admin/login/")
    log_in(page, "accountant", button="button[type=submit]")

    page.goto(f"{live_server.url}/admin/bank/import/")
    page.set_input_files("#id_file", str(upload))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/bank/reconcile/")

    row = page.locator("table.banking-queue tr", has_text="Selain Testaaja")
    assert row.count() == 1
    assert "61,50 EUR" in row.inner_text()
    assert BankTransaction.objects.filter(key="BR1").exists()
